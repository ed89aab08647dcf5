/**
 * How fast the simulated site moves. Every delay is in milliseconds; `instant` makes each step wait only for the
 * next turn of the event loop, so a whole cluster comes up in well under a second while every intermediate state
 * is still written (and watchable) one step at a time.
 */
export interface SimulationSpeed {
  /** A controller's reaction time: from a change it watches to its next reconcile pass. */
  readonly reactionMs: number;
  /** From `docker run` (a kind node, a machine, a load balancer) to the container running. */
  readonly containerStartMs: number;
  /** kubeadm init / join or etcdadm on a running machine: until the node registers or the member joins. */
  readonly bootstrapMs: number;
  /** From a node's CNI being ready to the node reporting Ready. */
  readonly nodeReadyMs: number;
  /** From a Deployment's or DaemonSet's pods being schedulable to their being ready. */
  readonly podReadyMs: number;
  /** How long a controller waits before retrying a reconcile pass that failed (an API error, a conflict). */
  readonly retryMs: number;
}

/** Everything as soon as possible: for unit tests. */
export const INSTANT_SPEED: SimulationSpeed = {
  reactionMs: 0,
  containerStartMs: 0,
  bootstrapMs: 0,
  nodeReadyMs: 0,
  podReadyMs: 0,
  retryMs: 5,
};

/**
 * The order and overlap of a real run, compressed about a thousandfold (a machine takes ~0.5 s instead of
 * minutes): for tests of progress reporting, timeouts and concurrent waits.
 */
export const REALISTIC_SPEED: SimulationSpeed = {
  reactionMs: 10,
  containerStartMs: 150,
  bootstrapMs: 300,
  nodeReadyMs: 100,
  podReadyMs: 100,
  retryMs: 100,
};

/** A preset by name, or individual delays on top of the instant preset. */
export type SpeedOption = 'instant' | 'realistic' | Partial<SimulationSpeed>;

export function resolveSpeed(option: SpeedOption | undefined): SimulationSpeed {
  if (option === undefined || option === 'instant') return INSTANT_SPEED;
  if (option === 'realistic') return REALISTIC_SPEED;
  const speed = { ...INSTANT_SPEED, ...option };
  for (const [key, value] of Object.entries(speed)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`speed.${key}: ${String(value)} is not a delay (give milliseconds, 0 or more)`);
    }
  }
  return speed;
}
