import type { ClusterConnection } from './cluster-connection';
import { capiClusterRef, type ManagerRole } from './locate-manager';
import type { PhaseRun, StepControl } from './phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from './prepare';
import { SOURCE_UID_ANNOTATION } from '../capi/move/constants';
import { moveClusterApi } from '../capi/move/move-cluster-api';
import { isKubeApiError } from '../kube/errors';
import type { KubeObject } from '../kube/types';

/** A cluster that may hold another cluster's CAPI objects. */
export interface HolderCandidate {
  readonly role: ManagerRole;
  readonly connection: ClusterConnection;
}

/** Where a cluster's CAPI objects are. */
export type CapiLocation =
  | { readonly state: 'held'; readonly holder: HolderCandidate; readonly cluster: KubeObject }
  /** Both hold the Cluster: a move between them was interrupted; `from` is the side it was moving away from. */
  | { readonly state: 'moving'; readonly from: HolderCandidate; readonly to: HolderCandidate }
  | { readonly state: 'absent' };

/**
 * Asks each candidate whether it holds the cluster's CAPI Cluster (never assumed from earlier state). When two do,
 * a move between them was interrupted, and its direction is read from the copies: the native mover marks each object
 * it creates with the source object's UID, so the side whose Cluster names the other's UID is the target.
 * @throws Error when two hold it and neither is a copy of the other (not a move of ours: a person must decide)
 */
export async function locateCapiObjects(
  prepared: PreparedCluster,
  candidates: readonly HolderCandidate[],
): Promise<CapiLocation> {
  const ref = capiClusterRef(prepared);
  const holders: { candidate: HolderCandidate; cluster: KubeObject }[] = [];
  for (const candidate of candidates) {
    let cluster: KubeObject | undefined;
    try {
      cluster = await candidate.connection.client.get(ref);
    } catch (error) {
      // CAPI is not installed there (404), or it does not answer (0): it holds nothing.
      if (isKubeApiError(error) && (error.statusCode === 404 || error.statusCode === 0)) continue;
      throw error;
    }
    if (cluster) holders.push({ candidate, cluster });
  }
  if (holders.length === 0) return { state: 'absent' };
  if (holders.length === 1) {
    return { state: 'held', holder: holders[0].candidate, cluster: holders[0].cluster };
  }
  const [a, b] = holders;
  const copyOf = (x: KubeObject, y: KubeObject) =>
    x.metadata.annotations?.[SOURCE_UID_ANNOTATION] !== undefined &&
    x.metadata.annotations[SOURCE_UID_ANNOTATION] === y.metadata.uid;
  if (copyOf(b.cluster, a.cluster)) return { state: 'moving', from: a.candidate, to: b.candidate };
  if (copyOf(a.cluster, b.cluster)) return { state: 'moving', from: b.candidate, to: a.candidate };
  throw new Error(
    `both the ${a.candidate.role} and the ${b.candidate.role} cluster hold Cluster ${EKSA_SYSTEM_NAMESPACE}/${prepared.clusterName}, ` +
      "and neither is a copy made by eksa-iac's move; decide which one manages the cluster and delete the other copy " +
      '(clusterctl move leaves no marker to tell them apart)',
  );
}

/**
 * Moves the cluster's CAPI objects with the native mover (`clusterctl move` semantics, EKS-A's `--filter-cluster`):
 * resumable — a re-run after a crash adopts what the first run created and finishes the deletes.
 */
export async function moveCapiObjects(
  run: PhaseRun,
  prepared: PreparedCluster,
  from: HolderCandidate,
  to: HolderCandidate,
  control: StepControl,
): Promise<void> {
  const result = await run.during(
    `the move of the CAPI objects from the ${from.role} to the ${to.role} cluster`,
    () =>
      moveClusterApi({
        from: from.connection.client,
        to: to.connection.client,
        namespace: EKSA_SYSTEM_NAMESPACE,
        clusterName: prepared.clusterName,
        onProgress: (line) => run.log.info(line),
      }),
  );
  control.note(`${from.role} → ${to.role}: ${result.summary}`);
}
