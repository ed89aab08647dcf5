import * as path from 'node:path';
import { isKubeApiError } from '../../kube/errors';
import { NO_RETRY } from '../../kube/retry';
import type { KubeClient } from '../../kube/types';
import {
  ALLOW_DELETE_WHEN_PAUSED_ANNOTATION,
  pauseReconcilePatches,
} from '../../manifests/addons/eksa-annotations';
import { packageResourcesToDelete } from '../../manifests/addons/curated-packages';
import { gitOpsCleanup } from '../../manifests/addons/gitops-repository';
import { capiApiVersion } from '../../manifests/contract';
import { locateCapiObjects, moveCapiObjects, type CapiLocation, type HolderCandidate } from '../capi-holder';
import type { ClusterConnection } from '../cluster-connection';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { capiClusterRef } from '../locate-manager';
import { runPhase, type PhaseOptions, type PhaseRun, type StepControl } from '../phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from '../prepare';
import type { Site } from '../site';
import { ensureTemporaryBootstrap, findBootstrap } from '../temporary-bootstrap';
import { pollUntil } from '../waits';

export interface DeleteWorkloadClusterInputs extends ClusterInputs {
  /** The cluster's own kubeconfig (a management cluster that still manages itself). */
  readonly workloadKubeconfig?: KubeconfigText;
  /** A workload cluster's management cluster. */
  readonly managementKubeconfig?: KubeconfigText;
}

export interface DeleteWorkloadClusterOutputs {
  /** `deleted` by this run, or `absent` (no cluster held its CAPI objects). */
  readonly state: 'deleted' | 'absent';
  /** Which cluster it was deleted through. */
  readonly deletedThrough?: 'bootstrap' | 'management';
}

/**
 * WorkloadCluster's delete, the heart of the seed's delete workflow: the cluster deleted through the cluster that
 * manages it now (the bootstrap cluster after management moved to it, or a workload cluster's management cluster),
 * waiting until its Cluster and every machine are gone; then the rest of the seed's list, in its order — the GitOps
 * repository cleaned, the package resources deleted — and the files of the cluster removed. A management cluster
 * that still manages itself (nothing moved it yet) gets a bootstrap cluster and is moved to it first, so this
 * delete never deletes a cluster from under its own controllers. Nothing holds it: only the cleanup runs. Every
 * step tolerates what is gone already, so a failed delete runs again to completion.
 */
export function deleteWorkloadCluster(
  site: Site,
  inputs: DeleteWorkloadClusterInputs,
  options: PhaseOptions = {},
): Promise<DeleteWorkloadClusterOutputs> {
  return runPhase(
    site,
    'WorkloadCluster',
    inputs,
    options,
    { tools: ['kind', 'clusterctl', 'helm'], managementKubeconfigGiven: !!inputs.managementKubeconfig },
    async (run, prepared) => {
      const management = await managementConnection(run, prepared, inputs);
      const location = await run.step('locate-manager', (control) =>
        locateForDelete(run, prepared, inputs, management?.connection, control),
      );
      const manager = await managerForDelete(run, prepared, location);
      let result: DeleteWorkloadClusterOutputs = { state: 'absent' };
      if (manager) {
        await run.step('delete-capi-cluster', (control) => deleteCapiCluster(prepared, manager, control));
        await run.step('wait-machines-deleted', () => waitUntilGone(run, prepared, manager.connection.client));
        result = { state: 'deleted', deletedThrough: manager.role === 'management' ? 'management' : 'bootstrap' };
      } else {
        await run.step('delete-capi-cluster', async (control) =>
          control.skipped('no cluster holds its CAPI objects: it is deleted already'),
        );
      }
      await run.step('delete-eksa-objects', (control) =>
        deleteEksaObjects(run, prepared, management?.connection, control),
      );
      await run.step('clean-git-repository', (control) => cleanGitOpsFiles(run, prepared, control));
      await run.step('delete-package-resources', (control) =>
        deletePackageObjects(run, prepared, management ?? (manager && { connection: manager.connection }), control),
      );
      await run.step('remove-cluster-files', (control) => removeClusterFiles(run, prepared, control));
      return result;
    },
  );
}

/**
 * Where the cluster's CAPI objects are, for its delete: a workload cluster's management cluster; for a management
 * cluster the bootstrap cluster, itself (nothing moved it yet), or both (an interrupted move).
 */
async function locateForDelete(
  run: PhaseRun,
  prepared: PreparedCluster,
  inputs: DeleteWorkloadClusterInputs,
  management: ClusterConnection | undefined,
  control: StepControl,
): Promise<CapiLocation> {
  if (!prepared.selfManaged) {
    if (!management) throw new Error(`workload cluster ${prepared.clusterName}: give managementKubeconfig`);
    const found = await locateCapiObjects(prepared, [{ role: 'management', connection: management }]);
    control.note(found.state === 'absent' ? 'the management cluster does not hold it' : 'the management cluster');
    return found;
  }
  const candidates: HolderCandidate[] = [];
  const own = await ownConnection(run, prepared, inputs.workloadKubeconfig);
  if (own) candidates.push({ role: 'self', connection: own });
  const bootstrap = await findBootstrap(run, prepared);
  if (bootstrap) candidates.push({ role: 'bootstrap', connection: bootstrap.connection });
  const found = await locateCapiObjects(prepared, candidates);
  control.note(
    found.state === 'absent'
      ? 'no cluster holds its CAPI objects'
      : found.state === 'held'
        ? `the ${found.holder.role} cluster holds them`
        : `an interrupted move from the ${found.from.role} to the ${found.to.role} cluster`,
  );
  return found;
}

/**
 * The cluster to delete through. A management cluster that still manages itself gets a bootstrap cluster and is
 * moved to it first (deleting it from itself would delete the controllers doing the delete); an interrupted move is
 * completed first.
 */
async function managerForDelete(
  run: PhaseRun,
  prepared: PreparedCluster,
  location: CapiLocation,
): Promise<HolderCandidate | undefined> {
  if (location.state === 'absent') return undefined;
  let holder: HolderCandidate;
  if (location.state === 'moving') {
    await run.step('complete-interrupted-move', (control) =>
      moveCapiObjects(run, prepared, location.from, location.to, control),
    );
    holder = location.to;
  } else {
    holder = location.holder;
  }
  if (holder.role !== 'self') return holder;
  const made = await ensureTemporaryBootstrap(run, prepared);
  const target: HolderCandidate = { role: 'bootstrap', connection: made.connection };
  await run.step('move-to-bootstrap', (control) => moveCapiObjects(run, prepared, holder, target, control));
  return target;
}

/** Deletes the CAPI Cluster; Cluster API deletes what it owns (control plane, workers, etcd, machines, infrastructure). */
async function deleteCapiCluster(
  prepared: PreparedCluster,
  manager: HolderCandidate,
  control: StepControl,
): Promise<void> {
  const ref = capiClusterRef(prepared);
  const cluster = await manager.connection.client.get(ref);
  if (!cluster) {
    control.skipped('the Cluster is gone already');
    return;
  }
  // A Cluster paused by an interrupted move would never be deleted.
  if ((cluster.spec as { paused?: boolean } | undefined)?.paused) {
    await manager.connection.client.mergePatch(ref, { spec: { paused: null } });
  }
  if (cluster.metadata.deletionTimestamp) {
    control.adopted('the Cluster is being deleted already');
    return;
  }
  await manager.connection.client.delete(ref, { propagationPolicy: 'Foreground' });
  control.note(`Cluster ${EKSA_SYSTEM_NAMESPACE}/${prepared.clusterName} through the ${manager.role} cluster`);
}

/** EKS-A's deleter wait: the Cluster and every Machine of the cluster gone (`deleteMs`, EKS-A's 30 minutes). */
async function waitUntilGone(run: PhaseRun, prepared: PreparedCluster, client: KubeClient): Promise<void> {
  const ref = capiClusterRef(prepared);
  await pollUntil(
    run,
    `Cluster ${EKSA_SYSTEM_NAMESPACE}/${prepared.clusterName} and its machines gone`,
    prepared.timeouts.deleteMs,
    async () => {
      const cluster = await client.get(ref);
      const machines = await client.list(capiApiVersion('core', prepared.contract), 'Machine', {
        namespace: EKSA_SYSTEM_NAMESPACE,
        labelSelector: `cluster.x-k8s.io/cluster-name=${prepared.clusterName}`,
      });
      return {
        done: !cluster && machines.length === 0,
        observed: `${cluster ? 'the Cluster is being deleted' : 'the Cluster is gone'}, ${machines.length} machines left`,
      };
    },
  );
}

/**
 * A workload cluster's EKS-A objects on its management cluster (a management cluster's died with it): marked
 * deletable while paused, deleted, and awaited (the EKS-A controller, if it runs, removes its finalizer).
 */
async function deleteEksaObjects(
  run: PhaseRun,
  prepared: PreparedCluster,
  management: ClusterConnection | undefined,
  control: StepControl,
): Promise<void> {
  if (prepared.selfManaged || !management) {
    control.skipped('its EKS-A objects lived in the cluster itself');
    return;
  }
  const patches = pauseReconcilePatches(prepared.config);
  const refs = patches.map((p) => ({ apiVersion: p.apiVersion, kind: p.kind, name: p.name, namespace: p.namespace }));
  let deleted = 0;
  for (const ref of refs) {
    const live = await tolerate(() => management.client.get(ref));
    if (!live) continue;
    if (ref.kind === 'Cluster') {
      await management.client.mergePatch(ref, {
        metadata: { annotations: { [ALLOW_DELETE_WHEN_PAUSED_ANNOTATION]: 'true' } },
      });
    }
    await management.client.delete(ref);
    deleted++;
  }
  await pollUntil(run, `the EKS-A objects of ${prepared.clusterName} gone`, prepared.timeouts.deleteMs, async () => {
    const left = (await Promise.all(refs.map((r) => tolerate(() => management.client.get(r))))).filter(Boolean);
    return { done: left.length === 0, observed: `${left.length} left` };
  });
  if (deleted === 0) control.skipped('no EKS-A objects left');
  else control.note(`${deleted} EKS-A objects`);
}

/**
 * The seed's "clean up the Git repository" (research A5.7): the cluster's folder (a management cluster's whole
 * `clusterConfigPath`) removed from the repository files eksa-iac writes under `<c>/generated/gitops/`. Committing
 * the removal to the repository is left to the user, as committing them was.
 */
export async function cleanGitOpsFiles(run: PhaseRun, prepared: PreparedCluster, control: StepControl): Promise<void> {
  const cleanup = gitOpsCleanup(prepared.config);
  if (!cleanup) {
    control.skipped('no gitOpsRef');
    return;
  }
  const local = path.join(prepared.paths.gitOpsDir, cleanup.remove);
  const existed = await run.site.files.exists(local);
  await run.site.files.remove(local);
  if (!existed) control.skipped(`${local} is gone already`);
  control.note(`remove ${cleanup.remove} from the repository (git rm -r; ${cleanup.message})`);
}

/**
 * The seed's "delete package resources": the cluster's PackageBundleController, its packages namespace and, for a
 * workload cluster, its release of the package controller chart, on the cluster that managed it. What is gone
 * already is fine.
 */
export async function deletePackageObjects(
  run: PhaseRun,
  prepared: PreparedCluster,
  target: { readonly connection: ClusterConnection; readonly file?: string } | undefined,
  control: StepControl,
): Promise<void> {
  if (prepared.config.cluster.spec.packages?.disable) {
    control.skipped('packages.disable is set');
    return;
  }
  if (!target) {
    control.skipped('no cluster holds package resources of it');
    return;
  }
  const cleanup = packageResourcesToDelete(prepared.config, prepared.root);
  let deleted = 0;
  for (const object of cleanup.objects) {
    if (await tolerate(() => target.connection.client.delete(object))) deleted++;
  }
  for (const release of cleanup.helmReleases) {
    if (!target.file) continue;
    const outcome = await run.site.tools.helm.uninstall(
      { ...release, kubeconfigPath: run.site.files.resolve(target.file) },
      { signal: run.site.signal },
    );
    if (outcome === 'uninstalled') deleted++;
  }
  if (deleted === 0) control.skipped('no package resources left');
  else control.note(`${deleted} package resources`);
}

/**
 * The files of a deleted cluster: the config and kubeconfig kept under `<c>/` (ClusterConfigFiles'), the scratch
 * files under `<c>/generated/`, the upgrade backups, and `<c>/` itself when nothing else (a file of the user's) is
 * left in it.
 */
export async function removeClusterFiles(
  run: PhaseRun,
  prepared: PreparedCluster,
  control: StepControl,
  options: { readonly keepBootstrapKubeconfig?: boolean } = {},
): Promise<void> {
  const { files } = run.site;
  const { paths } = prepared;
  const removed: string[] = [];
  for (const file of [paths.clusterConfig, paths.kubeconfig]) {
    if (await files.exists(file)) {
      await files.remove(file);
      removed.push(file);
    }
  }
  for (const name of await files.list(paths.dir)) {
    if (name.startsWith(`${prepared.clusterName}-backup-`)) {
      await files.remove(path.join(paths.dir, name));
      removed.push(path.join(paths.dir, name));
    }
  }
  for (const name of await files.list(paths.generated)) {
    const file = path.join(paths.generated, name);
    if (options.keepBootstrapKubeconfig && file === paths.kindKubeconfig) continue;
    await files.remove(file);
    removed.push(file);
  }
  if ((await files.list(paths.generated)).length === 0) await files.remove(paths.generated);
  if ((await files.list(paths.dir)).length === 0) await files.remove(paths.dir);
  if (removed.length === 0) control.skipped('no files left');
  else control.note(`${removed.length} files and folders under ${paths.dir}`);
}

async function ownConnection(
  run: PhaseRun,
  prepared: PreparedCluster,
  given: string | undefined,
): Promise<ClusterConnection | undefined> {
  const { files } = run.site;
  if (given) {
    run.secret(given);
    return run.connect('workload', { yaml: given, name: 'cluster kubeconfig' }, { retry: { read: NO_RETRY } });
  }
  for (const file of [prepared.paths.kubeconfig, prepared.paths.generatedKubeconfig]) {
    if (await files.exists(file)) return run.connect('workload', { file }, { retry: { read: NO_RETRY } });
  }
  return undefined;
}

async function managementConnection(
  run: PhaseRun,
  prepared: PreparedCluster,
  inputs: { readonly managementKubeconfig?: string },
): Promise<{ connection: ClusterConnection; file: string } | undefined> {
  if (prepared.selfManaged || !inputs.managementKubeconfig) return undefined;
  run.secret(inputs.managementKubeconfig);
  const file = path.join(prepared.paths.generated, 'management.kubeconfig');
  if ((await run.site.files.readText(file)) !== inputs.managementKubeconfig) {
    await run.site.files.writeText(file, inputs.managementKubeconfig, { secret: true });
  }
  return { connection: await run.connect('management', { file }), file };
}

async function tolerate<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isKubeApiError(error) && error.statusCode === 404) return undefined;
    throw error;
  }
}

