import type { ClusterConnection, KubeconfigSource } from './cluster-connection';
import type { PhaseRun } from './phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from './prepare';
import { isKubeApiError } from '../kube/errors';
import { NO_RETRY } from '../kube/retry';
import type { KubeObject, ObjectRef } from '../kube/types';
import { capiApiVersion } from '../manifests/contract';

/** Which cluster holds a cluster's CAPI objects. */
export type ManagerRole =
  /** The kind bootstrap cluster (a management cluster being created, or deleted). */
  | 'bootstrap'
  /** The cluster itself (a management cluster after the move). */
  | 'self'
  /** Another management cluster (a workload cluster). */
  | 'management';

export interface ManagerCandidate {
  readonly role: ManagerRole;
  readonly source: KubeconfigSource;
}

export interface LocatedManager {
  readonly role: ManagerRole;
  readonly source: KubeconfigSource;
  readonly connection: ClusterConnection;
  /** The CAPI Cluster found there; undefined when no candidate held it and the default was taken. */
  readonly cluster?: KubeObject;
}

/** The CAPI Cluster object of a prepared cluster. */
export function capiClusterRef(prepared: PreparedCluster): ObjectRef {
  return {
    apiVersion: capiApiVersion('core', prepared.contract),
    kind: 'Cluster',
    namespace: EKSA_SYSTEM_NAMESPACE,
    name: prepared.clusterName,
  };
}

/**
 * Finds the cluster that manages `prepared` now, by asking each candidate in turn whether it holds the CAPI
 * Cluster (the answer is never taken from earlier state: a crash, a move or a delete may have changed it).
 * Unreachable candidates (a deleted kind cluster whose kubeconfig lingers) are passed over. When none holds it,
 * the first candidate with role `fallback` is used, if it is reachable.
 */
export async function locateManager(
  run: PhaseRun,
  prepared: PreparedCluster,
  candidates: readonly ManagerCandidate[],
  fallback?: ManagerRole,
): Promise<LocatedManager | undefined> {
  const ref = capiClusterRef(prepared);
  const reachable: ManagerCandidate[] = [];
  for (const candidate of candidates) {
    const probe = await probeCluster(run, candidate.source, ref);
    if (probe === 'unreachable') {
      run.log.debug?.(`${candidate.role} cluster not reachable; not a candidate manager`);
      continue;
    }
    reachable.push(candidate);
    if (probe) {
      const connection = await run.connect(candidate.role, candidate.source);
      return { ...candidate, connection, cluster: probe };
    }
  }
  const chosen = reachable.find((c) => c.role === fallback);
  if (!chosen) return undefined;
  return { ...chosen, connection: await run.connect(chosen.role, chosen.source) };
}

/** The CAPI Cluster in that cluster, undefined when it is not there, 'unreachable' when the API does not answer. */
export async function probeCluster(
  run: PhaseRun,
  source: KubeconfigSource,
  ref: ObjectRef,
): Promise<KubeObject | undefined | 'unreachable'> {
  let connection: ClusterConnection;
  try {
    connection = await run.site.connect(source, { retry: { read: NO_RETRY } });
  } catch (error) {
    // A missing or unreadable kubeconfig file: no cluster there to ask.
    run.log.debug?.(`cannot load kubeconfig: ${(error as Error).message}`);
    return 'unreachable';
  }
  try {
    return await connection.client.get(ref);
  } catch (error) {
    if (isKubeApiError(error) && error.statusCode === 0) return 'unreachable';
    // The Cluster kind is not served: CAPI is not installed there.
    if (isKubeApiError(error) && error.statusCode === 404) return undefined;
    throw error;
  } finally {
    connection.close();
  }
}

/** The kubeconfig files of the cluster itself, in the order they are most likely current. */
export async function ownKubeconfigSources(
  run: PhaseRun,
  prepared: PreparedCluster,
): Promise<KubeconfigSource[]> {
  const out: KubeconfigSource[] = [];
  for (const file of [prepared.paths.kubeconfig, prepared.paths.generatedKubeconfig]) {
    if (await run.site.files.exists(file)) out.push({ file });
  }
  return out;
}
