/**
 * The upgrade workflow against the seed (../shared/seed/eks-anywhere-bootstrapping.txt, "Cluster upgrade") and the
 * issue's rollout order (external etcd, then the control plane, then the workers; removed groups deleted). The
 * expectations are written from those texts; the instant site's CAPI controller takes a while to replace machines
 * (rollDelayMs), so an upgrade that did not wait for one stage before the next would apply out of order here.
 */
import { config, DOCKER_MGMT, FAST_TIMEOUTS } from './support/configs';
import {
  api,
  describe as describeOp,
  file,
  indexesInOrder,
  rolled,
  tool,
  type Expected,
} from './support/in-order';
import { InstantSite, OFFLINE_BUNDLES, type Operation } from './support/instant-site';
import type { KubeObject } from '../../src/kube/types';
import { createCluster } from '../../src/workflow/create-cluster';
import { WorkflowError } from '../../src/workflow/errors';
import { planUpgradeFromConfigs } from '../../src/workflow/plan-upgrade';
import { upgradeCluster } from '../../src/workflow/upgrade-cluster';

const KIND = 'dev-eks-a-cluster';
const options = { bundles: OFFLINE_BUNDLES, timeouts: FAST_TIMEOUTS };
const V134 = DOCKER_MGMT.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.34"');

let sim: InstantSite;
beforeEach(async () => {
  sim = await InstantSite.create();
});
afterEach(async () => {
  await sim.close();
});

/** Operations since `from`, as lines, for failure messages and simple filters. */
const since = (from: number) => sim.operations.slice(from);
const pausedPatch = (cluster: string) => (op: Operation) =>
  op.type === 'api' &&
  op.cluster === cluster &&
  op.verb === 'mergePatch' &&
  op.kind === 'DockerDatacenterConfig';

function capiObjects(cluster: string, kind: string): KubeObject[] {
  const server = sim.cluster(cluster)!;
  return [...server.engine.store.entries()]
    .map((e) => e.object as unknown as KubeObject)
    .filter((o) => o.kind === kind && o.metadata.namespace === 'eksa-system');
}

test('inPlace (the default): a kubernetesVersion change rolls external etcd, then the control plane, then the workers, where the cluster manages itself', async () => {
  await createCluster(sim.site, config(DOCKER_MGMT), options);
  const from = sim.operations.length;
  sim.journal.clear();

  const result = await upgradeCluster(sim.site, config(DOCKER_MGMT), config(V134, 'dev-v134.yaml'), options);

  expect(result.strategy).toBe('inPlace');
  expect(result.rolled).toBe(true);
  // The plan names what rolls, in the order it rolls.
  expect(result.rolloutPlan).toEqual([
    expect.stringMatching(/^etcd: 1 machine roll/),
    expect.stringMatching(/^control plane: 1 machine roll v1\.33 → v1\.34\b/),
    expect.stringMatching(/^md-0: 2 machines roll v1\.33 → v1\.34\b/),
  ]);

  const ops = since(from);
  const seed: Expected[] = [
    { seed: 'Setups and validations', match: tool('preflight', 'docker,kind,clusterctl,helm') },
    { seed: 'Pause eks-a reconciliation', match: pausedPatch('dev') },
    {
      seed: 'Upgrade the workload cluster: external etcd first',
      match: api('dev', 'apply', 'EtcdadmCluster', 'dev-etcd'),
    },
    { seed: '… etcd rolled', match: rolled('EtcdadmCluster', 'dev-etcd') },
    { seed: 'then the control plane', match: api('dev', 'apply', 'KubeadmControlPlane', 'dev') },
    { seed: '… its machines replaced', match: rolled('KubeadmControlPlane', 'dev') },
    { seed: 'then the workers', match: api('dev', 'apply', 'MachineDeployment', 'dev-md-0') },
    { seed: '… their machines replaced', match: rolled('MachineDeployment', 'dev-md-0') },
    { seed: 'Resume eks-a reconciliation', match: pausedPatch('dev') },
    { seed: 'Write ClusterConfig', match: file('rename', 'dev/dev-eks-a-cluster.yaml') },
  ];
  indexesInOrder(ops, seed);
  // inPlace: no bootstrap cluster, no move.
  expect(
    ops.filter((o) => o.type === 'tool' && o.program === 'kind' && o.verb !== 'get clusters').map(describeOp),
  ).toEqual([]);
  expect(ops.filter((o) => o.type === 'api' && o.verb === 'create' && o.kind === 'Cluster')).toEqual([]);
  // The workers were applied only once the control plane had rolled (not merely applied).
  const cpRolled = ops.findIndex(rolled('KubeadmControlPlane', 'dev'));
  expect(ops.findIndex(api('dev', 'apply', 'MachineDeployment', 'dev-md-0'))).toBeGreaterThan(cpRolled);

  // The end state: every machine runs the new version's template, the control plane reports v1.34.
  const kcp = capiObjects('dev', 'KubeadmControlPlane')[0];
  expect((kcp.spec as { version: string }).version).toMatch(/^v1\.34/);
  expect((kcp.status as { version: string }).version).toBe((kcp.spec as { version: string }).version);
  const md = capiObjects('dev', 'MachineDeployment')[0];
  expect((md.spec as { template: { spec: { version: string } } }).template.spec.version).toMatch(/^v1\.34/);
  expect(capiObjects('dev', 'Machine')).toHaveLength(3);
  // Reconciliation resumed; the backup removed; the new config written.
  const eksa = [...sim.cluster('dev')!.engine.store.entries()]
    .map((e) => e.object as unknown as KubeObject)
    .find((o) => o.kind === 'Cluster' && o.apiVersion.startsWith('anywhere.eks.amazonaws.com'))!;
  expect(eksa.metadata.annotations?.['anywhere.eks.amazonaws.com/paused']).toBeUndefined();
  expect((eksa.spec as { kubernetesVersion: string }).kubernetesVersion).toBe('1.34');
  expect((await sim.site.files.list('dev')).filter((f) => f.includes('backup'))).toEqual([]);
  expect(await sim.site.files.readText('dev/dev-eks-a-cluster.yaml')).toContain('kubernetesVersion: "1.34"');
  // The backup was taken before anything of the cluster changed.
  const steps = sim.journal.names();
  expect(steps.indexOf('WorkloadCluster/backup-capi')).toBeLessThan(
    steps.indexOf('WorkloadCluster/apply-etcd'),
  );
  expect(sim.journal.entries.find((e) => e.step === 'backup-capi')?.outcome).toBe('done');
});

test("bootstrap (the seed's): kind cluster, CAPI, management moved to it, etcd → control plane → workers rolled there, moved back, kind deleted", async () => {
  await createCluster(sim.site, config(DOCKER_MGMT), options);
  const from = sim.operations.length;

  const result = await upgradeCluster(sim.site, config(DOCKER_MGMT), config(V134), {
    ...options,
    strategy: 'bootstrap',
  });
  expect(result.rolled).toBe(true);

  const seed: Expected[] = [
    { seed: 'Setups and validations', match: tool('preflight', 'docker,kind,clusterctl,helm') },
    { seed: 'Pause eks-a reconciliation', match: pausedPatch('dev') },
    { seed: 'Create the bootstrap cluster', match: tool('kind', 'create cluster', KIND) },
    { seed: 'Install CAPI', match: tool('clusterctl', 'init', KIND) },
    { seed: 'Move management to the bootstrap cluster', match: api(KIND, 'create', 'Cluster', 'dev') },
    { seed: '… from the cluster', match: api('dev', 'delete', 'Cluster', 'dev') },
    { seed: 'Upgrade the workload cluster: etcd', match: api(KIND, 'apply', 'EtcdadmCluster', 'dev-etcd') },
    { seed: '… rolled', match: rolled('EtcdadmCluster', 'dev-etcd') },
    { seed: 'control plane', match: api(KIND, 'apply', 'KubeadmControlPlane', 'dev') },
    { seed: '… rolled', match: rolled('KubeadmControlPlane', 'dev') },
    { seed: 'workers', match: api(KIND, 'apply', 'MachineDeployment', 'dev-md-0') },
    { seed: '… rolled', match: rolled('MachineDeployment', 'dev-md-0') },
    { seed: 'Move management to the workload cluster', match: api('dev', 'create', 'Cluster', 'dev') },
    { seed: '… from the bootstrap cluster', match: api(KIND, 'delete', 'Cluster', 'dev') },
    { seed: 'Delete the bootstrap cluster', match: tool('kind', 'delete cluster', KIND) },
    { seed: 'Resume eks-a reconciliation', match: pausedPatch('dev') },
    { seed: 'Write ClusterConfig', match: file('rename', 'dev/dev-eks-a-cluster.yaml') },
  ];
  indexesInOrder(since(from), seed);
  // The rollout happened in the bootstrap cluster, while it held the objects.
  expect(
    since(from)
      .filter((o) => o.type === 'rollout')
      .map((o) => (o as { cluster: string }).cluster),
  ).toEqual([KIND, KIND, KIND]);
  expect(sim.kindClusters()).toEqual([]);
  expect(capiObjects('dev', 'Cluster').map((c) => c.metadata.name)).toEqual(['dev']);
  const kcp = capiObjects('dev', 'KubeadmControlPlane')[0];
  expect((kcp.status as { version: string }).version).toMatch(/^v1\.34/);
});

test('nothing changed: the upgrade stops after "verify the needed upgrade" — no pause, no backup, no kind, no write that changes anything', async () => {
  await createCluster(sim.site, config(DOCKER_MGMT), options);
  const server = sim.cluster('dev')!;
  const before = new Map(
    [...server.engine.store.entries()].map((e) => [
      e.key + e.object.metadata.name,
      `${e.object.metadata.uid} ${e.object.metadata.generation} ${JSON.stringify(e.object.metadata.annotations ?? {})}`,
    ]),
  );
  const from = sim.operations.length;
  sim.journal.clear();

  for (const strategy of ['inPlace', 'bootstrap'] as const) {
    const result = await upgradeCluster(sim.site, config(DOCKER_MGMT), config(DOCKER_MGMT), {
      ...options,
      strategy,
    });
    expect(result.rolled).toBe(false);
    expect(result.rolloutPlan).toEqual(['nothing to roll']);
  }
  const ops = since(from).map(describeOp);
  expect(ops.filter((o) => /^(kind (create|delete)|clusterctl|helm|flux)/.test(o))).toEqual([]);
  expect(ops.filter((o) => /: (create|delete|update|mergePatch) /.test(o))).toEqual([]);
  expect(since(from).filter((o) => o.type === 'rollout')).toEqual([]);
  const outcome = (step: string) => sim.journal.entries.find((e) => e.step === step)?.outcome;
  expect(outcome('pause-reconcile')).toBe('skipped');
  expect(sim.journal.names()).not.toContain('WorkloadCluster/backup-capi');
  expect(sim.journal.names()).not.toContain('WorkloadCluster/apply-control-plane');
  const after = new Map(
    [...server.engine.store.entries()].map((e) => [
      e.key + e.object.metadata.name,
      `${e.object.metadata.uid} ${e.object.metadata.generation} ${JSON.stringify(e.object.metadata.annotations ?? {})}`,
    ]),
  );
  expect(after).toEqual(before);
});

test('a worker group removed from the spec is deleted with its machines; a scaled group is scaled, not rolled', async () => {
  const twoGroups = DOCKER_MGMT.replace(
    '  - count: 2\n    name: md-0\n',
    '  - count: 2\n    name: md-0\n  - count: 1\n    name: md-1\n',
  );
  await createCluster(sim.site, config(twoGroups), options);
  expect(
    capiObjects('dev', 'MachineDeployment')
      .map((m) => m.metadata.name)
      .sort(),
  ).toEqual(['dev-md-0', 'dev-md-1']);
  const from = sim.operations.length;

  const scaled = DOCKER_MGMT.replace('  - count: 2\n    name: md-0\n', '  - count: 3\n    name: md-0\n');
  const result = await upgradeCluster(sim.site, config(twoGroups), config(scaled), options);
  expect(result.rolloutPlan).toEqual([
    'md-0: scale 2 → 3 machines',
    'md-1: removed (1 machine)',
    'MachineHealthCheck dev-md-1-worker-unhealthy: removed',
  ]);
  expect(since(from).some(api('dev', 'delete', 'MachineDeployment', 'dev-md-1'))).toBe(true);
  expect(since(from).filter((o) => o.type === 'rollout')).toEqual([]);
  expect(capiObjects('dev', 'MachineDeployment').map((m) => m.metadata.name)).toEqual(['dev-md-0']);
  const machines = capiObjects('dev', 'Machine');
  expect(
    machines.filter((m) => m.metadata.labels?.['cluster.x-k8s.io/deployment-name'] === 'dev-md-1'),
  ).toEqual([]);
  expect(
    machines.filter((m) => m.metadata.labels?.['cluster.x-k8s.io/deployment-name'] === 'dev-md-0'),
  ).toHaveLength(3);
});

test('an immutable field (the pods CIDR) is refused with the reason before anything changes; the plan calls it a replacement', async () => {
  await createCluster(sim.site, config(DOCKER_MGMT), options);
  const from = sim.operations.length;
  const newCidr = DOCKER_MGMT.replace('cidrBlocks: [192.168.0.0/16]', 'cidrBlocks: [10.244.0.0/16]');

  const error = await upgradeCluster(
    sim.site,
    config(DOCKER_MGMT),
    config(newCidr, 'dev-new.yaml'),
    options,
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowError);
  const failure = (error as WorkflowError).failure;
  expect(failure.step).toBe('validate');
  expect(failure.reason).toMatch(/spec\.clusterNetwork\.pods\.cidrBlocks/);
  expect(failure.reason).toMatch(/pods CIDR cannot change .*192\.168\.0\.0\/16.*10\.244\.0\.0\/16/);
  expect(failure.reason).toMatch(/replace the cluster/);
  // Nothing ran, nothing was written.
  expect(since(from).filter((o) => o.type !== 'tool' || o.program !== 'preflight')).toEqual([]);

  const plan = await planUpgradeFromConfigs(
    sim.site,
    { config: config(DOCKER_MGMT), bundles: OFFLINE_BUNDLES },
    { config: config(newCidr), bundles: OFFLINE_BUNDLES },
  );
  expect(plan.replacementReasons).toEqual([expect.stringMatching(/pods CIDR cannot change/)]);
  expect(plan.lines[0]).toMatch(/^replace: .*pods CIDR/);
});
