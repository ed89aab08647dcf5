import { Construct } from 'constructs';
import type { IObjectRef } from '../capi/object-ref';
import { CAPI_NAMESPACE } from '../contract';
import * as infra from '../imports/infrastructure.cluster.x-k8s.io';
import { addRenderedObject } from '../schema-json';

/** Properties for {@link DockerCluster}. */
export interface DockerClusterProps {
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  /** Repository of the haproxy load balancer image (without `/haproxy`). @default - CAPD's default image */
  readonly loadBalancerImageRepository?: string;
  /** Tag of the haproxy load balancer image. @default - CAPD's default image */
  readonly loadBalancerImageTag?: string;
}

/**
 * A CAPD `DockerCluster`: the load balancer container in front of the control plane containers. CAPD serves it as
 * `infrastructure.cluster.x-k8s.io/v1beta2` under both contracts.
 * @see https://github.com/kubernetes-sigs/cluster-api/tree/main/test/infrastructure/docker
 */
export class DockerCluster extends Construct implements IObjectRef {
  public readonly apiVersion = infra.DockerClusterV1Beta2.GVK.apiVersion;
  public readonly kind = 'DockerCluster';
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: DockerClusterProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    addRenderedObject(this, 'Resource', infra.DockerClusterV1Beta2, infra.toJson_DockerClusterV1Beta2Props, {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        loadBalancer: {
          imageRepository: props.loadBalancerImageRepository,
          imageTag: props.loadBalancerImageTag,
        },
      },
    });
  }
}
