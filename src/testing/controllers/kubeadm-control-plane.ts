import { composeStatus, ConditionState, summary } from './conditions';
import {
  clusterInfrastructureProvisioned,
  clusterRef,
  controlPlaneEndpoint,
  etcdClusterReady,
  machineNodeName,
  machineNodeReady,
} from './facts';
import {
  CLONED_FROM_GROUPKIND,
  CLONED_FROM_NAME,
  CLUSTER_NAME_LABEL,
  Contract,
  contractOf,
  CONTROL_PLANE_LABEL,
  CONTROL_PLANE_NAME_LABEL,
  createOrGet,
  deleteIfPresent,
  ensureFinalizer,
  ETCD_CLUSTER_LABEL,
  isDeleting,
  isPaused,
  Json,
  KINDS,
  ownerReference,
  randomSuffix,
  readRef,
  removeFinalizer,
  Snapshot,
  stableJson,
  TypedRef,
  writeRef,
  writeStatus,
  writtenApiVersion,
} from './objects';
import { Reconciler } from './reconciler';
import { memberRolloutStep } from './rollout';
import { splitApiVersion } from '../../kube/api-version';
import { KubeObject } from '../../kube/types';
import { SimulatedCluster } from '../site/simulated-cluster';
import { SiteRuntime } from '../site/site-runtime';
import { LOOPBACK_TLS_CERTIFICATE, LOOPBACK_TLS_PRIVATE_KEY } from '../tls/loopback-certificate';

const FINALIZER = 'kubeadm.controlplane.cluster.x-k8s.io';
/** KCP records each machine's ClusterConfiguration here, to tell outdated machines. */
export const CLUSTER_CONFIGURATION_ANNOTATION = 'controlplane.cluster.x-k8s.io/kubeadm-cluster-configuration';

/**
 * The simulated kubeadm control-plane provider (`capi-kubeadm-control-plane-controller-manager`). Per
 * KubeadmControlPlane owned by a Cluster whose infrastructure is provisioned (and, with EKS-A's managed external
 * etcd, whose EtcdadmCluster is ready and not rolling): the cluster certificates and the `<cluster>-kubeconfig`
 * Secret (CAPI format, pointing at the control-plane endpoint), then machines one at a time (the first runs
 * `kubeadm init`), each with a KubeadmConfig and a DockerMachine cloned from the machine template. A change of
 * version, machine template or ClusterConfiguration rolls the machines within `maxSurge` (0 or 1). Status fields
 * and conditions follow the KubeadmControlPlane's contract. Deletion waits for the worker machines to go, then
 * deletes the control-plane machines.
 */
export class KubeadmControlPlaneController extends Reconciler {
  private readonly ensured = new Set<string>();
  public constructor(runtime: SiteRuntime, cluster: SimulatedCluster) {
    super('capi-kubeadm-control-plane-controller-manager', runtime, cluster, {
      local: [
        'controlplane.cluster.x-k8s.io/kubeadmcontrolplanes',
        'cluster.x-k8s.io/clusters',
        'cluster.x-k8s.io/machines',
        'infrastructure.cluster.x-k8s.io/dockermachines',
        'infrastructure.cluster.x-k8s.io/dockermachinetemplates',
        'etcdcluster.cluster.x-k8s.io/etcdadmclusters',
      ],
    });
  }

  protected async reconcile(): Promise<undefined> {
    const snap = await Snapshot.load(this.client, [KINDS.KubeadmControlPlane]);
    if (snap.list(KINDS.KubeadmControlPlane).length === 0) return undefined;
    await snap.extend(this.client, [
      KINDS.Cluster,
      KINDS.Machine,
      KINDS.DockerMachine,
      KINDS.DockerMachineTemplate,
      KINDS.EtcdadmCluster,
    ]);
    for (const kcp of snap.list(KINDS.KubeadmControlPlane)) await this.reconcileControlPlane(snap, kcp);
    return undefined;
  }

  private async reconcileControlPlane(snap: Snapshot, kcp: KubeObject): Promise<void> {
    const ownerName = (kcp.metadata.ownerReferences ?? []).find((r) => r.kind === 'Cluster')?.name;
    const cluster = ownerName ? snap.get(KINDS.Cluster, kcp.metadata.namespace, ownerName) : undefined;
    if (!cluster || isPaused(cluster, kcp)) return;
    const machines = snap
      .list(KINDS.Machine, kcp.metadata.namespace)
      .filter((m) =>
        (m.metadata.ownerReferences ?? []).some((r) => r.uid === kcp.metadata.uid && r.controller),
      );
    if (isDeleting(kcp)) {
      const workers = snap
        .list(KINDS.Machine, kcp.metadata.namespace)
        .filter(
          (m) =>
            (m.spec as Json)?.clusterName === cluster.metadata.name &&
            !(CONTROL_PLANE_LABEL in (m.metadata.labels ?? {})) &&
            !(ETCD_CLUSTER_LABEL in (m.metadata.labels ?? {})),
        );
      if (workers.length === 0) {
        for (const m of machines) await deleteIfPresent(this.client, m);
        if (machines.length === 0) await removeFinalizer(this.client, kcp, FINALIZER);
      }
      return;
    }
    kcp = await ensureFinalizer(this.client, kcp, FINALIZER);

    const contract = contractOf(kcp);
    const spec = (kcp.spec as Json) ?? {};
    const desired: number = spec.replicas ?? 1;
    const templateRef = readRef(
      contract === 'v1beta2'
        ? spec.machineTemplate?.spec?.infrastructureRef
        : spec.machineTemplate?.infrastructureRef,
      kcp.metadata.namespace!,
    );
    const clusterConfiguration = stableJson(spec.kubeadmConfigSpec?.clusterConfiguration ?? {});
    const isOutdated = (m: KubeObject): boolean => {
      const infra = snap.resolve(readRef((m.spec as Json)?.infrastructureRef, m.metadata.namespace!));
      return (
        (m.spec as Json)?.version !== spec.version ||
        infra?.metadata.annotations?.[CLONED_FROM_NAME] !== templateRef?.name ||
        m.metadata.annotations?.[CLUSTER_CONFIGURATION_ANNOTATION] !== clusterConfiguration
      );
    };

    let waiting: ConditionState | undefined;
    const endpoint = controlPlaneEndpoint(cluster);
    const etcdRef = clusterRef(cluster, 'managedExternalEtcdRef');
    if (!clusterInfrastructureProvisioned(cluster) || !endpoint) {
      waiting = { type: 'Available', status: false, reason: 'WaitingForInfrastructure' };
    } else if (etcdRef && !etcdClusterReady(snap.resolve(etcdRef))) {
      // EKS-A's Cluster API build holds the control plane while its managed external etcd is not ready.
      waiting = {
        type: 'Available',
        status: false,
        reason: 'WaitingForExternalEtcd',
        message: `waiting for EtcdadmCluster ${etcdRef.name} to be ready`,
      };
    } else if (!(await this.ensureSecrets(cluster, kcp, endpoint, etcdRef !== undefined))) {
      waiting = { type: 'Available', status: false, reason: 'WaitingForLoadBalancer' };
    } else {
      const template = snap.resolve(templateRef);
      const rolling = contract === 'v1beta2' ? spec.rollout?.strategy : spec.rolloutStrategy;
      const surge = rolling?.rollingUpdate?.maxSurge;
      // KCP accepts 0 or 1; 0 only with 3 or more replicas.
      const maxSurge = desired < 3 ? 1 : Math.min(1, Math.max(0, typeof surge === 'number' ? surge : 1));
      const step = memberRolloutStep({
        machines,
        desired,
        maxSurge,
        isOutdated,
        isJoined: (m) => machineNodeName(m) !== undefined,
      });
      if (step && 'create' in step) {
        if (!template) {
          waiting = { type: 'Available', status: false, reason: 'WaitingForMachineTemplate' };
        } else {
          await this.createMachine(snap, cluster, kcp, contract, template, step.create, clusterConfiguration);
        }
      } else if (step && 'delete' in step) {
        await deleteIfPresent(this.client, step.delete);
      }
    }
    await this.writeControlPlaneStatus(kcp, cluster, contract, machines, desired, isOutdated, waiting);
  }

  private async writeControlPlaneStatus(
    kcp: KubeObject,
    cluster: KubeObject,
    contract: Contract,
    machines: KubeObject[],
    desired: number,
    isOutdated: (m: KubeObject) => boolean,
    waiting: ConditionState | undefined,
  ): Promise<void> {
    const previous = (kcp.status as Json) ?? {};
    const initialized =
      previous.initialization?.controlPlaneInitialized === true ||
      previous.initialized === true ||
      machines.some((m) => machineNodeName(m) !== undefined);
    const replicas = machines.length;
    const upToDate = machines.filter((m) => !isOutdated(m)).length;
    const ready = machines.filter(machineNodeReady).length;
    const outdated = replicas - upToDate;
    const versions = machines.map((m) => String((m.spec as Json)?.version ?? '')).filter((v) => v !== '');
    const version = versions.sort(compareVersions)[0];
    const selector = `${CLUSTER_NAME_LABEL}=${cluster.metadata.name},${CONTROL_PLANE_LABEL}`;
    const generation = kcp.metadata.generation;

    const available: ConditionState = initialized
      ? { type: 'Available', status: true }
      : (waiting ?? { type: 'Available', status: false, reason: 'WaitingForKubeadmInit' });
    const certificates: ConditionState = { type: 'CertificatesAvailable', status: initialized || !waiting };
    const machinesReady: ConditionState =
      replicas > 0 && ready === replicas
        ? { type: 'MachinesReady', status: true }
        : {
            type: 'MachinesReady',
            status: false,
            reason: 'NodeNotReady',
            message: `${ready} of ${replicas} machines have a Ready node`,
          };
    const upToDateCondition: ConditionState =
      outdated === 0
        ? { type: 'MachinesSpecUpToDate', status: true }
        : {
            type: 'MachinesSpecUpToDate',
            status: false,
            reason: 'RollingUpdateInProgress',
            severity: 'Warning',
            message: `Rolling ${outdated} replicas with outdated spec (${upToDate} replicas up to date)`,
          };
    const resized: ConditionState =
      replicas === desired
        ? { type: 'Resized', status: true }
        : {
            type: 'Resized',
            status: false,
            reason: replicas < desired ? 'ScalingUp' : 'ScalingDown',
            severity: 'Warning',
            message: `Scaling ${replicas < desired ? 'up' : 'down'} control plane to ${desired} replicas (actual ${replicas})`,
          };
    const healthy = (type: string): ConditionState => ({
      type,
      status: initialized,
      reason: initialized ? undefined : 'WaitingForKubeadmInit',
    });
    const v1beta1Set = [
      summary('Ready', [machinesReady, resized, upToDateCondition, available, certificates]),
      available,
      certificates,
      machinesReady,
      upToDateCondition,
      resized,
      healthy('ControlPlaneComponentsHealthy'),
      healthy('EtcdClusterHealthy'),
    ];
    const v1beta2Set: ConditionState[] = [
      available,
      { type: 'Initialized', status: initialized, reason: initialized ? undefined : 'NotInitialized' },
      certificates,
      healthy('EtcdClusterHealthy'),
      healthy('ControlPlaneComponentsHealthy'),
      { ...machinesReady },
      {
        type: 'MachinesUpToDate',
        status: outdated === 0,
        reason: outdated === 0 ? undefined : 'NotUpToDate',
      },
      { type: 'RollingOut', status: outdated > 0, reason: outdated > 0 ? 'RollingOut' : 'NotRollingOut' },
      {
        type: 'ScalingUp',
        status: replicas < desired,
        reason: replicas < desired ? 'ScalingUp' : 'NotScalingUp',
      },
      {
        type: 'ScalingDown',
        status: replicas > desired,
        reason: replicas > desired ? 'ScalingDown' : 'NotScalingDown',
      },
      { type: 'Remediating', status: false, reason: 'NotRemediating' },
      { type: 'Deleting', status: false, reason: 'NotDeleting' },
      { type: 'Paused', status: false, reason: 'NotPaused' },
    ];
    await writeStatus(
      this.client,
      kcp,
      composeStatus(contract, previous, {
        v1beta1: {
          initialized,
          ready: ready > 0,
          replicas,
          updatedReplicas: upToDate,
          readyReplicas: ready,
          unavailableReplicas: replicas - ready,
          version,
          selector,
          observedGeneration: generation,
        },
        v1beta1Extra: { readyReplicas: ready, availableReplicas: ready, upToDateReplicas: upToDate },
        v1beta2: {
          ...(initialized ? { initialization: { controlPlaneInitialized: true } } : {}),
          replicas,
          readyReplicas: ready,
          availableReplicas: ready,
          upToDateReplicas: upToDate,
          version,
          selector,
          observedGeneration: generation,
        },
        v1beta2Deprecated: {
          readyReplicas: ready,
          updatedReplicas: upToDate,
          unavailableReplicas: replicas - ready,
        },
        v1beta1Conditions: v1beta1Set,
        v1beta2Conditions: v1beta2Set,
        generation,
      }),
    );
  }

  private async createMachine(
    snap: Snapshot,
    cluster: KubeObject,
    kcp: KubeObject,
    contract: Contract,
    template: KubeObject,
    phase: 'init' | 'join',
    clusterConfiguration: string,
  ): Promise<void> {
    const ns = kcp.metadata.namespace!;
    const clusterName = cluster.metadata.name!;
    const name = `${kcp.metadata.name}-${randomSuffix()}`;
    const labels = {
      [CLUSTER_NAME_LABEL]: clusterName,
      [CONTROL_PLANE_LABEL]: '',
      [CONTROL_PLANE_NAME_LABEL]: kcp.metadata.name!,
    };
    const owner = [ownerReference(kcp, true)];
    const spec = (kcp.spec as Json) ?? {};
    const configSpec: Json = structuredClone(spec.kubeadmConfigSpec ?? {});
    if (phase === 'init') {
      delete configSpec.joinConfiguration;
      configSpec.initConfiguration ??= {};
      configSpec.clusterConfiguration ??= {};
    } else {
      delete configSpec.initConfiguration;
      delete configSpec.clusterConfiguration;
      configSpec.joinConfiguration = {
        ...configSpec.joinConfiguration,
        controlPlane: configSpec.joinConfiguration?.controlPlane ?? {},
      };
    }
    const config = await createOrGet(this.client, {
      apiVersion: `bootstrap.cluster.x-k8s.io/${contract}`,
      kind: 'KubeadmConfig',
      metadata: { name, namespace: ns, labels, ownerReferences: owner },
      spec: configSpec,
    });
    const templateSpec = (template.spec as Json)?.template ?? {};
    const infra = await createOrGet(this.client, {
      apiVersion: writtenApiVersion(template),
      kind: 'DockerMachine',
      metadata: {
        name,
        namespace: ns,
        labels: { ...templateSpec.metadata?.labels, ...labels },
        annotations: {
          ...templateSpec.metadata?.annotations,
          [CLONED_FROM_NAME]: template.metadata.name!,
          [CLONED_FROM_GROUPKIND]: `DockerMachineTemplate.${splitApiVersion(template.apiVersion).group}`,
        },
        ownerReferences: owner,
      },
      spec: structuredClone(templateSpec.spec ?? {}),
    });
    const machineTemplate = contract === 'v1beta2' ? spec.machineTemplate : spec.machineTemplate;
    const machine = await createOrGet(this.client, {
      apiVersion: `cluster.x-k8s.io/${contract}`,
      kind: 'Machine',
      metadata: {
        name,
        namespace: ns,
        labels: { ...machineTemplate?.metadata?.labels, ...labels },
        annotations: {
          ...machineTemplate?.metadata?.annotations,
          [CLUSTER_CONFIGURATION_ANNOTATION]: clusterConfiguration,
        },
        ownerReferences: owner,
      },
      spec: {
        clusterName,
        version: spec.version,
        bootstrap: { configRef: writeRef(contract, config) },
        infrastructureRef: writeRef(contract, infra),
      },
    });
    snap.put(machine, KINDS.Machine);
    snap.put(infra, KINDS.DockerMachine);
  }

  /** The cluster certificates and the kubeconfig Secret; false while the workload cluster is not there yet. */
  private async ensureSecrets(
    cluster: KubeObject,
    kcp: KubeObject,
    endpoint: string,
    externalEtcd: boolean,
  ): Promise<boolean> {
    const clusterName = cluster.metadata.name!;
    const workload = this.runtime.cluster('workload', clusterName);
    if (!workload) return false;
    const ns = kcp.metadata.namespace!;
    const base = (purpose: string, data: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'cluster.x-k8s.io/secret',
      metadata: {
        name: `${clusterName}-${purpose}`,
        namespace: ns,
        labels: { [CLUSTER_NAME_LABEL]: clusterName },
        ownerReferences: [ownerReference(kcp, true)],
      },
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    });
    const keyPair = { 'tls.crt': LOOPBACK_TLS_CERTIFICATE, 'tls.key': LOOPBACK_TLS_PRIVATE_KEY };
    const purposes = ['ca', 'sa', 'proxy', ...(externalEtcd ? [] : ['etcd'])];
    const wanted = [
      ...purposes.map((p) => base(p, keyPair)),
      base('kubeconfig', {
        value: workload.server.kubeconfig({ clusterName, server: `https://${endpoint}` }),
      }),
    ];
    for (const secret of wanted) {
      const key = `${kcp.metadata.uid}/${secret.metadata.name}`;
      if (this.ensured.has(key)) continue;
      await createOrGet(this.client, secret);
      this.ensured.add(key);
    }
    return true;
  }
}

/** Orders Kubernetes versions (`v1.30.2-eks-…` < `v1.31.0-…`) numerically. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => (/^v?(\d+)\.(\d+)\.(\d+)/.exec(v) ?? [0, 0, 0, 0]).slice(1).map(Number);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return a.localeCompare(b);
}

export type { TypedRef };
