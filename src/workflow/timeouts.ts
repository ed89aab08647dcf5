/**
 * How long the workflow waits, in milliseconds. The defaults are EKS-A's (research/eksa.md A7); they are inputs
 * because a dynamic resource has no timeout of its own (the engine does not enforce `customTimeouts`).
 */
export interface WorkflowTimeouts {
  /** External etcd ready (`--external-etcd-wait-timeout`). @default 60 minutes */
  readonly externalEtcdMs: number;
  /** Control plane initialized and available (`--control-plane-wait-timeout`). @default 60 minutes */
  readonly controlPlaneMs: number;
  /** The `<c>-kubeconfig` Secret readable once the control plane is up. @default 1 minute */
  readonly kubeconfigSecretMs: number;
  /** Per machine, for all machines to get a node (`--per-machine-wait-timeout`). @default 10 minutes */
  readonly perMachineMs: number;
  /** The least time all machines together get. @default 30 minutes */
  readonly machinesMinimumMs: number;
  /** Each controller Deployment Available (CAPI, cert-manager, EKS-A). @default 30 minutes */
  readonly deploymentMs: number;
  /** The CAPI Cluster Available before the move. @default 60 minutes */
  readonly clusterAvailableMs: number;
  /** The control plane initialized in the target after the move. @default 15 minutes */
  readonly controlPlaneAfterMoveMs: number;
  /** Retrying a move that cannot reach a cluster. @default 30 minutes */
  readonly moveMs: number;
  /** Retrying applies rejected while webhooks come up. @default 2 minutes */
  readonly applyMs: number;
  /** Objects gone after a delete. @default 30 minutes */
  readonly deleteMs: number;
  /** Between progress lines during a wait; never more than 30 s. @default 30 seconds */
  readonly progressIntervalMs: number;
  /** Between polls of lists (machines, CRDs). @default 1 second (EKS-A's) */
  readonly pollIntervalMs: number;
}

const MINUTE = 60_000;

export const DEFAULT_TIMEOUTS: WorkflowTimeouts = {
  externalEtcdMs: 60 * MINUTE,
  controlPlaneMs: 60 * MINUTE,
  kubeconfigSecretMs: MINUTE,
  perMachineMs: 10 * MINUTE,
  machinesMinimumMs: 30 * MINUTE,
  deploymentMs: 30 * MINUTE,
  clusterAvailableMs: 60 * MINUTE,
  controlPlaneAfterMoveMs: 15 * MINUTE,
  moveMs: 30 * MINUTE,
  applyMs: 2 * MINUTE,
  deleteMs: 30 * MINUTE,
  progressIntervalMs: 30_000,
  pollIntervalMs: 1000,
};

/** setTimeout's ceiling (about 24.8 days); longer waits are clamped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The timeouts of a run: the given ones over the defaults.
 * @throws Error naming every field that is not a positive number of milliseconds
 */
export function resolveTimeouts(given: Partial<WorkflowTimeouts> = {}): WorkflowTimeouts {
  const problems: string[] = [];
  const out: Record<string, number> = { ...DEFAULT_TIMEOUTS };
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_TIMEOUTS)) {
      problems.push(`timeouts.${key}: unknown (known: ${Object.keys(DEFAULT_TIMEOUTS).join(', ')})`);
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      problems.push(`timeouts.${key}: ${JSON.stringify(value)} is not a positive number of milliseconds`);
    } else {
      out[key] = Math.min(value, MAX_TIMER_MS);
    }
  }
  if (out.progressIntervalMs > 30_000) {
    problems.push(
      'timeouts.progressIntervalMs: progress is reported at least every 30 s; give 30000 or less',
    );
  }
  if (problems.length > 0) throw new Error(`invalid workflow timeouts:\n  ${problems.join('\n  ')}`);
  return out as unknown as WorkflowTimeouts;
}

/** The time all machines get to have a node: per machine × count, at least the minimum. */
export function machinesTimeout(timeouts: WorkflowTimeouts, machines: number): number {
  return Math.min(Math.max(timeouts.perMachineMs * machines, timeouts.machinesMinimumMs), MAX_TIMER_MS);
}
