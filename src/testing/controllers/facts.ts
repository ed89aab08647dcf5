import { conditionTrue } from './conditions';
import { CLUSTER_NAME_LABEL, Json, KINDS, readRef, Snapshot, TypedRef } from './objects';
import { KubeObject } from '../../kube/types';

// Contract-neutral readers of the status the simulated providers write: each looks for the field of either
// contract, so a provider of one contract can read an object of the other (a v1beta1 Cluster over a v1beta2
// DockerCluster, as EKS-A's pre-v1beta2 manifests have it).

const st = (o: KubeObject | undefined): Json => (o?.status as Json) ?? {};
const sp = (o: KubeObject | undefined): Json => (o?.spec as Json) ?? {};

export function infraClusterProvisioned(infra: KubeObject | undefined): boolean {
  return st(infra).initialization?.provisioned === true || st(infra).ready === true;
}

export function infraMachineProvisioned(infra: KubeObject | undefined): boolean {
  return st(infra).initialization?.provisioned === true || st(infra).ready === true;
}

export function bootstrapDataSecret(config: KubeObject | undefined): string | undefined {
  const status = st(config);
  const ready = status.initialization?.dataSecretCreated === true || status.ready === true;
  return ready && typeof status.dataSecretName === 'string' ? status.dataSecretName : undefined;
}

export function clusterInfrastructureProvisioned(cluster: KubeObject | undefined): boolean {
  return (
    st(cluster).initialization?.infrastructureProvisioned === true || st(cluster).infrastructureReady === true
  );
}

export function clusterControlPlaneInitialized(cluster: KubeObject | undefined): boolean {
  return (
    st(cluster).initialization?.controlPlaneInitialized === true ||
    conditionTrue(st(cluster), 'ControlPlaneInitialized')
  );
}

/** The control-plane endpoint as `host:port`, once the Cluster has one. */
export function controlPlaneEndpoint(cluster: KubeObject | undefined): string | undefined {
  const ep = sp(cluster).controlPlaneEndpoint;
  return ep?.host && ep?.port ? `${ep.host}:${ep.port}` : undefined;
}

export function machineInfrastructureReady(machine: KubeObject): boolean {
  return (
    st(machine).initialization?.infrastructureProvisioned === true || st(machine).infrastructureReady === true
  );
}

export function machineNodeName(machine: KubeObject): string | undefined {
  const name = st(machine).nodeRef?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** The machine's node exists and is Ready (NodeHealthy, in both contracts' conditions). */
export function machineNodeReady(machine: KubeObject): boolean {
  return machineNodeName(machine) !== undefined && conditionTrue(st(machine), 'NodeHealthy');
}

/** What the control plane reports, for the Cluster controller and MachineSet preflight checks. */
export interface ControlPlaneFacts {
  readonly initialized: boolean;
  /** At least one control-plane node is Ready. */
  readonly ready: boolean;
  readonly available: boolean;
  /** Every machine rolled out, ready and counted. */
  readonly fullyReady: boolean;
  readonly version?: string;
  readonly specVersion?: string;
  readonly replicas: number;
  readonly desired: number;
  readonly readyReplicas: number;
  readonly upToDateReplicas: number;
  readonly availableReplicas: number;
  /** The rollout is done and the version reported is the version asked for. */
  readonly stable: boolean;
}

export function controlPlaneFacts(kcp: KubeObject | undefined): ControlPlaneFacts | undefined {
  if (!kcp) return undefined;
  const status = st(kcp);
  const spec = sp(kcp);
  const observed = status.observedGeneration === kcp.metadata.generation;
  const replicas = status.replicas ?? 0;
  const desired = spec.replicas ?? 1;
  const readyReplicas = status.readyReplicas ?? 0;
  const upToDate = status.upToDateReplicas ?? status.updatedReplicas ?? 0;
  const initialized = status.initialization?.controlPlaneInitialized === true || status.initialized === true;
  const fullyReady =
    observed &&
    initialized &&
    replicas === desired &&
    readyReplicas === desired &&
    upToDate === desired &&
    status.version === spec.version;
  return {
    initialized,
    ready: readyReplicas > 0,
    available: conditionTrue(status, 'Available'),
    fullyReady,
    version: status.version,
    specVersion: spec.version,
    replicas,
    desired,
    readyReplicas,
    upToDateReplicas: upToDate,
    availableReplicas: status.availableReplicas ?? readyReplicas,
    stable:
      observed &&
      initialized &&
      replicas === desired &&
      upToDate === desired &&
      status.version === spec.version,
  };
}

export function etcdClusterReady(etcd: KubeObject | undefined): boolean {
  if (!etcd) return false;
  const status = st(etcd);
  return status.ready === true && (status.observedGeneration ?? 0) >= (etcd.metadata.generation ?? 0);
}

/** The CAPI Cluster an object belongs to: its owner Cluster, else the cluster-name label or `spec.clusterName`. */
export function owningCluster(snap: Snapshot, object: KubeObject): KubeObject | undefined {
  const ns = object.metadata.namespace;
  const owner = (object.metadata.ownerReferences ?? []).find(
    (r) => r.kind === 'Cluster' && r.apiVersion.startsWith('cluster.x-k8s.io/'),
  );
  const name = owner?.name ?? object.metadata.labels?.[CLUSTER_NAME_LABEL] ?? sp(object).clusterName;
  return name ? snap.get(KINDS.Cluster, ns, name) : undefined;
}

export function clusterRef(
  cluster: KubeObject,
  field: 'infrastructureRef' | 'controlPlaneRef' | 'managedExternalEtcdRef',
): TypedRef | undefined {
  return readRef(sp(cluster)[field], cluster.metadata.namespace!);
}

/** A Kubernetes version's minor number (`v1.31.2-eks-1-31-7` → 31). */
export function minorOf(version: string | undefined): number | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? Number(m[2]) : undefined;
}

/** `v1.31.2-eks-1-31-7` → `v1.31.2`: what `/version` of a cluster running that build reports. */
export function semverOf(version: string | undefined): string | undefined {
  const m = /^v?(\d+\.\d+\.\d+)/.exec(version ?? '');
  return m ? `v${m[1]}` : undefined;
}
