import * as path from 'node:path';

/**
 * Where EKS-A keeps a cluster's files, relative to the working directory (research/eksa.md (b)): scratch
 * material under `<c>/generated/`, the files users keep directly under `<c>/`.
 */
export interface ClusterPaths {
  /** `<c>` */
  readonly dir: string;
  /** `<c>/generated` */
  readonly generated: string;
  /** `<c>/generated/<c>.kind.kubeconfig`: the bootstrap cluster's kubeconfig. */
  readonly kindKubeconfig: string;
  /** `<c>/generated/kind_tmp.yaml` */
  readonly kindConfig: string;
  /** `<c>/generated/kubernetes/audit-policy.yaml`, mounted into the kind node. */
  readonly auditPolicy: string;
  /** `<c>/generated/certs.d`: containerd's registry mirror hosts for kind. */
  readonly certsDir: string;
  /** `<c>/generated/<c>-capi.yaml`: the Cluster API objects applied (0600 when they hold credentials). */
  readonly capiManifest: string;
  /** `<c>/generated/<c>-eks-a-cluster.kubeconfig`: the new cluster's kubeconfig until the create completes. */
  readonly generatedKubeconfig: string;
  /** `<c>/<c>-eks-a-cluster.kubeconfig` (0600) */
  readonly kubeconfig: string;
  /** `<c>/generated/<c>-eks-a-cluster.yaml`: the EKS-A config, written here first. */
  readonly generatedClusterConfig: string;
  /** `<c>/<c>-eks-a-cluster.yaml` */
  readonly clusterConfig: string;
  /** `<c>/generated/gitops`: the repository files of the GitOps configuration. */
  readonly gitOpsDir: string;
  /** `<c>/generated/diagnostics-<time>` for a failure at `time`. */
  diagnosticsDir(time: Date): string;
}

export function clusterPaths(clusterName: string): ClusterPaths {
  const dir = clusterName;
  const generated = path.join(dir, 'generated');
  return {
    dir,
    generated,
    kindKubeconfig: path.join(generated, `${clusterName}.kind.kubeconfig`),
    kindConfig: path.join(generated, 'kind_tmp.yaml'),
    auditPolicy: path.join(generated, 'kubernetes', 'audit-policy.yaml'),
    certsDir: path.join(generated, 'certs.d'),
    capiManifest: path.join(generated, `${clusterName}-capi.yaml`),
    generatedKubeconfig: path.join(generated, `${clusterName}-eks-a-cluster.kubeconfig`),
    kubeconfig: path.join(dir, `${clusterName}-eks-a-cluster.kubeconfig`),
    generatedClusterConfig: path.join(generated, `${clusterName}-eks-a-cluster.yaml`),
    clusterConfig: path.join(dir, `${clusterName}-eks-a-cluster.yaml`),
    gitOpsDir: path.join(generated, 'gitops'),
    // EKS-A's timestamp style (2006-01-02T15_04_05): no colons, which some file systems refuse.
    diagnosticsDir: (time) =>
      path.join(
        generated,
        `diagnostics-${time
          .toISOString()
          .replace(/\.\d+Z$/, '')
          .replace(/:/g, '_')}`,
      ),
  };
}
