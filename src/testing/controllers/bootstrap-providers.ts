import { composeStatus, ConditionState, v1beta1Conditions } from './conditions';
import {
  clusterControlPlaneInitialized,
  clusterInfrastructureProvisioned,
  controlPlaneEndpoint,
  infraMachineProvisioned,
  owningCluster,
} from './facts';
import {
  CLUSTER_NAME_LABEL,
  contractOf,
  CONTROL_PLANE_LABEL,
  controllerOf,
  createOrGet,
  ETCD_CLUSTER_LABEL,
  isPaused,
  Json,
  KindRef,
  KINDS,
  ownerReference,
  readRef,
  Snapshot,
  writeStatus,
} from './objects';
import { Reconciler } from './reconciler';
import { KubeObject } from '../../kube/types';
import { BootstrapData, renderBootstrapData } from '../site/machine-boot';
import { SimulatedCluster } from '../site/simulated-cluster';
import { SiteRuntime } from '../site/site-runtime';

/**
 * What both simulated bootstrap providers share: a config owned by a Machine gets a bootstrap data Secret (named
 * like the config, type `cluster.x-k8s.io/secret`, keys `value` and `format`) once its cluster's infrastructure
 * is provisioned and, for joining members, once there is something to join; then `dataSecretName` and the ready
 * flag of its contract.
 */
abstract class BootstrapProvider extends Reconciler {
  protected constructor(
    name: string,
    runtime: SiteRuntime,
    cluster: SimulatedCluster,
    private readonly kind: KindRef,
    watches: readonly string[],
  ) {
    super(name, runtime, cluster, {
      local: [...watches, 'cluster.x-k8s.io/machines', 'cluster.x-k8s.io/clusters'],
    });
  }

  /** The data to write, or a reason to wait. */
  protected abstract bootstrapData(
    snap: Snapshot,
    config: KubeObject,
    machine: KubeObject,
    cluster: KubeObject,
  ): BootstrapData | { wait: string };

  protected async reconcile(): Promise<undefined> {
    const snap = await Snapshot.load(this.client, [this.kind]);
    // Configs whose data secret exists and whose status is current need nothing: skip reading the rest.
    const pending = snap.list(this.kind).filter((c) => {
      const status = (c.status as Json) ?? {};
      return (
        !status.dataSecretName ||
        (status.observedGeneration ?? c.metadata.generation) !== c.metadata.generation
      );
    });
    if (pending.length === 0) return undefined;
    await snap.extend(this.client, [KINDS.Cluster, KINDS.Machine, KINDS.EtcdadmCluster, KINDS.DockerMachine]);
    for (const config of pending) await this.reconcileConfig(snap, config);
    return undefined;
  }

  private async reconcileConfig(snap: Snapshot, config: KubeObject): Promise<void> {
    const owner = controllerOf(config);
    const machine =
      owner?.kind === 'Machine' ? snap.get(KINDS.Machine, config.metadata.namespace, owner.name) : undefined;
    if (!machine) return;
    const cluster = owningCluster(snap, machine);
    if (!cluster || isPaused(cluster, config)) return;
    const status = (config.status as Json) ?? {};
    let dataSecretName: string | undefined = status.dataSecretName;
    let waiting: string | undefined;
    if (!dataSecretName) {
      const data = this.bootstrapData(snap, config, machine, cluster);
      if ('wait' in data) {
        waiting = data.wait;
      } else {
        const secret = await createOrGet(this.client, {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'cluster.x-k8s.io/secret',
          metadata: {
            name: config.metadata.name,
            namespace: config.metadata.namespace,
            labels: { [CLUSTER_NAME_LABEL]: cluster.metadata.name! },
            ownerReferences: [ownerReference(config, true)],
          },
          data: {
            value: Buffer.from(renderBootstrapData(data)).toString('base64'),
            format: Buffer.from('cloud-config').toString('base64'),
          },
        });
        dataSecretName = secret.metadata.name;
      }
    }
    const ready = dataSecretName !== undefined;
    const dataCondition: ConditionState = ready
      ? { type: 'DataSecretAvailable', status: true }
      : { type: 'DataSecretAvailable', status: false, reason: waiting, message: waitMessage(waiting) };
    const readyCondition: ConditionState = { ...dataCondition, type: 'Ready' };
    await writeStatus(
      this.client,
      config,
      this.statusOf(config, ready, dataSecretName, readyCondition, dataCondition),
    );
  }

  /** The config's status in its API's shape. */
  protected statusOf(
    config: KubeObject,
    ready: boolean,
    dataSecretName: string | undefined,
    readyCondition: ConditionState,
    dataCondition: ConditionState,
  ): Json {
    const certificates: ConditionState = { type: 'CertificatesAvailable', status: true };
    return composeStatus(contractOf(config), config.status, {
      v1beta1: { ready, dataSecretName, observedGeneration: config.metadata.generation },
      v1beta2: {
        ...(ready ? { initialization: { dataSecretCreated: true } } : {}),
        dataSecretName,
        observedGeneration: config.metadata.generation,
      },
      v1beta1Conditions: [readyCondition, dataCondition, certificates],
      v1beta2Conditions: [
        readyCondition,
        dataCondition,
        certificates,
        { type: 'Paused', status: false, reason: 'NotPaused' },
      ],
      generation: config.metadata.generation,
    });
  }
}

function waitMessage(reason: string | undefined): string | undefined {
  switch (reason) {
    case 'WaitingForClusterInfrastructure':
      return 'waiting for the cluster infrastructure to be provisioned';
    case 'WaitingForControlPlaneAvailable':
      return 'waiting for the control plane to be initialized before joining';
    case 'WaitingForEtcdInit':
      return 'waiting for the first etcd member before joining';
    default:
      return undefined;
  }
}

/** The simulated kubeadm bootstrap provider (`capi-kubeadm-bootstrap-controller-manager`). */
export class KubeadmBootstrapController extends BootstrapProvider {
  public constructor(runtime: SiteRuntime, cluster: SimulatedCluster) {
    super('capi-kubeadm-bootstrap-controller-manager', runtime, cluster, KINDS.KubeadmConfig, [
      'bootstrap.cluster.x-k8s.io/kubeadmconfigs',
    ]);
  }

  protected bootstrapData(
    _snap: Snapshot,
    config: KubeObject,
    machine: KubeObject,
    cluster: KubeObject,
  ): BootstrapData | { wait: string } {
    const endpoint = controlPlaneEndpoint(cluster);
    if (!clusterInfrastructureProvisioned(cluster) || !endpoint) {
      return { wait: 'WaitingForClusterInfrastructure' };
    }
    const spec = (config.spec as Json) ?? {};
    const init = spec.initConfiguration !== undefined || spec.clusterConfiguration !== undefined;
    if (!init && !clusterControlPlaneInitialized(cluster)) return { wait: 'WaitingForControlPlaneAvailable' };
    const registration = (init ? spec.initConfiguration : spec.joinConfiguration)?.nodeRegistration ?? {};
    return {
      provider: 'kubeadm',
      phase: init ? 'init' : 'join',
      controlPlane: CONTROL_PLANE_LABEL in (machine.metadata.labels ?? {}),
      cluster: cluster.metadata.name!,
      controlPlaneEndpoint: endpoint,
      kubernetesVersion: (machine.spec as Json)?.version,
      nodeLabels: nodeLabelsOf(registration.kubeletExtraArgs),
      ...(Array.isArray(registration.taints) ? { taints: registration.taints } : {}),
    };
  }
}

/** The simulated etcdadm bootstrap provider (`etcdadm-bootstrap-provider-controller-manager`). */
export class EtcdadmBootstrapController extends BootstrapProvider {
  public constructor(runtime: SiteRuntime, cluster: SimulatedCluster) {
    super('etcdadm-bootstrap-provider-controller-manager', runtime, cluster, KINDS.EtcdadmConfig, [
      'bootstrap.cluster.x-k8s.io/etcdadmconfigs',
      'etcdcluster.cluster.x-k8s.io/etcdadmclusters',
      'infrastructure.cluster.x-k8s.io/dockermachines',
    ]);
  }

  /** etcdadm's API keeps CAPI's v1beta1 status shape in both its versions. */
  protected statusOf(
    config: KubeObject,
    ready: boolean,
    dataSecretName: string | undefined,
    readyCondition: ConditionState,
    dataCondition: ConditionState,
  ): Json {
    return {
      ready,
      ...(dataSecretName ? { dataSecretName } : {}),
      conditions: v1beta1Conditions((config.status as Json)?.conditions, [readyCondition, dataCondition]),
    };
  }

  protected bootstrapData(
    snap: Snapshot,
    _config: KubeObject,
    machine: KubeObject,
    cluster: KubeObject,
  ): BootstrapData | { wait: string } {
    if (!clusterInfrastructureProvisioned(cluster)) return { wait: 'WaitingForClusterInfrastructure' };
    const etcdName = machine.metadata.labels?.[ETCD_CLUSTER_LABEL];
    const siblings = snap
      .list(KINDS.Machine, machine.metadata.namespace)
      .filter(
        (m) =>
          etcdName !== undefined &&
          m.metadata.labels?.[ETCD_CLUSTER_LABEL] === etcdName &&
          m.metadata.uid !== machine.metadata.uid,
      );
    // The first member initializes; the others join once some member runs.
    const running = siblings.some((m) =>
      infraMachineProvisioned(
        snap.resolve(readRef((m.spec as Json)?.infrastructureRef, m.metadata.namespace!)),
      ),
    );
    const etcd = etcdName ? snap.get(KINDS.EtcdadmCluster, machine.metadata.namespace, etcdName) : undefined;
    const initialized = (etcd?.status as Json)?.initialized === true || running;
    if (siblings.length > 0 && !initialized) return { wait: 'WaitingForEtcdInit' };
    return {
      provider: 'etcdadm',
      phase: initialized ? 'join' : 'init',
      controlPlane: false,
      cluster: cluster.metadata.name!,
    };
  }
}

/** `node-labels` from kubelet arguments: a map (v1beta1) or a list of `{name, value}` (v1beta2). */
export function nodeLabelsOf(kubeletExtraArgs: Json): Record<string, string> | undefined {
  let value: string | undefined;
  if (Array.isArray(kubeletExtraArgs)) {
    value = kubeletExtraArgs.find((a: Json) => a?.name === 'node-labels')?.value;
  } else if (kubeletExtraArgs && typeof kubeletExtraArgs === 'object') {
    value = kubeletExtraArgs['node-labels'];
  }
  if (!value) return undefined;
  return Object.fromEntries(
    String(value)
      .split(',')
      .map((pair) => pair.trim())
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}
