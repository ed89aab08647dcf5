import type { ClusterInputs, KubeconfigText } from './inputs';
import { clusterPaths } from './paths';
import { PhaseRun, VALIDATE_STEP, type PhaseOptions } from './phase-run';
import {
  bootstrapClusterDelete,
  clusterConfigFilesDelete,
  curatedPackagesDelete,
  gitOpsDelete,
  type BootstrapClusterDeleteOutputs,
  type ClusterConfigFilesDeleteOutputs,
  type CuratedPackagesDeleteOutputs,
  type GitOpsDeleteOutputs,
} from './phases/delete-cleanup';
import { managementMoveBack, type ManagementMoveBackOutputs } from './phases/management-move-back';
import { recreateBootstrap, type RecreateBootstrapOutputs } from './phases/recreate-bootstrap';
import { deleteWorkloadCluster, type DeleteWorkloadClusterOutputs } from './phases/workload-cluster-delete';
import { clusterNameOf, preflightTools, prepareCluster, type PreparedCluster } from './prepare';
import type { Site } from './site';
import { DEFAULT_TIMEOUTS } from './timeouts';
import { isSelfManaged, type ClusterConfig } from '../spec/cluster-config';
import type { ToolName } from '../tools/preflight';

/** Options of {@link deleteCluster}: the phases' inputs besides the config. */
export interface DeleteClusterOptions extends Omit<ClusterInputs, 'config'> {
  /** The cluster's own kubeconfig. @default `<c>/<c>-eks-a-cluster.kubeconfig` */
  readonly workloadKubeconfig?: KubeconfigText;
  /** A workload cluster's management cluster (required when the config names another manager). */
  readonly managementKubeconfig?: KubeconfigText;
}

/** What a delete did, phase by phase. */
export interface DeleteClusterResult {
  readonly clusterName: string;
  /** `deleted` by this run, `absent` (no cluster held it: deleted already; only the cleanup ran). */
  readonly state: 'deleted' | 'absent';
  readonly deletedThrough?: 'bootstrap' | 'management';
  readonly phases: {
    readonly recreateBootstrap?: RecreateBootstrapOutputs;
    readonly managementMoveBack?: ManagementMoveBackOutputs;
    readonly workloadCluster: DeleteWorkloadClusterOutputs;
    readonly gitOps: GitOpsDeleteOutputs;
    readonly curatedPackages: CuratedPackagesDeleteOutputs;
    readonly bootstrapCluster?: BootstrapClusterDeleteOutputs;
    readonly clusterConfigFiles: ClusterConfigFilesDeleteOutputs;
  };
}

/**
 * The seed's delete workflow (research A5), every phase in order: validation and preflight → a bootstrap cluster
 * with CAPI → management moved to it (reconciliation paused first) → the workload cluster deleted through it, until
 * its machines are gone → the Git repository cleaned → the package resources deleted → the bootstrap cluster
 * deleted → the files eksa-iac wrote removed (the user's stay). A workload cluster (its config names another
 * management cluster) is deleted through that cluster: no bootstrap cluster, no move (research A3/A5 "Workload").
 *
 * Every phase asks the clusters where things are, so a delete that failed continues where it stopped, a move
 * interrupted half-way is completed, and deleting a deleted cluster only tidies up.
 */
export async function deleteCluster(
  site: Site,
  config: ClusterConfig,
  options: DeleteClusterOptions = {},
): Promise<DeleteClusterResult> {
  const inputs: ClusterInputs = {
    config,
    ...(options.bundles ? { bundles: options.bundles } : {}),
    ...(options.contract ? { contract: options.contract } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.featureFlags ? { featureFlags: options.featureFlags } : {}),
  };
  const selfManaged = isSelfManaged(config.cluster);
  const prepared = await validateForDelete(site, inputs, selfManaged, !!options.managementKubeconfig);
  const phase: PhaseOptions = { prepared };
  const kubeconfigs = {
    ...(options.workloadKubeconfig ? { workloadKubeconfig: options.workloadKubeconfig } : {}),
    ...(options.managementKubeconfig ? { managementKubeconfig: options.managementKubeconfig } : {}),
  };

  if (!selfManaged) {
    const workload = await deleteWorkloadCluster(site, { ...inputs, ...kubeconfigs }, phase);
    const git = await gitOpsDelete(site, inputs, phase);
    const packages = await curatedPackagesDelete(site, { ...inputs, ...kubeconfigs }, phase);
    const files = await clusterConfigFilesDelete(site, inputs, phase);
    site.logger.info(`Cluster ${prepared.clusterName} deleted (through its management cluster)`);
    return {
      clusterName: prepared.clusterName,
      state: workload.state,
      ...(workload.deletedThrough ? { deletedThrough: workload.deletedThrough } : {}),
      phases: {
        workloadCluster: workload,
        gitOps: git,
        curatedPackages: packages,
        clusterConfigFiles: files,
      },
    };
  }

  const bootstrap = await recreateBootstrap(site, { ...inputs, ...kubeconfigs }, phase);
  const move = await managementMoveBack(
    site,
    {
      ...inputs,
      ...kubeconfigs,
      ...(bootstrap.bootstrapKubeconfig ? { bootstrapKubeconfig: bootstrap.bootstrapKubeconfig } : {}),
    },
    phase,
  );
  const workload = await deleteWorkloadCluster(site, { ...inputs, ...kubeconfigs }, phase);
  const git = await gitOpsDelete(site, inputs, phase);
  const packages = await curatedPackagesDelete(site, { ...inputs, ...kubeconfigs }, phase);
  const kind = await bootstrapClusterDelete(site, inputs, phase);
  const files = await clusterConfigFilesDelete(site, inputs, phase);
  site.logger.info(`Cluster ${prepared.clusterName} deleted`);
  return {
    clusterName: prepared.clusterName,
    state: workload.state,
    ...(workload.deletedThrough ? { deletedThrough: workload.deletedThrough } : {}),
    phases: {
      recreateBootstrap: bootstrap,
      managementMoveBack: move,
      workloadCluster: workload,
      gitOps: git,
      curatedPackages: packages,
      bootstrapCluster: kind,
      clusterConfigFiles: files,
    },
  };
}

/** Validation of the whole delete before anything changes: the config, the bundles, and every program it runs. */
async function validateForDelete(
  site: Site,
  inputs: ClusterInputs,
  selfManaged: boolean,
  managementKubeconfigGiven: boolean,
): Promise<PreparedCluster> {
  const name = clusterNameOf(inputs);
  const run = new PhaseRun(
    site,
    selfManaged ? 'BootstrapCleanup' : 'WorkloadCluster',
    name,
    clusterPaths(name),
    DEFAULT_TIMEOUTS,
  );
  try {
    return await run.step(VALIDATE_STEP, async () => {
      const prepared = await prepareCluster(run, inputs, { managementKubeconfigGiven });
      const tools: ToolName[] = selfManaged
        ? [...(prepared.provider === 'docker' ? (['docker'] as const) : []), 'kind', 'clusterctl']
        : ['helm'];
      await preflightTools(run, prepared, tools);
      return prepared;
    });
  } finally {
    run.close();
  }
}
