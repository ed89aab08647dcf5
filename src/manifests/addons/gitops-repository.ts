import * as path from 'node:path';
import { stringify } from 'yaml';
import { fluxSettingsOf, type FluxSettings } from './flux-settings';
import { isSelfManaged, requireComponent, type ClusterConfig, type ResolvedVersionsBundle } from '../../spec';

/** File names EKS-A uses in the GitOps repository. */
export const GITOPS_FILES = {
  clusterConfig: 'eksa-cluster.yaml',
  kustomization: 'kustomization.yaml',
  fluxSync: 'gotk-sync.yaml',
  fluxPatches: 'gotk-patches.yaml',
  fluxComponents: 'gotk-components.yaml',
} as const;

/** Repository paths are POSIX paths whatever the platform the workflow runs on. */
const posix = path.posix;

/** The folders of a cluster in the GitOps repository. */
export interface GitOpsPaths {
  /** `clusterConfigPath`, e.g. `clusters/mgmt`. */
  readonly root: string;
  /** `<root>/<cluster>/eksa-system`: the cluster's EKS-A config. */
  readonly clusterDir: string;
  /** `<root>/<flux namespace>`: Flux's own manifests (management clusters only). */
  readonly fluxDir: string;
}

/** A commit the workflow makes in the GitOps repository. */
export interface GitOpsCommit {
  /** Repository path → file content, in the order they are written. */
  readonly files: Readonly<Record<string, string>>;
  /** The path to `git add` (a folder). */
  readonly add: string;
  readonly message: string;
}

/** The repository cleanup of a deleted cluster. */
export interface GitOpsCleanup {
  /** The path to `git rm -r` (skip the commit when it does not exist). */
  readonly remove: string;
  readonly message: string;
}

/** The folders of a cluster; undefined when it has no GitOps configuration. */
export function gitOpsPaths(config: ClusterConfig): GitOpsPaths | undefined {
  const flux = fluxSettingsOf(config);
  return flux ? pathsOf(config, flux) : undefined;
}

/**
 * The files EKS-A commits for a cluster (research A1.10): the cluster's EKS-A config and a kustomization listing
 * it under `<clusterConfigPath>/<cluster>/eksa-system/`, and, for a management cluster, Flux's kustomization, an
 * empty `gotk-sync.yaml` (flux bootstrap writes it) and patches pinning Flux's four controllers to the versions
 * bundle's images under `<clusterConfigPath>/<flux namespace>/`. Undefined without GitOps.
 *
 * @param clusterConfigYaml the cluster's EKS-A config as EKS-A writes it (the `<c>-eks-a-cluster.yaml` content)
 * @throws VersionsBundlesError when a management cluster's versions bundle has no `flux` component
 */
export function gitOpsRepositoryFiles(
  config: ClusterConfig,
  bundle: ResolvedVersionsBundle,
  clusterConfigYaml: string,
): Record<string, string> | undefined {
  const flux = fluxSettingsOf(config);
  if (!flux) return undefined;
  const paths = pathsOf(config, flux);
  const files: Record<string, string> = {
    ...clusterFiles(paths, clusterConfigYaml),
  };
  if (isSelfManaged(config.cluster)) {
    files[posix.join(paths.fluxDir, GITOPS_FILES.kustomization)] = yamlOf({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: flux.systemNamespace,
      resources: [GITOPS_FILES.fluxComponents, GITOPS_FILES.fluxSync],
      patchesStrategicMerge: [GITOPS_FILES.fluxPatches],
    });
    files[posix.join(paths.fluxDir, GITOPS_FILES.fluxSync)] = '';
    files[posix.join(paths.fluxDir, GITOPS_FILES.fluxPatches)] = fluxPatches(flux.systemNamespace, bundle);
  }
  return files;
}

/**
 * The first commit of a new cluster: every file of {@link gitOpsRepositoryFiles}, adding the parent of
 * `clusterConfigPath` (so the cluster and Flux folders go in together). Undefined without GitOps.
 */
export function gitOpsCreateCommit(
  config: ClusterConfig,
  bundle: ResolvedVersionsBundle,
  clusterConfigYaml: string,
): GitOpsCommit | undefined {
  const files = gitOpsRepositoryFiles(config, bundle, clusterConfigYaml);
  const paths = gitOpsPaths(config);
  if (!files || !paths) return undefined;
  return {
    files,
    add: posix.dirname(paths.root),
    message: `Add the configuration of cluster ${config.cluster.metadata.name} (eksa-iac)`,
  };
}

/**
 * The commit after an upgrade: the cluster's new EKS-A config (and its kustomization) only; Flux's files stay as
 * bootstrap left them. Undefined without GitOps.
 */
export function gitOpsUpdateCommit(
  config: ClusterConfig,
  clusterConfigYaml: string,
): GitOpsCommit | undefined {
  const paths = gitOpsPaths(config);
  if (!paths) return undefined;
  return {
    files: clusterFiles(paths, clusterConfigYaml),
    add: paths.clusterDir,
    message: `Update the configuration of cluster ${config.cluster.metadata.name} (eksa-iac)`,
  };
}

/**
 * What the delete workflow removes from the repository (research A5.7): for a workload cluster its
 * `<clusterConfigPath>/<cluster>/eksa-system` folder, for a management cluster the whole `clusterConfigPath` —
 * its Flux folder and every cluster configured under it. Undefined without GitOps.
 */
export function gitOpsCleanup(config: ClusterConfig): GitOpsCleanup | undefined {
  const paths = gitOpsPaths(config);
  if (!paths) return undefined;
  return {
    remove: isSelfManaged(config.cluster) ? paths.root : paths.clusterDir,
    message: `Remove the configuration of deleted cluster ${config.cluster.metadata.name} (eksa-iac)`,
  };
}

function pathsOf(config: ClusterConfig, flux: FluxSettings): GitOpsPaths {
  const root = posix.normalize(flux.clusterConfigPath).replace(/\/+$/, '');
  return {
    root,
    clusterDir: posix.join(root, config.cluster.metadata.name, 'eksa-system'),
    fluxDir: posix.join(root, flux.systemNamespace),
  };
}

function clusterFiles(paths: GitOpsPaths, clusterConfigYaml: string): Record<string, string> {
  return {
    [posix.join(paths.clusterDir, GITOPS_FILES.clusterConfig)]: clusterConfigYaml,
    [posix.join(paths.clusterDir, GITOPS_FILES.kustomization)]: yamlOf({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [GITOPS_FILES.clusterConfig],
    }),
  };
}

/** Strategic-merge patches that set each Flux controller's `manager` container to the bundle's image. */
function fluxPatches(namespace: string, bundle: ResolvedVersionsBundle): string {
  const flux = requireComponent(bundle, 'flux');
  const controllers: [string, string][] = [
    ['source-controller', flux.sourceController.uri],
    ['kustomize-controller', flux.kustomizeController.uri],
    ['helm-controller', flux.helmController.uri],
    ['notification-controller', flux.notificationController.uri],
  ];
  return controllers
    .map(([name, image]) =>
      yamlOf({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace },
        spec: { template: { spec: { containers: [{ image, name: 'manager' }] } } },
      }),
    )
    .join('---\n');
}

function yamlOf(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0 });
}
