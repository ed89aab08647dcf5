import { ToolError } from './process-runner';
import { MINUTE, OperationOptions, Program, ProgramOptions } from './program';
import {
  CLUSTERCTL_BACKUP_RETRY_POLICY,
  CLUSTERCTL_MOVE_RETRY_POLICY,
  retryWithPolicy,
  RetryOptions,
  RetryPolicy,
} from './retry-policy';
import { MaybeSecret } from './secret';

/** A provider as `clusterctl init` names it: `<name>:<version>`, e.g. `kubeadm:v1.13.2`. */
export interface ClusterctlProvider {
  readonly name: string;
  readonly version: string;
}

/** An installed provider as `clusterctl upgrade apply` names it: `<namespace>/<name>:<version>`. */
export interface ClusterctlInstalledProvider extends ClusterctlProvider {
  readonly namespace: string;
}

export interface ClusterctlInitOptions {
  /** The cluster to install into. */
  readonly kubeconfigPath: string;
  /** The clusterctl config pointing at the local overrides ({@link renderClusterctlLayout}). */
  readonly configPath: string;
  /** Omitted when only adding providers to a cluster that has the core already (EKS-A: the etcdadm providers). */
  readonly core?: ClusterctlProvider;
  /** EKS-A: kubeadm, then etcdadm-bootstrap and etcdadm-controller (always all three). */
  readonly bootstrap?: readonly ClusterctlProvider[];
  readonly controlPlane?: readonly ClusterctlProvider[];
  readonly infrastructure?: readonly ClusterctlProvider[];
  /** Variables the provider components need (the provider's env map, e.g. VSPHERE_PASSWORD as a secret). */
  readonly env?: Readonly<Record<string, MaybeSecret>>;
}

export interface ClusterctlMoveOptions {
  /** The cluster that holds the CAPI objects now. */
  readonly fromKubeconfigPath: string;
  readonly toKubeconfigPath: string;
  /** EKS-A: `eksa-system`. */
  readonly namespace: string;
  /**
   * Move only this cluster's objects (`--filter-cluster`, a flag of EKS-A's clusterctl build, not upstream).
   * An empty string passes `--filter-cluster ""` (EKS-A's backup of all clusters).
   */
  readonly filterCluster?: string;
}

export interface ClusterctlBackupOptions {
  /** The cluster whose CAPI objects are written out. */
  readonly kubeconfigPath: string;
  readonly directory: string;
  readonly namespace: string;
  readonly filterCluster?: string;
}

export interface ClusterctlRestoreOptions {
  /** The cluster the saved objects are created in. */
  readonly kubeconfigPath: string;
  readonly directory: string;
  readonly namespace: string;
  readonly filterCluster?: string;
}

export interface ClusterctlUpgradeOptions {
  readonly kubeconfigPath: string;
  readonly configPath: string;
  /** Only the components that change are listed (EKS-A: `changeDiff`). */
  readonly core?: ClusterctlInstalledProvider;
  readonly controlPlane?: readonly ClusterctlInstalledProvider[];
  readonly infrastructure?: readonly ClusterctlInstalledProvider[];
  readonly bootstrap?: readonly ClusterctlInstalledProvider[];
  readonly env?: Readonly<Record<string, MaybeSecret>>;
}

export interface ClusterctlGetKubeconfigOptions {
  readonly clusterName: string;
  /** EKS-A: `eksa-system`. */
  readonly namespace: string;
  /** The management cluster that holds the Cluster object. */
  readonly kubeconfigPath: string;
}

/** The clusterctl operations the workflows use. */
export interface ClusterctlCli {
  init(options: ClusterctlInitOptions, op?: OperationOptions): Promise<void>;
  /** Moves CAPI objects between clusters. Retrying is the caller's choice ({@link CLUSTERCTL_MOVE_RETRY_POLICY}). */
  move(options: ClusterctlMoveOptions, op?: OperationOptions): Promise<void>;
  /** Backs CAPI objects up to a directory (`move --to-directory`). */
  moveToDirectory(options: ClusterctlBackupOptions, op?: OperationOptions): Promise<void>;
  /** Restores them (`move --from-directory`). */
  moveFromDirectory(options: ClusterctlRestoreOptions, op?: OperationOptions): Promise<void>;
  upgradeApply(options: ClusterctlUpgradeOptions, op?: OperationOptions): Promise<void>;
  /** The workload cluster's admin kubeconfig from its `<name>-kubeconfig` Secret (secret). */
  getKubeconfig(options: ClusterctlGetKubeconfigOptions, op?: OperationOptions): Promise<string>;
}

/** How a move is retried: EKS-A's policy unless another is given. */
export interface MoveRetryOptions extends RetryOptions {
  readonly policy?: RetryPolicy;
  /** Options for each attempt (its timeout, progress listener). The retry's `signal` also stops an attempt. */
  readonly attempt?: Omit<OperationOptions, 'signal'>;
}

/**
 * `clusterctl move` as EKS-A runs it: retried only on "failed to connect to the management cluster", 10 s × 1.5ⁿ,
 * for up to 30 minutes. Works with any {@link ClusterctlCli}, real or simulated.
 */
export function moveWithRetry(
  clusterctl: ClusterctlCli,
  options: ClusterctlMoveOptions,
  retry: MoveRetryOptions = {},
): Promise<void> {
  return retryWithPolicy(
    () => clusterctl.move(options, { ...retry.attempt, signal: retry.signal }),
    retry.policy ?? CLUSTERCTL_MOVE_RETRY_POLICY,
    retry,
  );
}

/** The CAPI backup (`move --to-directory`) with EKS-A's backup retry policy. */
export function backupWithRetry(
  clusterctl: ClusterctlCli,
  options: ClusterctlBackupOptions,
  retry: MoveRetryOptions = {},
): Promise<void> {
  return retryWithPolicy(
    () => clusterctl.moveToDirectory(options, { ...retry.attempt, signal: retry.signal }),
    retry.policy ?? CLUSTERCTL_BACKUP_RETRY_POLICY,
    retry,
  );
}

const FILTER_CLUSTER_HINT =
  "--filter-cluster exists only in EKS-A's clusterctl build (aws/eks-anywhere-build-tooling); install that build, " +
  'or leave filterCluster unset, or use the native move';

/** `clusterctl`, the real program. */
export class ClusterctlProgram extends Program implements ClusterctlCli {
  constructor(options: ProgramOptions = {}) {
    super('clusterctl', options);
  }

  async init(options: ClusterctlInitOptions, op?: OperationOptions): Promise<void> {
    const [firstBootstrap, ...moreBootstrap] = options.bootstrap ?? [];
    const args: string[] = ['init'];
    if (options.core) {
      // EKS-A's order (A1 step 4): core, first bootstrap, control plane, infrastructure, config, other bootstraps.
      args.push('--core', providerArg(options.core));
      if (firstBootstrap) {
        args.push('--bootstrap', providerArg(firstBootstrap));
      }
      for (const p of options.controlPlane ?? []) {
        args.push('--control-plane', providerArg(p));
      }
      for (const p of options.infrastructure ?? []) {
        args.push('--infrastructure', providerArg(p));
      }
      args.push('--config', options.configPath);
      for (const p of moreBootstrap) {
        args.push('--bootstrap', providerArg(p));
      }
    } else {
      // Adding providers to an initialised cluster (EKS-A: `init --config … --bootstrap etcdadm-…`).
      args.push('--config', options.configPath);
      for (const p of options.bootstrap ?? []) {
        args.push('--bootstrap', providerArg(p));
      }
      for (const p of options.controlPlane ?? []) {
        args.push('--control-plane', providerArg(p));
      }
      for (const p of options.infrastructure ?? []) {
        args.push('--infrastructure', providerArg(p));
      }
    }
    args.push('--kubeconfig', options.kubeconfigPath);
    // cert-manager's install waits up to the config's timeout (EKS-A: 30m); leave room above it.
    await this.exec(args, { env: options.env, defaultTimeoutMs: 40 * MINUTE }, op);
  }

  async move(options: ClusterctlMoveOptions, op?: OperationOptions): Promise<void> {
    const args = ['move', '--to-kubeconfig', options.toKubeconfigPath, '--namespace', options.namespace];
    pushFilter(args, options.filterCluster);
    args.push('--kubeconfig', options.fromKubeconfigPath);
    await this.execMove(args, options.filterCluster, op);
  }

  async moveToDirectory(options: ClusterctlBackupOptions, op?: OperationOptions): Promise<void> {
    const args = [
      'move',
      '--to-directory',
      options.directory,
      '--kubeconfig',
      options.kubeconfigPath,
      '--namespace',
      options.namespace,
    ];
    pushFilter(args, options.filterCluster);
    await this.execMove(args, options.filterCluster, op);
  }

  async moveFromDirectory(options: ClusterctlRestoreOptions, op?: OperationOptions): Promise<void> {
    const args = [
      'move',
      '--from-directory',
      options.directory,
      '--kubeconfig',
      options.kubeconfigPath,
      '--namespace',
      options.namespace,
    ];
    pushFilter(args, options.filterCluster);
    await this.execMove(args, options.filterCluster, op);
  }

  async upgradeApply(options: ClusterctlUpgradeOptions, op?: OperationOptions): Promise<void> {
    const args = ['upgrade', 'apply', '--config', options.configPath, '--kubeconfig', options.kubeconfigPath];
    if (options.core) {
      args.push('--core', installedProviderArg(options.core));
    }
    for (const p of options.controlPlane ?? []) {
      args.push('--control-plane', installedProviderArg(p));
    }
    for (const p of options.infrastructure ?? []) {
      args.push('--infrastructure', installedProviderArg(p));
    }
    for (const p of options.bootstrap ?? []) {
      args.push('--bootstrap', installedProviderArg(p));
    }
    await this.exec(args, { env: options.env, defaultTimeoutMs: 40 * MINUTE }, op);
  }

  async getKubeconfig(options: ClusterctlGetKubeconfigOptions, op?: OperationOptions): Promise<string> {
    const result = await this.exec(
      [
        'get',
        'kubeconfig',
        options.clusterName,
        '--kubeconfig',
        options.kubeconfigPath,
        '--namespace',
        options.namespace,
      ],
      { stdoutIsSecret: true, defaultTimeoutMs: 2 * MINUTE },
      op,
    );
    return result.stdout;
  }

  private async execMove(
    args: string[],
    filterCluster: string | undefined,
    op?: OperationOptions,
  ): Promise<void> {
    try {
      await this.exec(args, { defaultTimeoutMs: 30 * MINUTE }, op);
    } catch (error) {
      if (
        filterCluster !== undefined &&
        error instanceof ToolError &&
        error.stderrTail.includes('unknown flag: --filter-cluster')
      ) {
        throw error.withHint(FILTER_CLUSTER_HINT);
      }
      throw error;
    }
  }
}

function pushFilter(args: string[], filterCluster: string | undefined): void {
  if (filterCluster !== undefined) {
    args.push('--filter-cluster', filterCluster);
  }
}

function providerArg(p: ClusterctlProvider): string {
  return `${p.name}:${p.version}`;
}

function installedProviderArg(p: ClusterctlInstalledProvider): string {
  return `${p.namespace}/${p.name}:${p.version}`;
}
