import type { ClusterInputs, KubeconfigText } from './inputs';
import { clusterPaths } from './paths';
import { PhaseRun, VALIDATE_STEP, type PhaseOptions } from './phase-run';
import { clusterConfigFiles, type ClusterConfigFilesOutputs } from './phases/cluster-config-files';
import {
  upgradeWorkloadCluster,
  type UpgradeStrategy,
  type UpgradeWorkloadClusterOutputs,
} from './phases/upgrade-workload-cluster';
import { clusterNameOf, preflightTools, prepareCluster, type PreparedCluster } from './prepare';
import type { Site } from './site';
import { DEFAULT_TIMEOUTS } from './timeouts';
import type { ClusterConfig } from '../spec/cluster-config';
import { setClusterDefaults } from '../spec/defaults';
import { throwIfErrors } from '../spec/issue';
import { validateUpdate } from '../spec/validate-update';
import type { ToolName } from '../tools/preflight';

/** Options of {@link upgradeCluster}: the phases' inputs besides the two configs. */
export interface UpgradeClusterOptions extends Omit<ClusterInputs, 'config'> {
  /** @default "inPlace" */
  readonly strategy?: UpgradeStrategy;
  /** The cluster's own kubeconfig. @default `<c>/<c>-eks-a-cluster.kubeconfig` */
  readonly workloadKubeconfig?: KubeconfigText;
  /** A workload cluster's management cluster (required when the config names another manager). */
  readonly managementKubeconfig?: KubeconfigText;
}

/** What an upgrade did. */
export interface UpgradeClusterResult {
  readonly clusterName: string;
  /** The cluster's admin kubeconfig (secret). */
  readonly kubeconfig: KubeconfigText;
  readonly kubeconfigPath: string;
  readonly clusterConfigPath: string;
  readonly endpoint: string;
  readonly manifestDigest: string;
  readonly strategy: UpgradeStrategy;
  /** What the upgrade found to roll (the plan's lines). */
  readonly rolloutPlan: readonly string[];
  /** False when nothing had to roll. */
  readonly rolled: boolean;
  readonly phases: {
    readonly workloadCluster: UpgradeWorkloadClusterOutputs;
    readonly clusterConfigFiles: ClusterConfigFilesOutputs;
  };
}

/**
 * The seed's upgrade workflow for standalone use (the Pulumi layer runs the same as WorkloadCluster's and
 * ClusterConfigFiles' updates): validation — the new config, EKS-A's update rules against `previous` (immutable
 * fields refused with the reason), the preflight — then {@link upgradeWorkloadCluster} (secrets, etcdadm providers,
 * core components, the plan, pause, backup, the rollout by strategy, EKS-A objects and Git, resume) and the config
 * files written ("write ClusterConfig"). `previous` undefined: the config the cluster runs is read from it.
 */
export async function upgradeCluster(
  site: Site,
  previous: ClusterConfig | undefined,
  next: ClusterConfig,
  options: UpgradeClusterOptions = {},
): Promise<UpgradeClusterResult> {
  const inputs: ClusterInputs = {
    config: next,
    ...(options.bundles ? { bundles: options.bundles } : {}),
    ...(options.contract ? { contract: options.contract } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.featureFlags ? { featureFlags: options.featureFlags } : {}),
  };
  const prepared = await validateForUpgrade(site, inputs, previous, !!options.managementKubeconfig);
  const phase: PhaseOptions = { prepared };
  const workload = await upgradeWorkloadCluster(
    site,
    {
      ...inputs,
      ...(previous ? { previousConfig: previous } : {}),
      ...(options.strategy ? { strategy: options.strategy } : {}),
      ...(options.workloadKubeconfig ? { workloadKubeconfig: options.workloadKubeconfig } : {}),
      ...(options.managementKubeconfig ? { managementKubeconfig: options.managementKubeconfig } : {}),
    },
    phase,
  );
  const files = await clusterConfigFiles(site, { ...inputs, workloadKubeconfig: workload.kubeconfig }, phase);
  site.logger.info(
    workload.rolled
      ? `Cluster ${prepared.clusterName} upgraded`
      : `Cluster ${prepared.clusterName}: nothing to upgrade`,
  );
  return {
    clusterName: prepared.clusterName,
    kubeconfig: files.kubeconfig,
    kubeconfigPath: files.kubeconfigPath,
    clusterConfigPath: files.clusterConfigPath,
    endpoint: workload.endpoint,
    manifestDigest: workload.manifestDigest,
    strategy: workload.strategy,
    rolloutPlan: workload.rolloutPlan,
    rolled: workload.rolled,
    phases: { workloadCluster: workload, clusterConfigFiles: files },
  };
}

async function validateForUpgrade(
  site: Site,
  inputs: ClusterInputs,
  previous: ClusterConfig | undefined,
  managementKubeconfigGiven: boolean,
): Promise<PreparedCluster> {
  const name = clusterNameOf(inputs);
  const run = new PhaseRun(site, 'WorkloadCluster', name, clusterPaths(name), DEFAULT_TIMEOUTS);
  try {
    return await run.step(VALIDATE_STEP, async () => {
      const prepared = await prepareCluster(run, inputs, { managementKubeconfigGiven });
      if (previous) {
        throwIfErrors(
          validateUpdate(setClusterDefaults(previous, { env: site.env }), prepared.config, {
            file: prepared.config.file,
          }),
          `cluster ${prepared.clusterName} cannot be upgraded to this config`,
        );
      }
      const tools: ToolName[] = prepared.selfManaged
        ? [...(prepared.provider === 'docker' ? (['docker'] as const) : []), 'helm', 'kind', 'clusterctl']
        : ['helm'];
      await preflightTools(run, prepared, tools);
      return prepared;
    });
  } finally {
    run.close();
  }
}
