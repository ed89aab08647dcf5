import type { ClusterConfig } from '../../spec/cluster-config';
import { setClusterDefaults } from '../../spec/defaults';
import { formatIssue, type Issue } from '../../spec/issue';
import { validateUpdate } from '../../spec/validate-update';
import type { CheckFailure } from '../resource-handler';
import { containsUnknownValue } from '../unknown-value';

/** EKS-A's update rules applied to a change of a phase resource's config. */
export interface ConfigChange {
  /** Changes EKS-A makes immutable: the cluster can only be replaced (each formatted with its fix). */
  readonly replacements: readonly string[];
  /** Changes refused outright (version skew, downgrades), each formatted with its fix. */
  readonly refusals: readonly string[];
}

const NO_CHANGE: ConfigChange = { replacements: [], refusals: [] };

/**
 * `validateUpdate` between the config a phase resource last ran with and the new one, both with EKS-A's defaults
 * (so that a default written out is not a change). Nothing when either side is missing or not known yet (a
 * preview), or when the configs are not comparable (the new one fails its own validation, reported by `check`).
 */
export function configChange(previous: unknown, next: unknown): ConfigChange {
  if (!isConfig(previous) || !isConfig(next)) return NO_CHANGE;
  if (containsUnknownValue(previous) || containsUnknownValue(next)) return NO_CHANGE;
  let issues: Issue[];
  try {
    issues = validateUpdate(setClusterDefaults(previous), setClusterDefaults(next));
  } catch {
    return NO_CHANGE;
  }
  const errors = issues.filter((issue) => issue.severity === 'error');
  return {
    replacements: errors.filter((issue) => issue.forcesReplacement === true).map(formatIssue),
    refusals: errors.filter((issue) => issue.forcesReplacement !== true).map(formatIssue),
  };
}

/** Refused changes as `check` failures on `config`: they fail the preview, and nothing is changed. */
export function refusalFailures(change: ConfigChange): CheckFailure[] {
  return change.refusals.map((reason) => ({ property: 'config', reason: `refused update: ${reason}` }));
}

function isConfig(value: unknown): value is ClusterConfig {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { cluster?: { metadata?: unknown } }).cluster?.metadata === 'object'
  );
}
