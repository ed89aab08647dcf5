import { Construct } from 'constructs';
import { toGeneratedProps } from './to-generated-props';
import {
  configObjects,
  DEFAULT_EKSA_NAMESPACE,
  type ClusterConfig,
  type ClusterSpec,
  type EksaConfigObject as EksaObjectSpec,
  type EksaObjectMeta,
} from '../../spec';
import type { IObjectRef } from '../capi/object-ref';
import * as eksa from '../imports/anywhere.eks.amazonaws.com';

/** Properties for {@link EksaConfigObject}: one EKS-A object as a user writes it. */
export interface EksaConfigObjectProps {
  readonly object: EksaObjectSpec;
}

/** The generated class of each EKS-A kind. */
const CLASSES: Readonly<
  Record<EksaObjectSpec['kind'], new (scope: Construct, id: string, props: object) => unknown>
> = {
  Cluster: eksa.Cluster,
  DockerDatacenterConfig: eksa.DockerDatacenterConfig,
  VSphereDatacenterConfig: eksa.VSphereDatacenterConfig,
  VSphereMachineConfig: eksa.VSphereMachineConfig,
  OIDCConfig: eksa.OidcConfig,
  AWSIamConfig: eksa.AwsIamConfig,
  GitOpsConfig: eksa.GitOpsConfig,
  FluxConfig: eksa.FluxConfig,
};

/**
 * One EKS-A config object as EKS-A writes it to `<c>/<c>-eks-a-cluster.yaml`: metadata reduced to name,
 * namespace (default `default`) and annotations, no status, and a Cluster's `clusterNetwork.dns` dropped when it
 * holds no `resolvConf` (`pkg/clustermarshaller`).
 * @see https://anywhere.eks.amazonaws.com/docs/reference/clusterspec/
 */
export class EksaConfigObject extends Construct implements IObjectRef {
  public readonly apiVersion: string;
  public readonly kind: string;
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: EksaConfigObjectProps) {
    super(scope, id);
    const object = props.object;
    const Class = CLASSES[object.kind];
    if (!Class) {
      throw new Error(`EksaConfigObject '${this.node.path}': unsupported kind '${String(object.kind)}'.`);
    }
    this.apiVersion = object.apiVersion;
    this.kind = object.kind;
    this.name = object.metadata.name;
    this.namespace = object.metadata.namespace || DEFAULT_EKSA_NAMESPACE;
    const spec = object.kind === 'Cluster' ? withoutEmptyDns(object.spec) : object.spec;
    new Class(this, 'Resource', { metadata: reducedMetadata(object.metadata), spec: toGeneratedProps(spec) });
  }
}

/** Properties for {@link EksaConfigObjects}. */
export interface EksaConfigObjectsProps {
  /** The cluster config, after defaults. */
  readonly config: ClusterConfig;
}

/** Every EKS-A object of a cluster config, Cluster first (the content of `<c>-eks-a-cluster.yaml`). */
export class EksaConfigObjects extends Construct {
  public readonly objects: readonly EksaConfigObject[];

  constructor(scope: Construct, id: string, props: EksaConfigObjectsProps) {
    super(scope, id);
    this.objects = configObjects(props.config).map(
      (object) => new EksaConfigObject(this, `${object.kind}-${object.metadata.name}`, { object }),
    );
  }
}

function reducedMetadata(meta: EksaObjectMeta) {
  return {
    name: meta.name,
    namespace: meta.namespace || DEFAULT_EKSA_NAMESPACE,
    annotations:
      meta.annotations && Object.keys(meta.annotations).length > 0 ? { ...meta.annotations } : undefined,
  };
}

function withoutEmptyDns(spec: ClusterSpec): ClusterSpec {
  const network = spec.clusterNetwork;
  if (!network || network.dns?.resolvConf?.path) return spec;
  if (network.dns === undefined) return spec;
  const { dns: _dropped, ...rest } = network;
  return { ...spec, clusterNetwork: rest };
}
