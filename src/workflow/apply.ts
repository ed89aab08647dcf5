import type { PhaseRun } from './phase-run';
import { isKubeApiError, isNotFound, isTransient } from '../kube/errors';
import type { KubeClient, KubeObject } from '../kube/types';
import { retryWithPolicy } from '../tools/retry-policy';

/** The field manager of every write of the workflow (server-side apply and merge patches). */
export const WORKFLOW_FIELD_MANAGER = 'eksa-iac';

/** Namespaces first, then CRDs, then everything else in the given order (as kubectl apply works a manifest). */
const KIND_RANK: Readonly<Record<string, number>> = { Namespace: 0, CustomResourceDefinition: 1 };

/** Errors an apply outgrows: webhooks not serving yet, CRDs not Established yet, a namespace on its way. */
function retryable(error: unknown): boolean {
  if (isTransient(error) || isNotFound(error)) return true;
  return (
    isKubeApiError(error) &&
    /failed calling webhook|connection refused|no endpoints available/.test(error.message)
  );
}

/**
 * Server-side applies objects (field manager `eksa-iac`, conflicts forced, as EKS-A's applier does), retrying for
 * up to the `applyMs` timeout while webhooks and CRDs come up. Applying an unchanged object is a no-op on the
 * server: no new generation, no change to reconcile.
 */
export async function applyObjects(
  run: PhaseRun,
  client: KubeClient,
  objects: readonly KubeObject[],
  what: string,
): Promise<KubeObject[]> {
  const ordered = objects
    .map((o, i) => ({ o, i, rank: KIND_RANK[o.kind] ?? 2 }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.o);
  const applied: KubeObject[] = [];
  for (const object of ordered) {
    const name = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
    applied.push(
      await retryWithPolicy(
        () => client.apply(object, { fieldManager: WORKFLOW_FIELD_MANAGER, force: true }),
        {
          name: `apply ${name} (${what})`,
          timeoutMs: run.timeouts.applyMs,
          initialDelayMs: 200,
          factor: 2,
          maxDelayMs: 2000,
          isRetryable: retryable,
        },
        {
          clock: run.site.clock,
          signal: run.site.signal,
          onRetry: (e) =>
            run.log.debug?.(`retrying apply of ${name}: ${String((e.error as Error)?.message)}`),
        },
      ),
    );
  }
  return applied;
}

/** Creates a namespace unless it exists (what `kubectl create namespace` does, tolerating AlreadyExists). */
export async function ensureNamespace(client: KubeClient, name: string): Promise<'created' | 'existed'> {
  const existing = await client.get({ apiVersion: 'v1', kind: 'Namespace', name });
  if (existing) return 'existed';
  try {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return 'created';
  } catch (error) {
    if (isKubeApiError(error) && error.statusCode === 409) return 'existed';
    throw error;
  }
}
