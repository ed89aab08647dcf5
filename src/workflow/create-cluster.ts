import type { ClusterInputs, KubeconfigText, MoveMethod } from './inputs';
import { clusterPaths } from './paths';
import { PhaseRun, VALIDATE_STEP, type PhaseOptions } from './phase-run';
import { bootstrapCleanup, type BootstrapCleanupOutputs } from './phases/bootstrap-cleanup';
import { bootstrapCluster, createToolNames, type BootstrapClusterOutputs } from './phases/bootstrap-cluster';
import { capiProviders, type CapiProvidersOutputs } from './phases/capi-providers';
import { clusterConfigFiles, type ClusterConfigFilesOutputs } from './phases/cluster-config-files';
import { curatedPackages, type CuratedPackagesOutputs } from './phases/curated-packages';
import { eksaComponents, type EksaComponentsOutputs } from './phases/eksa-components';
import { gitOps, type GitOpsOutputs } from './phases/gitops';
import { managementMove, type ManagementMoveOutputs } from './phases/management-move';
import { workloadCluster, type WorkloadClusterOutputs } from './phases/workload-cluster';
import { clusterNameOf, preflightTools, prepareCluster, type PreparedCluster } from './prepare';
import type { Site } from './site';
import { DEFAULT_TIMEOUTS } from './timeouts';
import type { ClusterConfig } from '../spec/cluster-config';
import { isSelfManaged } from '../spec/cluster-config';

/** Options of {@link createCluster}: the phases' inputs besides the config. */
export interface CreateClusterOptions extends Omit<ClusterInputs, 'config'> {
  /** A workload cluster's management cluster (its kubeconfig); required when the config names another manager. */
  readonly managementKubeconfig?: KubeconfigText;
  /** StorageClass objects for the new cluster (replacing the provider's default). */
  readonly storageClasses?: readonly unknown[];
  /** @default "native" */
  readonly moveWith?: MoveMethod;
}

/** What a create produced, phase by phase. */
export interface CreateClusterResult {
  readonly clusterName: string;
  /** The cluster's admin kubeconfig (secret). */
  readonly kubeconfig: KubeconfigText;
  /** `<c>/<c>-eks-a-cluster.kubeconfig` */
  readonly kubeconfigPath: string;
  /** `<c>/<c>-eks-a-cluster.yaml` */
  readonly clusterConfigPath: string;
  readonly endpoint: string;
  readonly manifestDigest: string;
  /** Steps that failed without failing the create (GitOps, curated packages). */
  readonly warnings: readonly string[];
  readonly phases: {
    readonly bootstrapCluster?: BootstrapClusterOutputs;
    readonly capiProviders?: CapiProvidersOutputs;
    readonly workloadCluster: WorkloadClusterOutputs;
    readonly managementMove?: ManagementMoveOutputs;
    readonly eksaComponents: EksaComponentsOutputs;
    readonly gitOps: GitOpsOutputs;
    readonly clusterConfigFiles: ClusterConfigFilesOutputs;
    readonly bootstrapCleanup?: BootstrapCleanupOutputs;
    readonly curatedPackages: CuratedPackagesOutputs;
  };
}

/**
 * The seed's create workflow, every phase in order, for standalone use (the Pulumi layer runs the same phases one
 * resource each). A management cluster: validation and preflight → bootstrap cluster → CAPI providers → the
 * cluster (manifests, etcd, control plane, kubeconfig, CNI, StorageClass, MachineHealthChecks, machines) →
 * management moved to it → EKS-A components and objects → GitOps → config files → bootstrap cluster deleted →
 * curated packages. A workload cluster (its config names another management cluster) is created through that
 * cluster: the same phases without bootstrap cluster, move and cleanup (research A3).
 *
 * Every phase is safe to run again: a second create of an existing cluster changes nothing, and a create that
 * failed continues where it stopped.
 */
export async function createCluster(
  site: Site,
  config: ClusterConfig,
  options: CreateClusterOptions = {},
): Promise<CreateClusterResult> {
  const inputs: ClusterInputs = {
    config,
    ...(options.bundles ? { bundles: options.bundles } : {}),
    ...(options.contract ? { contract: options.contract } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.featureFlags ? { featureFlags: options.featureFlags } : {}),
  };
  const selfManaged = isSelfManaged(config.cluster);
  const prepared = await validateForCreate(
    site,
    inputs,
    selfManaged ? 'BootstrapCluster' : 'WorkloadCluster',
    !!options.managementKubeconfig,
  );
  const phase: PhaseOptions = { prepared };
  const warnings: string[] = [];

  if (!selfManaged) {
    const workload = await workloadCluster(
      site,
      { ...inputs, managementKubeconfig: options.managementKubeconfig, ...storage(options) },
      phase,
    );
    const chain = {
      ...inputs,
      workloadKubeconfig: workload.kubeconfig,
      managementKubeconfig: options.managementKubeconfig,
    };
    const eksa = await eksaComponents(site, chain, phase);
    const git = await gitOps(site, chain, phase);
    const files = await clusterConfigFiles(site, chain, phase);
    const packages = await curatedPackages(site, chain, phase);
    collectWarnings(warnings, git, packages);
    site.logger.info(
      `Cluster ${prepared.clusterName} created (managed by ${config.cluster.spec.managementCluster?.name})`,
    );
    return result(prepared, workload, files, warnings, {
      workloadCluster: workload,
      eksaComponents: eksa,
      gitOps: git,
      clusterConfigFiles: files,
      curatedPackages: packages,
    });
  }

  const bootstrap = await bootstrapCluster(site, inputs, phase);
  const providers = await capiProviders(
    site,
    { ...inputs, bootstrapKubeconfig: bootstrap.kubeconfig },
    phase,
  );
  const workload = await workloadCluster(
    site,
    { ...inputs, bootstrapKubeconfig: bootstrap.kubeconfig, ...storage(options) },
    phase,
  );
  const move = await managementMove(
    site,
    {
      ...inputs,
      bootstrapKubeconfig: bootstrap.kubeconfig,
      workloadKubeconfig: workload.kubeconfig,
      ...(options.moveWith ? { moveWith: options.moveWith } : {}),
    },
    phase,
  );
  const chain = { ...inputs, workloadKubeconfig: workload.kubeconfig };
  const eksa = await eksaComponents(site, chain, phase);
  const git = await gitOps(site, chain, phase);
  const files = await clusterConfigFiles(site, chain, phase);
  const cleanup = await bootstrapCleanup(site, inputs, phase);
  const packages = await curatedPackages(site, chain, phase);
  collectWarnings(warnings, git, packages);
  site.logger.info(`Cluster ${prepared.clusterName} created`);
  return result(prepared, workload, files, warnings, {
    bootstrapCluster: bootstrap,
    capiProviders: providers,
    workloadCluster: workload,
    managementMove: move,
    eksaComponents: eksa,
    gitOps: git,
    clusterConfigFiles: files,
    bootstrapCleanup: cleanup,
    curatedPackages: packages,
  });
}

/**
 * Validation of the whole create before anything is created: the config, the bundles, the manifests, and the
 * preflight of every program the create will run.
 */
async function validateForCreate(
  site: Site,
  inputs: ClusterInputs,
  phase: 'BootstrapCluster' | 'WorkloadCluster',
  managementKubeconfigGiven: boolean,
): Promise<PreparedCluster> {
  const name = clusterNameOf(inputs);
  const run = new PhaseRun(site, phase, name, clusterPaths(name), DEFAULT_TIMEOUTS);
  try {
    return await run.step(VALIDATE_STEP, async () => {
      const prepared = await prepareCluster(run, inputs, { managementKubeconfigGiven });
      await preflightTools(run, prepared, createToolNames(prepared));
      return prepared;
    });
  } finally {
    run.close();
  }
}

function storage(options: CreateClusterOptions) {
  return options.storageClasses ? { storageClasses: options.storageClasses } : {};
}

function collectWarnings(warnings: string[], git: GitOpsOutputs, packages: CuratedPackagesOutputs): void {
  if (git.warning) warnings.push(`GitOps: ${git.warning}`);
  if (packages.warning) warnings.push(`curated packages: ${packages.warning}`);
}

function result(
  prepared: PreparedCluster,
  workload: WorkloadClusterOutputs,
  files: ClusterConfigFilesOutputs,
  warnings: string[],
  phases: CreateClusterResult['phases'],
): CreateClusterResult {
  return {
    clusterName: prepared.clusterName,
    kubeconfig: files.kubeconfig,
    kubeconfigPath: files.kubeconfigPath,
    clusterConfigPath: files.clusterConfigPath,
    endpoint: workload.endpoint,
    manifestDigest: workload.manifestDigest,
    warnings,
    phases,
  };
}
