import { Construct } from 'constructs';
import type { IObjectRef } from '../capi/object-ref';
import { CAPI_NAMESPACE } from '../contract';
import * as infra from '../imports/infrastructure.cluster.x-k8s.io';
import { addRenderedObject } from '../schema-json';

/** CAPV's API version as EKS-A renders it under both contracts. */
export const VSPHERE_API_VERSION = 'infrastructure.cluster.x-k8s.io/v1beta1';

/** Port of the Kubernetes API behind the control plane address. */
export const KUBE_API_PORT = 6443;

/** Properties for {@link VSphereCluster}. */
export interface VSphereClusterProps {
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  /** The control plane address (the kube-vip virtual IP). */
  readonly controlPlaneHost: string;
  /** vCenter server address. */
  readonly server: string;
  /** SHA-1 thumbprint of the vCenter certificate; empty when the certificate is trusted (or insecure). */
  readonly thumbprint: string;
  /** The Secret (same namespace) holding the vCenter `username` and `password` CAPV uses. */
  readonly credentialsSecretName: string;
}

/**
 * A CAPV `VSphereCluster`: the vCenter a cluster's machines live in, the credentials CAPV uses there and the
 * control plane endpoint.
 * @see https://github.com/kubernetes-sigs/cluster-api-provider-vsphere
 */
export class VSphereCluster extends Construct implements IObjectRef {
  public readonly apiVersion = VSPHERE_API_VERSION;
  public readonly kind = 'VSphereCluster';
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: VSphereClusterProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    addRenderedObject(this, 'Resource', infra.VSphereCluster, infra.toJson_VSphereClusterProps, {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        controlPlaneEndpoint: { host: props.controlPlaneHost, port: KUBE_API_PORT },
        identityRef: {
          kind: infra.VSphereClusterSpecIdentityRefKind.SECRET,
          name: props.credentialsSecretName,
        },
        server: props.server,
        thumbprint: props.thumbprint,
      },
    });
  }
}
