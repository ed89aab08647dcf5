import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { toGeneratedProps, type DateField } from './to-generated-props';
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
import { addRenderedObject, type GeneratedKind } from '../schema-json';

/** Properties for {@link EksaConfigObject}: one EKS-A object as a user writes it. */
export interface EksaConfigObjectProps {
  readonly object: EksaObjectSpec;
}

/** A generated EKS-A kind and its generated renderer (props → JSON with the schema's names). */
interface GeneratedEksaKind {
  readonly kind: GeneratedKind<object>;
  readonly render: (props: object | undefined) => Record<string, unknown> | undefined;
}

function generated<P>(
  kind: GeneratedKind<P>,
  render: (props: P | undefined) => Record<string, unknown> | undefined,
): GeneratedEksaKind {
  return { kind, render } as unknown as GeneratedEksaKind;
}

/** The generated class and renderer of each EKS-A kind. */
const KINDS: Readonly<Record<EksaObjectSpec['kind'], GeneratedEksaKind>> = {
  Cluster: generated(eksa.Cluster, eksa.toJson_ClusterProps),
  DockerDatacenterConfig: generated(eksa.DockerDatacenterConfig, eksa.toJson_DockerDatacenterConfigProps),
  VSphereDatacenterConfig: generated(eksa.VSphereDatacenterConfig, eksa.toJson_VSphereDatacenterConfigProps),
  VSphereMachineConfig: generated(eksa.VSphereMachineConfig, eksa.toJson_VSphereMachineConfigProps),
  OIDCConfig: generated(eksa.OidcConfig, eksa.toJson_OidcConfigProps),
  AWSIamConfig: generated(eksa.AwsIamConfig, eksa.toJson_AwsIamConfigProps),
  GitOpsConfig: generated(eksa.GitOpsConfig, eksa.toJson_GitOpsConfigProps),
  FluxConfig: generated(eksa.FluxConfig, eksa.toJson_FluxConfigProps),
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
    const generatedKind = KINDS[object.kind];
    if (!generatedKind) {
      throw new Error(`EksaConfigObject '${this.node.path}': unsupported kind '${String(object.kind)}'.`);
    }
    this.apiVersion = object.apiVersion;
    this.kind = object.kind;
    this.name = object.metadata.name;
    this.namespace = object.metadata.namespace || DEFAULT_EKSA_NAMESPACE;
    const spec = object.kind === 'Cluster' ? withoutEmptyDns(object.spec) : object.spec;
    // Rendered once with the generated renderer. Dates stay out of the props (cdk8s cannot resolve a Date) and are
    // patched into the JSON as Kubernetes writes them.
    const dates: DateField[] = [];
    const generatedProps = {
      metadata: reducedMetadata(object.metadata),
      spec: toGeneratedProps(spec, dates, '/spec'),
    };
    const rendered = addRenderedObject(
      this,
      'Resource',
      generatedKind.kind,
      generatedKind.render,
      generatedProps,
    );
    for (const date of dates) rendered.addJsonPatch(JsonPatch.add(date.pointer, date.value));
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
