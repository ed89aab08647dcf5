import {
  DEFAULT_FLUX_BRANCH,
  DEFAULT_FLUX_NAMESPACE,
  fluxConfigFromGitOps,
  isSelfManaged,
  type Cluster,
  type ClusterConfig,
  type FluxGitProviderConfig,
  type FluxGithubProviderConfig,
} from '../../spec';

/**
 * The GitOps settings of a cluster with EKS-A's defaults filled in, whichever object carries them: a FluxConfig,
 * or the older GitOpsConfig (GitHub only), which EKS-A converts to a FluxConfig.
 */
export interface FluxSettings {
  /** Kind and name of the object `gitOpsRef` names. */
  readonly source: { readonly kind: 'FluxConfig' | 'GitOpsConfig'; readonly name: string };
  /** Flux's namespace. @default "flux-system" */
  readonly systemNamespace: string;
  /** @default "main" */
  readonly branch: string;
  /** Repository folder of the management cluster's configuration. @default "clusters/<management cluster>" */
  readonly clusterConfigPath: string;
  /** Exactly one of `github` and `git` is set. */
  readonly github?: FluxGithubProviderConfig;
  readonly git?: FluxGitProviderConfig;
}

/** The name of the cluster that manages this one (its own name for a management cluster). */
export function managementClusterName(cluster: Cluster): string {
  return isSelfManaged(cluster)
    ? cluster.metadata.name
    : (cluster.spec.managementCluster?.name ?? cluster.metadata.name);
}

/** The cluster's GitOps settings, or undefined when it has no `gitOpsRef`. */
export function fluxSettingsOf(config: ClusterConfig): FluxSettings | undefined {
  const ref = config.cluster.spec.gitOpsRef;
  if (!ref) return undefined;
  const defaultPath = `clusters/${managementClusterName(config.cluster)}`;
  const flux =
    config.fluxConfig ?? (config.gitOpsConfig ? fluxConfigFromGitOps(config.gitOpsConfig) : undefined);
  if (flux) {
    const spec = flux.spec;
    return {
      source: config.fluxConfig
        ? { kind: 'FluxConfig', name: flux.metadata.name }
        : { kind: 'GitOpsConfig', name: flux.metadata.name },
      systemNamespace: spec.systemNamespace || DEFAULT_FLUX_NAMESPACE,
      branch: spec.branch || DEFAULT_FLUX_BRANCH,
      clusterConfigPath: spec.clusterConfigPath || defaultPath,
      ...(spec.github ? { github: spec.github } : {}),
      ...(spec.git ? { git: spec.git } : {}),
    };
  }
  throw new Error(
    `${config.file ? `${config.file}: ` : ''}Cluster ${config.cluster.metadata.name}: spec.gitOpsRef names ` +
      `${ref.kind} ${ref.name}, but the config holds no such object; add it to the config.`,
  );
}
