/**
 * Running the create again changes nothing: no new bootstrap cluster, no provider install, no second move, no
 * object created or given a new generation — and each phase, run again on its own, returns the same outputs.
 */
import { config, DOCKER_MGMT_GITOPS, FAST_TIMEOUTS } from './support/configs';
import { describe as describeOp } from './support/in-order';
import { InstantSite, OFFLINE_BUNDLES } from './support/instant-site';
import type { SimulatedApiServer } from '../../src/testing/api-server/server';
import { createCluster } from '../../src/workflow/create-cluster';
import { bootstrapCluster } from '../../src/workflow/phases/bootstrap-cluster';
import { managementMove } from '../../src/workflow/phases/management-move';
import { workloadCluster } from '../../src/workflow/phases/workload-cluster';

let sim: InstantSite;
beforeEach(async () => {
  sim = await InstantSite.create({ env: { EKSA_GITHUB_TOKEN: 'ghp_simulatedtoken0123456789abcdef' } });
});
afterEach(async () => {
  await sim.close();
});

/** Every object of a cluster with its uid and generation. */
function snapshot(server: SimulatedApiServer): Map<string, string> {
  const out = new Map<string, string>();
  for (const { key, object } of server.engine.store.entries()) {
    const m = object.metadata;
    out.set(`${key} ${m.namespace ?? ''}/${m.name}`, `${m.uid} gen ${m.generation ?? '-'}`);
  }
  return out;
}

const options = { bundles: OFFLINE_BUNDLES, timeouts: FAST_TIMEOUTS };

test('a second create of the same cluster creates, deletes and re-applies nothing', async () => {
  const first = await createCluster(sim.site, config(DOCKER_MGMT_GITOPS), options);
  const target = sim.cluster('dev')!;
  const before = snapshot(target);
  const seen = sim.operations.length;
  sim.journal.clear();

  const second = await createCluster(sim.site, config(DOCKER_MGMT_GITOPS), options);
  const ops = sim.operations.slice(seen).map(describeOp);

  expect(sim.kindClusters()).toEqual([]);
  expect(ops.filter((o) => /^kind (create|delete)/.test(o))).toEqual([]);
  expect(ops.filter((o) => o.startsWith('clusterctl'))).toEqual([]);
  expect(ops.filter((o) => o.startsWith('flux'))).toEqual([]);
  expect(ops.filter((o) => o.startsWith('helm upgrade'))).toEqual([]);
  expect(ops.filter((o) => /: (create|delete|update) /.test(o))).toEqual([]);
  // Re-applied objects are unchanged: same objects, same uids, same generations.
  expect(snapshot(target)).toEqual(before);
  expect(second.kubeconfig).toBe(first.kubeconfig);
  expect(second.endpoint).toBe(first.endpoint);
  expect(second.manifestDigest).toBe(first.manifestDigest);

  // The phases say why they did nothing.
  const outcome = (name: string) => sim.journal.entries.find((e) => `${e.phase}/${e.step}` === name)?.outcome;
  expect(outcome('BootstrapCluster/check-management-moved')).toBe('skipped');
  expect(outcome('CapiProviders/install-providers')).toBe('skipped');
  expect(outcome('ManagementMove/locate-manager')).toBe('skipped');
  expect(outcome('ManagementMove/move')).toBe('skipped');
  expect(outcome('EksaComponents/resume-reconcile')).toBe('skipped');
  expect(outcome('GitOps/flux-bootstrap')).toBe('skipped');
  expect(outcome('BootstrapCleanup/find-bootstrap-cluster')).toBe('skipped');
  expect(outcome('CuratedPackages/install-package-controller')).toBe('skipped');
  expect(second.phases.bootstrapCluster?.state).toBe('retired');
  expect(second.phases.managementMove?.state).toBe('already-moved');
  expect(second.phases.workloadCluster.managedBy).toBe('self');
});

test('each phase run again on its own returns the same outputs and leaves the clusters as they were', async () => {
  const inputs = { config: config(DOCKER_MGMT_GITOPS), ...options };
  const bootstrap = await bootstrapCluster(sim.site, inputs);
  const again = await bootstrapCluster(sim.site, inputs);
  expect(again).toEqual(bootstrap);
  expect(sim.kindClusters()).toEqual(['dev-eks-a-cluster']);
  expect(sim.operations.filter((o) => o.type === 'tool' && o.verb === 'create cluster')).toHaveLength(1);

  // The phases in between, once.
  const result = await createCluster(sim.site, config(DOCKER_MGMT_GITOPS), options);
  expect(result.phases.bootstrapCluster?.state).toBe('running');
  expect(result.phases.bootstrapCluster?.kubeconfig).toBe(bootstrap.kubeconfig);

  const target = sim.cluster('dev')!;
  const before = snapshot(target);
  const workload = await workloadCluster(sim.site, { ...inputs, bootstrapKubeconfig: bootstrap.kubeconfig });
  expect(workload).toEqual({
    ...result.phases.workloadCluster,
    managedBy: 'self',
    kubeconfigPath: 'dev/dev-eks-a-cluster.kubeconfig',
  });
  const move = await managementMove(sim.site, {
    ...inputs,
    bootstrapKubeconfig: bootstrap.kubeconfig,
    workloadKubeconfig: workload.kubeconfig,
  });
  expect(move.state).toBe('already-moved');
  expect(snapshot(target)).toEqual(before);
});
