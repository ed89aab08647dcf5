/**
 * `pulumi destroy` before the delete workflow exists (it comes with upgrade and delete): the deletes are safe.
 * While the cluster runs, destroy refuses at its first step, deleting nothing and keeping the state; once the
 * cluster is gone, or when a create stopped before it existed, destroy forgets the phases and removes only what
 * the stack itself left (a bootstrap cluster that manages nothing provisioned).
 */
import { SimulatedStack } from './support/simulated-stack';
import { EksaCluster } from '../../src/pulumi';
import { EngineRunError } from '../../src/testing';
import { config, DOCKER_MGMT } from '../workflow/support/configs';

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

test('destroy of a running cluster refuses at its first step: nothing deleted, the state kept', async () => {
  const { sim, engine } = stack;
  await engine.up(program());
  const resources = engine.resources().map((r) => r.urn);
  const operations = sim.operations.length;

  const error = await engine.destroy().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineRunError);
  const message = (error as Error).message;
  expect(message).toContain('deleting CuratedPackages dev: cluster dev is still running');
  expect(message).toContain('Nothing was deleted and the state is kept');
  expect(message).toMatch(/eksctl anywhere delete cluster -f dev\/dev-eks-a-cluster\.yaml/);
  expect(engine.resources().map((r) => r.urn)).toEqual(resources);
  // It only asked the cluster whether it answers: no program ran, nothing was written.
  expect(sim.operations.slice(operations)).toEqual([]);
  expect(sim.cluster('dev')).toBeDefined();
  expect(sim.filesWithModes().get('dev/dev-eks-a-cluster.kubeconfig')).toBe(0o600);
});

test('once the cluster is gone, destroy forgets every phase', async () => {
  const { sim, engine } = stack;
  await engine.up(program());
  // Deleted by other means (eksctl anywhere delete cluster): its API no longer answers.
  await sim.cluster('dev')!.stop();
  const before = sim.operations.length;

  const result = await engine.destroy();
  expect(result.steps.filter((s) => s.custom).map((s) => `${s.op} ${s.name}`)).toEqual([
    'delete dev-packages',
    'delete dev-bootstrap-cleanup',
    'delete dev-config-files',
    'delete dev-eksa-components',
    'delete dev-move',
    'delete dev-workload',
    'delete dev-capi-providers',
    'delete dev-bootstrap',
  ]);
  expect(engine.resources()).toEqual([]);
  expect(engine.logText()).toContain('cluster dev does not answer');
  // The bootstrap cluster was gone already: BootstrapCluster's delete only looked for it.
  const kind = sim.operations
    .slice(before)
    .flatMap((o) => (o.type === 'tool' && o.program === 'kind' ? [o.verb] : []));
  expect(kind).toEqual(['get clusters']);
});

test('a create that stopped in its providers is destroyed with its bootstrap cluster', async () => {
  const { sim, engine } = stack;
  sim.failTool('clusterctl', 'init', { message: 'Error: failed to get provider components' });
  await expect(engine.up(program())).rejects.toThrow(
    /CapiProviders of cluster dev: step install-providers failed/,
  );
  expect(sim.kindClusters()).toEqual(['dev-eks-a-cluster']);

  await engine.destroy();
  expect(engine.resources()).toEqual([]);
  // It manages no provisioned cluster, so deleting it orphans nothing.
  expect(sim.kindClusters()).toEqual([]);
  expect(sim.operations.some((o) => o.type === 'tool' && o.verb === 'delete cluster')).toBe(true);
});

test('a create that stopped while its machines came up is not destroyed: its CAPI objects are still managed', async () => {
  const { sim, engine } = stack;
  sim.stopped.add('capi');
  await expect(engine.up(program())).rejects.toThrow(/step wait-external-etcd failed/);
  const kept = engine
    .resources()
    .filter((r) => r.custom)
    .map((r) => r.name);
  expect(kept).toEqual(['dev-bootstrap', 'dev-capi-providers', 'dev-workload']);

  const error = await engine.destroy().catch((e: unknown) => e);
  expect((error as Error).message).toContain(
    'deleting WorkloadCluster dev: its Cluster API objects are still in its management cluster',
  );
  expect(
    engine
      .resources()
      .filter((r) => r.custom)
      .map((r) => r.name),
  ).toEqual(kept);
  expect(sim.kindClusters()).toEqual(['dev-eks-a-cluster']);
});
