/**
 * A changed EksaCluster, through the in-process engine running the serialized handlers against the simulated site:
 * EKS-A's update rules (src/spec validateUpdate) decide the plan. A change EKS-A makes immutable (the pods CIDR) is
 * planned as a replacement of the chain with EKS-A's reason in the log; a change EKS-A refuses (skipping a minor
 * Kubernetes version, a downgrade) fails the preview; an ordinary change is an update.
 */
import { SimulatedStack } from './support/simulated-stack';
import { EksaCluster } from '../../src/pulumi';
import { EngineRunError, type PulumiTestEngine } from '../../src/testing';
import { config, DOCKER_MGMT } from '../workflow/support/configs';
import { api, indexesInOrder, rolled, tool } from '../workflow/support/in-order';

const PHASES = [
  'dev-bootstrap',
  'dev-capi-providers',
  'dev-workload',
  'dev-move',
  'dev-eksa-components',
  'dev-config-files',
  'dev-bootstrap-cleanup',
];

let stack: SimulatedStack;
let engine: PulumiTestEngine;
beforeEach(async () => {
  stack = await SimulatedStack.create();
  engine = stack.engine;
});
afterEach(async () => {
  await stack.close();
});

const program = (yaml: string) => () => {
  new EksaCluster('dev', stack.args({ config: config(yaml), curatedPackages: false }));
};

test('a pods CIDR change is planned as a replacement of every phase, with EKS-A reason logged', async () => {
  const { sim } = stack;
  await engine.up(program(DOCKER_MGMT));
  const seen = sim.operations.length;
  const logs = engine.logs.length;

  const plan = await engine.preview(program(DOCKER_MGMT.replace('192.168.0.0/16', '10.10.0.0/16')));
  const steps = plan.steps.filter((s) => s.custom);
  // A replacement with the old one deleted first (fixed names: the kind cluster, the CAPI objects, the files).
  const replaced = steps.filter((s) => s.op === 'replace');
  expect(replaced.map((s) => s.name)).toEqual(PHASES);
  for (const step of replaced) expect(step.replaces).toEqual(['config']);
  expect(new Set(steps.map((s) => s.op))).toEqual(
    new Set(['replace', 'delete-replaced', 'create-replacement']),
  );
  expect(
    steps
      .filter((s) => s.op === 'delete-replaced')
      .map((s) => s.name)
      .sort(),
  ).toEqual([...PHASES].sort());
  const text = engine.logs
    .slice(logs)
    .map((l) => l.message)
    .join('\n');
  expect(text).toMatch(
    /replace: 'config' changed: .*spec\.clusterNetwork\.pods\.cidrBlocks: the pods CIDR cannot change on an existing cluster \(\["192\.168\.0\.0\/16"\] → \["10\.10\.0\.0\/16"\]\)/,
  );
  // A preview asks nothing of the site.
  expect(sim.operations.length).toBe(seen);
});

test('an update EKS-A refuses (a skipped minor version, a downgrade) fails the preview, naming the rule and the fix', async () => {
  const { sim } = stack;
  await engine.up(program(DOCKER_MGMT));
  const seen = sim.operations.length;
  const state = engine.stateJson();

  for (const [version, message] of [
    ['1.35', /refused update: .*spec\.kubernetesVersion: .*1\.33.*1\.35.*Fix: /],
    [
      '1.32',
      /refused update: .*spec\.kubernetesVersion: the control plane cannot be downgraded from Kubernetes 1\.33 to 1\.32.*Fix: keep 1\.33 or upgrade/,
    ],
  ] as const) {
    const error = await engine
      .preview(program(DOCKER_MGMT.replace('kubernetesVersion: "1.33"', `kubernetesVersion: "${version}"`)))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineRunError);
    expect((error as Error).message).toMatch(message);
  }
  expect(sim.operations.length).toBe(seen);
  expect(engine.stateJson()).toBe(state);
});

test('a one-minor Kubernetes upgrade is an update of the phases, not a replacement', async () => {
  await engine.up(program(DOCKER_MGMT));
  const plan = await engine.preview(
    program(DOCKER_MGMT.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.34"')),
  );
  const steps = plan.steps.filter((s) => s.custom);
  expect(new Set(steps.map((s) => s.op))).toEqual(new Set(['update']));
  expect(steps.every((s) => (s.replaces ?? []).length === 0)).toBe(true);
  const workload = steps.find((s) => s.name === 'dev-workload')!;
  expect(workload.changedInputs).toEqual(expect.arrayContaining(['config', 'manifestDigest']));
});

test('a kubernetesVersion change previews its rolloutPlan: etcd, the control plane, then the workers roll', async () => {
  const { sim } = stack;
  const versioned = (v: string) =>
    program(DOCKER_MGMT.replace('kubernetesVersion: "1.33"', `kubernetesVersion: "${v}"`));
  await engine.up(versioned('1.33'));
  expect(engine.resource('dev-workload')!.outputs.rolloutPlan).toBeUndefined();
  const seen = sim.operations.length;
  const logs = engine.logs.length;

  const plan = await engine.preview(versioned('1.34'));
  const workload = plan.steps.find((s) => s.name === 'dev-workload' && s.custom)!;
  expect(workload.op).toBe('update');
  const lines = workload.inputs?.rolloutPlan as string[];
  const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
  // In the order the upgrade rolls them (external etcd before the control plane, then each worker group).
  const order = [
    at(/^etcd: 1 machine/),
    at(/^control plane: 1 machine .*v1\.33 → v1\.34/),
    at(/^md-0: 2 machines .*v1\.33 → v1\.34/),
  ];
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  const text = engine.logs
    .slice(logs)
    .map((l) => l.message)
    .join('\n');
  expect(text).toMatch(/rollout: control plane: 1 machine/);
  // Planned from the two configs alone: no program, no request, no file.
  expect(sim.operations.length).toBe(seen);

  // One more worker: only md-0 changes, nothing else rolls.
  const scaled = await engine.preview(
    program(DOCKER_MGMT.replace('count: 2\n    name: md-0', 'count: 3\n    name: md-0')),
  );
  const scaledPlan = scaled.steps.find((s) => s.name === 'dev-workload' && s.custom)!.inputs
    ?.rolloutPlan as string[];
  expect(scaledPlan.some((l) => /^md-0: .*3 machines/.test(l))).toBe(true);
  expect(scaledPlan.some((l) => /^(etcd|control plane):/.test(l))).toBe(false);
});

test.each(['inPlace', 'bootstrap'] as const)(
  'pulumi up of a kubernetesVersion change (%s) rolls external etcd, then the control plane, then the workers; the next up does nothing',
  async (upgradeStrategy) => {
    const { sim } = stack;
    const versioned = (v: string) => () => {
      const cluster = new EksaCluster(
        'dev',
        stack.args({
          config: config(DOCKER_MGMT.replace('kubernetesVersion: "1.33"', `kubernetesVersion: "${v}"`)),
          curatedPackages: false,
          upgradeStrategy,
        }),
      );
      return { rolloutPlan: cluster.rolloutPlan };
    };
    await engine.up(versioned('1.33'));
    const before = sim.operations.length;

    const result = await engine.up(versioned('1.34'));
    // The component's output is the WorkloadCluster's plan.
    expect(result.outputs?.rolloutPlan).toEqual(engine.resource('dev-workload')!.outputs.rolloutPlan);
    expect(result.steps.filter((s) => s.custom).map((s) => `${s.op} ${s.name}`)).toEqual(
      PHASES.map((p) => `update ${p}`),
    );
    const ops = sim.operations.slice(before);
    const where = upgradeStrategy === 'inPlace' ? 'dev' : 'dev-eks-a-cluster';
    indexesInOrder(ops, [
      ...(upgradeStrategy === 'bootstrap'
        ? [
            { seed: 'bootstrap: a kind cluster', match: tool('kind', 'create cluster', 'dev-eks-a-cluster') },
            {
              seed: 'bootstrap: management moved to it',
              match: api('dev-eks-a-cluster', 'create', 'Cluster', 'dev'),
            },
          ]
        : []),
      { seed: 'external etcd first', match: api(where, 'apply', 'EtcdadmCluster', 'dev-etcd') },
      { seed: 'etcd rolled', match: rolled('EtcdadmCluster', 'dev-etcd') },
      { seed: 'then the control plane', match: api(where, 'apply', 'KubeadmControlPlane', 'dev') },
      { seed: 'control plane rolled', match: rolled('KubeadmControlPlane', 'dev') },
      { seed: 'then the workers', match: api(where, 'apply', 'MachineDeployment', 'dev-md-0') },
      { seed: 'workers rolled', match: rolled('MachineDeployment', 'dev-md-0') },
      ...(upgradeStrategy === 'bootstrap'
        ? [
            { seed: 'bootstrap: moved back', match: api('dev', 'create', 'Cluster', 'dev') },
            { seed: 'bootstrap: kind deleted', match: tool('kind', 'delete cluster', 'dev-eks-a-cluster') },
          ]
        : []),
    ]);
    // Full outputs after the update; the plan that was previewed is kept with them.
    const workload = engine.resource('dev-workload')!;
    expect(workload.outputs).toMatchObject({ status: 'ready', managedBy: 'self', kubeconfig: '[secret]' });
    expect(workload.outputs.rolloutPlan).toEqual(
      expect.arrayContaining([expect.stringMatching(/^control plane: 1 machine .*v1\.33 → v1\.34/)]),
    );
    expect(await sim.site.files.readText('dev/dev-eks-a-cluster.yaml')).toContain(
      'kubernetesVersion: "1.34"',
    );
    expect(sim.kindClusters()).toEqual([]);
    // The cluster's credentials stay out of the state and the log through the upgrade (and its bootstrap cluster's).
    const token = sim.cluster('dev')!.token;
    expect(engine.stateJson()).not.toContain(token);
    expect(engine.logText()).not.toContain(token);

    const seen = sim.operations.length;
    await engine.up(versioned('1.34'));
    expect(engine.operations({ run: 3 }).every((o) => o.startsWith('same '))).toBe(true);
    expect(sim.operations.length).toBe(seen);
  },
  240_000,
);
