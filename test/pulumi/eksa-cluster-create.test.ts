/**
 * `pulumi up` of an EksaCluster, through the in-process engine running the serialized handlers against the
 * simulated site: the seed's create workflow, in order (../shared/seed/eks-anywhere-bootstrapping.txt), and a
 * second `up` that does nothing at all.
 *
 * The expected order is written from the seed's text, one entry per sentence of it. As in the workflow's own test
 * (test/workflow/create-sequence.test.ts), the seed's numbered "Cluster creation" list is followed where its bullet
 * list differs: the move comes before the EKS-A components and GitOps (research/eksa.md A1).
 */
import { SimulatedStack } from './support/simulated-stack';
import { isConditionTrue } from '../../src/kube/conditions';
import { EksaCluster } from '../../src/pulumi';
import type { PulumiTestEngine } from '../../src/testing';
import { config, DOCKER_MGMT, DOCKER_MGMT_GITOPS } from '../workflow/support/configs';
import {
  api,
  describe as describeOp,
  file,
  indexesInOrder,
  tool,
  type Expected,
} from '../workflow/support/in-order';

const KIND = 'dev-eks-a-cluster';
const GITHUB_TOKEN = 'ghp_simulatedtoken0123456789abcdef';
const STORAGE_CLASS = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'local', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'rancher.io/local-path',
};
const PHASES = [
  'BootstrapCluster dev-bootstrap',
  'CapiProviders dev-capi-providers',
  'WorkloadCluster dev-workload',
  'ManagementMove dev-move',
  'EksaComponents dev-eksa-components',
  'GitOps dev-gitops',
  'ClusterConfigFiles dev-config-files',
  'BootstrapCleanup dev-bootstrap-cleanup',
  'CuratedPackages dev-packages',
];

let stack: SimulatedStack;
let engine: PulumiTestEngine;
beforeEach(async () => {
  stack = await SimulatedStack.create({ env: { EKSA_GITHUB_TOKEN: GITHUB_TOKEN } });
  engine = stack.engine;
});
afterEach(async () => {
  await stack.close();
});

function gitOpsProgram() {
  return () => {
    const cluster = new EksaCluster(
      'dev',
      stack.args({ config: config(DOCKER_MGMT_GITOPS), storageClasses: [STORAGE_CLASS] }),
    );
    return {
      kubeconfig: cluster.kubeconfig,
      endpoint: cluster.endpoint,
      clusterName: cluster.clusterName,
      manifestDigest: cluster.manifestDigest,
    };
  };
}

test("pulumi up performs the seed's create workflow, phase by phase, in order", async () => {
  const { sim } = stack;
  const result = await engine.up(gitOpsProgram());

  // One resource per phase of the architecture's table, each created after the one it depends on.
  expect(engine.operations()).toEqual(PHASES.map((p) => `create ${p}`));
  const children = engine.resources().filter((r) => r.custom);
  children.forEach((r, i) => {
    expect(r.parent).toMatch(/eksa-iac:index:EksaCluster::dev$/);
    if (i > 0) expect(r.dependencies).toContain(children[i - 1].urn);
    expect(r.type).toBe(`pulumi-nodejs:dynamic/eksa-iac/cluster:${PHASES[i].split(' ')[0]}`);
  });

  const seed: Expected[] = [
    {
      seed: 'Setups and validations (preflights)',
      match: tool('preflight', 'docker,kind,clusterctl,helm,flux'),
    },
    { seed: 'Create a new KinD cluster', match: tool('kind', 'create cluster', KIND) },
    {
      seed: 'Provider specific pre-capi-install-setup on the bootstrap cluster (eksa-system)',
      match: api(KIND, 'create', 'Namespace', 'eksa-system'),
    },
    { seed: 'Install cluster-api providers on bootstrap cluster', match: tool('clusterctl', 'init', KIND) },
    {
      seed: 'Create a new workload cluster (kubectl applies the target cluster configuration)',
      match: api(KIND, 'apply', 'Cluster', 'dev'),
    },
    {
      seed: 'After etcd, the control plane and the worker nodes are ready, networking',
      match: tool('helm', 'template'),
    },
    { seed: '… applied to the target cluster', match: api('dev', 'apply', 'DaemonSet', 'cilium') },
    {
      seed: 'The target cluster receives its default storage class',
      match: api('dev', 'apply', 'StorageClass', 'local'),
    },
    {
      seed: 'Install machine health checks on the bootstrap cluster',
      match: api(KIND, 'apply', 'MachineHealthCheck'),
    },
    { seed: 'CAPI providers are configured on the target cluster', match: tool('clusterctl', 'init', 'dev') },
    { seed: 'CAPI objects are moved … to the target cluster', match: api('dev', 'create', 'Cluster', 'dev') },
    { seed: '… from the bootstrap cluster', match: api(KIND, 'delete', 'Cluster', 'dev') },
    {
      seed: 'The target cluster receives Kubernetes CRDs … specific to EKS Anywhere',
      match: api('dev', 'apply', 'CustomResourceDefinition', 'clusters.anywhere.eks.amazonaws.com'),
    },
    {
      seed: 'Install the eks-a components task',
      match: api('dev', 'apply', 'Deployment', 'eksa-controller-manager'),
    },
    { seed: '… and the EKS-A objects', match: api('dev', 'apply', 'Cluster', 'dev') },
    { seed: 'Install the Git ops manager', match: tool('flux', 'bootstrap github', 'dev') },
    {
      seed: 'The cluster configuration is saved: moves to CLUSTER_NAME/CLUSTER_NAME-eks-a-cluster.yaml',
      match: file('rename', 'dev/dev-eks-a-cluster.yaml'),
    },
    {
      seed: 'Kubeconfig moves to CLUSTER_NAME/CLUSTER_NAME-eks-a-cluster.kubeconfig',
      match: file('rename', 'dev/dev-eks-a-cluster.kubeconfig'),
    },
    { seed: 'Delete the bootstrap cluster', match: tool('kind', 'delete cluster', KIND) },
    { seed: 'Install curated packages', match: tool('helm', 'upgrade --install') },
  ];
  const at = indexesInOrder(sim.operations, seed);

  // Validation and the preflight of every program come first: nothing is created or written before them.
  expect(sim.operations.findIndex((op) => op.type !== 'tool' || op.program !== 'preflight')).toBeGreaterThan(
    at[0],
  );
  // The EKS-A Cluster (not the CAPI one the move created) is applied after the move, paused, then resumed.
  expect(describeOp(sim.operations[at[14]])).toBe('dev: apply Cluster default/dev');
  expect(sim.operations[at[14]]).toMatchObject({ paused: true });

  // The waits of "Create a new workload cluster", in the seed's order, inside the WorkloadCluster resource.
  expect(sim.journal.names().filter((n) => n.startsWith('WorkloadCluster/'))).toEqual([
    'WorkloadCluster/locate-manager',
    'WorkloadCluster/create-namespace',
    'WorkloadCluster/apply-capi-manifests',
    'WorkloadCluster/wait-external-etcd', // Wait for external etcd to be ready
    'WorkloadCluster/wait-control-plane', // Wait for control plane to become available
    'WorkloadCluster/wait-kubeconfig-secret', // Wait for workload kubeconfig generation
    'WorkloadCluster/write-kubeconfig',
    'WorkloadCluster/install-cni', // Install networking on the workload cluster
    'WorkloadCluster/install-storage-class',
    'WorkloadCluster/install-machine-health-checks', // Install machine health checks on the bootstrap cluster
    'WorkloadCluster/wait-machines-ready', // Wait for control plane and worker machines to be ready
  ]);
  // Each resource ran its own phase's steps, in the chain's order.
  const phaseOrder = [...new Set(sim.journal.entries.map((e) => e.phase))];
  expect(phaseOrder).toEqual(PHASES.map((p) => p.split(' ')[0]));

  // The end state the seed describes: no bootstrap cluster, the cluster manages itself, the files in place.
  expect(sim.kindClusters()).toEqual([]);
  const target = sim.cluster('dev')!;
  const capi = target.call({
    method: 'GET',
    path: '/apis/cluster.x-k8s.io/v1beta2/namespaces/eksa-system/clusters/dev',
  });
  expect(capi.status).toBe(200);
  expect(isConditionTrue(capi.body as never, 'Available')).toBe(true);
  expect(sim.filesWithModes().get('dev/dev-eks-a-cluster.kubeconfig')).toBe(0o600);
  expect(sim.filesWithModes().get('dev/dev-eks-a-cluster.yaml')).toBe(0o644);

  // The outputs: the kubeconfig is the file users keep (secret), the endpoint the load balancer's host port.
  expect(result.outputs).toMatchObject({ kubeconfig: '[secret]', clusterName: 'dev' });
  const kubeconfig = engine.revealOutputs('dev-config-files').kubeconfig as string;
  expect(kubeconfig).toBe(await sim.site.files.readText('dev/dev-eks-a-cluster.kubeconfig'));
  expect(kubeconfig).toContain(target.token);
  expect(result.outputs?.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(result.outputs?.manifestDigest).toMatch(/^[0-9a-f]{64}$/);
  // Every phase reports itself ready.
  for (const r of children) expect(r.outputs).toMatchObject({ status: 'ready', failedStep: null });
});

test('a second pulumi up with no change does nothing: no create or update, no program run, no request', async () => {
  const { sim } = stack;
  await engine.up(gitOpsProgram());
  const operations = sim.operations.length;
  const requests = sim.apiRequestCount();
  const files = sim.filesWithModes();
  sim.journal.clear();

  const second = await engine.up(gitOpsProgram());

  expect(engine.operations({ run: 2 })).toEqual(PHASES.map((p) => `same ${p}`));
  expect(second.summary).toEqual({ same: PHASES.length + 2 }); // the phases, the component and the stack
  // Not one program run (a preflight included), API request (a read included), file write or journaled step.
  expect(sim.operations.slice(operations).map(describeOp)).toEqual([]);
  expect(sim.apiRequestCount()).toBe(requests);
  expect(sim.filesWithModes()).toEqual(files);
  expect(sim.journal.entries).toEqual([]);
  // The handlers were asked (check, diff) and answered from the inputs alone.
  expect(second.steps.filter((s) => s.custom).every((s) => s.error === undefined)).toBe(true);

  // A preview of the unchanged stack plans nothing either.
  const preview = await engine.preview(gitOpsProgram());
  expect(preview.steps.filter((s) => s.custom).map((s) => s.op)).toEqual(PHASES.map(() => 'same'));
  expect(sim.operations.length).toBe(operations);
});

test('a preview before the first up plans the chain and touches nothing; a changed cluster shows in its digest', async () => {
  const { sim } = stack;
  const program = (yaml: string) => () => {
    const cluster = new EksaCluster('dev', stack.args({ config: config(yaml), curatedPackages: false }));
    return { manifestDigest: cluster.manifestDigest };
  };
  const plan = await engine.preview(program(DOCKER_MGMT));
  expect(engine.operations({ run: plan.run, includePlanned: true })).toEqual(
    PHASES.filter((p) => !/GitOps|CuratedPackages/.test(p)).map((p) => `create ${p}`),
  );
  expect(sim.operations).toEqual([]);
  expect(sim.filesWithModes().size).toBe(0);
  // The digest is computed when the inputs are checked, so even a first preview shows it.
  const planned = plan.steps.find((s) => s.name === 'dev-workload')!;
  expect(planned.inputs?.manifestDigest).toMatch(/^[0-9a-f]{64}$/);

  await engine.up(program(DOCKER_MGMT));
  const digest = engine.resource('dev-workload')!.outputs.manifestDigest;
  expect(digest).toBe(planned.inputs?.manifestDigest);

  // One more worker: the preview shows the WorkloadCluster's manifest digest change (the engine shows inputs only).
  const seen = sim.operations.length;
  const more = await engine.preview(
    program(DOCKER_MGMT.replace('count: 2\n    name: md-0', 'count: 3\n    name: md-0')),
  );
  const workload = more.steps.find((s) => s.name === 'dev-workload')!;
  expect(workload.op).toBe('update');
  expect(workload.changedInputs).toEqual(expect.arrayContaining(['config', 'manifestDigest']));
  expect(workload.inputs?.manifestDigest).not.toBe(digest);
  expect(sim.operations.length).toBe(seen);
});

test('progress of a long wait reaches the Pulumi log, labelled and redacted, at the configured interval', async () => {
  const { sim } = stack;
  sim.stopped.add('capi');
  // The controllers come back a while after the etcd wait started: the wait reports meanwhile, then succeeds.
  let resume: NodeJS.Timeout | undefined;
  const watch = setInterval(() => {
    if (!resume && sim.journal.names().includes('WorkloadCluster/apply-capi-manifests')) {
      resume = setTimeout(() => sim.clearFaults(), 1500);
    }
  }, 10);
  try {
    await engine.up(() => {
      new EksaCluster(
        'dev',
        stack.args({
          config: config(DOCKER_MGMT),
          timeouts: {
            ...stack.args({ config: config(DOCKER_MGMT) }).timeouts,
            externalEtcdMs: 20_000,
            progressIntervalMs: 200,
          },
        }),
      );
    });
  } finally {
    clearInterval(watch);
    clearTimeout(resume);
  }
  const workload = engine.steps.find((s) => s.name === 'dev-workload')!;
  const progress = workload.logs.filter((l) => l.includes('still waiting for'));
  expect(progress.length).toBeGreaterThanOrEqual(3);
  expect(progress[0]).toMatch(
    /^\[eksa-iac\] WorkloadCluster: dev: still waiting for status\.ready on EtcdadmCluster eksa-system\/dev-etcd/,
  );
  // Every line a handler wrote went through the redacting logger (labelled with its resource type).
  for (const step of engine.steps.filter((s) => s.custom)) {
    for (const line of step.logs) {
      expect(line).toMatch(/^\[eksa-iac\] [A-Za-z]+: |^\(node:\d+\)|^\(Use `node/);
    }
  }
});
