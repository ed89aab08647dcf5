import type * as pulumi from '@pulumi/pulumi';
import type { SiteInputs } from './resources/phase-schema';
import { isCapiContract, type CapiContract } from '../manifests/contract';
import { isSelfManaged, type ClusterConfig } from '../spec/cluster-config';
import { setClusterDefaults } from '../spec/defaults';
import { ClusterConfigError, formatIssue, type Issue } from '../spec/issue';
import { loadClusterConfigFile } from '../spec/parse';
import { validateClusterConfig } from '../spec/validate';
import { TOOL_NAMES, type ToolName } from '../tools/preflight';
import type { BundlesInput, MoveMethod } from '../workflow/inputs';
import { UPGRADE_STRATEGIES, type UpgradeStrategy } from '../workflow/phases/upgrade-workload-cluster';
import { resolveTimeouts, type WorkflowTimeouts } from '../workflow/timeouts';

/** A management cluster that is not an `EksaCluster` of this program: its kubeconfig. */
export interface ManagementClusterRef {
  /** The management cluster's name, as the config's `spec.managementCluster.name` gives it. */
  readonly name: string;
  /** Its admin kubeconfig (kept secret). */
  readonly kubeconfig: pulumi.Input<string>;
}

/** What `EksaCluster` needs of the management cluster of a workload cluster (research/eksa.md A3). */
export interface ManagementClusterSource {
  readonly clusterConfig: ClusterConfig;
  readonly kubeconfig: pulumi.Output<string>;
}

/** Arguments of {@link EksaCluster}. */
export interface EksaClusterArgs {
  /**
   * The EKS-A cluster config: its objects written in code (`ClusterConfig`), or the path of an EKS-A config file
   * (relative to the program's working directory), read when the program runs. Validated with EKS-A's rules
   * before anything is registered.
   */
  readonly config: ClusterConfig | string;
  /**
   * Where the versions bundles come from (Bundles and EKS-D release manifests; paths are relative to `workDir`).
   * @default the Bundles of the EKS-A release eksa-iac pins (downloaded once, then cached)
   */
  readonly bundles?: BundlesInput;
  /** The CAPI contract of the management cluster. @default "v1beta2" */
  readonly contract?: CapiContract;
  /** How long the workflow waits, per wait. @default EKS-A's (60 min for etcd and the control plane, …) */
  readonly timeouts?: Partial<WorkflowTimeouts>;
  /** EKS-A feature flags to enable (`API_SERVER_EXTRA_ARGS_ENABLED`, …). @default none */
  readonly featureFlags?: readonly string[];
  /**
   * The working directory of the workflow: `<c>/…` (the files users keep) and `<c>/generated/…` are written under
   * it, as EKS-A writes them under its current directory. Relative to the project directory. @default "."
   */
  readonly workDir?: string;
  /** Executables of kind, clusterctl, helm, flux and docker. @default each name on PATH */
  readonly toolPaths?: Readonly<Partial<Record<ToolName, string>>>;
  /** StorageClass objects for the new cluster, replacing the provider's default (docker has none). */
  readonly storageClasses?: readonly Record<string, unknown>[];
  /** How CAPI objects are moved to the new cluster. @default "native" (eksa-iac's mover; "clusterctl" runs it) */
  readonly moveWith?: MoveMethod;
  /**
   * How a management cluster is upgraded when its config changes: `inPlace` applies the new manifests where the
   * cluster manages itself (EKS-A since v0.18); `bootstrap` is the seed's (a kind bootstrap cluster, management
   * moved to it, the upgrade there, moved back). A workload cluster is always upgraded through its management
   * cluster. @default "inPlace"
   */
  readonly upgradeStrategy?: UpgradeStrategy;
  /** Run the GitOps phase (Flux). @default true when the config has a `gitOpsRef` */
  readonly gitOps?: boolean;
  /** Run the curated packages phase. @default true (EKS-A installs the package controller unless disabled) */
  readonly curatedPackages?: boolean;
  /**
   * For a workload cluster (its config's `spec.managementCluster` names another cluster): the management cluster
   * it is created through, an `EksaCluster` of this program or the name and kubeconfig of an existing one. No
   * bootstrap cluster is made and nothing is moved (research/eksa.md A3).
   */
  readonly managementCluster?: ManagementClusterSource | ManagementClusterRef;
  /**
   * Testing aid: runs the phases on the site registered under this name with `registerSite`, for in-process
   * engines (PulumiTestEngine and the simulated site). Never set it for a real run: there it fails the preview.
   * @default the real tools of this machine
   */
  readonly siteRef?: string;
}

/** The arguments after validation, as the builder uses them. */
export interface ResolvedEksaClusterArgs {
  /** The config as given (the phases apply EKS-A's defaults themselves). */
  readonly config: ClusterConfig;
  readonly clusterName: string;
  readonly selfManaged: boolean;
  readonly bundles?: BundlesInput;
  readonly contract?: CapiContract;
  readonly timeouts?: Partial<WorkflowTimeouts>;
  readonly featureFlags?: readonly string[];
  readonly site: SiteInputs;
  readonly storageClasses?: readonly Record<string, unknown>[];
  readonly moveWith?: MoveMethod;
  readonly upgradeStrategy?: UpgradeStrategy;
  readonly gitOps: boolean;
  readonly curatedPackages: boolean;
  readonly managementKubeconfig?: pulumi.Input<string>;
  /** EKS-A's warnings about the config, to be logged. */
  readonly warnings: readonly Issue[];
}

/** The arguments of an EksaCluster are invalid: every problem, one per line; nothing was registered. */
export class EksaClusterArgsError extends Error {
  public constructor(
    resourceName: string,
    /** Problems with the config (EKS-A's rules). */
    public readonly issues: readonly Issue[],
    /** Problems with the other arguments. */
    public readonly problems: readonly string[],
  ) {
    const lines = [...issues.map(formatIssue), ...problems];
    super(
      `EksaCluster ${resourceName}: ${lines.length} problem${lines.length === 1 ? '' : 's'}; nothing was created\n` +
        lines.map((l) => `  ${l}`).join('\n'),
    );
    this.name = 'EksaClusterArgsError';
  }
}

/**
 * Validates the arguments of an EksaCluster in the program, before any resource is registered, so that bad input
 * fails `pulumi preview` and `pulumi up` before anything is created: the config file read and parsed, EKS-A's
 * defaults and rules, and the other arguments; every problem at once. What needs the versions bundles (the
 * Kubernetes versions they support, the rendered manifests) is checked by the resources' `check`, still before
 * anything is created.
 * @throws EksaClusterArgsError
 */
export function resolveEksaClusterArgs(resourceName: string, args: EksaClusterArgs): ResolvedEksaClusterArgs {
  const problems: string[] = [];
  let config: ClusterConfig;
  try {
    config = typeof args.config === 'string' ? loadClusterConfigFile(args.config) : args.config;
  } catch (error) {
    if (error instanceof ClusterConfigError) throw new EksaClusterArgsError(resourceName, error.errors, []);
    throw error;
  }
  if (!config || typeof config !== 'object' || !config.cluster || !config.datacenter) {
    throw new EksaClusterArgsError(
      resourceName,
      [],
      ['config: give a ClusterConfig (cluster, datacenter, …) or the path of an EKS-A config file'],
    );
  }

  let issues: Issue[] = [];
  try {
    const defaulted = setClusterDefaults(config, { env: process.env });
    issues = validateClusterConfig(defaulted, {
      ...(args.featureFlags ? { featureFlags: args.featureFlags } : {}),
      operation: 'create',
    });
  } catch (error) {
    if (!(error instanceof ClusterConfigError)) throw error;
    issues = [...error.issues];
  }
  const errors = issues.filter((i) => i.severity === 'error');

  if (args.contract !== undefined && !isCapiContract(args.contract)) {
    problems.push(`contract: '${String(args.contract)}' is not a CAPI contract; give v1beta1 or v1beta2`);
  }
  if (args.timeouts !== undefined) {
    try {
      resolveTimeouts(args.timeouts);
    } catch (error) {
      problems.push((error as Error).message.replace(/\n\s*/g, '; '));
    }
  }
  if (args.workDir !== undefined && (typeof args.workDir !== 'string' || args.workDir.length === 0)) {
    problems.push('workDir: give a directory (relative to the project directory, or absolute)');
  }
  for (const [tool, executable] of Object.entries(args.toolPaths ?? {})) {
    if (!TOOL_NAMES.includes(tool as ToolName)) {
      problems.push(`toolPaths.${tool}: not a program eksa-iac runs (it runs ${TOOL_NAMES.join(', ')})`);
    } else if (typeof executable !== 'string' || executable.length === 0) {
      problems.push(`toolPaths.${tool}: give a path or a program name`);
    }
  }
  if (args.moveWith !== undefined && args.moveWith !== 'native' && args.moveWith !== 'clusterctl') {
    problems.push(`moveWith: '${String(args.moveWith)}' is not a move method; give native or clusterctl`);
  }
  if (args.upgradeStrategy !== undefined && !UPGRADE_STRATEGIES.includes(args.upgradeStrategy)) {
    problems.push(
      `upgradeStrategy: '${String(args.upgradeStrategy)}' is not an upgrade strategy; give ${UPGRADE_STRATEGIES.join(' or ')}`,
    );
  }
  (args.storageClasses ?? []).forEach((object, i) => {
    if (!object || typeof object !== 'object' || (object as { kind?: unknown }).kind !== 'StorageClass') {
      problems.push(`storageClasses[${i}]: not a StorageClass object (kind: StorageClass)`);
    }
  });
  const clusterName = config.cluster.metadata?.name;
  const selfManaged = isSelfManaged(config.cluster);
  const gitOpsRef = config.cluster.spec?.gitOpsRef;
  if (args.gitOps === true && !gitOpsRef) {
    problems.push(
      'gitOps: true, but the config has no spec.gitOpsRef (a FluxConfig or GitOpsConfig) to bootstrap',
    );
  }
  const management = args.managementCluster;
  const managerName = config.cluster.spec?.managementCluster?.name;
  if (selfManaged && management) {
    problems.push(
      `managementCluster: given, but the config's cluster ${clusterName} manages itself; set ` +
        `spec.managementCluster.name to ${managementNameOf(management)} to create it as a workload cluster through it`,
    );
  }
  if (!selfManaged && !management) {
    problems.push(
      `managementCluster: the config names the management cluster ${managerName} (spec.managementCluster.name): ` +
        'give it, as an EksaCluster of this program or as { name, kubeconfig }',
    );
  }
  if (!selfManaged && management && managementNameOf(management) !== managerName) {
    problems.push(
      `managementCluster: it is ${managementNameOf(management)}, but the config names ${managerName} ` +
        '(spec.managementCluster.name); give that cluster or change the config',
    );
  }
  if (errors.length > 0 || problems.length > 0) {
    throw new EksaClusterArgsError(resourceName, errors, problems);
  }

  const site: SiteInputs = {
    ...(args.workDir !== undefined ? { workDir: args.workDir } : {}),
    ...(args.toolPaths !== undefined && Object.keys(args.toolPaths).length > 0
      ? { toolPaths: args.toolPaths }
      : {}),
    ...(args.siteRef !== undefined ? { ref: args.siteRef } : {}),
  };
  return {
    config,
    clusterName,
    selfManaged,
    ...(args.bundles !== undefined ? { bundles: args.bundles } : {}),
    ...(args.contract !== undefined ? { contract: args.contract } : {}),
    ...(args.timeouts !== undefined ? { timeouts: args.timeouts } : {}),
    ...(args.featureFlags !== undefined ? { featureFlags: args.featureFlags } : {}),
    site,
    ...(args.storageClasses !== undefined ? { storageClasses: args.storageClasses } : {}),
    ...(args.moveWith !== undefined ? { moveWith: args.moveWith } : {}),
    ...(args.upgradeStrategy !== undefined ? { upgradeStrategy: args.upgradeStrategy } : {}),
    gitOps: args.gitOps ?? gitOpsRef !== undefined,
    curatedPackages: args.curatedPackages ?? true,
    ...(management ? { managementKubeconfig: management.kubeconfig } : {}),
    warnings: issues.filter((i) => i.severity === 'warning'),
  };
}

function managementNameOf(management: ManagementClusterSource | ManagementClusterRef): string {
  return 'clusterConfig' in management ? management.clusterConfig.cluster.metadata.name : management.name;
}
