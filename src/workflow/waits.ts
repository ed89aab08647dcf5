import { describeState } from './capi-status';
import { WaitFailedError } from './errors';
import type { PhaseRun } from './phase-run';
import { isConditionTrue } from '../kube/conditions';
import { WaitTimeoutError, isTransient } from '../kube/errors';
import type { KubeClient, KubeObject, ObjectRef } from '../kube/types';

/** `Kind namespace/name`. */
export function refLabel(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/**
 * Waits (watch-driven) until `predicate` holds for the object, logging progress at the run's interval. A timeout
 * becomes a {@link WaitFailedError} with the object's last state.
 */
export async function waitForObject<T extends KubeObject = KubeObject>(
  run: PhaseRun,
  client: KubeClient,
  ref: ObjectRef,
  predicate: (object: T | undefined) => boolean,
  description: string,
  timeoutMs: number,
): Promise<T> {
  const waitedFor = `${refLabel(ref)}: ${description}`;
  run.log.info(`waiting up to ${Math.round(timeoutMs / 1000)}s for ${waitedFor}`);
  try {
    const found = await client.waitFor<T>(ref, predicate, run.waitOptions(description, timeoutMs));
    return found as T;
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      throw new WaitFailedError(
        waitedFor,
        describeState(error.lastObject as KubeObject | undefined),
        timeoutMs,
      );
    }
    throw error;
  }
}

/**
 * Polls `probe` every `pollIntervalMs` until it reports done, logging what it observes at the progress interval.
 * Transient API failures count as "not yet".
 */
export async function pollUntil(
  run: PhaseRun,
  waitedFor: string,
  timeoutMs: number,
  probe: () => Promise<{ readonly done: boolean; readonly observed: string }>,
): Promise<void> {
  const { clock } = run.site;
  const started = clock.now();
  let lastProgress = started;
  let observed = 'nothing observed yet';
  run.log.info(`waiting up to ${Math.round(timeoutMs / 1000)}s for ${waitedFor}`);
  for (;;) {
    try {
      const result = await probe();
      observed = result.observed;
      if (result.done) return;
    } catch (error) {
      if (!isTransient(error)) throw error;
      observed = `API not answering: ${(error as Error).message}`;
    }
    const now = clock.now();
    if (now - started >= timeoutMs) throw new WaitFailedError(waitedFor, observed, timeoutMs);
    if (now - lastProgress >= run.timeouts.progressIntervalMs) {
      lastProgress = now;
      run.log.info(
        `still waiting for ${waitedFor} (${Math.round((now - started) / 1000)}s elapsed): ${observed}`,
      );
    }
    await clock.sleep(Math.min(run.timeouts.pollIntervalMs, timeoutMs - (now - started)), run.site.signal);
  }
}

/** A Deployment to see Available. */
export interface DeploymentRef {
  readonly namespace: string;
  readonly name: string;
}

/**
 * Waits until each Deployment is Available, sharing one budget (EKS-A's `kubectl wait --timeout <remaining>`).
 */
export async function waitForDeployments(
  run: PhaseRun,
  client: KubeClient,
  deployments: readonly DeploymentRef[],
  timeoutMs: number,
): Promise<void> {
  const deadline = run.site.clock.now() + timeoutMs;
  for (const d of deployments) {
    const remaining = Math.max(1, deadline - run.site.clock.now());
    await waitForObject(
      run,
      client,
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: d.namespace, name: d.name },
      (o) => isConditionTrue(o, 'Available'),
      'condition Available',
      remaining,
    );
  }
}
