/**
 * What the simulated providers do besides the happy path: a stopped controller and failing requests surface as the
 * workflow's own code would see them (a wait that times out with the last conditions, a provider that retries),
 * `spec.paused` holds everything, MachineHealthChecks are accepted, and `clusterctl move` hands a cluster to the
 * providers of another management cluster (EKS-A's self-managed pivot) without touching its machines.
 */
import { writeFileSync } from 'node:fs';
import {
  applyAll,
  bootstrapCluster,
  conditionOf,
  connect,
  installCilium,
  workloadKubeconfig,
  workspace,
  writeLayout,
  initProviders,
  writeKubeconfig,
  eksaProviders,
} from './fixture';
import { synthDocker } from './synth';
import { HttpKubeClient, WaitTimeoutError } from '../../../src/kube';
import type { KubeObject } from '../../../src/kube';
import { createSimulatedSite, INSTANT_SPEED, SimulatedSite } from '../../../src/testing';
import { moveWithRetry, ToolError } from '../../../src/tools';

jest.setTimeout(180_000);

const NS = 'eksa-system';
const small = (name: string) =>
  synthDocker({ name, kubernetesVersion: '1.31', contract: 'v1beta2', controlPlane: 1, etcd: 0, workers: 1 });
const ref = (kind: string, name: string, apiVersion = 'cluster.x-k8s.io/v1beta2') => ({
  apiVersion,
  kind,
  name,
  namespace: NS,
});
const infraProvisioned = (c: KubeObject | undefined) =>
  (c?.status as any)?.initialization?.infrastructureProvisioned === true;
const available = (c: KubeObject | undefined) => conditionOf(c, 'Available') === 'True';

let site: SimulatedSite;
let ws: ReturnType<typeof workspace>;
const clients: HttpKubeClient[] = [];
beforeEach(async () => {
  site = await createSimulatedSite();
  ws = workspace();
});
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await site.close();
  ws.remove();
});

test('a stopped controller: the wait times out with the last observed conditions, its Deployment is unavailable, and it resumes when started', async () => {
  const { client } = await bootstrapCluster(site, ws, 'stop');
  clients.push(client);
  await site.stopController('stop-eks-a-cluster', 'capd-controller-manager');
  const capd = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'capd-controller-manager',
    namespace: 'capd-system',
  };
  await client.waitFor(capd, (d) => conditionOf(d, 'Available') === 'False', { timeoutMs: 10_000 });
  await applyAll(client, await small('stop'));
  const error = await client
    .waitFor(ref('Cluster', 'stop'), infraProvisioned, {
      timeoutMs: 1_500,
      description: 'infrastructure provisioned',
    })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WaitTimeoutError);
  expect((error as Error).message).toContain('InfrastructureReady=False (WaitingForInfrastructure');
  expect(site.containers().filter((c) => c.clusterName === 'stop')).toEqual([]);

  await site.startController('stop-eks-a-cluster', 'capd-controller-manager');
  await client.waitFor(capd, (d) => conditionOf(d, 'Available') === 'True', { timeoutMs: 10_000 });
  await client.waitFor(ref('Cluster', 'stop'), infraProvisioned, { timeoutMs: 30_000 });
  expect(site.containers().map((c) => c.name)).toContain('stop-lb');
});

test('failed requests: a provider whose status writes fail retries them, and the failures are what the request log and errors show', async () => {
  const { client } = await bootstrapCluster(site, ws, 'flaky');
  clients.push(client);
  const server = site.apiServer('flaky-eks-a-cluster');
  const fault = server.faults.add({
    method: 'PATCH',
    path: '/apis/infrastructure.cluster.x-k8s.io/*/namespaces/*/dockerclusters/*/status',
    status: 500,
    message: 'etcdserver: request timed out',
    nth: 1,
    times: 3,
  });
  await applyAll(client, await small('flaky'));
  await client.waitFor(ref('Cluster', 'flaky'), infraProvisioned, { timeoutMs: 30_000 });
  expect(fault.injected).toBe(3);
  expect(server.requests.count({ method: 'PATCH', status: 500 })).toBe(3);
  // The controller's client retried within a pass (3 attempts), the pass failed, the next pass succeeded.
  expect(site.errors.map((e) => [e.source, /500|etcdserver: request timed out/.test(e.message)])).toEqual([
    ['capd-controller-manager', true],
  ]);
});

test('spec.paused holds every controller for the cluster until it is unpaused', async () => {
  const { client } = await bootstrapCluster(site, ws, 'hold');
  clients.push(client);
  const objects = await small('hold');
  const paused = objects.map((o) =>
    o.kind === 'Cluster' ? { ...o, spec: { ...(o.spec as object), paused: true } } : o,
  );
  await applyAll(client, paused);
  await new Promise((r) => setTimeout(r, 1_000));
  const held = await client.get(ref('Cluster', 'hold'));
  expect(held!.status).toBeUndefined();
  expect(held!.metadata.finalizers).toBeUndefined();
  expect(await client.list('cluster.x-k8s.io/v1beta2', 'Machine', { namespace: NS })).toEqual([]);
  expect(site.containers().filter((c) => c.clusterName === 'hold')).toEqual([]);

  await client.mergePatch(ref('Cluster', 'hold'), { spec: { paused: null } });
  await client.waitFor(
    ref('Cluster', 'hold'),
    (c) => (c?.status as any)?.initialization?.controlPlaneInitialized === true,
    {
      timeoutMs: 30_000,
    },
  );
  const mhcs = await client.list<any>('cluster.x-k8s.io/v1beta2', 'MachineHealthCheck', { namespace: NS });
  expect(mhcs.map((m) => m.metadata.name).sort()).toEqual([
    'hold-kcp-unhealthy',
    'hold-md-0-worker-unhealthy',
  ]);
  await client.waitFor(
    ref('MachineHealthCheck', 'hold-kcp-unhealthy'),
    (m: any) => m?.status?.expectedMachines === 1,
    {
      timeoutMs: 10_000,
    },
  );
});

test('clusterctl move pivots the cluster to itself (self-managed): its providers take over the same machines', async () => {
  const { kubeconfigPath, client } = await bootstrapCluster(site, ws, 'pivot');
  clients.push(client);
  await applyAll(client, await small('pivot'));
  await client.waitFor(
    ref('Cluster', 'pivot'),
    (c) => (c?.status as any)?.initialization?.controlPlaneInitialized === true,
    {
      timeoutMs: 30_000,
    },
  );
  const workloadPath = ws.file('pivot', 'pivot-eks-a-cluster.kubeconfig');
  writeKubeconfig(workloadPath, await workloadKubeconfig(site, 'pivot', kubeconfigPath));
  const workload = await connect({ file: workloadPath });
  clients.push(workload);
  await installCilium(site, workload);
  await client.waitFor(ref('Cluster', 'pivot'), available, { timeoutMs: 30_000 });
  const machinesBefore = (await client.list('cluster.x-k8s.io/v1beta2', 'Machine', { namespace: NS }))
    .map((m) => m.metadata.name)
    .sort();
  const containersBefore = site
    .containers()
    .map((c) => c.name)
    .sort();

  // EKS-A A1 step 6 and 8: providers on the new cluster, then the move (retried on connection failures).
  await workload.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await initProviders(site, workloadPath, await writeLayout(ws.file('pivot')));
  site.toolFaults.add({
    program: 'clusterctl',
    args: 'move',
    stderr:
      'Error: failed to connect to the management cluster: action failed after 9 attempts: connection refused',
  });
  const retries: number[] = [];
  await moveWithRetry(
    site.clusterctl,
    {
      fromKubeconfigPath: kubeconfigPath,
      toKubeconfigPath: workloadPath,
      namespace: NS,
      filterCluster: 'pivot',
    },
    {
      policy: {
        name: 'move',
        timeoutMs: 30_000,
        initialDelayMs: 10,
        factor: 1,
        isRetryable: (e) => /failed to connect/.test(String((e as ToolError).stderrTail)),
      },
      onRetry: (e) => retries.push(e.attempt),
    },
  );
  expect(retries).toEqual([1]);
  expect(await client.list('cluster.x-k8s.io/v1beta2', 'Cluster', { namespace: NS })).toEqual([]);
  expect(await client.list('cluster.x-k8s.io/v1beta2', 'Machine', { namespace: NS })).toEqual([]);
  // The cluster now manages itself; nothing was re-created.
  await workload.waitFor(
    ref('Cluster', 'pivot'),
    (c) => (c?.status as any)?.initialization?.controlPlaneInitialized === true && available(c),
    {
      timeoutMs: 30_000,
    },
  );
  expect(
    (await workload.list('cluster.x-k8s.io/v1beta2', 'Machine', { namespace: NS }))
      .map((m) => m.metadata.name)
      .sort(),
  ).toEqual(machinesBefore);
  expect(
    site
      .containers()
      .map((c) => c.name)
      .sort(),
  ).toEqual(containersBefore);

  // The bootstrap cluster can go (A1 step 12); the workload cluster keeps running and reconciling.
  await site.kind.deleteCluster('pivot-eks-a-cluster');
  await workload.mergePatch(ref('MachineDeployment', 'pivot-md-0'), { spec: { replicas: 2 } });
  await workload.waitFor(ref('MachineDeployment', 'pivot-md-0'), (m: any) => m?.status?.readyReplicas === 2, {
    timeoutMs: 30_000,
  });
  expect(site.clusters().map((c) => `${c.type}/${c.name}`)).toEqual(['workload/pivot']);
  expect(site.invocations.commands({ program: 'clusterctl', args: 'move' })).toEqual([
    `clusterctl move --to-kubeconfig ${workloadPath} --namespace ${NS} --filter-cluster pivot --kubeconfig ${kubeconfigPath}`,
    `clusterctl move --to-kubeconfig ${workloadPath} --namespace ${NS} --filter-cluster pivot --kubeconfig ${kubeconfigPath}`,
  ]);
  expect(site.errors).toEqual([]);
});

test('speed is configurable: a container takes containerStartMs to start and bootstrapMs to bootstrap, each state visible', async () => {
  await site.close();
  site = await createSimulatedSite({ speed: { containerStartMs: 50, bootstrapMs: 1000 } });
  expect(site.speed).toEqual({ ...INSTANT_SPEED, containerStartMs: 50, bootstrapMs: 1000 });
  // Lower bounds only: timers never fire early, while how much later they fire depends on the machine's load.
  const SLACK_MS = 5;

  // kind: the node container exists at once; its Node and kubeconfig only after both delays.
  const kubeconfigPath = ws.file('slow', 'generated', 'slow.kind.kubeconfig');
  const kindConfig = ws.file('slow-kind.yaml');
  writeFileSync(kindConfig, 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
  const started = performance.now();
  const creating = site.kind.createCluster({
    name: 'slow-eks-a-cluster',
    kubeconfigPath,
    nodeImage: 'public.ecr.aws/eks-anywhere/kubernetes-sigs/kind/node:v1.30.14-eks-d-1-30-58',
    configPath: kindConfig,
  });
  await new Promise((r) => setTimeout(r, 30));
  expect(site.containers().map((c) => [c.name, c.state])).toEqual([
    ['slow-eks-a-cluster-control-plane', 'created'],
  ]);
  await creating;
  expect(performance.now() - started).toBeGreaterThanOrEqual(1050 - SLACK_MS);
  expect(site.containers().map((c) => [c.name, c.state])).toEqual([
    ['slow-eks-a-cluster-control-plane', 'bootstrapped'],
  ]);

  // A machine: from its container's creation to its Machine's nodeRef, at least both delays.
  await initProviders(site, kubeconfigPath, await writeLayout(ws.file('slow'), eksaProviders()));
  const client = await connect({ file: kubeconfigPath });
  clients.push(client);
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const nodeRefAt = new Map<string, number>();
  const statesSeen = new Set<string>();
  const off = site.apiServer('slow-eks-a-cluster').onChange((event) => {
    const o = event.object as any;
    if (o.kind === 'Machine' && o.status?.nodeRef && !nodeRefAt.has(o.metadata.name)) {
      nodeRefAt.set(o.metadata.name, Date.now());
    }
  });
  const poll = setInterval(() => {
    for (const c of site.containers()) if (c.role === 'machine') statesSeen.add(c.state);
  }, 10);
  try {
    await applyAll(client, await small('slow'));
    await client.waitFor(
      ref('Cluster', 'slow'),
      (c) => (c?.status as any)?.initialization?.controlPlaneInitialized === true,
      { timeoutMs: 60_000 },
    );
  } finally {
    off();
    clearInterval(poll);
  }
  const machines = site.containers().filter((c) => c.role === 'machine');
  const controlPlane =
    machines.find((c) => 'cluster.x-k8s.io/control-plane' in (c.labels ?? {})) ?? machines[0];
  expect(controlPlane).toBeDefined();
  const [machineName, at] = [...nodeRefAt].find(([name]) => controlPlane.name.endsWith(name))!;
  expect(machineName).toBeDefined();
  expect(at - controlPlane.createdAt.getTime()).toBeGreaterThanOrEqual(1050 - SLACK_MS);
  expect([...statesSeen]).toEqual(expect.arrayContaining(['created', 'running']));
  expect(site.errors).toEqual([]);
});

test('a speed that is not a delay is refused', async () => {
  await expect(createSimulatedSite({ speed: { bootstrapMs: -1 } })).rejects.toThrow(
    'speed.bootstrapMs: -1 is not a delay (give milliseconds, 0 or more)',
  );
});
