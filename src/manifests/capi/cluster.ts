import { Construct } from 'constructs';
import { CAPI_NAMESPACE, capiApiVersion, DEFAULT_CAPI_CONTRACT, type CapiContract } from '../contract';
import { refV1Beta1, refV1Beta2, type IObjectRef } from './object-ref';
import * as capi from '../imports/cluster.x-k8s.io';

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
    if (this.contract === 'v1beta2') {
      new ClusterV1Beta2WithEtcd(
        this,
        'Resource',
        {
          metadata,
          spec: {
            clusterNetwork,
            controlPlaneRef: refV1Beta2(props.controlPlane),
            infrastructureRef: refV1Beta2(props.infrastructure),
          },
        },
        etcd && refV1Beta2(etcd),
      );
    } else {
      new ClusterV1Beta1WithEtcd(
        this,
        'Resource',
        {
          metadata,
          spec: {
            clusterNetwork,
            controlPlaneRef: refV1Beta1(props.controlPlane, props.referenceNamespaces),
            infrastructureRef: refV1Beta1(props.infrastructure, props.referenceNamespaces),
          },
        },
        etcd && refV1Beta1(etcd),
      );
    }
  }
}

/*
 * `managedExternalEtcdRef` is not in the upstream Cluster API schema, so the generated classes (whose toJson keeps
 * only schema fields, dropping JSON patches too) cannot carry it; these subclasses add it after rendering.
 */
class ClusterV1Beta2WithEtcd extends capi.ClusterV1Beta2 {
  constructor(
    scope: Construct,
    id: string,
    props: capi.ClusterV1Beta2Props,
    private readonly etcdRef?: object,
  ) {
    super(scope, id, props);
  }

  public override toJson(): any {
    return withEtcdRef(super.toJson(), this.etcdRef);
  }
}

class ClusterV1Beta1WithEtcd extends capi.Cluster {
  constructor(
    scope: Construct,
    id: string,
    props: capi.ClusterProps,
    private readonly etcdRef?: object,
  ) {
    super(scope, id, props);
  }

  public override toJson(): any {
    return withEtcdRef(super.toJson(), this.etcdRef);
  }
}

function withEtcdRef(json: { spec?: Record<string, unknown> }, ref: object | undefined) {
  return ref ? { ...json, spec: { ...json.spec, managedExternalEtcdRef: ref } } : json;
}
