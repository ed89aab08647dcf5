import { createHash } from 'node:crypto';
import type { ClusterInputs } from './inputs';
import { clusterPaths, type ClusterPaths } from './paths';
import type { PhaseRun } from './phase-run';
import { resolveTimeouts, type WorkflowTimeouts } from './timeouts';
import { DEFAULT_CAPI_CONTRACT, isCapiContract, type CapiContract } from '../manifests/contract';
import type { KubeObject } from '../manifests/kube-object';
import { providerFor } from '../manifests/providers/registry';
import {
  resolveClusterBundles,
  synthesizeCluster,
  type SynthesizedCluster,
} from '../manifests/synthesize-cluster';
import type { VersionsBundleComponent } from '../spec/bundles/bundles-manifest';
import { VersionsBundlesError } from '../spec/bundles/errors';
import { loadVersionsBundles } from '../spec/bundles/load-versions-bundles';
import { requireComponent } from '../spec/bundles/provider-images';
import type { ResolvedVersionsBundle } from '../spec/bundles/resolved-versions-bundle';
import type { VersionsBundles } from '../spec/bundles/versions-bundles';
import { isSelfManaged, providerOf, type ClusterConfig, type ProviderName } from '../spec/cluster-config';
import { setClusterDefaults } from '../spec/defaults';
import { ClusterConfigError, throwIfErrors } from '../spec/issue';
import { validateClusterConfig } from '../spec/validate';
import { PreflightError, toolRequirements, type ToolName } from '../tools/preflight';

/** Namespace of the CAPI objects, and of the EKS-A system objects. */
export const EKSA_SYSTEM_NAMESPACE = 'eksa-system';

/** A cluster ready to be worked on: validated, defaulted, its bundles resolved and its manifests rendered. */
export interface PreparedCluster {
  /** The config with EKS-A's defaults. */
  readonly config: ClusterConfig;
  readonly clusterName: string;
  readonly provider: ProviderName;
  /** True for a management (standalone) cluster; false for a workload cluster of another management cluster. */
  readonly selfManaged: boolean;
  readonly contract: CapiContract;
  readonly timeouts: WorkflowTimeouts;
  readonly paths: ClusterPaths;
  readonly bundles: VersionsBundles;
  /** The versions bundle of every Kubernetes version the cluster runs, control plane first. */
  readonly resolved: readonly ResolvedVersionsBundle[];
  /** The control plane's versions bundle. */
  readonly root: ResolvedVersionsBundle;
  readonly synthesized: SynthesizedCluster;
  /** The CAPI objects applied to the manager, MachineHealthChecks excluded (they follow the CNI). */
  readonly capiObjects: readonly KubeObject[];
  readonly machineHealthChecks: readonly KubeObject[];
  /** sha256 of the rendered CAPI and EKS-A manifests: changes when anything the cluster is made of changes. */
  readonly manifestDigest: string;
  readonly featureFlags: readonly string[];
}

/** What a phase checks before it creates anything. */
export interface PrepareOptions {
  /** The programs this phase runs: checked by the site's preflight. @default none */
  readonly tools?: readonly ToolName[];
  /** Versions bundle components this phase needs (beyond the ones every create needs). */
  readonly components?: readonly VersionsBundleComponent[];
  /**
   * Whether the phase was given the management cluster's kubeconfig; a workload cluster's phases that act through
   * it are refused without one. @default not checked
   */
  readonly managementKubeconfigGiven?: boolean;
}

/**
 * The validation of every phase, run before the phase changes anything: the config (defaults, EKS-A's rules, the
 * Kubernetes versions the bundles support), the versions bundles (every component the create needs), the manifests
 * (rendered, so rendering problems surface now), and the programs the phase runs (preflight). All problems of a
 * kind are reported at once.
 */
export async function prepareCluster(
  run: PhaseRun,
  inputs: ClusterInputs,
  options: PrepareOptions = {},
): Promise<PreparedCluster> {
  const { site } = run;
  const timeouts = resolveTimeouts(inputs.timeouts);
  const contract = inputs.contract ?? DEFAULT_CAPI_CONTRACT;
  if (!isCapiContract(contract)) {
    throw new Error(`contract: '${String(contract)}' is not a CAPI contract (give v1beta1 or v1beta2)`);
  }
  const featureFlags = inputs.featureFlags ?? [];
  // The provider's create-time defaults (vSphere: etcd machines get at least 8 GiB) apply as `eksa create` applies them.
  const defaulted = setClusterDefaults(inputs.config, { env: site.env });
  const infrastructure = providerFor(defaulted);
  const config = infrastructure.setupDefaults(defaulted);
  const bundles = await loadVersionsBundles({
    ...inputs.bundles,
    fetch: site.fetch,
    cwd: site.files.root,
    env: site.env,
  });
  const issues = [
    ...validateClusterConfig(config, {
      supportedKubernetesVersions: bundles.supportedKubernetesVersions,
      featureFlags,
      operation: 'create',
    }),
    // What the provider's tools need from the environment (vSphere credentials), before anything is created.
    ...infrastructure.environmentIssues(config, site.env),
  ];
  throwIfErrors(issues);
  for (const warning of issues) {
    run.log.warn(`${warning.path}: ${warning.message}`);
  }

  if (options.managementKubeconfigGiven === false && !isSelfManaged(config.cluster)) {
    throw new Error(
      `cluster ${config.cluster.metadata.name} is managed by ${config.cluster.spec.managementCluster?.name}: give managementKubeconfig (that cluster's kubeconfig)`,
    );
  }
  const resolved = await resolveClusterBundles(config, bundles);
  const root = resolved[0];
  const provider = providerOf(config);
  requireComponents(root, [
    'clusterAPI',
    'bootstrap',
    'controlPlane',
    'etcdadmBootstrap',
    'etcdadmController',
    'certManager',
    provider === 'vsphere' ? 'vSphere' : 'docker',
    ...cniComponents(config),
    ...(options.components ?? []),
  ]);

  const synthesized = synthesizeCluster({ config, bundles: resolved, contract, env: site.env });
  const capiObjects = synthesized.capiObjects.filter((o) => o.kind !== 'MachineHealthCheck');
  const machineHealthChecks = synthesized.capiObjects.filter((o) => o.kind === 'MachineHealthCheck');
  const manifestDigest = createHash('sha256')
    .update(JSON.stringify([synthesized.capiObjects, synthesized.eksaObjects]))
    .digest('hex');

  const clusterName = config.cluster.metadata.name;
  const prepared: PreparedCluster = {
    config,
    clusterName,
    provider,
    selfManaged: isSelfManaged(config.cluster),
    contract,
    timeouts,
    paths: clusterPaths(clusterName),
    bundles,
    resolved,
    root,
    synthesized,
    capiObjects,
    machineHealthChecks,
    manifestDigest,
    featureFlags,
  };
  if (options.tools && options.tools.length > 0) await preflightTools(run, prepared, options.tools);
  return prepared;
}

/**
 * The site's preflight for the programs a phase runs (installed, recent enough, the Docker engine reachable):
 * throws a PreflightError naming each problem and how to fix it.
 */
export async function preflightTools(
  run: PhaseRun,
  prepared: PreparedCluster,
  tools: readonly ToolName[],
): Promise<void> {
  const wanted = new Set(tools);
  const requirements = toolRequirements({
    kubernetesVersion: prepared.config.cluster.spec.kubernetesVersion,
    capiContract: prepared.contract,
    gitOps: prepared.config.cluster.spec.gitOpsRef !== undefined,
  }).filter((r) => wanted.has(r.tool));
  const { site } = run;
  const report = await site.preflight(requirements, {
    env: site.env,
    cwd: site.files.root,
    signal: site.signal,
  });
  // A simulated preflight may report problems instead of throwing them.
  if (report.problems.length > 0) throw new PreflightError(report);
  for (const warning of report.warnings) run.log.warn(warning);
}

function cniComponents(config: ClusterConfig): VersionsBundleComponent[] {
  const network = config.cluster.spec.clusterNetwork;
  if (network.cniConfig?.kindnetd || network.cni === 'kindnetd') return ['kindnetd'];
  return ['cilium'];
}

function requireComponents(
  root: ResolvedVersionsBundle,
  components: readonly VersionsBundleComponent[],
): void {
  const problems: string[] = [];
  for (const component of new Set(components)) {
    try {
      requireComponent(root, component);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) {
    throw new VersionsBundlesError(`the versions bundle cannot create this cluster`, problems);
  }
}

/** The cluster's name, for labelling a run before the config is validated (falls back to a placeholder). */
export function clusterNameOf(inputs: ClusterInputs): string {
  const name = inputs.config?.cluster?.metadata?.name;
  return typeof name === 'string' && name.length > 0 ? name : 'cluster';
}

export { ClusterConfigError };
