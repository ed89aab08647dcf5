/**
 * The Cluster API contract a management cluster speaks. `v1beta2` is CAPI ≥ 1.11 (EKS-A ≥ v0.25); `v1beta1` is
 * older management clusters. The same cluster renders in either API's shape.
 */
export type CapiContract = 'v1beta1' | 'v1beta2';

/** Every supported contract. */
export const CAPI_CONTRACTS: readonly CapiContract[] = ['v1beta1', 'v1beta2'];

/** The contract used when none is given. */
export const DEFAULT_CAPI_CONTRACT: CapiContract = 'v1beta2';

/** True when `value` names a supported contract. */
export function isCapiContract(value: unknown): value is CapiContract {
  return value === 'v1beta1' || value === 'v1beta2';
}

/** API groups of the objects a cluster renders. */
export const CAPI_GROUPS = {
  core: 'cluster.x-k8s.io',
  bootstrap: 'bootstrap.cluster.x-k8s.io',
  controlPlane: 'controlplane.cluster.x-k8s.io',
  infrastructure: 'infrastructure.cluster.x-k8s.io',
  etcd: 'etcdcluster.cluster.x-k8s.io',
} as const;

/** Namespace of every CAPI object EKS-A generates. */
export const CAPI_NAMESPACE = 'eksa-system';

/** apiVersion of the core, bootstrap and control-plane kinds under a contract (they move together). */
export function capiApiVersion(group: 'core' | 'bootstrap' | 'controlPlane', contract: CapiContract): string {
  return `${CAPI_GROUPS[group]}/${contract}`;
}

/** The etcdadm controller serves one API version under both contracts. */
export const ETCDADM_API_VERSION = `${CAPI_GROUPS.etcd}/v1beta1`;
