import { Construct } from 'constructs';
import { CAPI_NAMESPACE, DEFAULT_CAPI_CONTRACT, type CapiContract } from '../contract';
import type { IObjectRef } from './object-ref';
import * as addons from '../imports/addons.cluster.x-k8s.io';
import { addRenderedObject } from '../schema-json';

/** API group of ClusterResourceSets. */
export const ADDONS_GROUP = 'addons.cluster.x-k8s.io';

/** A Secret or ConfigMap (in the set's namespace) whose `data` values are manifests to apply. */
export interface ClusterResourceSetResource {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
}

/** Properties for {@link ClusterResourceSet}. */
export interface ClusterResourceSetProps {
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  /** @default "v1beta2" */
  readonly contract?: CapiContract;
  /** @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Clusters (CAPI Cluster labels) the resources are applied to. */
  readonly clusterSelector: Readonly<Record<string, string>>;
  /** The resources, applied in this order. */
  readonly resources: readonly ClusterResourceSetResource[];
  /** `Reconcile` re-applies changed resources; `ApplyOnce` applies them once. @default "Reconcile" */
  readonly strategy?: 'Reconcile' | 'ApplyOnce';
}

/**
 * A `ClusterResourceSet`: Secrets and ConfigMaps holding manifests that Cluster API applies to every workload
 * cluster matching the selector (EKS-A installs the vSphere cloud provider this way).
 * @see https://cluster-api.sigs.k8s.io/tasks/experimental-features/cluster-resource-set
 */
export class ClusterResourceSet extends Construct implements IObjectRef {
  public readonly apiVersion: string;
  public readonly kind = 'ClusterResourceSet';
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ClusterResourceSetProps) {
    super(scope, id);
    const contract = props.contract ?? DEFAULT_CAPI_CONTRACT;
    this.name = props.name;
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    this.apiVersion = `${ADDONS_GROUP}/${contract}`;
    if (props.resources.length === 0) {
      throw new Error(`ClusterResourceSet '${this.node.path}': resources must not be empty.`);
    }
    const metadata = {
      name: this.name,
      namespace: this.namespace,
      labels: props.labels && { ...props.labels },
    };
    const clusterSelector = { matchLabels: { ...props.clusterSelector } };
    const strategy = props.strategy ?? 'Reconcile';
    if (contract === 'v1beta2') {
      addRenderedObject(
        this,
        'Resource',
        addons.ClusterResourceSetV1Beta2,
        addons.toJson_ClusterResourceSetV1Beta2Props,
        {
          metadata,
          spec: {
            strategy: strategy as addons.ClusterResourceSetV1Beta2SpecStrategy,
            clusterSelector,
            resources: props.resources.map((r) => ({
              kind: r.kind as addons.ClusterResourceSetV1Beta2SpecResourcesKind,
              name: r.name,
            })),
          },
        },
      );
    } else {
      addRenderedObject(this, 'Resource', addons.ClusterResourceSet, addons.toJson_ClusterResourceSetProps, {
        metadata,
        spec: {
          strategy: strategy as addons.ClusterResourceSetSpecStrategy,
          clusterSelector,
          resources: props.resources.map((r) => ({
            kind: r.kind as addons.ClusterResourceSetSpecResourcesKind,
            name: r.name,
          })),
        },
      });
    }
  }
}
