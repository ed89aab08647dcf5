/**
 * The other paths of the create: warnings that do not fail it (GitOps, curated packages, as in EKS-A), a workload
 * cluster created through an existing management cluster (research A3), the bootstrap cluster's delete guard, the
 * native mover versus clusterctl move, and progress while waiting.
 */
import { config, DOCKER_MGMT, DOCKER_MGMT_GITOPS, DOCKER_WORKLOAD, FAST_TIMEOUTS } from './support/configs';
import { describe as describeOp } from './support/in-order';
import { InstantSite, OFFLINE_BUNDLES } from './support/instant-site';
import { createCluster } from '../../src/workflow/create-cluster';
import { WorkflowError } from '../../src/workflow/errors';
import { bootstrapCleanup, BootstrapInUseError } from '../../src/workflow/phases/bootstrap-cleanup';
import { bootstrapCluster } from '../../src/workflow/phases/bootstrap-cluster';
import { capiProviders } from '../../src/workflow/phases/capi-providers';
import { workloadCluster } from '../../src/workflow/phases/workload-cluster';

const options = { bundles: OFFLINE_BUNDLES, timeouts: FAST_TIMEOUTS };

let sim: InstantSite;
afterEach(async () => {
  await sim.close();
});

test('GitOps and curated packages failing are warnings: the cluster is created', async () => {
  // No EKSA_GITHUB_TOKEN: flux bootstrap cannot authenticate; helm fails to install the packages chart.
  sim = await InstantSite.create();
  sim.failTool('helm', 'upgrade --install', { message: 'Error: INSTALLATION FAILED: chart not found' });
  const result = await createCluster(sim.site, config(DOCKER_MGMT_GITOPS), options);
  expect(result.phases.gitOps.state).toBe('failed');
  expect(result.phases.curatedPackages.state).toBe('failed');
  expect(result.warnings).toEqual([
    expect.stringMatching(/^GitOps: .*set EKSA_GITHUB_TOKEN/),
    expect.stringMatching(/^curated packages: [\s\S]*chart not found/),
  ]);
  expect(
    sim.journal.entries.filter((e) => e.outcome === 'warning').map((e) => `${e.phase}/${e.step}`),
  ).toEqual(['GitOps/flux-bootstrap', 'CuratedPackages/install-package-controller']);
  expect(sim.logLines.filter((l) => l.startsWith('warn ')).length).toBeGreaterThanOrEqual(2);
  // The steps after the GitOps failure ran.
  expect(sim.kindClusters()).toEqual([]);
  expect(await sim.site.files.exists('dev/dev-eks-a-cluster.yaml')).toBe(true);
  // The repository content EKS-A would commit is left for the user.
  expect(
    await sim.site.files.exists('dev/generated/gitops/clusters/dev/dev/eksa-system/eksa-cluster.yaml'),
  ).toBe(true);
});

test('a workload cluster is created through its management cluster, without a bootstrap cluster', async () => {
  sim = await InstantSite.create();
  const management = await createCluster(sim.site, config(DOCKER_MGMT), options);
  const seen = sim.operations.length;
  sim.journal.clear();

  const result = await createCluster(sim.site, config(DOCKER_WORKLOAD, 'w1.yaml'), {
    ...options,
    managementKubeconfig: management.kubeconfig,
  });
  const ops = sim.operations.slice(seen).map(describeOp);
  expect(ops.filter((o) => o.startsWith('kind') || o.startsWith('clusterctl'))).toEqual([]);
  // The CAPI objects and the EKS-A objects go to the management cluster; the CNI to the new cluster.
  expect(ops).toEqual(
    expect.arrayContaining([
      'dev: apply Cluster eksa-system/w1',
      'dev: apply MachineHealthCheck eksa-system/w1-kcp-unhealthy',
      'w1: apply DaemonSet kube-system/cilium',
      'dev: apply Cluster default/w1',
    ]),
  );
  expect(ops.filter((o) => o.startsWith('w1: apply') && !o.includes('kube-system/'))).toEqual([]);
  // The seed's phases minus bootstrap, move and cleanup.
  expect([...new Set(sim.journal.entries.map((e) => e.phase))]).toEqual([
    'WorkloadCluster',
    'EksaComponents',
    'GitOps',
    'ClusterConfigFiles',
    'CuratedPackages',
  ]);
  expect(result.phases.workloadCluster.managedBy).toBe('management');
  expect(result.kubeconfigPath).toBe('w1/w1-eks-a-cluster.kubeconfig');
  expect(result.endpoint).toBe(`https://127.0.0.1:${sim.cluster('w1')!.port}`);
  // Its packages are served by the management cluster's controller (a release of its own there).
  expect(result.phases.curatedPackages).toMatchObject({
    state: 'installed',
    release: expect.stringMatching(/-w1$/),
  });
  expect(ops).toContain('helm upgrade --install (eks-anywhere-packages-w1@dev)');
});

test('a workload cluster without its management cluster kubeconfig is refused before anything is created', async () => {
  sim = await InstantSite.create();
  const error = await createCluster(sim.site, config(DOCKER_WORKLOAD, 'w1.yaml'), options).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowError);
  expect((error as Error).message).toContain('give managementKubeconfig');
  expect(sim.operations.filter((o) => o.type !== 'tool' || o.program !== 'preflight')).toEqual([]);
});

test('the bootstrap cluster is not deleted while it still manages a provisioned cluster', async () => {
  sim = await InstantSite.create();
  const inputs = { config: config(DOCKER_MGMT), ...options };
  const bootstrap = await bootstrapCluster(sim.site, inputs);
  await capiProviders(sim.site, { ...inputs, bootstrapKubeconfig: bootstrap.kubeconfig });
  await workloadCluster(sim.site, { ...inputs, bootstrapKubeconfig: bootstrap.kubeconfig });

  const error = await bootstrapCleanup(sim.site, inputs).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowError);
  expect((error as WorkflowError).step).toBe('check-no-provisioned-clusters');
  expect((error as WorkflowError).cause).toBeInstanceOf(BootstrapInUseError);
  expect((error as Error).message).toContain('eksa-system/dev');
  expect(sim.kindClusters()).toEqual(['dev-eks-a-cluster']);
  expect(sim.operations.some((o) => o.type === 'tool' && o.verb === 'delete cluster')).toBe(false);
});

test('clusterctl move is used when configured, and the result is the same', async () => {
  sim = await InstantSite.create();
  const result = await createCluster(sim.site, config(DOCKER_MGMT), { ...options, moveWith: 'clusterctl' });
  expect(result.phases.managementMove).toMatchObject({ state: 'moved', moveWith: 'clusterctl' });
  const moves = sim.operations.filter(
    (o) => o.type === 'tool' && o.program === 'clusterctl' && o.verb === 'move',
  );
  expect(moves.map(describeOp)).toEqual(['clusterctl move (dev-eks-a-cluster->dev)']);
  // The workflow itself wrote nothing to move the objects.
  expect(sim.operations.some((o) => o.type === 'api' && o.verb === 'create' && o.kind === 'Cluster')).toBe(
    false,
  );
  expect(
    sim
      .cluster('dev')!
      .call({ method: 'GET', path: '/apis/cluster.x-k8s.io/v1beta2/namespaces/eksa-system/clusters/dev' })
      .status,
  ).toBe(200);
});

test('a long wait reports its progress and the conditions it waits on', async () => {
  sim = await InstantSite.create();
  sim.stopped.add('capi');
  // The controllers come back a while after the wait started: it reports meanwhile, then succeeds.
  let resume: NodeJS.Timeout | undefined;
  const watch = setInterval(() => {
    if (!resume && sim.logLines.some((l) => l.includes('waiting up to') && l.includes('EtcdadmCluster'))) {
      resume = setTimeout(() => sim.clearFaults(), 1000);
    }
  }, 10);
  try {
    await createCluster(sim.site, config(DOCKER_MGMT), {
      ...options,
      timeouts: { ...FAST_TIMEOUTS, externalEtcdMs: 10_000, progressIntervalMs: 200 },
    });
  } finally {
    clearInterval(watch);
    clearTimeout(resume);
  }
  const progress = sim.logLines.filter((l) => l.includes('still waiting for'));
  expect(progress.length).toBeGreaterThanOrEqual(3);
  expect(progress[0]).toMatch(
    /^info WorkloadCluster dev: still waiting for status\.ready on EtcdadmCluster eksa-system\/dev-etcd/,
  );
});
