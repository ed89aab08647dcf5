import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  componentTypeToken,
  createKubernetesProvider,
  type KubernetesProviderArgs,
} from './component-helpers';
import { resolveEksaClusterArgs, type EksaClusterArgs } from './eksa-cluster-args';
import { buildEksaCluster, type EksaClusterPhases } from './eksa-cluster-builder';
import type { ClusterConfig } from '../spec/cluster-config';
import { formatIssue } from '../spec/issue';

/**
 * An EKS Anywhere cluster, created by `pulumi up` the way EKS-A creates one: the seed's create workflow as a chain
 * of phase resources (bootstrap cluster → CAPI providers → the cluster → management moved to it → EKS-A components
 * → GitOps → config files → bootstrap cluster deleted → curated packages). Each phase is idempotent and records how
 * far it got, so a failed `pulumi up` resumes where it stopped.
 *
 * ```ts
 * const cluster = new EksaCluster('dev', { config: 'cluster.yaml' });
 * const k8sProvider = cluster.kubernetesProvider();
 * export const kubeconfig = cluster.kubeconfig; // secret
 * ```
 *
 * The arguments are validated when the program runs, before anything is registered: a bad config fails
 * `pulumi preview` with EKS-A's messages (file, field, what is wrong, how to fix it).
 */
export class EksaCluster extends pulumi.ComponentResource {
  /** The cluster's admin kubeconfig (secret), known once the whole chain is done. */
  declare public readonly kubeconfig: pulumi.Output<string>;
  /** The cluster's name (`metadata.name` of its config). */
  declare public readonly clusterName: pulumi.Output<string>;
  /** The API server URL. */
  declare public readonly endpoint: pulumi.Output<string>;
  /** sha256 of the rendered CAPI and EKS-A manifests: it changes whenever what the cluster is made of changes. */
  declare public readonly manifestDigest: pulumi.Output<string>;
  /**
   * What the last change of the cluster rolled, and in a preview what this change will roll, as lines in roll
   * order (`etcd: …`, `control plane: 3 machines roll v1.30 → v1.31`, `md-0: 2 machines …`, `nothing to roll`);
   * undefined before the first change.
   */
  declare public readonly rolloutPlan: pulumi.Output<readonly string[] | undefined>;
  /** Absolute path of `<c>/<c>-eks-a-cluster.kubeconfig` (0600). */
  declare public readonly kubeconfigPath: pulumi.Output<string>;
  /** The config as given (plain, validated): workload clusters of this program name it as their manager. */
  declare public readonly clusterConfig: ClusterConfig;
  /** The phase resources, for dependencies and outputs beyond the component's. */
  declare public readonly phases: EksaClusterPhases;
  declare private readonly resourceName: string;

  public constructor(name: string, args: EksaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): a bad argument must fail before anything, the component included, is registered.
    const resolved = resolveEksaClusterArgs(name, args);
    super(componentTypeToken('index', 'EksaCluster'), name, {}, opts);
    for (const warning of resolved.warnings) void pulumi.log.warn(formatIssue(warning), this);
    const built = buildEksaCluster(name, this, resolved);
    Object.assign(this, {
      ...built,
      clusterName: pulumi.output(resolved.clusterName),
      rolloutPlan: built.phases.workloadCluster.rolloutPlan,
      clusterConfig: resolved.config,
      resourceName: name,
    });
    this.registerOutputs({
      kubeconfig: built.kubeconfig,
      clusterName: this.clusterName,
      endpoint: built.endpoint,
      manifestDigest: built.manifestDigest,
      kubeconfigPath: built.kubeconfigPath,
      rolloutPlan: built.phases.workloadCluster.rolloutPlan,
    });
  }

  /**
   * A `@pulumi/kubernetes` Provider for this cluster (the optional peer dependency, loaded only here), so that the
   * rest of the stack can deploy to it. Its kubeconfig is this cluster's, secret.
   * @param name @default `<this name>-k8s`
   */
  public kubernetesProvider(
    name?: string,
    args: Omit<KubernetesProviderArgs, 'kubeconfig'> = {},
    opts?: pulumi.CustomResourceOptions,
  ): k8s.Provider {
    return createKubernetesProvider(
      name ?? `${this.resourceName}-k8s`,
      { ...args, kubeconfig: this.kubeconfig },
      opts,
    );
  }
}
