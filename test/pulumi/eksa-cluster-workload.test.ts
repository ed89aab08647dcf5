/**
 * Workload clusters created through an existing management cluster (research/eksa.md A3): no bootstrap cluster, no
 * providers of their own, no move, no cleanup; the CAPI and EKS-A objects go to the management cluster.
 */
import { sourceRequire } from './fixtures/source-require';
import { SimulatedStack } from './support/simulated-stack';
import { EksaCluster } from '../../src/pulumi';
import { PulumiTestEngine } from '../../src/testing';
import { config, DOCKER_MGMT, DOCKER_WORKLOAD } from '../workflow/support/configs';
import { describe as describeOp } from '../workflow/support/in-order';

let stack: SimulatedStack;
beforeEach(async () => {
  stack = await SimulatedStack.create();
});
afterEach(async () => {
  await stack.close();
});

const MANAGEMENT_CHAIN = [
  'BootstrapCluster dev-bootstrap',
  'CapiProviders dev-capi-providers',
  'WorkloadCluster dev-workload',
  'ManagementMove dev-move',
  'EksaComponents dev-eksa-components',
  'ClusterConfigFiles dev-config-files',
  'BootstrapCleanup dev-bootstrap-cleanup',
  'CuratedPackages dev-packages',
];
const WORKLOAD_CHAIN = [
  'WorkloadCluster w1-workload',
  'EksaComponents w1-eksa-components',
  'ClusterConfigFiles w1-config-files',
  'CuratedPackages w1-packages',
];

test('a management cluster and a workload cluster managed by it, in one program', async () => {
  const { sim, engine } = stack;
  await engine.up(() => {
    const dev = new EksaCluster('dev', stack.args({ config: config(DOCKER_MGMT) }));
    const w1 = new EksaCluster(
      'w1',
      stack.args({ config: config(DOCKER_WORKLOAD, 'w1.yaml'), managementCluster: dev }),
    );
    return { w1: w1.kubeconfig };
  });
  // The workload cluster waits for its management cluster to be complete: it uses the final kubeconfig.
  expect(engine.operations()).toEqual([...MANAGEMENT_CHAIN, ...WORKLOAD_CHAIN].map((p) => `create ${p}`));
  const w1Workload = engine.resource('w1-workload')!;
  expect(w1Workload.dependencies).toContain(engine.resource('dev-packages')!.urn);
  expect(w1Workload.inputs.managementKubeconfig).toBe('[secret]');
  expect(w1Workload.outputs).toMatchObject({ managedBy: 'management', status: 'ready' });

  // No kind cluster for w1, its CAPI and EKS-A objects on dev, its CNI on itself.
  const ops = sim.operations.map(describeOp);
  expect(ops.filter((o) => /^(kind|clusterctl) .*w1/.test(o))).toEqual([]);
  expect(
    sim.operations.filter(
      (o) => o.type === 'tool' && o.program === 'kind' && o.target === 'w1-eks-a-cluster',
    ),
  ).toEqual([]);
  expect(ops).toEqual(
    expect.arrayContaining([
      'dev: apply Cluster eksa-system/w1',
      'w1: apply DaemonSet kube-system/cilium',
      'dev: apply Cluster default/w1',
    ]),
  );
  expect(sim.filesWithModes().get('w1/w1-eks-a-cluster.kubeconfig')).toBe(0o600);
  expect(engine.revealOutputs('w1-config-files').kubeconfig).toContain(sim.cluster('w1')!.token);

  // And a second up does nothing to either.
  await engine.up(() => {
    const dev = new EksaCluster('dev', stack.args({ config: config(DOCKER_MGMT) }));
    new EksaCluster('w1', stack.args({ config: config(DOCKER_WORKLOAD, 'w1.yaml'), managementCluster: dev }));
  });
  expect(engine.operations({ run: 2 }).every((o) => o.startsWith('same '))).toBe(true);
});

test('a workload cluster of a management cluster this stack does not manage, given by name and kubeconfig', async () => {
  const { sim } = stack;
  await stack.engine.up(() => {
    new EksaCluster('dev', stack.args({ config: config(DOCKER_MGMT) }));
  });
  const managementKubeconfig = (await sim.site.files.readText('dev/dev-eks-a-cluster.kubeconfig'))!;

  // Another stack, which knows the management cluster only by its kubeconfig.
  const other = new PulumiTestEngine({ requireModule: sourceRequire() });
  const result = await other.up(() => {
    const w1 = new EksaCluster(
      'w1',
      stack.args({
        config: config(DOCKER_WORKLOAD, 'w1.yaml'),
        managementCluster: { name: 'dev', kubeconfig: managementKubeconfig },
      }),
    );
    return { kubeconfig: w1.kubeconfig };
  });
  expect(other.operations()).toEqual(WORKLOAD_CHAIN.map((p) => `create ${p}`));
  expect(result.outputs).toMatchObject({ kubeconfig: '[secret]' });
  expect(other.stateJson()).not.toContain(sim.cluster('dev')!.token);
  expect(other.resource('w1-workload')!.outputs.managedBy).toBe('management');
});

test('destroy deletes the workload cluster through its management cluster (no kind), then the management cluster', async () => {
  const { sim, engine } = stack;
  const program = () => {
    const dev = new EksaCluster('dev', stack.args({ config: config(DOCKER_MGMT) }));
    new EksaCluster('w1', stack.args({ config: config(DOCKER_WORKLOAD, 'w1.yaml'), managementCluster: dev }));
  };
  await engine.up(program);
  await sim.site.files.writeText('w1/notes.txt', 'mine\n');
  const before = sim.operations.length;

  const result = await engine.destroy();
  const order = result.steps.filter((s) => s.custom).map((s) => s.name);
  // Reverse dependency order: the workload cluster's chain first, the management cluster's after it.
  expect(order.slice(0, 4)).toEqual(['w1-packages', 'w1-config-files', 'w1-eksa-components', 'w1-workload']);
  const ops = sim.operations.slice(before);
  const w1Deleted = ops.findIndex(
    (o) =>
      o.type === 'api' &&
      o.cluster === 'dev' &&
      o.verb === 'delete' &&
      o.kind === 'Cluster' &&
      o.name === 'w1',
  );
  const kindCreated = ops.findIndex((o) => o.type === 'tool' && o.verb === 'create cluster');
  // w1's CAPI Cluster deleted on dev, before dev's own delete starts (its bootstrap cluster).
  expect(w1Deleted).toBeGreaterThanOrEqual(0);
  expect(kindCreated).toBeGreaterThan(w1Deleted);
  expect(ops.filter((o) => o.type === 'tool' && o.target === 'w1-eks-a-cluster')).toEqual([]);
  expect(engine.resources()).toEqual([]);
  expect(sim.kindClusters()).toEqual([]);
  expect([...sim.filesWithModes().keys()]).toEqual(['w1/notes.txt']);
});
