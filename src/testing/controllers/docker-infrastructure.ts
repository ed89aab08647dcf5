import { composeStatus, ConditionState } from './conditions';
import {
  clusterInfrastructureProvisioned,
  controlPlaneFacts,
  owningCluster,
  clusterRef,
  semverOf,
} from './facts';
import {
  contractOf,
  controllerOf,
  CONTROL_PLANE_LABEL,
  ensureFinalizer,
  isDeleting,
  isPaused,
  Json,
  KINDS,
  patchObject,
  removeFinalizer,
  Snapshot,
  writeStatus,
} from './objects';
import { Reconciler } from './reconciler';
import { KubeObject } from '../../kube/types';
import { bootMachine } from '../site/machine-boot';
import { SimulatedCluster } from '../site/simulated-cluster';
import { SiteRuntime } from '../site/site-runtime';

const CLUSTER_FINALIZER = 'dockercluster.infrastructure.cluster.x-k8s.io';
const MACHINE_FINALIZER = 'dockermachine.infrastructure.cluster.x-k8s.io';
/** The API server port inside the load balancer and control-plane containers. */
const API_PORT = 6443;

/** The version a new workload cluster's API server reports before any machine tells otherwise. */
const DEFAULT_WORKLOAD_VERSION = 'v1.31.0';

/**
 * The simulated Cluster API docker provider (`capd-controller-manager`): DockerClusters get a load-balancer
 * container `<cluster>-lb` publishing the API port on the host, which is where the workload cluster's simulated
 * API server listens (unreachable until the first control plane machine initializes), and a controlPlaneEndpoint
 * on the kind network; DockerMachines get a machine container once their bootstrap data exists, which then boots
 * (see machine-boot.ts). Deleting either removes its container; deleting the load balancer stops the workload
 * cluster's server. Existing containers are adopted, so a provider on a new management cluster (after a move)
 * takes over the same machines.
 */
export class DockerInfrastructureController extends Reconciler {
  public constructor(runtime: SiteRuntime, cluster: SimulatedCluster) {
    super('capd-controller-manager', runtime, cluster, {
      local: [
        'infrastructure.cluster.x-k8s.io/dockerclusters',
        'infrastructure.cluster.x-k8s.io/dockermachines',
        'cluster.x-k8s.io/clusters',
        'cluster.x-k8s.io/machines',
        '/secrets',
      ],
      containers: true,
    });
  }

  protected async reconcile(): Promise<number | undefined> {
    const snap = await Snapshot.load(this.client, [KINDS.DockerCluster, KINDS.DockerMachine]);
    if (snap.list(KINDS.DockerCluster).length + snap.list(KINDS.DockerMachine).length === 0) return undefined;
    await snap.extend(this.client, [KINDS.Cluster, KINDS.Machine, KINDS.KubeadmControlPlane]);
    const waits: number[] = [];
    for (const dc of snap.list(KINDS.DockerCluster)) {
      const wait = await this.reconcileDockerCluster(snap, dc);
      if (wait !== undefined) waits.push(wait);
    }
    for (const dm of snap.list(KINDS.DockerMachine)) {
      const wait = await this.reconcileDockerMachine(snap, dm);
      if (wait !== undefined) waits.push(wait);
    }
    return waits.length > 0 ? Math.min(...waits) : undefined;
  }

  private async reconcileDockerCluster(snap: Snapshot, dc: KubeObject): Promise<number | undefined> {
    const cluster = owningCluster(snap, dc);
    if (!cluster || !(dc.metadata.ownerReferences ?? []).some((r) => r.kind === 'Cluster')) return undefined;
    if (isPaused(cluster, dc)) return undefined;
    const name = cluster.metadata.name!;
    const lbName = `${name}-lb`;
    if (isDeleting(dc)) {
      if (this.runtime.docker.remove(lbName)) {
        const workload = this.runtime.cluster('workload', name);
        if (workload) await this.runtime.stopCluster(workload);
      }
      await removeFinalizer(this.client, dc, CLUSTER_FINALIZER);
      return undefined;
    }
    dc = await ensureFinalizer(this.client, dc, CLUSTER_FINALIZER);

    let lb = this.runtime.docker.get(lbName);
    if (!lb) {
      const kcp = snap.resolve(clusterRef(cluster, 'controlPlaneRef'));
      const version = semverOf(controlPlaneFacts(kcp)?.specVersion) ?? DEFAULT_WORKLOAD_VERSION;
      const workload =
        this.runtime.cluster('workload', name) ??
        (await this.runtime.startCluster({
          name,
          type: 'workload',
          kubernetesVersion: version,
          endpointContainer: lbName,
          builtInCni: false,
          startUnreachable: true,
        }));
      const spec = (dc.spec as Json) ?? {};
      lb = this.runtime.docker.run({
        name: lbName,
        image: `${spec.loadBalancer?.imageRepository ?? 'kindest'}/haproxy:${spec.loadBalancer?.imageTag ?? 'latest'}`,
        role: 'load-balancer',
        clusterName: name,
        ports: { [`${API_PORT}/tcp`]: { hostIp: '0.0.0.0', port: workload.server.port } },
        labels: { 'io.x-k8s.kind.cluster': name, 'io.x-k8s.kind.role': 'external-load-balancer' },
      });
      this.runtime.emit({ type: 'container', container: lb });
      this.timers.after(this.runtime.speed.containerStartMs, () => {
        const started = this.runtime.docker.setState(lbName, 'running');
        if (started) this.runtime.emit({ type: 'container', container: started });
      });
    }
    const endpoint = (dc.spec as Json)?.controlPlaneEndpoint;
    if (!endpoint?.host) {
      dc = await patchObject(this.client, dc, {
        spec: { controlPlaneEndpoint: { host: lb.ipAddress, port: API_PORT } },
      });
    }
    const running = lb.state !== 'created';
    const lbCondition: ConditionState = running
      ? { type: 'LoadBalancerAvailable', status: true }
      : {
          type: 'LoadBalancerAvailable',
          status: false,
          reason: 'LoadBalancerProvisioning',
          message: 'starting the load balancer container',
        };
    await writeStatus(
      this.client,
      dc,
      composeStatus(contractOf(dc), dc.status, {
        v1beta1: { ready: running },
        v1beta2: running ? { initialization: { provisioned: true } } : {},
        v1beta1Conditions: [{ ...lbCondition, type: 'Ready' }, lbCondition],
        v1beta2Conditions: [
          { ...lbCondition, type: 'Ready' },
          lbCondition,
          { type: 'Paused', status: false, reason: 'NotPaused' },
        ],
        generation: dc.metadata.generation,
      }),
    );
    return undefined;
  }

  private async reconcileDockerMachine(snap: Snapshot, dm: KubeObject): Promise<number | undefined> {
    const owner = controllerOf(dm);
    const machine =
      owner?.kind === 'Machine' ? snap.get(KINDS.Machine, dm.metadata.namespace, owner.name) : undefined;
    if (!machine) {
      if (isDeleting(dm)) await this.teardownMachine(dm);
      return undefined;
    }
    const cluster = owningCluster(snap, machine);
    if (isPaused(cluster, dm)) return undefined;
    const containerName = machineContainerName(cluster?.metadata.name ?? '', machine.metadata.name!);
    if (isDeleting(dm)) {
      await this.teardownMachine(dm, containerName);
      return undefined;
    }
    dm = await ensureFinalizer(this.client, dm, MACHINE_FINALIZER);
    const contract = contractOf(dm);
    const machineSpec = (machine.spec as Json) ?? {};
    const dataSecretName: string | undefined = machineSpec.bootstrap?.dataSecretName;
    const clusterReady = clusterInfrastructureProvisioned(cluster);

    let container = this.runtime.docker.get(containerName);
    let waiting: ConditionState | undefined;
    if (!container) {
      if (!clusterReady) {
        waiting = { type: 'ContainerProvisioned', status: false, reason: 'WaitingForClusterInfrastructure' };
      } else if (!dataSecretName) {
        waiting = { type: 'ContainerProvisioned', status: false, reason: 'WaitingForBootstrapData' };
      } else {
        const secret = await this.client.get({
          apiVersion: 'v1',
          kind: 'Secret',
          name: dataSecretName,
          namespace: dm.metadata.namespace,
        });
        const value = (secret?.data as Json)?.value;
        if (!value) {
          waiting = { type: 'ContainerProvisioned', status: false, reason: 'WaitingForBootstrapData' };
        } else {
          container = this.runtime.docker.run({
            name: containerName,
            image: (dm.spec as Json)?.customImage ?? 'kindest/node',
            role: 'machine',
            clusterName: cluster!.metadata.name!,
            labels: {
              'io.x-k8s.kind.cluster': cluster!.metadata.name!,
              'io.x-k8s.kind.role':
                CONTROL_PLANE_LABEL in (machine.metadata.labels ?? {}) ? 'control-plane' : 'worker',
            },
          });
          this.runtime.emit({ type: 'container', container });
          bootMachine(this.runtime, containerName, Buffer.from(String(value), 'base64').toString('utf8'));
        }
      }
    }
    const providerID = `docker:////${containerName}`;
    if (container && (dm.spec as Json)?.providerID !== providerID) {
      dm = await patchObject(this.client, dm, { spec: { providerID } });
    }
    const provisioned = container !== undefined && container.state !== 'created';
    const bootstrapped = container?.state === 'bootstrapped';
    const containerCondition: ConditionState = waiting ?? {
      type: 'ContainerProvisioned',
      status: provisioned,
      reason: provisioned ? undefined : 'ContainerStarting',
    };
    const bootCondition: ConditionState = {
      type: 'BootstrapExecSucceeded',
      status: bootstrapped,
      reason: bootstrapped ? undefined : 'BootstrappingNode',
    };
    const ready: ConditionState = {
      type: 'Ready',
      status: bootstrapped && provisioned,
      reason: bootstrapped ? undefined : (waiting?.reason ?? 'NotReady'),
    };
    const addresses = container
      ? [
          { type: 'Hostname', address: container.name },
          { type: 'InternalIP', address: container.ipAddress },
          { type: 'ExternalIP', address: container.ipAddress },
        ]
      : undefined;
    await writeStatus(
      this.client,
      dm,
      composeStatus(contract, dm.status, {
        v1beta1: { ready: bootstrapped, addresses },
        v1beta2: { ...(bootstrapped ? { initialization: { provisioned: true } } : {}), addresses },
        v1beta1Conditions: [ready, containerCondition, bootCondition],
        v1beta2Conditions: [
          ready,
          containerCondition,
          bootCondition,
          { type: 'Paused', status: false, reason: 'NotPaused' },
        ],
        generation: dm.metadata.generation,
      }),
    );
    return undefined;
  }

  private async teardownMachine(dm: KubeObject, containerName?: string): Promise<void> {
    const name = containerName ?? String((dm.spec as Json)?.providerID ?? '').replace('docker:////', '');
    const container = name ? this.runtime.docker.get(name) : undefined;
    if (container) {
      this.runtime.docker.remove(name);
      this.runtime.emit({ type: 'container', container });
    }
    await removeFinalizer(this.client, dm, MACHINE_FINALIZER);
  }
}

/** CAPD names a machine's container after the machine, prefixed with the cluster name unless it already is. */
export function machineContainerName(clusterName: string, machineName: string): string {
  return machineName.startsWith(`${clusterName}-`) ? machineName : `${clusterName}-${machineName}`;
}
