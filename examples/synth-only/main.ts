/**
 * A cdk8s app that composes eksa-iac's constructs with its own objects: an EKS-A docker cluster written as typed
 * props (no YAML file), its Cluster API objects, and a namespace of the platform team in the same chart.
 *
 *   npx ts-node examples/synth-only/main.ts [OUTDIR]     # writes OUTDIR/*.k8s.yaml (default dist/)
 *
 * Versions come from the offline bundles beside this repository (../shared/bundles); pass your own Bundles and
 * EKS-D release files, or none to use the pinned EKS-A release.
 */
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { Namespace } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import {
  ClusterApiObjects,
  DockerProvider,
  EksaConfigObjects,
  resolveClusterBundles,
} from '../../src/manifests';
import { setClusterDefaults, type ClusterConfig } from '../../src/spec';
import { loadVersionsBundles, type ResolvedVersionsBundle } from '../../src/spec/bundles';

/** The cluster, as typed props. */
export const devCluster: ClusterConfig = {
  cluster: {
    apiVersion: 'anywhere.eks.amazonaws.com/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'dev' },
    spec: {
      kubernetesVersion: '1.35',
      clusterNetwork: {
        cniConfig: { cilium: {} },
        pods: { cidrBlocks: ['192.168.0.0/16'] },
        services: { cidrBlocks: ['10.96.0.0/12'] },
      },
      controlPlaneConfiguration: { count: 1, certSans: ['dev.example.internal'] },
      datacenterRef: { kind: 'DockerDatacenterConfig', name: 'dev' },
      workerNodeGroupConfigurations: [
        { name: 'apps', count: 2, labels: { 'example.com/pool': 'apps' } },
        { name: 'batch', autoscalingConfiguration: { minCount: 0, maxCount: 4 } },
      ],
    },
  },
  datacenter: {
    apiVersion: 'anywhere.eks.amazonaws.com/v1alpha1',
    kind: 'DockerDatacenterConfig',
    metadata: { name: 'dev' },
    spec: {},
  },
};

interface PlatformChartProps {
  readonly config: ClusterConfig;
  readonly bundles: readonly ResolvedVersionsBundle[];
}

/** The platform team's chart: the cluster's EKS-A and CAPI objects next to their own objects. */
export class PlatformChart extends Chart {
  public readonly capi: ClusterApiObjects;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new Namespace(this, 'Platform', {
      metadata: { name: 'platform-dev', labels: { 'example.com/cluster': 'dev' } },
    });
    new EksaConfigObjects(this, 'Eksa', { config: props.config });
    this.capi = new ClusterApiObjects(this, 'Capi', {
      config: props.config,
      bundles: props.bundles,
      provider: new DockerProvider(),
      contract: 'v1beta2',
    });
  }
}

/** Builds and synthesizes the app into `outdir`; resolves to the app. */
export async function synthOnlyApp(
  outdir: string,
  bundlesDir = path.resolve(__dirname, '../../../shared/bundles'),
): Promise<App> {
  const config = setClusterDefaults(devCluster);
  const versionsBundles = await loadVersionsBundles({
    bundles: path.join(bundlesDir, 'main-bundle-release.yaml'),
    eksdReleases: [path.join(bundlesDir, 'kubernetes-1-35-eks-12.yaml')],
  });
  const app = new App({ outdir });
  new PlatformChart(app, 'platform', {
    config,
    bundles: await resolveClusterBundles(config, versionsBundles),
  });
  app.synth();
  return app;
}

if (require.main === module) {
  synthOnlyApp(process.argv[2] ?? 'dist').then(
    (app) => console.log(`wrote ${app.outdir}`),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
