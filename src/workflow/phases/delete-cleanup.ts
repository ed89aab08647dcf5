import * as path from 'node:path';
import { packageResourcesToDelete } from '../../manifests/addons/curated-packages';
import { gitOpsCleanup } from '../../manifests/addons/gitops-repository';
import { kindClusterName } from '../../tools/kind-cli';
import { answers, managementAccess, ownAccess, type ClusterAccess } from '../cluster-access';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { runPhase, type PhaseOptions, type PhaseRun, type StepControl } from '../phase-run';
import type { PreparedCluster } from '../prepare';
import type { Site } from '../site';
import { deleteTemporaryBootstrap } from '../temporary-bootstrap';
import { tolerateNotFound } from './tolerate';

// The cleanup phases of the seed's delete workflow, after the workload cluster is gone: the Git repository, the
// package resources, the bootstrap cluster, and the files eksa-iac wrote. Each is one resource's delete.

export type GitOpsDeleteInputs = ClusterInputs;

export interface GitOpsDeleteOutputs {
  /** `cleaned` by this run, `absent` (removed already), `skipped` (no gitOpsRef). */
  readonly state: 'cleaned' | 'absent' | 'skipped';
  /** The repository path to remove (`git rm -r`), relative to the repository root. */
  readonly repositoryPath?: string;
}

/**
 * GitOps' delete, the seed's "clean up the Git repository" (research A5.7): the cluster's folder (a management
 * cluster's whole `clusterConfigPath`) removed from the repository files eksa-iac writes under
 * `<c>/generated/gitops/`. Committing the removal is left to the user, as committing the files was (no git wrapper).
 */
export function gitOpsDelete(
  site: Site,
  inputs: GitOpsDeleteInputs,
  options: PhaseOptions = {},
): Promise<GitOpsDeleteOutputs> {
  return runPhase(site, 'GitOps', inputs, options, {}, async (run, prepared) => {
    let state: GitOpsDeleteOutputs['state'] = 'skipped';
    const cleanup = gitOpsCleanup(prepared.config);
    await run.step('clean-git-repository', async (control) => {
      if (!cleanup) {
        control.skipped('no gitOpsRef');
        return;
      }
      const local = path.join(prepared.paths.gitOpsDir, cleanup.remove);
      const existed = await site.files.exists(local);
      await site.files.remove(local);
      // The repository folder itself when nothing else (another cluster's files) is left in it.
      if ((await site.files.list(prepared.paths.gitOpsDir)).length === 0) {
        await site.files.remove(prepared.paths.gitOpsDir);
      }
      state = existed ? 'cleaned' : 'absent';
      if (!existed) control.skipped(`${local} is gone already`);
      control.note(`remove ${cleanup.remove} from the repository (git rm -r; ${cleanup.message})`);
    });
    return { state, ...(cleanup ? { repositoryPath: cleanup.remove } : {}) };
  });
}

export interface CuratedPackagesDeleteInputs extends ClusterInputs {
  /** The cluster's own kubeconfig. @default `<c>/<c>-eks-a-cluster.kubeconfig` */
  readonly workloadKubeconfig?: KubeconfigText;
  /** A workload cluster's management cluster, which holds its package resources (required there). */
  readonly managementKubeconfig?: KubeconfigText;
}

export interface CuratedPackagesDeleteOutputs {
  /** `deleted` by this run, `absent` (none left, or the cluster holding them is gone), `skipped` (packages disabled). */
  readonly state: 'deleted' | 'absent' | 'skipped';
}

/**
 * CuratedPackages' delete, the seed's "delete package resources": the cluster's PackageBundleController, its
 * packages namespace and, for a workload cluster, its release of the package controller chart (`helm uninstall`),
 * on the cluster that holds them — a workload cluster's management cluster, or a management cluster itself (where
 * they die with it: a cluster that does not answer any more has none left). What is gone already is fine.
 */
export function curatedPackagesDelete(
  site: Site,
  inputs: CuratedPackagesDeleteInputs,
  options: PhaseOptions = {},
): Promise<CuratedPackagesDeleteOutputs> {
  return runPhase(
    site,
    'CuratedPackages',
    inputs,
    options,
    {
      // helm only for a workload cluster's release on its management cluster.
      tools: managedByAnother(inputs) ? ['helm'] : [],
      managementKubeconfigGiven: !!inputs.managementKubeconfig,
    },
    async (run, prepared) => {
      let state: CuratedPackagesDeleteOutputs['state'] = 'skipped';
      const target = prepared.selfManaged
        ? await ownAccess(run, prepared, inputs.workloadKubeconfig, { probe: true })
        : await managementAccess(run, prepared, inputs.managementKubeconfig);
      await run.step('delete-package-resources', async (control) => {
        state = await deletePackageObjects(run, prepared, target, control);
      });
      return { state };
    },
  );
}

function managedByAnother(inputs: ClusterInputs): boolean {
  const cluster = inputs.config?.cluster;
  const manager = cluster?.spec?.managementCluster?.name;
  return manager !== undefined && manager !== cluster?.metadata?.name;
}

async function deletePackageObjects(
  run: PhaseRun,
  prepared: PreparedCluster,
  target: ClusterAccess | undefined,
  control: StepControl,
): Promise<CuratedPackagesDeleteOutputs['state']> {
  if (prepared.config.cluster.spec.packages?.disable) {
    control.skipped('packages.disable is set');
    return 'skipped';
  }
  if (!target || !(await answers(target.connection))) {
    control.skipped('the cluster that held its package resources is gone');
    return 'absent';
  }
  const cleanup = packageResourcesToDelete(prepared.config, prepared.root);
  let deleted = 0;
  for (const object of cleanup.objects) {
    const live = await tolerateNotFound(() => target.connection.client.get(object));
    if (!live || live.metadata.deletionTimestamp) continue;
    await tolerateNotFound(() => target.connection.client.delete(object));
    deleted++;
  }
  for (const release of cleanup.helmReleases) {
    const outcome = await run.site.tools.helm.uninstall(
      { ...release, kubeconfigPath: run.site.files.resolve(target.file) },
      { signal: run.site.signal },
    );
    if (outcome === 'uninstalled') deleted++;
  }
  if (deleted === 0) {
    control.skipped('no package resources left');
    return 'absent';
  }
  control.note(`${deleted} package resources`);
  return 'deleted';
}

export type BootstrapClusterDeleteInputs = ClusterInputs;

export interface BootstrapClusterDeleteOutputs {
  readonly kindClusterName: string;
  /** `deleted` by this run, `absent` (no kind cluster of this cluster runs). */
  readonly state: 'deleted' | 'absent';
}

/**
 * BootstrapCluster's delete, the seed's last delete step ("delete the management cluster", the kind one): `kind
 * delete cluster` and its kubeconfig removed — refused while it still holds the cluster's CAPI Cluster (its
 * machines would be orphaned). Then the scratch files under `<c>/generated/` go, and `<c>/` when nothing of the
 * user's is left in it.
 */
export function bootstrapClusterDelete(
  site: Site,
  inputs: BootstrapClusterDeleteInputs,
  options: PhaseOptions = {},
): Promise<BootstrapClusterDeleteOutputs> {
  return runPhase(site, 'BootstrapCluster', inputs, options, { tools: ['kind'] }, async (run, prepared) => {
    let state: BootstrapClusterDeleteOutputs['state'] = 'absent';
    await run.step('delete-bootstrap-cluster', async (control) => {
      state = (await deleteTemporaryBootstrap(run, prepared, control)) ? 'deleted' : 'absent';
    });
    await run.step('remove-generated-files', (control) =>
      removeClusterFiles(run, prepared, control, { onlyGenerated: true }),
    );
    return { kindClusterName: kindClusterName(prepared.clusterName), state };
  });
}

export type ClusterConfigFilesDeleteInputs = ClusterInputs;

export interface ClusterConfigFilesDeleteOutputs {
  /** The files and folders removed (relative to the working directory). */
  readonly removed: readonly string[];
}

/**
 * ClusterConfigFiles' delete: the files eksa-iac wrote for the cluster — `<c>/<c>-eks-a-cluster.yaml` and
 * `.kubeconfig`, upgrade backups `<c>/<c>-backup-*`, everything under `<c>/generated/` — and `<c>/` itself when
 * nothing else is left in it. Anything else under `<c>/` is the user's and stays.
 */
export function clusterConfigFilesDelete(
  site: Site,
  inputs: ClusterConfigFilesDeleteInputs,
  options: PhaseOptions = {},
): Promise<ClusterConfigFilesDeleteOutputs> {
  return runPhase(site, 'ClusterConfigFiles', inputs, options, {}, async (run, prepared) => {
    const removed = await run.step('remove-cluster-files', (control) =>
      removeClusterFiles(run, prepared, control),
    );
    return { removed };
  });
}

/**
 * The files of a deleted cluster eksa-iac wrote: the config and kubeconfig kept under `<c>/`, the upgrade backups,
 * the scratch files under `<c>/generated/` (all of them, diagnostics included); `<c>/generated` and `<c>/` when
 * empty after that. `onlyGenerated` leaves the kept config and kubeconfig (and backups).
 */
export async function removeClusterFiles(
  run: PhaseRun,
  prepared: PreparedCluster,
  control: StepControl,
  options: { readonly onlyGenerated?: boolean } = {},
): Promise<string[]> {
  const { files } = run.site;
  const { paths } = prepared;
  const removed: string[] = [];
  const remove = async (file: string) => {
    if (await files.exists(file)) {
      await files.remove(file);
      removed.push(file);
    }
  };
  if (!options.onlyGenerated) {
    await remove(paths.clusterConfig);
    await remove(paths.kubeconfig);
    for (const name of await files.list(paths.dir)) {
      if (name.startsWith(`${prepared.clusterName}-backup-`)) await remove(path.join(paths.dir, name));
    }
  }
  for (const name of await files.list(paths.generated)) await remove(path.join(paths.generated, name));
  if ((await files.exists(paths.generated)) && (await files.list(paths.generated)).length === 0) {
    await files.remove(paths.generated);
  }
  if ((await files.exists(paths.dir)) && (await files.list(paths.dir)).length === 0) {
    await files.remove(paths.dir);
    removed.push(paths.dir);
  }
  if (removed.length === 0) control.skipped('no files left');
  else control.note(`${removed.length} files and folders under ${paths.dir}`);
  return removed;
}
