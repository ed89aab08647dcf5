/**
 * `pulumi destroy` of an EksaCluster, through the in-process engine running the serialized handlers against the
 * simulated site: the engine deletes the phase resources in reverse order, and their deletes make the seed's delete
 * workflow (../shared/seed/eks-anywhere-bootstrapping.txt, "Cluster deletion"): a bootstrap cluster is created, CAPI
 * installed on it, management moved to it, the cluster deleted and its machines waited for, the bootstrap cluster
 * deleted. It leaves no kind cluster, no cluster, and no files but the user's. A failure in a delete step stops the
 * destroy with the step named and the remaining resources kept; the next destroy finishes it.
 */
import { SimulatedStack } from './support/simulated-stack';
import { EksaCluster } from '../../src/pulumi';
import { EngineRunError } from '../../src/testing';
import { config, DOCKER_MGMT } from '../workflow/support/configs';
import { api, file, indexesInOrder, tool, type Expected } from '../workflow/support/in-order';

const KIND = 'dev-eks-a-cluster';
const REVERSE = [
  'delete dev-packages',
  'delete dev-bootstrap-cleanup',
  'delete dev-config-files',
  'delete dev-eksa-components',
  'delete dev-move',
  'delete dev-workload',
  'delete dev-capi-providers',
  'delete dev-bootstrap',
];

let stack: SimulatedStack;
beforeEach(async () => {
  stack = await SimulatedStack.create();
});
afterEach(async () => {
  await stack.close();
});

const program = () => () => {
  new EksaCluster('dev', stack.args({ config: config(DOCKER_MGMT) }));
};

/** The seed's delete workflow, one entry per sentence of it, as operations of the simulated site. */
const SEED_DELETE: Expected[] = [
  { seed: 'Create a management cluster (kind)', match: tool('kind', 'create cluster', KIND) },
  { seed: 'Install CAPI on it', match: tool('clusterctl', 'init', KIND) },
  { seed: 'Pause EKS-A reconciliation before the move', match: api('dev', 'mergePatch', 'Cluster', 'dev') },
  {
    seed: 'Move cluster management: copied to the bootstrap cluster',
    match: api(KIND, 'create', 'Cluster', 'dev'),
  },
  {
    seed: 'Move cluster management: removed from the cluster',
    match: api('dev', 'delete', 'Cluster', 'dev'),
  },
  { seed: 'Delete the workload cluster (through its manager)', match: api(KIND, 'delete', 'Cluster', 'dev') },
  { seed: 'Delete the management cluster (the kind one)', match: tool('kind', 'delete cluster', KIND) },
  { seed: 'The cluster files go with it', match: file('remove', 'dev/dev-eks-a-cluster.kubeconfig') },
];

test('destroy performs the seed delete workflow in order and leaves no kind cluster, no cluster, no files but the user', async () => {
  const { sim, engine } = stack;
  await engine.up(program());
  // A file of the user's beside the cluster's own: it stays.
  await sim.site.files.writeText('dev/notes.txt', 'mine\n');
  const before = sim.operations.length;

  const result = await engine.destroy();
  expect(result.steps.filter((s) => s.custom).map((s) => `${s.op} ${s.name}`)).toEqual(REVERSE);
  indexesInOrder(sim.operations.slice(before), SEED_DELETE);
  expect(engine.resources()).toEqual([]);
  expect(sim.kindClusters()).toEqual([]);
  expect(
    sim
      .cluster('dev')
      ?.call({ method: 'GET', path: '/apis/cluster.x-k8s.io/v1beta2/namespaces/eksa-system/clusters/dev' })
      .status ?? 404,
  ).toBe(404);
  expect([...sim.filesWithModes().keys()]).toEqual(['dev/notes.txt']);
});

test('destroy right after a create that stopped in its providers deletes its bootstrap cluster', async () => {
  const { sim, engine } = stack;
  sim.failTool('clusterctl', 'init', { message: 'Error: failed to get provider components' });
  await expect(engine.up(program())).rejects.toThrow(
    /CapiProviders of cluster dev: step install-providers failed/,
  );
  expect(sim.kindClusters()).toEqual([KIND]);

  await engine.destroy();
  expect(engine.resources()).toEqual([]);
  expect(sim.kindClusters()).toEqual([]);
  expect(sim.filesWithModes().size).toBe(0);
});

test('destroy of a create that stopped while its machines came up deletes the cluster through the bootstrap cluster', async () => {
  const { sim, engine } = stack;
  sim.stopped.add('capi');
  await expect(engine.up(program())).rejects.toThrow(/step wait-external-etcd failed/);
  sim.clearFaults();

  const before = sim.operations.length;
  await engine.destroy();
  const ops = sim.operations.slice(before);
  indexesInOrder(ops, [
    {
      seed: 'Delete the workload cluster through the bootstrap cluster',
      match: api(KIND, 'delete', 'Cluster', 'dev'),
    },
    { seed: 'Delete the bootstrap cluster', match: tool('kind', 'delete cluster', KIND) },
  ]);
  // Nothing was moved: the cluster never managed itself.
  expect(ops.some((o) => o.type === 'tool' && o.verb === 'create cluster')).toBe(false);
  expect(engine.resources()).toEqual([]);
  expect(sim.kindClusters()).toEqual([]);
});

test('a failed delete step stops the destroy naming the step, keeps what is left, and the next destroy finishes', async () => {
  const { sim, engine } = stack;
  await engine.up(program());
  sim.failTool('kind', 'delete cluster', { message: 'ERROR: failed to delete cluster "dev-eks-a-cluster"' });

  const error = await engine.destroy().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineRunError);
  expect((error as Error).message).toMatch(
    /BootstrapCluster of cluster dev: step delete-bootstrap-cluster failed/,
  );
  // Everything before it is deleted; the bootstrap cluster is what is left, in state and in kind.
  expect(
    engine
      .resources()
      .filter((r) => r.custom)
      .map((r) => r.name),
  ).toEqual(['dev-bootstrap']);
  expect(sim.kindClusters()).toEqual([KIND]);

  await engine.destroy();
  expect(engine.resources()).toEqual([]);
  expect(sim.kindClusters()).toEqual([]);
  expect(sim.filesWithModes().size).toBe(0);
});
