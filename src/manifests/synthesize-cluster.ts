import { App } from 'cdk8s';
import type { ClusterConfig } from '../spec';
import { EksaClusterChart, type EksaClusterChartProps } from './eksa-cluster-chart';
import { toYamlDocuments, type KubeObject } from './kube-object';
import type { ResolvedVersionsBundle, VersionsBundles } from '../spec/bundles';

/** Options of {@link synthesizeCluster}: the chart's properties. */
export type SynthesizeClusterOptions = EksaClusterChartProps;

/** What synthesis of one cluster yields. */
export interface SynthesizedCluster {
  readonly clusterName: string;
  /** EKS-A objects after defaults (`<c>-eks-a-cluster.yaml`). */
  readonly eksaObjects: readonly KubeObject[];
  /** Cluster API objects (`<c>-capi.yaml`). */
  readonly capiObjects: readonly KubeObject[];
  /** True when the CAPI objects carry credentials: write them only to 0600 files, never log them. */
  readonly containsSecrets: boolean;
  /** `eksaObjects` as multi-document YAML. */
  eksaYaml(): string;
  /** `capiObjects` as multi-document YAML. */
  capiYaml(): string;
}

/**
 * Renders one cluster: the EKS-A objects and the CAPI objects EKS-A would generate for it, for a contract.
 * Constructs validate their props as they are built; `node.validate()` findings are thrown together.
 * @throws Error listing every validation failure with its construct path
 */
export function synthesizeCluster(options: SynthesizeClusterOptions): SynthesizedCluster {
  const app = new App();
  const chart = new EksaClusterChart(app, options.config.cluster.metadata.name, options);
  const failures = chart.node
    .findAll()
    .flatMap((c) => c.node.validate().map((message) => `[${c.node.path}] ${message}`));
  if (failures.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${failures.join('\n  ')}`);
  }
  const eksaObjects = chart.eksaManifests();
  const capiObjects = chart.capiManifests();
  return {
    clusterName: chart.clusterName,
    eksaObjects,
    capiObjects,
    containsSecrets: chart.capi.containsSecrets,
    eksaYaml: () => toYamlDocuments(eksaObjects),
    capiYaml: () => toYamlDocuments(capiObjects),
  };
}

/** The Kubernetes versions a cluster uses: the cluster's, then each worker group's own, without repeats. */
export function clusterKubernetesVersions(config: ClusterConfig): string[] {
  const versions = [config.cluster.spec.kubernetesVersion];
  for (const group of config.cluster.spec.workerNodeGroupConfigurations ?? []) {
    if (group.kubernetesVersion && !versions.includes(group.kubernetesVersion)) {
      versions.push(group.kubernetesVersion);
    }
  }
  return versions;
}

/** Resolves the versions bundle of every Kubernetes version the cluster uses. */
export async function resolveClusterBundles(
  config: ClusterConfig,
  bundles: Pick<VersionsBundles, 'resolve'>,
): Promise<ResolvedVersionsBundle[]> {
  return Promise.all(clusterKubernetesVersions(config).map((v) => bundles.resolve(v)));
}
