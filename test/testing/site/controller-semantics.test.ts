/**
 * What the simulated providers do besides the happy path: a stopped controller and failing requests surface as the
 * workflow's own code would see them (a wait that times out with the last conditions, a provider that retries),
 * `spec.paused` holds everything, MachineHealthChecks are accepted, and `clusterctl move` hands a cluster to the
 * providers of another management cluster (EKS-A's self-managed pivot) without touching its machines.
 */
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
} from './fixture';
import { synthDocker } from './synth';
import { HttpKubeClient, WaitTimeoutError } from '../../../src/kube';
import type { KubeObject } from '../../../src/kube';
import { createSimulatedSite, SimulatedSite } from '../../../src/testing';
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
