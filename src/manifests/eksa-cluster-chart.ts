import { ApiObject, Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterConfig } from '../spec';
import type { ResolvedVersionsBundle } from '../spec/bundles';
import { ClusterApiObjects } from './cluster/cluster-api-objects';
import type { CapiContract } from './contract';
import { EksaConfigObjects } from './eksa/eksa-config-objects';
import type { KubeObject } from './kube-object';
import type { InfrastructureProvider } from './providers/provider';
import { providerFor } from './providers/registry';
import type { AppliedTemplate } from './template-names';

/** Properties for {@link EksaClusterChart}. */
export interface EksaClusterChartProps extends ChartProps {
  /** The cluster config, after `setClusterDefaults` (and validation, unless rendering as EKS-A's template tests). */
  readonly config: ClusterConfig;
  /** A resolved versions bundle for every Kubernetes version the cluster uses (`resolveClusterBundles`). */
  readonly bundles: readonly ResolvedVersionsBundle[];
  /** @default "v1beta2" */
  readonly contract?: CapiContract;
  /** @default - the registered provider of `config.datacenter.kind` */
  readonly provider?: InfrastructureProvider;
  /** Templates applied before (see {@link ClusterApiObjectsProps.previousTemplates}). @default - none */
  readonly previousTemplates?: readonly AppliedTemplate[];
  /** Credentials environment (`REGISTRY_USERNAME`, `REGISTRY_PASSWORD`, provider variables). @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * One EKS-A cluster: the EKS-A config objects and the Cluster API objects EKS-A would generate for them. The two
 * sets are separate children (`eksa`, `capi`), written to `<c>-eks-a-cluster.yaml` and `<c>-capi.yaml`.
 */
export class EksaClusterChart extends Chart {
  public readonly eksa: EksaConfigObjects;
  public readonly capi: ClusterApiObjects;
  public readonly clusterName: string;

  constructor(scope: Construct, id: string, props: EksaClusterChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    this.clusterName = props.config.cluster.metadata.name;
    this.eksa = new EksaConfigObjects(this, 'Eksa', { config: props.config });
    this.capi = new ClusterApiObjects(this, 'Capi', {
      config: props.config,
      bundles: props.bundles,
      provider: props.provider ?? providerFor(props.config),
      contract: props.contract,
      previousTemplates: props.previousTemplates,
      env: props.env,
    });
  }

  /** The EKS-A objects, as JSON (`<c>-eks-a-cluster.yaml`). */
  public eksaManifests(): KubeObject[] {
    return manifestsOf(this.eksa);
  }

  /** The Cluster API objects, as JSON (`<c>-capi.yaml`). */
  public capiManifests(): KubeObject[] {
    return manifestsOf(this.capi);
  }
}

/** The API objects under a construct, rendered, in tree order. */
export function manifestsOf(scope: Construct): KubeObject[] {
  return scope.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject)
    .map((o) => o.toJson() as KubeObject);
}
