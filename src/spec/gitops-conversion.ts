import type { FluxConfig } from './flux-config';
import type { GitOpsConfig } from './gitops-config';

/**
 * The FluxConfig equivalent of an older GitOpsConfig, as EKS-A converts it internally: same name and namespace,
 * the GitHub repository, branch, cluster config path and Flux namespace carried over. Unset fields stay unset
 * (apply `setClusterDefaults` before or after; the defaults agree).
 */
export function fluxConfigFromGitOps(gitOps: GitOpsConfig): FluxConfig {
  const github = gitOps.spec.flux.github;
  return {
    apiVersion: gitOps.apiVersion,
    kind: 'FluxConfig',
    metadata: gitOps.metadata,
    spec: {
      ...(github.fluxSystemNamespace ? { systemNamespace: github.fluxSystemNamespace } : {}),
      ...(github.branch ? { branch: github.branch } : {}),
      ...(github.clusterConfigPath ? { clusterConfigPath: github.clusterConfigPath } : {}),
      github: {
        owner: github.owner,
        repository: github.repository,
        ...(github.personal !== undefined ? { personal: github.personal } : {}),
      },
    },
  };
}
