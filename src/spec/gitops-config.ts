import type { EksaObject } from './meta';

/** Kind of the `GitOpsConfig` object. */
export const GITOPS_CONFIG_KIND = 'GitOpsConfig';

/** The GitHub repository of the older GitOps form. */
export interface GitOpsGithub {
  readonly owner: string;
  readonly repository: string;
  /** @default "main" */
  readonly branch?: string;
  /** @default "clusters/<management cluster name>" */
  readonly clusterConfigPath?: string;
  /** @default "flux-system" */
  readonly fluxSystemNamespace?: string;
  /** The owner is a user, not an organization. */
  readonly personal?: boolean;
}

export interface GitOpsFlux {
  readonly github: GitOpsGithub;
}

export interface GitOpsConfigSpec {
  readonly flux: GitOpsFlux;
}

/** The older GitOps object (Flux on GitHub only); EKS-A converts it to a FluxConfig. */
export type GitOpsConfig = EksaObject<typeof GITOPS_CONFIG_KIND, GitOpsConfigSpec>;
