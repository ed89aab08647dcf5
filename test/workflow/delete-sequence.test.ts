/**
 * The delete workflow against the seed (../shared/seed/eks-anywhere-bootstrapping.txt, "Cluster deletion"):
 * "Create a management cluster (kind) → Install CAPI → Move cluster management → Delete the workload cluster →
 * Clean up the Git repository → Delete package resources → Delete the management cluster", and what it leaves: no
 * kind cluster, no cluster, no files but the user's. A workload cluster is deleted through its management cluster
 * (research A5 "Workload"): no kind cluster, no move.
 */
import { config, DOCKER_MGMT, DOCKER_MGMT_GITOPS, DOCKER_WORKLOAD, FAST_TIMEOUTS } from './support/configs';
import { api, describe as describeOp, file, indexesInOrder, tool, type Expected } from './support/in-order';
import { InstantSite, OFFLINE_BUNDLES } from './support/instant-site';
import type { KubeObject } from '../../src/kube/types';
import { createCluster } from '../../src/workflow/create-cluster';
import { deleteCluster } from '../../src/workflow/delete-cluster';
import {
  clusterConfigFilesDelete,
  curatedPackagesDelete,
  gitOpsDelete,
} from '../../src/workflow/phases/delete-cleanup';
import { deleteWorkloadCluster } from '../../src/workflow/phases/workload-cluster-delete';

const KIND = 'dev-eks-a-cluster';
const options = { bundles: OFFLINE_BUNDLES, timeouts: FAST_TIMEOUTS };

let sim: InstantSite;
beforeEach(async () => {
  sim = await InstantSite.create({ env: { EKSA_GITHUB_TOKEN: 'ghp_simulatedtoken0123456789abcdef' } });
});
afterEach(async () => {
  await sim.close();
});

test("a management cluster is deleted in the order of the seed, leaving no kind cluster, no cluster and only the user's files", async () => {
  await createCluster(sim.site, config(DOCKER_MGMT_GITOPS), options);
  // Files of the user's in the working directory and in the cluster's folder stay.
  await sim.site.files.writeText('dev.yaml', DOCKER_MGMT_GITOPS);
  await sim.site.files.writeText('dev/notes.md', 'mine');
  expect(sim.cluster('dev')).toBeDefined();
  const from = sim.operations.length;

  const result = await deleteCluster(sim.site, config(DOCKER_MGMT_GITOPS), options);
  expect(result).toMatchObject({ state: 'deleted', deletedThrough: 'bootstrap' });

  const seed: Expected[] = [
    { seed: 'Setups and validations', match: tool('preflight', 'docker,kind,clusterctl') },
    { seed: 'Create a management cluster', match: tool('kind', 'create cluster', KIND) },
    { seed: 'Install CAPI', match: tool('clusterctl', 'init', KIND) },
    {
      seed: '(EKS-A pauses reconciliation before the move, A5.4)',
      match: api('dev', 'mergePatch', 'DockerDatacenterConfig', 'dev'),
    },
    { seed: 'Move cluster management (to the kind cluster)', match: api(KIND, 'create', 'Cluster', 'dev') },
    { seed: '… away from the cluster', match: api('dev', 'delete', 'Cluster', 'dev') },
    { seed: 'Delete the workload cluster', match: api(KIND, 'delete', 'Cluster', 'dev') },
    { seed: '… its machines gone', match: tool('docker', 'rm (machines of a deleted cluster)', 'dev') },
    { seed: 'Clean up the Git repository', match: file('remove', 'dev/generated/gitops/clusters/dev') },
    { seed: 'Delete the management cluster (kind)', match: tool('kind', 'delete cluster', KIND) },
  ];
  indexesInOrder(sim.operations.slice(from), seed);
  // The journal shows the package resources step between the Git cleanup and the kind delete.
  const steps = sim.journal.names();
  const at = (name: string) => steps.lastIndexOf(name);
  expect(at('GitOps/clean-git-repository')).toBeLessThan(at('CuratedPackages/delete-package-resources'));
  expect(at('CuratedPackages/delete-package-resources')).toBeLessThan(
    at('BootstrapCluster/delete-bootstrap-cluster'),
  );
  // A self-managed cluster's package resources died with it.
  expect(result.phases.curatedPackages.state).toBe('absent');

  expect(sim.kindClusters()).toEqual([]);
  expect(sim.cluster('dev')).toBeUndefined();
  expect([...sim.filesWithModes().keys()].sort()).toEqual(['dev.yaml', 'dev/notes.md']);
});

test('deleting a deleted cluster only tidies up: no kind cluster made, nothing deleted', async () => {
  await createCluster(sim.site, config(DOCKER_MGMT), options);
  await deleteCluster(sim.site, config(DOCKER_MGMT), options);
  const from = sim.operations.length;
  const again = await deleteCluster(sim.site, config(DOCKER_MGMT), options);
  expect(again.state).toBe('absent');
  const ops = sim.operations.slice(from).map(describeOp);
  expect(ops.filter((o) => /^(kind (create|delete)|clusterctl|helm)/.test(o))).toEqual([]);
  expect(ops.filter((o) => / (create|delete|apply|mergePatch) /.test(o))).toEqual([]);
  expect([...sim.filesWithModes().keys()]).toEqual([]);
});

test('a workload cluster is deleted through its management cluster: no kind cluster, no move, its objects and packages gone from the manager', async () => {
  const management = await createCluster(sim.site, config(DOCKER_MGMT), options);
  await createCluster(sim.site, config(DOCKER_WORKLOAD, 'w1.yaml'), {
    ...options,
    managementKubeconfig: management.kubeconfig,
  });
  expect(sim.cluster('w1')).toBeDefined();
  const from = sim.operations.length;

  const result = await deleteCluster(sim.site, config(DOCKER_WORKLOAD, 'w1.yaml'), {
    ...options,
    managementKubeconfig: management.kubeconfig,
  });
  expect(result).toMatchObject({ state: 'deleted', deletedThrough: 'management' });
  const ops = sim.operations.slice(from);
  expect(ops.map(describeOp).filter((o) => /^(kind|clusterctl)/.test(o))).toEqual([]);
  indexesInOrder(ops, [
    {
      seed: 'paused on the management cluster',
      match: api('dev', 'mergePatch', 'DockerDatacenterConfig', 'w1'),
    },
    {
      seed: 'Delete the workload cluster (through management)',
      match: api('dev', 'delete', 'Cluster', 'w1'),
    },
    { seed: '… its machines gone', match: tool('docker', 'rm (machines of a deleted cluster)', 'w1') },
    { seed: 'its EKS-A objects deleted', match: api('dev', 'delete', 'DockerDatacenterConfig', 'w1') },
    { seed: 'Delete package resources', match: tool('helm', 'uninstall', 'eks-anywhere-packages-w1@dev') },
  ]);
  expect(sim.cluster('w1')).toBeUndefined();
  // The management cluster keeps running with nothing of w1 left in it.
  const left = [...sim.cluster('dev')!.engine.store.entries()]
    .map((e) => e.object as unknown as KubeObject)
    .filter(
      (o) =>
        o.metadata.name?.startsWith('w1') ||
        o.metadata.namespace === 'eksa-packages-w1' ||
        o.metadata.labels?.['cluster.x-k8s.io/cluster-name'] === 'w1',
    );
  expect(left.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([]);
  expect(sim.cluster('dev')).toBeDefined();
  expect([...sim.filesWithModes().keys()].filter((f) => f.startsWith('w1/'))).toEqual([]);
  expect([...sim.filesWithModes().keys()].filter((f) => f.startsWith('dev/'))).toContain(
    'dev/dev-eks-a-cluster.kubeconfig',
  );
});

test("the delete phases one by one, in Pulumi's reverse order, leave the same end state (a workload cluster's last delete removes its files)", async () => {
  const management = await createCluster(sim.site, config(DOCKER_MGMT), options);
  await createCluster(sim.site, config(DOCKER_WORKLOAD, 'w1.yaml'), {
    ...options,
    managementKubeconfig: management.kubeconfig,
  });
  const inputs = {
    config: config(DOCKER_WORKLOAD, 'w1.yaml'),
    ...options,
    managementKubeconfig: management.kubeconfig,
  };
  // CuratedPackages → ClusterConfigFiles → GitOps → WorkloadCluster (the phases a workload cluster has).
  expect((await curatedPackagesDelete(sim.site, inputs)).state).toBe('deleted');
  expect((await clusterConfigFilesDelete(sim.site, inputs)).removed).toContain('w1/w1-eks-a-cluster.yaml');
  expect((await gitOpsDelete(sim.site, inputs)).state).toBe('skipped');
  const deleted = await deleteWorkloadCluster(sim.site, { ...inputs, removeClusterFiles: true });
  expect(deleted).toEqual({ state: 'deleted', deletedThrough: 'management' });
  expect(sim.cluster('w1')).toBeUndefined();
  expect([...sim.filesWithModes().keys()].filter((f) => f.startsWith('w1/'))).toEqual([]);
  // Run again (a destroy retried): nothing left to do.
  expect(await deleteWorkloadCluster(sim.site, { ...inputs, removeClusterFiles: true })).toEqual({
    state: 'absent',
  });
});
