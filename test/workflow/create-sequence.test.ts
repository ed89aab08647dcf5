/**
 * The create workflow against the seed (../shared/seed/eks-anywhere-bootstrapping.txt): the programs run and the
 * writes sent to each cluster, in order. The expected order below is written from the seed's text, one entry per
 * sentence of it, not from the workflow's code.
 *
 * The seed lists the steps twice. Its numbered "Cluster creation" list (networking → storage class → CAPI providers
 * on the target → move → EKS-A CRDs and add-ons → configuration saved) and EKS-A's own create workflow
 * (research/eksa.md A1: move at step 8, EKS-A components at 9, GitOps at 10) put the EKS-A components and GitOps
 * after the move; its bullet list names them before "Move cluster management". The numbered list is followed here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { config, DOCKER_MGMT, DOCKER_MGMT_GITOPS, FAST_TIMEOUTS } from './support/configs';
import { api, describe as describeOp, file, indexesInOrder, tool, type Expected } from './support/in-order';
import { InstantSite, OFFLINE_BUNDLES } from './support/instant-site';
import { isConditionTrue } from '../../src/kube/conditions';
import { PreflightError } from '../../src/tools/preflight';
import { createCluster } from '../../src/workflow/create-cluster';
import { WorkflowError } from '../../src/workflow/errors';

const KIND = 'dev-eks-a-cluster';
const STORAGE_CLASS = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'local', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'rancher.io/local-path',
};

let sim: InstantSite;
beforeEach(async () => {
  sim = await InstantSite.create({ env: { EKSA_GITHUB_TOKEN: 'ghp_simulatedtoken0123456789abcdef' } });
});
afterEach(async () => {
  await sim.close();
});

test('a management cluster is created in the order of the seed', async () => {
  const result = await createCluster(sim.site, config(DOCKER_MGMT_GITOPS), {
    bundles: OFFLINE_BUNDLES,
    storageClasses: [STORAGE_CLASS],
    timeouts: FAST_TIMEOUTS,
  });
  expect(result.warnings).toEqual([]);

  const seed: Expected[] = [
    {
      seed: 'Setups and validations (preflights)',
      match: tool('preflight', 'docker,kind,clusterctl,helm,flux'),
    },
    { seed: 'Create a new KinD cluster', match: tool('kind', 'create cluster', KIND) },
    {
      seed: 'the eksa-system namespace on the bootstrap cluster',
      match: api(KIND, 'create', 'Namespace', 'eksa-system'),
    },
    { seed: 'Install cluster-api providers on bootstrap cluster', match: tool('clusterctl', 'init', KIND) },
    {
      seed: 'Create a new workload cluster (apply the target cluster configuration)',
      match: api(KIND, 'apply', 'Cluster', 'dev'),
    },
    { seed: 'Install networking on the workload cluster', match: tool('helm', 'template') },
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
      seed: 'Install the eks-a components',
      match: api('dev', 'apply', 'Deployment', 'eksa-controller-manager'),
    },
    { seed: '… and the EKS-A objects', match: (op) => api('dev', 'apply', 'Cluster', 'dev')(op) },
    { seed: 'Install the Git ops manager', match: tool('flux', 'bootstrap github', 'dev') },
    {
      seed: 'Write ClusterConfig: moves to CLUSTER_NAME/CLUSTER_NAME-eks-a-cluster.yaml',
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

  // Nothing is created or written before the validations and preflights.
  const firstChange = sim.operations.findIndex((op) => op.type !== 'tool' || op.program !== 'preflight');
  expect(firstChange).toBeGreaterThan(at[0]);
  // The EKS-A objects are applied to the new cluster after the move: "dev: apply Cluster dev" must be the
  // anywhere.eks.amazonaws.com Cluster, never the CAPI one (which the move created there).
  const eksaCluster = sim.operations[at[14]];
  expect(describeOp(eksaCluster)).toBe('dev: apply Cluster default/dev');

  // The waits of "Create a new workload cluster", in the seed's order, between the apply and the move.
  const waits = sim.journal.names().filter((n) => n.startsWith('WorkloadCluster/'));
  expect(waits).toEqual([
    'WorkloadCluster/locate-manager',
    'WorkloadCluster/create-namespace',
    'WorkloadCluster/apply-capi-manifests',
    'WorkloadCluster/wait-external-etcd', // Wait for external etcd to be ready
    'WorkloadCluster/wait-control-plane', // Wait for control plane to become available
    'WorkloadCluster/wait-kubeconfig-secret', // Wait for workload kubeconfig generation
    'WorkloadCluster/write-kubeconfig',
    'WorkloadCluster/install-cni', // Install networking on the workload cluster
    'WorkloadCluster/install-storage-class', // default storage class
    'WorkloadCluster/install-machine-health-checks', // Install machine health checks on the bootstrap cluster
    'WorkloadCluster/wait-machines-ready', // Wait for control plane and worker machines to be ready
  ]);

  // The end state the seed describes: the bootstrap cluster is gone, the target runs itself.
  expect(sim.kindClusters()).toEqual([]);
  const target = sim.cluster('dev')!;
  const capiCluster = target.call({
    method: 'GET',
    path: '/apis/cluster.x-k8s.io/v1beta2/namespaces/eksa-system/clusters/dev',
  });
  expect(capiCluster.status).toBe(200);
  expect(isConditionTrue(capiCluster.body as never, 'Available')).toBe(true);
  const eksa = target.call({
    method: 'GET',
    path: '/apis/anywhere.eks.amazonaws.com/v1alpha1/namespaces/default/clusters/dev',
  });
  expect(eksa.status).toBe(200);
  // Created paused, then resumed.
  const annotations =
    (eksa.body as { metadata: { annotations?: Record<string, string> } }).metadata.annotations ?? {};
  expect(annotations['anywhere.eks.amazonaws.com/paused']).toBeUndefined();
  expect(annotations['anywhere.eks.amazonaws.com/managed-by-cli']).toBeUndefined();
  expect(eksaCluster).toMatchObject({ paused: true });
  const resumed = sim.operations.findIndex(
    (op, i) =>
      i > at[14] &&
      op.type === 'api' &&
      op.cluster === 'dev' &&
      op.verb === 'mergePatch' &&
      op.namespace === 'default' &&
      op.kind === 'Cluster',
  );
  expect(resumed).toBeGreaterThan(at[14]);
  expect(resumed).toBeLessThan(at[15]);
  const files = sim.filesWithModes();
  expect(files.get('dev/dev-eks-a-cluster.yaml')).toBe(0o644);
  expect(files.get('dev/dev-eks-a-cluster.kubeconfig')).toBe(0o600);
  expect(files.has('dev/generated/dev-eks-a-cluster.kubeconfig')).toBe(false);
  expect(files.has('dev/generated/dev.kind.kubeconfig')).toBe(false);
  expect(result.kubeconfigPath).toBe('dev/dev-eks-a-cluster.kubeconfig');
  // docker: the kubeconfig points at the load balancer's host port, without TLS verification.
  expect(result.endpoint).toBe(`https://127.0.0.1:${target.port}`);
  expect(result.kubeconfig).toContain('insecure-skip-tls-verify: true');
  expect(result.kubeconfig).not.toContain('certificate-authority-data');
});

test('the bootstrap cluster gets the kind config of the spec and the versions bundle', async () => {
  await createCluster(sim.site, config(DOCKER_MGMT), { bundles: OFFLINE_BUNDLES, timeouts: FAST_TIMEOUTS });
  const kindConfig = await sim.site.files.readText('dev/generated/kind_tmp.yaml');
  // Research A1.2: the first pod and service CIDR, the EKS-D images of the root versions bundle, the docker socket.
  expect(kindConfig).toContain('podSubnet: 192.168.0.0/16');
  expect(kindConfig).toContain('serviceSubnet: 10.96.0.0/12');
  expect(kindConfig).toContain('kubernetesVersion: v1.33.13-eks-1-33-30');
  expect(kindConfig).toContain('hostPath: /var/run/docker.sock');
  expect(await sim.site.files.exists('dev/generated/kubernetes/audit-policy.yaml')).toBe(true);
  // The clusterctl local repository under generated/ (A1.4).
  expect(await sim.site.files.exists('dev/generated/clusterctl_tmp.yaml')).toBe(true);
  expect(await sim.site.files.list('dev/generated/overrides')).toEqual(
    expect.arrayContaining([
      'cluster-api',
      'bootstrap-kubeadm',
      'control-plane-kubeadm',
      'bootstrap-etcdadm-bootstrap',
      'bootstrap-etcdadm-controller',
      'infrastructure-docker',
      'cert-manager',
    ]),
  );
  // No StorageClass for docker unless the user gives one.
  expect(sim.operations.some((op) => op.type === 'api' && op.kind === 'StorageClass')).toBe(false);
  expect(sim.journal.entries.find((e) => e.step === 'install-storage-class')?.outcome).toBe('skipped');
});

test('a missing program stops the create before anything is created or written', async () => {
  sim.missingTools.add('kind');
  const error = await createCluster(sim.site, config(DOCKER_MGMT), { bundles: OFFLINE_BUNDLES }).catch(
    (e) => e,
  );
  expect(error).toBeInstanceOf(WorkflowError);
  expect(error.step).toBe('validate');
  expect(error.cause).toBeInstanceOf(PreflightError);
  expect(error.message).toContain('kind: not found on PATH');
  expect(sim.operations.map(describeOp)).toEqual(['preflight docker,kind,clusterctl,helm']);
  expect(sim.filesWithModes().size).toBe(0);
});

test('an invalid config stops the create before the preflight, with every problem named', async () => {
  const bad = DOCKER_MGMT.replace('count: 1\n  datacenterRef', 'count: 0\n  datacenterRef').replace(
    'count: 2\n    name: md-0',
    'count: -1\n    name: md-0',
  );
  const error = await createCluster(sim.site, config(bad, 'bad.yaml'), { bundles: OFFLINE_BUNDLES }).catch(
    (e) => e,
  );
  expect(error).toBeInstanceOf(WorkflowError);
  expect(error.message).toMatch(/bad\.yaml:\d+:\d+: spec\.controlPlaneConfiguration\.count/);
  expect(error.message).toMatch(/bad\.yaml:\d+:\d+: spec\.workerNodeGroupConfigurations\[0\]\.count/);
  expect(sim.operations).toEqual([]);
  expect(sim.filesWithModes().size).toBe(0);
});

test('a vSphere create without the vCenter credentials stops at validation, naming both variables', async () => {
  const vsphere = fs.readFileSync(
    path.join(__dirname, '../fixtures/spec/valid/vsphere-typical.yaml'),
    'utf8',
  );
  const error = await createCluster(sim.site, config(vsphere, 'vsphere.yaml'), {
    bundles: OFFLINE_BUNDLES,
  }).catch((e) => e);
  expect(error).toBeInstanceOf(WorkflowError);
  expect(error.message).toMatch(/env\.EKSA_VSPHERE_USERNAME/);
  expect(error.message).toMatch(/env\.EKSA_VSPHERE_PASSWORD/);
  expect(error.message).toMatch(/Fix: export EKSA_VSPHERE_USERNAME/);
  expect(sim.operations).toEqual([]);
  expect(sim.filesWithModes().size).toBe(0);
});
