/** Labels, annotations and names that `clusterctl move` and Cluster API give meaning to (see research/capi.md §1). */

/** On a CRD: clusterctl installed it, so move discovery lists its objects. */
export const CLUSTERCTL_LABEL = 'clusterctl.cluster.x-k8s.io';
/** On a CRD or an object: move it even without an ownerReference chain to a Cluster. */
export const MOVE_LABEL = 'clusterctl.cluster.x-k8s.io/move';
/** On a CRD or an object: move it and everything hanging off it through ownerReferences. */
export const MOVE_HIERARCHY_LABEL = 'clusterctl.cluster.x-k8s.io/move-hierarchy';
/** While present on an object to be moved, the move waits before creating anything in the target. */
export const BLOCK_MOVE_ANNOTATION = 'clusterctl.cluster.x-k8s.io/block-move';
/** Added to a source object just before it is deleted, so validating webhooks can tell a move from a delete. */
export const DELETE_FOR_MOVE_ANNOTATION = 'clusterctl.cluster.x-k8s.io/delete-for-move';
/** Pause marker on ClusterClasses (and an alternative one on Clusters). */
export const PAUSED_ANNOTATION = 'cluster.x-k8s.io/paused';
/** Machines of an external etcd cluster (EKS-A, etcdadm) never get a Node, so the nodeRef check skips them. */
export const ETCD_CLUSTER_LABEL = 'cluster.x-k8s.io/etcd-cluster';

/**
 * Ours: set on the source Clusters and ClusterClasses this library paused, so that a re-run after a crash can tell
 * its own pause from a user's (clusterctl refuses any paused object; we refuse only those we did not pause).
 */
export const PAUSED_BY_MOVE_ANNOTATION = 'move.eksa-iac.io/paused';
/**
 * Ours: set on every object created in the target, holding the source object's UID, so that a re-run recognises
 * (and adopts) what an interrupted run already created instead of duplicating or clobbering it.
 */
export const SOURCE_UID_ANNOTATION = 'move.eksa-iac.io/source-uid';

export const CORE_GROUP = 'cluster.x-k8s.io';
export const ADDONS_GROUP = 'addons.cluster.x-k8s.io';
export const CLUSTERCTL_GROUP = 'clusterctl.cluster.x-k8s.io';

/** Purposes of the `<cluster>-<purpose>` Secrets Cluster API names by convention (util/secret). */
export const CLUSTER_SECRET_PURPOSES: ReadonlySet<string> = new Set([
  'kubeconfig',
  'ca',
  'etcd',
  'sa',
  'proxy',
  // Listed for completeness: the name is split at the last dash, so this purpose never matches (see soft ownership).
  'apiserver-etcd-client',
]);

/** The CAPI contract this library speaks: the storage version of `clusters.cluster.x-k8s.io`. */
export const DEFAULT_CONTRACT = 'v1beta2';
