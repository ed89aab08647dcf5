import type { EksaObject } from './meta';

/** Kind of the `FluxConfig` object. */
export const FLUX_CONFIG_KIND = 'FluxConfig';

/** SSH key algorithms Flux can generate for a generic git provider. */
export type SshKeyAlgorithm = 'rsa' | 'ecdsa' | 'ed25519';

/** A GitHub repository Flux bootstraps into. */
export interface FluxGithubProviderConfig {
  readonly owner: string;
  readonly repository: string;
  /** The owner is a user, not an organization. */
  readonly personal?: boolean;
}

/** Any git server reachable over SSH. */
export interface FluxGitProviderConfig {
  /** `ssh://` URL of the repository. */
  readonly repositoryUrl: string;
  /** @default "ecdsa" (Flux's default) */
  readonly sshKeyAlgorithm?: SshKeyAlgorithm;
}

/** Flux GitOps settings: exactly one of `github` and `git`. */
export interface FluxConfigSpec {
  /** @default "flux-system" */
  readonly systemNamespace?: string;
  /** @default "main" */
  readonly branch?: string;
  /** @default "clusters/<management cluster name>" */
  readonly clusterConfigPath?: string;
  readonly github?: FluxGithubProviderConfig;
  readonly git?: FluxGitProviderConfig;
}

/** GitOps with Flux, referenced from `gitOpsRef`. */
export type FluxConfig = EksaObject<typeof FLUX_CONFIG_KIND, FluxConfigSpec>;
