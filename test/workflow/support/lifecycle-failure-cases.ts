import { config, DOCKER_MGMT, DOCKER_WORKLOAD, FAST_TIMEOUTS, SHORT_WAIT } from './configs';
import { api, describe as describeOp, rolled, tool } from './in-order';
import { InstantSite, OFFLINE_BUNDLES, type Operation } from './instant-site';
import type { KubeObject } from '../../../src/kube/types';
import { createCluster } from '../../../src/workflow/create-cluster';
import { deleteCluster } from '../../../src/workflow/delete-cluster';
import { WorkflowError } from '../../../src/workflow/errors';
import type { StepRecord } from '../../../src/workflow/journal';
import type { UpgradeStrategy } from '../../../src/workflow/phases/upgrade-workload-cluster';
import { upgradeCluster } from '../../../src/workflow/upgrade-cluster';

export const KIND = 'dev-eks-a-cluster';
const CAPI = '/apis/cluster.x-k8s.io/v1beta2/namespaces/eksa-system';
const EKSA = '/apis/anywhere.eks.amazonaws.com/v1alpha1/namespaces/default';
const V134 = DOCKER_MGMT.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.34"');
const options = { bundles: OFFLINE_BUNDLES, timeouts: FAST_TIMEOUTS };

/** A fault injected into one step of an upgrade or delete, and what the failure must say. */
export interface LifecycleFailureCase {
  readonly phase: string;
  readonly step: string;
  readonly how: string;
  readonly reason?: RegExp;
  readonly waitedFor?: RegExp;
  readonly timeouts?: Readonly<Record<string, number>>;
  /** @default "inPlace" (upgrade cases) */
  readonly strategy?: UpgradeStrategy;
  /** A workload cluster (w1) of the management cluster dev (delete cases). */
  readonly workload?: boolean;
  /** Steps the re-run must report as adopted or skipped because the first run completed them. */
  readonly rerunSkips?: readonly string[];
  /** Steps the re-run must run (completing what the first run left half done). */
  readonly rerunRuns?: readonly string[];
  /** Times `kind create cluster` may run in both runs together. @default 1 */
  readonly kindCreates?: number;
  inject(sim: InstantSite): void;
}

export const UPGRADE_FAILURE_CASES: readonly LifecycleFailureCase[] = [
  {
    phase: 'WorkloadCluster',
    step: 'read-cluster',
    how: 'reading the KubeadmControlPlane is forbidden',
    inject: (s) =>
      s.failApi('dev', {
        method: 'GET',
        path: '/apis/controlplane.cluster.x-k8s.io/v1beta2/namespaces/eksa-system/kubeadmcontrolplanes/dev',
        status: 403,
      }),
    reason: /kubeadmcontrolplanes\/dev.*403 Forbidden/,
  },
  {
    phase: 'WorkloadCluster',
    step: 'ensure-etcdadm-providers',
    how: 'listing the clusterctl inventory is forbidden',
    inject: (s) =>
      s.failApi('dev', {
        method: 'GET',
        path: '/apis/clusterctl.cluster.x-k8s.io/v1alpha3/providers',
        status: 403,
      }),
    reason: /providers.*403 Forbidden/,
  },
  {
    phase: 'WorkloadCluster',
    step: 'upgrade-cilium',
    how: 'reading the Cilium DaemonSet is forbidden',
    inject: (s) =>
      s.failApi('dev', {
        method: 'GET',
        path: '/apis/apps/v1/namespaces/kube-system/daemonsets/cilium',
        status: 403,
      }),
    reason: /daemonsets\/cilium.*403 Forbidden/,
  },
  {
    phase: 'WorkloadCluster',
    step: 'pause-reconcile',
    how: 'the pause patch of the DockerDatacenterConfig is forbidden',
    inject: (s) =>
      s.failApi('dev', { method: 'PATCH', path: `${EKSA}/dockerdatacenterconfigs/dev`, status: 403 }),
    reason: /dockerdatacenterconfigs\/dev.*403 Forbidden/,
  },
  {
    phase: 'WorkloadCluster',
    step: 'apply-etcd',
    how: 'the apply of the EtcdadmCluster is forbidden',
    inject: (s) =>
      s.failApi('dev', {
        method: 'PATCH',
        path: '/apis/etcdcluster.cluster.x-k8s.io/v1beta1/namespaces/eksa-system/etcdadmclusters/dev-etcd',
        status: 403,
      }),
    reason: /etcdadmclusters\/dev-etcd.*403 Forbidden/,
    rerunSkips: ['backup-capi'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'wait-etcd-rollout',
    how: 'etcdadm never finishes replacing the members',
    inject: (s) => s.stoppedRollouts.add('EtcdadmCluster'),
    timeouts: { externalEtcdMs: SHORT_WAIT },
    waitedFor: /EtcdadmCluster eksa-system\/dev-etcd: every etcd member up to date and ready/,
    rerunSkips: ['backup-capi', 'pause-reconcile'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'apply-control-plane',
    how: 'the apply of the KubeadmControlPlane is forbidden',
    inject: (s) =>
      s.failApi('dev', {
        method: 'PATCH',
        path: '/apis/controlplane.cluster.x-k8s.io/v1beta2/namespaces/eksa-system/kubeadmcontrolplanes/dev',
        status: 403,
      }),
    reason: /kubeadmcontrolplanes\/dev.*403 Forbidden/,
    rerunSkips: ['backup-capi'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'wait-control-plane-rollout',
    how: 'the control plane never finishes its rolling update',
    inject: (s) => s.stoppedRollouts.add('KubeadmControlPlane'),
    timeouts: { controlPlaneMs: SHORT_WAIT },
    waitedFor: /KubeadmControlPlane eksa-system\/dev: every control plane machine at the new spec and ready/,
    rerunSkips: ['backup-capi', 'pause-reconcile'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'apply-workers',
    how: 'the apply of the MachineDeployment is forbidden',
    inject: (s) =>
      s.failApi('dev', { method: 'PATCH', path: `${CAPI}/machinedeployments/dev-md-0`, status: 403 }),
    reason: /machinedeployments\/dev-md-0.*403 Forbidden/,
    rerunSkips: ['backup-capi'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'wait-workers-rollout',
    how: 'the worker group never finishes its rolling update',
    inject: (s) => s.stoppedRollouts.add('MachineDeployment'),
    timeouts: { machinesMinimumMs: SHORT_WAIT, perMachineMs: 100 },
    waitedFor: /worker groups of dev at the new spec and ready/,
    rerunSkips: ['backup-capi', 'pause-reconcile'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'apply-machine-health-checks',
    how: 'the apply of the MachineHealthChecks is forbidden',
    inject: (s) => s.failApi('dev', { method: 'PATCH', path: `${CAPI}/machinehealthchecks/*`, status: 403 }),
    reason: /machinehealthchecks.*403 Forbidden/,
  },
  {
    phase: 'WorkloadCluster',
    step: 'update-eksa-objects',
    how: 'the apply of the EKS-A Cluster (its 2nd write, after the pause) is forbidden',
    inject: (s) => s.failApi('dev', { method: 'PATCH', path: `${EKSA}/clusters/dev`, nth: 2, status: 403 }),
    reason: /clusters\/dev.*403 Forbidden/,
  },
  {
    phase: 'WorkloadCluster',
    step: 'resume-reconcile',
    how: 'the resume patch (the 3rd write of the DockerDatacenterConfig) is forbidden',
    inject: (s) =>
      s.failApi('dev', { method: 'PATCH', path: `${EKSA}/dockerdatacenterconfigs/dev`, nth: 3, status: 403 }),
    reason: /dockerdatacenterconfigs\/dev.*403 Forbidden/,
  },
  {
    phase: 'ClusterConfigFiles',
    step: 'write-cluster-config',
    how: 'the config file cannot be written',
    inject: (s) => s.failFile(/dev-eks-a-cluster\.yaml$/),
    reason: /EACCES/,
  },
  {
    phase: 'WorkloadCluster',
    step: 'create-bootstrap-cluster',
    strategy: 'bootstrap',
    how: 'kind create cluster exits 1',
    inject: (s) => s.failTool('kind', 'create cluster', { message: 'ERROR: failed to create cluster' }),
    reason: /failed to create cluster/,
    kindCreates: 2,
  },
  {
    phase: 'WorkloadCluster',
    step: 'install-bootstrap-providers',
    strategy: 'bootstrap',
    how: 'clusterctl init on the bootstrap cluster exits 1',
    inject: (s) => s.failTool('clusterctl', 'init', { message: 'Error: failed to get provider components' }),
    reason: /failed to get provider components/,
  },
  {
    phase: 'WorkloadCluster',
    step: 'move-to-bootstrap',
    strategy: 'bootstrap',
    how: 'the move crashes half-way: the Cluster is in both, its delete from the cluster forbidden',
    inject: (s) => s.failApi('dev', { method: 'DELETE', path: `${CAPI}/clusters/dev`, status: 403 }),
    reason: /clusters\/dev.*403 Forbidden/,
    rerunRuns: ['complete-interrupted-move'],
    rerunSkips: ['move-to-bootstrap', 'backup-capi'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'move-back',
    strategy: 'bootstrap',
    how: 'the move back cannot create the Cluster in the cluster',
    inject: (s) => s.failApi('dev', { method: 'POST', path: `${CAPI}/clusters`, status: 403 }),
    reason: /403 Forbidden/,
    rerunSkips: ['move-to-bootstrap', 'backup-capi', 'create-bootstrap-cluster'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'move-back',
    strategy: 'bootstrap',
    how: 'the move back crashes half-way: the Cluster is in both, its delete from the bootstrap cluster forbidden',
    inject: (s) => s.failApi(KIND, { method: 'DELETE', path: `${CAPI}/clusters/dev`, status: 403 }),
    reason: /clusters\/dev.*403 Forbidden/,
    rerunRuns: ['complete-interrupted-move', 'delete-bootstrap-cluster'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'delete-bootstrap-cluster',
    strategy: 'bootstrap',
    how: 'kind delete cluster exits 1',
    inject: (s) => s.failTool('kind', 'delete cluster', { message: 'ERROR: failed to delete cluster' }),
    reason: /failed to delete cluster/,
  },
];

export const DELETE_FAILURE_CASES: readonly LifecycleFailureCase[] = [
  {
    phase: 'BootstrapCleanup',
    step: 'create-bootstrap-cluster',
    how: 'kind create cluster exits 1',
    inject: (s) => s.failTool('kind', 'create cluster', { message: 'ERROR: failed to create cluster' }),
    reason: /failed to create cluster/,
    kindCreates: 2,
  },
  {
    phase: 'BootstrapCleanup',
    step: 'install-bootstrap-providers',
    how: 'clusterctl init on the bootstrap cluster exits 1',
    inject: (s) => s.failTool('clusterctl', 'init', { message: 'Error: failed to get provider components' }),
    reason: /failed to get provider components/,
  },
  {
    phase: 'ManagementMove',
    step: 'pause-reconcile',
    how: 'the pause patch of the DockerDatacenterConfig is forbidden',
    inject: (s) =>
      s.failApi('dev', { method: 'PATCH', path: `${EKSA}/dockerdatacenterconfigs/dev`, status: 403 }),
    reason: /dockerdatacenterconfigs\/dev.*403 Forbidden/,
  },
  {
    phase: 'ManagementMove',
    step: 'move-to-bootstrap',
    how: 'the move cannot create the Cluster in the bootstrap cluster',
    inject: (s) => s.failApi(KIND, { method: 'POST', path: `${CAPI}/clusters`, status: 403 }),
    reason: /403 Forbidden/,
  },
  {
    phase: 'ManagementMove',
    step: 'move-to-bootstrap',
    how: 'the move crashes half-way: the Cluster is in both, its delete from the cluster forbidden',
    inject: (s) => s.failApi('dev', { method: 'DELETE', path: `${CAPI}/clusters/dev`, status: 403 }),
    reason: /clusters\/dev.*403 Forbidden/,
    rerunRuns: ['complete-interrupted-move'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'delete-capi-cluster',
    how: 'the delete of the CAPI Cluster in the bootstrap cluster is forbidden',
    inject: (s) => s.failApi(KIND, { method: 'DELETE', path: `${CAPI}/clusters/dev`, status: 403 }),
    reason: /clusters\/dev.*403 Forbidden/,
    rerunSkips: ['move-to-bootstrap'],
  },
  {
    phase: 'WorkloadCluster',
    step: 'wait-machines-deleted',
    how: 'listing the machines (while waiting for them to go) is forbidden',
    inject: (s) => s.failApi(KIND, { method: 'GET', path: `${CAPI}/machines`, status: 403, times: Infinity }),
    reason: /machines.*403 Forbidden/,
    rerunSkips: ['move-to-bootstrap', 'delete-capi-cluster'],
  },
  {
    phase: 'BootstrapCluster',
    step: 'delete-bootstrap-cluster',
    how: 'kind delete cluster exits 1',
    inject: (s) => s.failTool('kind', 'delete cluster', { message: 'ERROR: failed to delete cluster' }),
    reason: /failed to delete cluster/,
    rerunSkips: ['create-bootstrap-cluster', 'delete-capi-cluster'],
  },
  {
    phase: 'ClusterConfigFiles',
    step: 'remove-cluster-files',
    how: 'the config file cannot be removed',
    inject: (s) => s.failRemove(/dev-eks-a-cluster\.yaml$/),
    reason: /EACCES/,
  },
  {
    phase: 'WorkloadCluster',
    step: 'delete-capi-cluster',
    workload: true,
    how: 'the delete of w1 on the management cluster is forbidden',
    inject: (s) => s.failApi('dev', { method: 'DELETE', path: `${CAPI}/clusters/w1`, status: 403 }),
    reason: /clusters\/w1.*403 Forbidden/,
  },
  {
    phase: 'CuratedPackages',
    step: 'delete-package-resources',
    workload: true,
    how: "helm uninstall of the workload cluster's package controller exits 1",
    inject: (s) => s.failTool('helm', 'uninstall', { message: 'Error: uninstall: Release not loaded' }),
    reason: /Release not loaded/,
  },
];

/** The failure names its phase and step, with the reason or what was waited for; diagnostics are written. */
function expectFailure(error: unknown, c: LifecycleFailureCase, cluster: string): void {
  expect(error).toBeInstanceOf(WorkflowError);
  const failure = (error as WorkflowError).failure;
  expect(`${failure.phase}/${failure.step}`).toBe(`${c.phase}/${c.step}`);
  expect((error as Error).message).toContain(`${c.phase} of cluster ${cluster}: step ${c.step} failed`);
  if (c.reason) expect(failure.reason).toMatch(c.reason);
  if (c.waitedFor) {
    expect(failure.waitedFor).toMatch(c.waitedFor);
    expect(failure.lastObserved).toBeTruthy();
  }
  expect(failure.diagnosticsDir).toMatch(new RegExp(`^${cluster}/generated/diagnostics-`));
}

function expectRerun(sim: InstantSite, c: LifecycleFailureCase): void {
  const rerun = sim.journal.entries;
  for (const step of c.rerunSkips ?? []) {
    const entries = rerun.filter((e) => e.step === step);
    expect(entries.map((e) => `${step}: ${e.outcome}`)).not.toContain(`${step}: done`);
  }
  for (const step of c.rerunRuns ?? []) {
    expect(rerun.filter((e) => e.step === step && e.outcome === 'done').map((e) => e.step)).toEqual([step]);
  }
}

const objectsOf = (sim: InstantSite, cluster: string, kind: string) =>
  [...sim.cluster(cluster)!.engine.store.entries()]
    .map((e) => e.object as unknown as KubeObject)
    .filter((o) => o.kind === kind && o.metadata.namespace === 'eksa-system');

/** The moves that completed, over every run: to the bootstrap cluster and back, each at most `max` times. */
function expectMovesOnce(entries: readonly StepRecord[], max: number): void {
  const done = (step: string) => entries.filter((e) => e.step === step && e.outcome === 'done').length;
  const completed = entries.filter((e) => e.step === 'complete-interrupted-move' && e.outcome === 'done');
  const toBootstrap =
    done('move-to-bootstrap') + completed.filter((e) => /self → bootstrap/.test(e.detail ?? '')).length;
  const back = done('move-back') + completed.filter((e) => /bootstrap → self/.test(e.detail ?? '')).length;
  expect(toBootstrap).toBeLessThanOrEqual(max);
  expect(back).toBeLessThanOrEqual(max);
}

const count = (ops: readonly Operation[], match: (op: Operation) => boolean) => ops.filter(match).length;

/**
 * Creates dev, injects the fault, upgrades it to Kubernetes 1.34 (which fails at the case's step), clears the
 * fault, upgrades again, and checks that it converged to the upgraded cluster with every machine group rolled
 * exactly once over both runs and every completed destructive step not repeated.
 */
export async function runUpgradeFailureCase(c: LifecycleFailureCase): Promise<void> {
  const sim = await InstantSite.create();
  try {
    await createCluster(sim.site, config(DOCKER_MGMT), options);
    const from = sim.operations.length;
    const upgradeOptions = {
      ...options,
      timeouts: { ...FAST_TIMEOUTS, ...c.timeouts },
      strategy: c.strategy ?? 'inPlace',
    };
    c.inject(sim);
    const error = await upgradeCluster(sim.site, config(DOCKER_MGMT), config(V134), upgradeOptions).then(
      () => undefined,
      (e: unknown) => e,
    );
    expectFailure(error, c, 'dev');

    sim.clearFaults();
    const first = [...sim.journal.entries];
    sim.journal.clear();
    const result = await upgradeCluster(sim.site, config(DOCKER_MGMT), config(V134), {
      ...upgradeOptions,
      timeouts: FAST_TIMEOUTS,
    });
    expectRerun(sim, c);
    const ops = sim.operations.slice(from);
    // Each group rolled once in all: nothing rolled again.
    expect(
      ops
        .filter((o) => o.type === 'rollout')
        .map(describeOp)
        .map((d) => d.replace(/^[^:]+: /, '')),
    ).toEqual([
      'rolled EtcdadmCluster dev-etcd (1 machines)',
      'rolled KubeadmControlPlane dev (1 machines)',
      'rolled MachineDeployment dev-md-0 (2 machines)',
    ]);
    expect(count(ops, rolled('KubeadmControlPlane'))).toBe(1);
    expect(count(ops, tool('kind', 'create cluster', KIND))).toBeLessThanOrEqual(
      c.strategy === 'bootstrap' ? (c.kindCreates ?? 1) : 0,
    );
    // Moves are not repeated: over both runs, each direction moved (or completed) once at most.
    expectMovesOnce([...first, ...sim.journal.entries], c.strategy === 'bootstrap' ? 1 : 0);
    expect(count(ops, api('dev', 'create', 'Cluster', 'dev'))).toBeLessThanOrEqual(
      c.strategy === 'bootstrap' ? 2 : 0,
    );
    // The end state: upgraded, managed by itself, resumed, no backup, no kind cluster, the new config kept.
    expect(result.clusterName).toBe('dev');
    expect(sim.kindClusters()).toEqual([]);
    const kcp = objectsOf(sim, 'dev', 'KubeadmControlPlane')[0];
    expect((kcp.status as { version: string }).version).toMatch(/^v1\.34/);
    expect(objectsOf(sim, 'dev', 'Machine')).toHaveLength(3);
    const eksa = [...sim.cluster('dev')!.engine.store.entries()]
      .map((e) => e.object as unknown as KubeObject)
      .filter((o) => o.apiVersion.startsWith('anywhere.eks.amazonaws.com'));
    expect(eksa.filter((o) => o.metadata.annotations?.['anywhere.eks.amazonaws.com/paused'])).toEqual([]);
    expect((await sim.site.files.list('dev')).filter((f) => f.includes('backup'))).toEqual([]);
    expect(await sim.site.files.readText('dev/dev-eks-a-cluster.yaml')).toContain(
      'kubernetesVersion: "1.34"',
    );
  } finally {
    await sim.close();
  }
}

/**
 * Creates dev (and w1 through it for a workload case), injects the fault, deletes (which fails at the case's
 * step), clears the fault, deletes again, and checks that it converged: no kind cluster, the cluster gone, no
 * files of it left, and no completed destructive step repeated.
 */
export async function runDeleteFailureCase(c: LifecycleFailureCase): Promise<void> {
  const sim = await InstantSite.create();
  try {
    const management = await createCluster(sim.site, config(DOCKER_MGMT), options);
    const name = c.workload ? 'w1' : 'dev';
    const yaml = c.workload ? DOCKER_WORKLOAD : DOCKER_MGMT;
    const more = c.workload ? { managementKubeconfig: management.kubeconfig } : {};
    if (c.workload) await createCluster(sim.site, config(yaml, 'w1.yaml'), { ...options, ...more });
    const from = sim.operations.length;
    const deleteOptions = { ...options, ...more, timeouts: { ...FAST_TIMEOUTS, ...c.timeouts } };
    c.inject(sim);
    const error = await deleteCluster(sim.site, config(yaml), deleteOptions).then(
      () => undefined,
      (e: unknown) => e,
    );
    expectFailure(error, c, name);

    sim.clearFaults();
    const first = [...sim.journal.entries];
    sim.journal.clear();
    await deleteCluster(sim.site, config(yaml), { ...deleteOptions, timeouts: FAST_TIMEOUTS });
    expectRerun(sim, c);
    const ops = sim.operations.slice(from);
    expect(count(ops, tool('kind', 'create cluster', KIND))).toBeLessThanOrEqual(
      c.workload ? 0 : (c.kindCreates ?? 1),
    );
    expectMovesOnce([...first, ...sim.journal.entries], c.workload ? 0 : 1);
    // The cluster was deleted once: a re-run after the delete finds it gone or going.
    const all = [...first, ...sim.journal.entries];
    expect(all.filter((e) => e.step === 'delete-capi-cluster' && e.outcome === 'done')).toHaveLength(1);
    expect(sim.kindClusters()).toEqual([]);
    expect(sim.cluster(name)).toBeUndefined();
    expect([...sim.filesWithModes().keys()].filter((f) => f.startsWith(`${name}/`))).toEqual([]);
    if (c.workload) expect(objectsOf(sim, 'dev', 'Cluster').map((o) => o.metadata.name)).toEqual(['dev']);
  } finally {
    await sim.close();
  }
}
