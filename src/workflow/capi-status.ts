import { conditionsOf, isConditionTrue, summarizeConditions } from '../kube/conditions';
import type { KubeObject } from '../kube/types';
import type { CapiContract } from '../manifests/contract';

/**
 * The readiness signals the workflow waits on (research/capi.md §5), read the way the contract's API reports them:
 * v1beta2 has `status.initialization.*` and the conditions `Available`, `ControlPlaneAvailable`; v1beta1 has the
 * older condition set (`Ready`, `ControlPlaneReady`, EKS-A's `ManagedEtcdReady`).
 */
interface Status {
  readonly initialization?: {
    readonly controlPlaneInitialized?: boolean;
    readonly infrastructureProvisioned?: boolean;
  };
  readonly controlPlaneReady?: boolean;
  readonly phase?: string;
  readonly ready?: boolean;
  readonly replicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly upToDateReplicas?: number;
  readonly updatedReplicas?: number;
  readonly nodeRef?: { readonly name?: string };
}

function statusOf(o: KubeObject | undefined): Status {
  return (o?.status ?? {}) as Status;
}

function specReplicas(o: KubeObject | undefined): number | undefined {
  return (o?.spec as { replicas?: number } | undefined)?.replicas;
}

/** The control plane answers: kubeconfig and CNI can follow. */
export function controlPlaneInitialized(cluster: KubeObject | undefined, contract: CapiContract): boolean {
  if (!cluster) return false;
  if (contract === 'v1beta2' && statusOf(cluster).initialization?.controlPlaneInitialized === true) {
    return true;
  }
  return isConditionTrue(cluster, 'ControlPlaneInitialized');
}

/** The Cluster is Available (v1beta2) / Ready (v1beta1): EKS-A's gate before the move. */
export function clusterAvailable(cluster: KubeObject | undefined, contract: CapiContract): boolean {
  return isConditionTrue(cluster, contract === 'v1beta2' ? 'Available' : 'Ready');
}

/** The condition name {@link clusterAvailable} reads. */
export function availableCondition(contract: CapiContract): string {
  return contract === 'v1beta2' ? 'Available' : 'Ready';
}

/** The etcdadm cluster's members are up (`status.ready`, which the etcdadm controller sets). */
export function etcdReady(etcdadmCluster: KubeObject | undefined): boolean {
  return statusOf(etcdadmCluster).ready === true;
}

/** `Provisioned`: CAPI's phase once infrastructure and control plane are up (the bootstrap delete guard). */
export function isProvisioned(cluster: KubeObject): boolean {
  return statusOf(cluster).phase === 'Provisioned';
}

/** The Machine has a Kubernetes node. */
export function hasNode(machine: KubeObject): boolean {
  return typeof statusOf(machine).nodeRef?.name === 'string' && statusOf(machine).nodeRef!.name !== '';
}

/** Every desired replica is ready (a KubeadmControlPlane or MachineDeployment). */
export function replicasReady(o: KubeObject | undefined): boolean {
  if (!o) return false;
  const desired = specReplicas(o) ?? 1;
  return (statusOf(o).readyReplicas ?? 0) >= desired;
}

/** A one-line summary of an object's state for progress and timeout messages. */
export function describeState(o: KubeObject | undefined): string {
  if (!o) return 'the object does not exist';
  const s = statusOf(o);
  const parts: string[] = [];
  if (s.phase) parts.push(`phase ${s.phase}`);
  if (s.initialization) parts.push(`initialization ${JSON.stringify(s.initialization)}`);
  if (specReplicas(o) !== undefined) {
    parts.push(`replicas ${s.readyReplicas ?? 0}/${specReplicas(o)} ready`);
  }
  if (s.ready !== undefined) parts.push(`ready ${s.ready}`);
  parts.push(summarizeConditions(conditionsOf(o)));
  return parts.join(', ');
}
