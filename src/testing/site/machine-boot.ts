import * as YAML from 'yaml';
import { SimulatedContainer } from './docker-engine';
import { SimulatedCluster } from './simulated-cluster';
import { SiteRuntime } from './site-runtime';
import { StoppedError } from './timers';
import { isAlreadyExists } from '../../kube/errors';
import { KubeObject } from '../../kube/types';
import { timestamp } from '../controllers/conditions';
import { Json } from '../controllers/objects';

/**
 * What the simulated bootstrap providers put in a machine's bootstrap data Secret, and what the simulated
 * machine "runs". It travels as a cloud-config document (the `simulated` key carries the facts), so the Secret
 * looks like the real one and the machine learns everything from it, as a real machine learns from cloud-init.
 */
export interface BootstrapData {
  readonly provider: 'kubeadm' | 'etcdadm';
  readonly phase: 'init' | 'join';
  readonly controlPlane: boolean;
  readonly cluster: string;
  /** `host:port` of the control-plane endpoint (kubeadm). */
  readonly controlPlaneEndpoint?: string;
  readonly kubernetesVersion?: string;
  /** From `--node-labels` in the kubelet arguments. */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /** From `nodeRegistration.taints`; undefined means kubeadm's default. */
  readonly taints?: readonly Json[];
}

/** The bootstrap data as the cloud-config text of the Secret's `value`. */
export function renderBootstrapData(data: BootstrapData): string {
  const command =
    data.provider === 'etcdadm'
      ? `etcdadm ${data.phase}`
      : `kubeadm ${data.phase} --config /run/kubeadm/kubeadm.yaml`;
  return `## template: jinja\n#cloud-config\n${YAML.stringify({
    runcmd: [command],
    simulated: data,
  })}`;
}

export function parseBootstrapData(text: string): BootstrapData {
  const doc = YAML.parse(text) as { simulated?: BootstrapData } | null;
  if (!doc?.simulated?.provider) {
    throw new Error('the bootstrap data was not written by a simulated bootstrap provider');
  }
  return doc.simulated;
}

const NO_CNI_MESSAGE =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** The Node a kubelet registers for a container. */
export function nodeFor(
  container: SimulatedContainer,
  options: {
    readonly controlPlane: boolean;
    readonly kubeletVersion: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly taints?: readonly Json[];
  },
): KubeObject {
  const defaultTaints = options.controlPlane
    ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]
    : [];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: container.name,
      labels: {
        'kubernetes.io/hostname': container.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...(options.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        ...options.labels,
      },
    },
    spec: {
      providerID: `docker:////${container.name}`,
      ...((options.taints ?? defaultTaints).length > 0 ? { taints: options.taints ?? defaultTaints } : {}),
    },
  };
}

/** The status a kubelet reports at registration: NotReady until a CNI is there, unless the cluster ships one. */
export function initialNodeStatus(
  container: SimulatedContainer,
  kubeletVersion: string,
  ready: boolean,
): Json {
  const now = timestamp();
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  return {
    conditions: [
      condition(
        'MemoryPressure',
        'False',
        'KubeletHasSufficientMemory',
        'kubelet has sufficient memory available',
      ),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      ready
        ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        : condition('Ready', 'False', 'KubeletNotReady', NO_CNI_MESSAGE),
    ],
    addresses: [
      { type: 'InternalIP', address: container.ipAddress },
      { type: 'Hostname', address: container.name },
    ],
    nodeInfo: {
      architecture: 'amd64',
      bootID: `simulated-${container.name}`,
      containerRuntimeVersion: 'containerd://1.7.24',
      kernelVersion: '6.8.0-simulated',
      kubeProxyVersion: kubeletVersion,
      kubeletVersion,
      machineID: `simulated-${container.name}`,
      operatingSystem: 'linux',
      osImage: 'Simulated Linux (eksa-iac testing)',
      systemUUID: `simulated-${container.name}`,
    },
  };
}

/** Registers a container's Node in a cluster over HTTP, as its kubelet does. */
export async function registerNode(
  runtime: SiteRuntime,
  cluster: SimulatedCluster,
  container: SimulatedContainer,
  options: Parameters<typeof nodeFor>[1],
): Promise<void> {
  const client = await runtime.client(cluster, 'kubelet');
  let node: KubeObject;
  try {
    node = await client.create(nodeFor(container, options));
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    return;
  }
  await client.updateStatus({
    ...node,
    status: initialNodeStatus(container, options.kubeletVersion, cluster.builtInCni),
  });
}

/**
 * Runs a machine container: it starts (`containerStartMs`), runs its bootstrap (`bootstrapMs`) and, for kubeadm,
 * brings up the API server behind the load balancer (init) or joins it, registering the machine's Node. Etcdadm
 * machines only become `bootstrapped` (their member is up). A container removed meanwhile just stops.
 */
export function bootMachine(runtime: SiteRuntime, containerName: string, bootstrapData: string): void {
  void (async () => {
    try {
      await runtime.timers.sleep(runtime.speed.containerStartMs);
      if (!setState(runtime, containerName, 'running')) return;
      const data = parseBootstrapData(bootstrapData);
      await runtime.timers.sleep(runtime.speed.bootstrapMs);
      let container = runtime.docker.get(containerName);
      if (!container) return;
      if (data.provider === 'kubeadm') {
        const cluster = workloadBehind(runtime, data.controlPlaneEndpoint);
        if (!cluster) {
          throw new Error(
            `kubeadm ${data.phase}: nothing answers at the control-plane endpoint ${data.controlPlaneEndpoint}`,
          );
        }
        if (data.phase === 'init') {
          cluster.setServing(true);
        } else {
          while (!cluster.serving) {
            await runtime.timers.sleep(Math.max(runtime.speed.retryMs, 1));
            if (!runtime.docker.get(containerName) || cluster.stopped) return;
          }
        }
        container = runtime.docker.get(containerName);
        if (!container) return;
        await registerNode(runtime, cluster, container, {
          controlPlane: data.controlPlane,
          kubeletVersion: data.kubernetesVersion ?? cluster.kubernetesVersion,
          labels: data.nodeLabels,
          taints: data.taints,
        });
      }
      setState(runtime, containerName, 'bootstrapped');
    } catch (error) {
      if (error instanceof StoppedError) return;
      runtime.recordError(`machine ${containerName}`, error);
    }
  })();
}

function setState(runtime: SiteRuntime, name: string, state: 'running' | 'bootstrapped'): boolean {
  const container = runtime.docker.setState(name, state);
  if (container) runtime.emit({ type: 'container', container });
  return container !== undefined;
}

/** The workload cluster whose load balancer has this `host:port` on the kind network. */
export function workloadBehind(
  runtime: SiteRuntime,
  endpoint: string | undefined,
): SimulatedCluster | undefined {
  if (!endpoint) return undefined;
  const host = endpoint.replace(/:\d+$/, '');
  const lb = runtime.docker.byAddress(host);
  return lb ? runtime.cluster('workload', lb.clusterName) : undefined;
}
