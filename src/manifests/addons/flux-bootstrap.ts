import { fluxSettingsOf } from './flux-settings';
import { isSelfManaged, type ClusterConfig } from '../../spec';

/** The environment variables EKS-A reads GitOps credentials from. */
export const GITOPS_CREDENTIAL_ENV = {
  /** GitHub personal access token (`github` provider). */
  githubToken: 'EKSA_GITHUB_TOKEN',
  /** Path of the SSH private key Flux pushes and pulls with (`git` provider). */
  privateKeyFile: 'EKSA_GIT_PRIVATE_KEY',
  /** Passphrase of that key, when it has one. */
  privateKeyPassphrase: 'EKSA_GIT_SSH_KEY_PASSPHRASE',
  /** known_hosts file with the git server's host key. */
  knownHostsFile: 'EKSA_GIT_KNOWN_HOSTS',
} as const;

/** Credentials for the GitOps repository. Secret values: never log them. */
export interface GitOpsCredentials {
  readonly githubToken?: string;
  readonly privateKeyFile?: string;
  readonly privateKeyPassphrase?: string;
  readonly knownHostsFile?: string;
}

/** GitOps credentials from the environment, under EKS-A's variable names. */
export function gitOpsCredentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): GitOpsCredentials {
  const pick = (name: string) => (env[name] ? env[name] : undefined);
  const out: Record<string, string> = {};
  for (const [field, name] of Object.entries(GITOPS_CREDENTIAL_ENV)) {
    const value = pick(name);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

interface FluxBootstrapCommonRequest {
  readonly kubeconfigPath: string;
  /** `clusterConfigPath`. */
  readonly path: string;
  readonly branch: string;
  /** Flux's namespace. */
  readonly namespace: string;
}

/** `flux bootstrap github` (matches the tools layer's `FluxBootstrapGithubOptions`). */
export interface FluxBootstrapGithubRequest extends FluxBootstrapCommonRequest {
  readonly owner: string;
  readonly repository: string;
  readonly personal?: boolean;
  /** Secret. */
  readonly token: string;
}

/** `flux bootstrap git` (matches the tools layer's `FluxBootstrapGitOptions`). */
export interface FluxBootstrapGitRequest extends FluxBootstrapCommonRequest {
  readonly url: string;
  readonly privateKeyFile: string;
  /** Secret. */
  readonly password?: string;
  readonly knownHostsFile?: string;
  readonly sshKeyAlgorithm?: string;
}

/** Which bootstrap to run, with its options. */
export type FluxBootstrapRequest =
  | { readonly provider: 'github'; readonly options: FluxBootstrapGithubRequest }
  | { readonly provider: 'git'; readonly options: FluxBootstrapGitRequest };

/** Inputs of {@link fluxBootstrapRequest}. */
export interface FluxBootstrapInputs {
  /** Kubeconfig of the cluster Flux is installed into. */
  readonly kubeconfigPath: string;
  readonly credentials: GitOpsCredentials;
}

/**
 * The Flux bootstrap EKS-A runs for a management cluster with GitOps: `flux bootstrap github` with owner,
 * repository, `--personal`, branch, path and namespace, or `flux bootstrap git` with the ssh URL and private key.
 * Undefined when there is nothing to bootstrap: no GitOps, or a workload cluster (its management cluster's Flux
 * already syncs the repository).
 *
 * @throws Error naming the missing environment variable when a credential is missing
 */
export function fluxBootstrapRequest(
  config: ClusterConfig,
  inputs: FluxBootstrapInputs,
): FluxBootstrapRequest | undefined {
  const flux = fluxSettingsOf(config);
  if (!flux || !isSelfManaged(config.cluster)) return undefined;
  const common: FluxBootstrapCommonRequest = {
    kubeconfigPath: inputs.kubeconfigPath,
    path: flux.clusterConfigPath,
    branch: flux.branch,
    namespace: flux.systemNamespace,
  };
  const where = `${flux.source.kind} ${flux.source.name}`;
  if (flux.github) {
    const token = inputs.credentials.githubToken;
    if (!token) {
      throw new Error(
        `${where} bootstraps Flux on GitHub, which needs a personal access token; set ${GITOPS_CREDENTIAL_ENV.githubToken}.`,
      );
    }
    return {
      provider: 'github',
      options: {
        ...common,
        owner: flux.github.owner,
        repository: flux.github.repository,
        ...(flux.github.personal ? { personal: true } : {}),
        token,
      },
    };
  }
  if (flux.git) {
    const { privateKeyFile, privateKeyPassphrase, knownHostsFile } = inputs.credentials;
    if (!privateKeyFile) {
      throw new Error(
        `${where} bootstraps Flux from ${flux.git.repositoryUrl}, which needs an SSH private key; set ` +
          `${GITOPS_CREDENTIAL_ENV.privateKeyFile} to its path (and ${GITOPS_CREDENTIAL_ENV.knownHostsFile} to a known_hosts file).`,
      );
    }
    return {
      provider: 'git',
      options: {
        ...common,
        url: flux.git.repositoryUrl,
        privateKeyFile,
        ...(privateKeyPassphrase ? { password: privateKeyPassphrase } : {}),
        ...(knownHostsFile ? { knownHostsFile } : {}),
        ...(flux.git.sshKeyAlgorithm ? { sshKeyAlgorithm: flux.git.sshKeyAlgorithm } : {}),
      },
    };
  }
  throw new Error(`${where}: spec has neither github nor git; give exactly one.`);
}

/**
 * The Flux Kustomization EKS-A suspends before an upgrade and resumes after (`flux suspend ks`): the one
 * bootstrap created, named like Flux's namespace, in it. Undefined without GitOps.
 */
export function fluxKustomizationRef(
  config: ClusterConfig,
): { readonly name: string; readonly namespace: string } | undefined {
  const flux = fluxSettingsOf(config);
  return flux ? { name: flux.systemNamespace, namespace: flux.systemNamespace } : undefined;
}
