import { JsonPatch, type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CAPI_NAMESPACE, capiApiVersion, DEFAULT_CAPI_CONTRACT, type CapiContract } from '../contract';
import { refV1Beta1, refV1Beta2, type IObjectRef } from './object-ref';
import * as capi from '../imports/cluster.x-k8s.io';
import { addRenderedObject } from '../schema-json';

/** Properties for {@link CapiCluster}. */
export interface CapiClusterProps {
  /** Object name; also the cluster name every other CAPI object refers to. */
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  /** @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default "v1beta2" */
  readonly contract?: CapiContract;
  /** Pod network CIDR blocks. */
  readonly podCidrBlocks: readonly string[];
  /** Service network CIDR blocks. */
  readonly serviceCidrBlocks: readonly string[];
  /** DNS domain of services. @default - omitted (CAPI's default, `cluster.local`) */
  readonly serviceDomain?: string;
  /** The control plane object (a KubeadmControlPlane). */
  readonly controlPlane: IObjectRef;
  /** The infrastructure cluster object (DockerCluster, VSphereCluster, …). */
  readonly infrastructure: IObjectRef;
  /**
   * An etcd cluster managed outside the control plane (EtcdadmCluster). This field exists only in the Cluster API
   * build EKS Anywhere ships; upstream Cluster API CRDs do not have it.
   * @default - stacked etcd
   */
  readonly managedExternalEtcd?: IObjectRef;
  /** v1beta1 only: whether `controlPlaneRef` and `infrastructureRef` carry `namespace`. @default true */
  readonly referenceNamespaces?: boolean;
}

/**
 * A Cluster API `Cluster`: the root object tying the control plane and infrastructure together.
 * @see https://cluster-api.sigs.k8s.io/developer/core/controllers/cluster
 */
export class CapiCluster extends Construct implements IObjectRef {
  public readonly apiVersion: string;
  public readonly kind = 'Cluster';
  public readonly name: string;
  public readonly namespace: string;
  public readonly contract: CapiContract;

  constructor(scope: Construct, id: string, props: CapiClusterProps) {
    super(scope, id);
    this.contract = props.contract ?? DEFAULT_CAPI_CONTRACT;
    this.name = props.name;
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    this.apiVersion = capiApiVersion('core', this.contract);
    if (props.podCidrBlocks.length === 0 || props.serviceCidrBlocks.length === 0) {
      throw new Error(`CapiCluster '${this.node.path}': pod and service CIDR blocks must not be empty.`);
    }

    const metadata = {
      name: this.name,
      namespace: this.namespace,
      labels: props.labels && { ...props.labels },
    };
    const clusterNetwork = {
      pods: { cidrBlocks: [...props.podCidrBlocks] },
      services: { cidrBlocks: [...props.serviceCidrBlocks] },
      serviceDomain: props.serviceDomain,
    };
    const etcd = props.managedExternalEtcd;
    let resource: ApiObject;
    let etcdRef: object | undefined;
    if (this.contract === 'v1beta2') {
      resource = addRenderedObject(this, 'Resource', capi.ClusterV1Beta2, capi.toJson_ClusterV1Beta2Props, {
        metadata,
        spec: {
          clusterNetwork,
          controlPlaneRef: refV1Beta2(props.controlPlane),
          infrastructureRef: refV1Beta2(props.infrastructure),
        },
      });
      etcdRef = etcd && refV1Beta2(etcd);
    } else {
      resource = addRenderedObject(this, 'Resource', capi.Cluster, capi.toJson_ClusterProps, {
        metadata,
        spec: {
          clusterNetwork,
          controlPlaneRef: refV1Beta1(props.controlPlane, props.referenceNamespaces),
          infrastructureRef: refV1Beta1(props.infrastructure, props.referenceNamespaces),
        },
      });
      etcdRef = etcd && refV1Beta1(etcd);
    }
    // `managedExternalEtcdRef` exists only in the Cluster API build EKS Anywhere ships, not in the upstream schema
    // the generated types come from, so it is added to the rendered object.
    if (etcdRef) resource.addJsonPatch(JsonPatch.add('/spec/managedExternalEtcdRef', etcdRef));
  }
}
