import type { ClusterConfig } from './cluster-config';
import type { Issue, IssueSeverity } from './issue';
import { sourcePosition } from './source-positions';

/** Feature flags EKS-A gates behaviour behind (environment variables set to "true" for the EKS-A CLI). */
export const FEATURE_API_SERVER_EXTRA_ARGS = 'API_SERVER_EXTRA_ARGS_ENABLED';
export const FEATURE_VSPHERE_IN_PLACE_UPGRADE = 'VSPHERE_IN_PLACE_UPGRADE';

/** Options of `validateClusterConfig`. */
export interface ValidateOptions {
  /** File name for messages. @default config.file */
  readonly file?: string;
  /**
   * Kubernetes versions the versions bundle provides (e.g. `["1.30", …, "1.36"]`); a cluster or worker group on
   * another version is an error. Unchecked when omitted.
   */
  readonly supportedKubernetesVersions?: readonly string[];
  /** Enabled EKS-A feature flags, e.g. `API_SERVER_EXTRA_ARGS_ENABLED`. @default [] */
  readonly featureFlags?: readonly string[];
  /**
   * What the config is validated for. Some rules apply only when a cluster is created (`etcdEncryption` must be
   * added by an upgrade).
   * @default "create"
   */
  readonly operation?: 'create' | 'upgrade';
}

/** One rule's finding, before file and position are attached. */
export interface Finding {
  readonly rule: string;
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  readonly severity?: IssueSeverity;
  readonly forcesReplacement?: boolean;
}

/** Collects the issues of one validation run, attaching file and source position. */
export class IssueCollector {
  readonly issues: Issue[] = [];

  constructor(
    private readonly config: ClusterConfig,
    private readonly file: string | undefined,
  ) {}

  add(finding: Finding): void {
    const pos = sourcePosition(this.config, finding.path);
    this.issues.push({
      severity: finding.severity ?? 'error',
      ...(this.file ? { file: this.file } : {}),
      path: finding.path,
      message: finding.message,
      fix: finding.fix,
      rule: finding.rule,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
      ...(finding.forcesReplacement !== undefined ? { forcesReplacement: finding.forcesReplacement } : {}),
    });
  }

  error(rule: string, path: string, message: string, fix: string): void {
    this.add({ rule, path, message, fix });
  }

  warn(rule: string, path: string, message: string, fix: string): void {
    this.add({ rule, path, message, fix, severity: 'warning' });
  }
}
