/**
 * A fault in a step of an upgrade (`pulumi up` of a changed config) or of a delete (`pulumi destroy`), through the
 * in-process engine running the serialized handlers against the simulated site: the run fails naming the resource,
 * the phase and the step; the state keeps what is not done (an upgrade's resource stays incomplete with its old
 * inputs, a destroy keeps the resources not deleted yet); then, the fault cleared, the same command again converges
 * to the end state of a run without the fault — and a further run does nothing.
 */
import { SimulatedStack } from './support/simulated-stack';
import type { KubeObject } from '../../src/kube/types';
import { EksaCluster } from '../../src/pulumi';
import { EngineRunError } from '../../src/testing';
import { config, DOCKER_MGMT } from '../workflow/support/configs';
import type { InstantSite } from '../workflow/support/instant-site';

const KIND = 'dev-eks-a-cluster';
const CAPI = '/apis/cluster.x-k8s.io/v1beta2/namespaces/eksa-system';
const V134 = DOCKER_MGMT.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.34"');

interface Case {
  readonly resource: string;
  readonly phase: string;
  readonly step: string;
  readonly how: string;
  readonly strategy?: 'inPlace' | 'bootstrap';
  inject(sim: InstantSite): void;
}

const UPGRADE_CASES: readonly Case[] = [
  {
    resource: 'dev-workload',
    phase: 'WorkloadCluster',
    step: 'pause-reconcile',
    how: 'the pause patch of the EKS-A objects is forbidden',
    inject: (s) =>
      s.failApi('dev', {
        method: 'PATCH',
        path: '/apis/anywhere.eks.amazonaws.com/v1alpha1/namespaces/default/dockerdatacenterconfigs/dev',
        status: 403,
      }),
  },
  {
    resource: 'dev-workload',
    phase: 'WorkloadCluster',
    step: 'apply-control-plane',
    how: 'applying the KubeadmControlPlane is forbidden',
    inject: (s) =>
      s.failApi('dev', {
        method: 'PATCH',
        path: '/apis/controlplane.cluster.x-k8s.io/v1beta2/namespaces/eksa-system/kubeadmcontrolplanes/dev',
        status: 403,
      }),
  },
  {
    resource: 'dev-workload',
    phase: 'WorkloadCluster',
    step: 'create-bootstrap-cluster',
    how: 'kind create cluster fails (bootstrap strategy)',
    strategy: 'bootstrap',
    inject: (s) => s.failTool('kind', 'create cluster', { message: 'ERROR: failed to create cluster' }),
  },
];

const DELETE_CASES: readonly Case[] = [
  {
    resource: 'dev-bootstrap-cleanup',
    phase: 'BootstrapCleanup',
    step: 'create-bootstrap-cluster',
    how: 'kind create cluster fails',
    inject: (s) => s.failTool('kind', 'create cluster', { message: 'ERROR: failed to create cluster' }),
  },
  {
    resource: 'dev-bootstrap-cleanup',
    phase: 'BootstrapCleanup',
    step: 'install-bootstrap-providers',
    how: 'clusterctl init fails',
    inject: (s) => s.failTool('clusterctl', 'init', { message: 'Error: failed to get provider components' }),
  },
  {
    resource: 'dev-move',
    phase: 'ManagementMove',
    step: 'move-to-bootstrap',
    how: 'creating the Cluster on the bootstrap cluster is forbidden',
    inject: (s) => s.failApi(KIND, { method: 'POST', path: `${CAPI}/clusters`, status: 403 }),
  },
  {
    resource: 'dev-workload',
    phase: 'WorkloadCluster',
    step: 'delete-capi-cluster',
    how: 'deleting the Cluster on the bootstrap cluster is forbidden',
    inject: (s) => s.failApi(KIND, { method: 'DELETE', path: `${CAPI}/clusters/dev`, status: 403 }),
  },
  {
    resource: 'dev-bootstrap',
    phase: 'BootstrapCluster',
    step: 'delete-bootstrap-cluster',
    how: 'kind delete cluster fails',
    inject: (s) => s.failTool('kind', 'delete cluster', { message: 'ERROR: failed to delete cluster' }),
  },
];

let stack: SimulatedStack;
beforeEach(async () => {
  stack = await SimulatedStack.create();
});
afterEach(async () => {
  await stack.close();
});

const program = (yaml: string, strategy?: 'inPlace' | 'bootstrap') => () => {
  new EksaCluster(
    'dev',
    stack.args({
      config: config(yaml),
      curatedPackages: false,
      ...(strategy ? { upgradeStrategy: strategy } : {}),
    }),
  );
};

function failure(error: unknown, c: Case): string {
  expect(error).toBeInstanceOf(EngineRunError);
  const message = (error as Error).message;
  // The resource by name (an up quotes it, a destroy gives its URN).
  expect(message).toMatch(new RegExp(`['":]${c.resource}['":]`));
  expect(message).toContain(`${c.phase} of cluster dev: step ${c.step} failed`);
  return message;
}

function capiObject(kind: string): KubeObject | undefined {
  const server = stack.sim.cluster('dev');
  return [...(server?.engine.store.entries() ?? [])]
    .map((e) => e.object as unknown as KubeObject)
    .find((o) => o.kind === kind && o.metadata.namespace === 'eksa-system');
}

test.each(UPGRADE_CASES.map((c) => [`${c.phase}/${c.step}: ${c.how}`, c] as const))(
  'upgrade: %s; the next up resumes and converges',
  async (_name, c) => {
    const { sim, engine } = stack;
    await engine.up(program(DOCKER_MGMT, c.strategy));
    c.inject(sim);
    const error = await engine.up(program(V134, c.strategy)).catch((e: unknown) => e);
    const message = failure(error, c);
    expect(message).toContain('Fix the cause and run again');
    // Incomplete, with the old inputs kept (the next diff sees the change still to make) and the old outputs.
    const stored = engine.resource(c.resource)!;
    expect(stored.outputs).toMatchObject({ status: 'incomplete', failedStep: `${c.phase}/${c.step}` });
    expect(stored.outputs.kubeconfig).toBe('[secret]');

    sim.clearFaults();
    await engine.up(program(V134, c.strategy));
    expect(engine.resource(c.resource)!.outputs).toMatchObject({ status: 'ready', failedStep: null });
    expect((capiObject('KubeadmControlPlane')?.spec as { version?: string }).version).toMatch(/^v1\.34/);
    expect(
      (capiObject('MachineDeployment')?.spec as { template: { spec: { version?: string } } }).template.spec
        .version,
    ).toMatch(/^v1\.34/);
    expect(sim.kindClusters()).toEqual([]);
    const seen = sim.operations.length;
    const run = (await engine.up(program(V134, c.strategy))).run;
    expect(engine.operations({ run }).every((o) => o.startsWith('same '))).toBe(true);
    expect(sim.operations.length).toBe(seen);
  },
  240_000,
);

test.each(DELETE_CASES.map((c) => [`${c.phase}/${c.step}: ${c.how}`, c] as const))(
  'destroy: %s; the next destroy finishes',
  async (_name, c) => {
    const { sim, engine } = stack;
    await engine.up(program(DOCKER_MGMT));
    c.inject(sim);
    failure(await engine.destroy().catch((e: unknown) => e), c);
    // The failed resource and those after it in the delete order are kept.
    expect(engine.resource(c.resource)).toBeDefined();

    sim.clearFaults();
    await engine.destroy();
    expect(engine.resources()).toEqual([]);
    expect(sim.kindClusters()).toEqual([]);
    expect(capiObject('Cluster')).toBeUndefined();
    expect(sim.filesWithModes().size).toBe(0);
  },
  240_000,
);
