/** How bad an issue is: errors stop synthesis and deployment, warnings are reported and ignored. */
export type IssueSeverity = 'error' | 'warning';

/** One problem found in a cluster config, pointing at the field that has it. */
export interface Issue {
  readonly severity: IssueSeverity;
  /** The config file, when the config came from one. */
  readonly file?: string;
  /**
   * Field path inside the object, e.g. `spec.workerNodeGroupConfigurations[1].count`. For objects other than the
   * Cluster the path starts with the object, e.g. `VSphereMachineConfig/cp.spec.memoryMiB`.
   */
  readonly path: string;
  /** What is wrong, as one sentence. */
  readonly message: string;
  /** How to fix it, as one sentence. */
  readonly fix: string;
  /** Stable identifier of the rule that found the issue (e.g. `cluster-name-format`). */
  readonly rule?: string;
  /** 1-based line and column of the offending YAML node, when parsed from a file. */
  readonly line?: number;
  readonly column?: number;
  /**
   * Update checks only: the change cannot be applied in place, only by replacing the cluster (a field EKS-A makes
   * immutable). False for changes that are refused outright (version skew, downgrades).
   */
  readonly forcesReplacement?: boolean;
}

/** Formats one issue as `FILE:LINE:COL: PATH: what is wrong. Fix: how`. */
export function formatIssue(issue: Issue): string {
  const where = issue.file
    ? issue.line !== undefined
      ? `${issue.file}:${issue.line}:${issue.column ?? 1}: `
      : `${issue.file}: `
    : '';
  const path = issue.path ? `${issue.path}: ` : '';
  const warn = issue.severity === 'warning' ? 'warning: ' : '';
  return `${where}${warn}${path}${withPeriod(issue.message)} Fix: ${withPeriod(issue.fix)}`;
}

function withPeriod(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The issues of a config that cannot be used, all of them, one per line in `message`. */
export class ClusterConfigError extends Error {
  /** Every issue found (errors and warnings). */
  public readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[], summary?: string) {
    const errors = issues.filter((i) => i.severity === 'error');
    const head = summary ?? `invalid cluster config: ${errors.length} error${errors.length === 1 ? '' : 's'}`;
    super([head, ...issues.map(formatIssue)].join('\n'));
    this.name = 'ClusterConfigError';
    this.issues = issues;
  }

  /** Only the errors. */
  get errors(): readonly Issue[] {
    return this.issues.filter((i) => i.severity === 'error');
  }
}

/** True when any issue is an error. */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** Throws a ClusterConfigError when any issue is an error. */
export function throwIfErrors(issues: readonly Issue[], summary?: string): void {
  if (hasErrors(issues)) throw new ClusterConfigError(issues, summary);
}
