import { MINUTE, OperationOptions, Program, ProgramOptions } from './program';

/** What `kind create cluster` needs (EKS-A A1 step 2). */
export interface KindCreateClusterOptions {
  /** The kind cluster name; EKS-A uses `<cluster>-eks-a-cluster` ({@link kindClusterName}). */
  readonly name: string;
  /** Where kind writes the cluster's kubeconfig (EKS-A: `<c>/generated/<c>.kind.kubeconfig`). */
  readonly kubeconfigPath: string;
  /** The EKS-D kind node image from the versions bundle. */
  readonly nodeImage: string;
  /** The rendered kind config ({@link renderKindConfig}; EKS-A: `<c>/generated/kind_tmp.yaml`). */
  readonly configPath: string;
  /** Environment for kind, e.g. proxy settings for providers that need them. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The kind operations the workflows use. */
export interface KindCli {
  createCluster(options: KindCreateClusterOptions, op?: OperationOptions): Promise<void>;
  /** Deleting a cluster that does not exist succeeds. */
  deleteCluster(name: string, op?: OperationOptions): Promise<void>;
  /** Names of the existing kind clusters. */
  getClusters(op?: OperationOptions): Promise<string[]>;
  /** The admin kubeconfig of a cluster (secret). */
  getKubeconfig(name: string, op?: OperationOptions): Promise<string>;
}

/** The kind cluster name EKS-A gives the bootstrap cluster of `clusterName`. */
export function kindClusterName(clusterName: string): string {
  return `${clusterName}-eks-a-cluster`;
}

export interface EnsureKindClusterResult {
  /** False when a cluster of that name already existed and was adopted. */
  readonly created: boolean;
  /**
   * For an adopted cluster, its kubeconfig as kind reports it now (secret): the file at `kubeconfigPath` may be
   * missing or stale after a crash, so the caller rewrites it.
   */
  readonly kubeconfig?: string;
}

/**
 * Creates the kind cluster unless one of that name exists (`kind get clusters` first), so that a re-run after a
 * crash adopts the cluster instead of failing on "node(s) already exist".
 */
export async function ensureKindCluster(
  kind: KindCli,
  options: KindCreateClusterOptions,
  op?: OperationOptions,
): Promise<EnsureKindClusterResult> {
  const existing = await kind.getClusters({ signal: op?.signal, onOutput: op?.onOutput });
  if (existing.includes(options.name)) {
    return { created: false, kubeconfig: await kind.getKubeconfig(options.name, { signal: op?.signal }) };
  }
  await kind.createCluster(options, op);
  return { created: true };
}

/** `kind`, the real program. */
export class KindProgram extends Program implements KindCli {
  constructor(options: ProgramOptions = {}) {
    super('kind', options);
  }

  async createCluster(options: KindCreateClusterOptions, op?: OperationOptions): Promise<void> {
    await this.exec(
      [
        'create',
        'cluster',
        '--name',
        options.name,
        '--kubeconfig',
        options.kubeconfigPath,
        '--image',
        options.nodeImage,
        '--config',
        options.configPath,
      ],
      // Pulling the node image dominates; a slow registry can take many minutes.
      { env: options.env, defaultTimeoutMs: 30 * MINUTE },
      op,
    );
  }

  async deleteCluster(name: string, op?: OperationOptions): Promise<void> {
    await this.exec(['delete', 'cluster', '--name', name], { defaultTimeoutMs: 10 * MINUTE }, op);
  }

  async getClusters(op?: OperationOptions): Promise<string[]> {
    // With no clusters kind prints "No kind clusters found." on stderr and nothing on stdout.
    const result = await this.exec(['get', 'clusters'], { defaultTimeoutMs: 2 * MINUTE }, op);
    return result.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
  }

  async getKubeconfig(name: string, op?: OperationOptions): Promise<string> {
    const result = await this.exec(
      ['get', 'kubeconfig', '--name', name],
      { stdoutIsSecret: true, defaultTimeoutMs: 2 * MINUTE },
      op,
    );
    return result.stdout;
  }
}
