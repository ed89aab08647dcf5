import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CAPI_NAMESPACE, capiApiVersion, DEFAULT_CAPI_CONTRACT, type CapiContract } from '../contract';
import {
  kubeadmConfigSpecV1Beta1,
  kubeadmConfigSpecV1Beta2,
  renderForkFields,
  type KubeadmConfigSpec,
} from './kubeadm-config-spec';
import { refV1Beta1, refV1Beta2, type IObjectRef } from './object-ref';
import * as kcp from '../imports/controlplane.cluster.x-k8s.io';
import { addSchemaObject } from '../schema-json';

/** Properties for {@link KubeadmControlPlane}. */
export interface KubeadmControlPlaneProps {
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  /** @default "v1beta2" */
  readonly contract?: CapiContract;
  /** Number of control plane machines. */
  readonly replicas: number;
  /** Kubernetes version (the EKS-D tag, e.g. `v1.30.14-eks-1-30-58`). */
  readonly version: string;
  /** The machine template the control plane machines are created from. */
  readonly machineTemplate: IObjectRef;
  /** Labels of the control plane machines (v1beta2 contract only). @default - none */
  readonly machineLabels?: Readonly<Record<string, string>>;
  readonly kubeadmConfigSpec: KubeadmConfigSpec;
  /** Rolling update surge: 0 or 1. @default 1 */
  readonly maxSurge?: number;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A `KubeadmControlPlane`: the control plane machines and their kubeadm configuration.
 * @see https://cluster-api.sigs.k8s.io/tasks/control-plane/kubeadm-control-plane
 */
export class KubeadmControlPlane extends Construct implements IObjectRef {
  public readonly apiVersion: string;
  public readonly kind = 'KubeadmControlPlane';
  public readonly name: string;
  public readonly namespace: string;
  public readonly contract: CapiContract;
  public readonly replicas: number;

  constructor(scope: Construct, id: string, props: KubeadmControlPlaneProps) {
    super(scope, id);
    this.contract = props.contract ?? DEFAULT_CAPI_CONTRACT;
    this.name = props.name;
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    this.apiVersion = capiApiVersion('controlPlane', this.contract);
    this.replicas = props.replicas;
    const maxSurge = props.maxSurge ?? 1;
    if (!Number.isInteger(props.replicas) || props.replicas < 1) {
      throw new Error(
        `KubeadmControlPlane '${this.node.path}': replicas must be a positive integer, got ${props.replicas}.`,
      );
    }
    if (maxSurge !== 0 && maxSurge !== 1) {
      throw new Error(`KubeadmControlPlane '${this.node.path}': maxSurge must be 0 or 1, got ${maxSurge}.`);
    }

    const metadata = {
      name: this.name,
      namespace: this.namespace,
      annotations: props.annotations && { ...props.annotations },
    };
    let resource: ApiObject;
    if (this.contract === 'v1beta2') {
      resource = addSchemaObject(this, 'Resource', kcp.KubeadmControlPlaneV1Beta2, {
        metadata,
        spec: {
          machineTemplate: {
            metadata: props.machineLabels && { labels: { ...props.machineLabels } },
            spec: { infrastructureRef: refV1Beta2(props.machineTemplate) },
          },
          kubeadmConfigSpec: kubeadmConfigSpecV1Beta2(props.kubeadmConfigSpec),
          replicas: props.replicas,
          rollout: {
            strategy: {
              rollingUpdate: {
                maxSurge,
              },
              type: kcp.KubeadmControlPlaneV1Beta2SpecRolloutStrategyType.ROLLING_UPDATE,
            },
          },
          version: props.version,
        },
      });
    } else {
      resource = addSchemaObject(this, 'Resource', kcp.KubeadmControlPlane, {
        metadata,
        spec: {
          machineTemplate: { infrastructureRef: refV1Beta1(props.machineTemplate) },
          kubeadmConfigSpec: kubeadmConfigSpecV1Beta1(props.kubeadmConfigSpec),
          replicas: props.replicas,
          rolloutStrategy: {
            rollingUpdate: {
              maxSurge,
            },
            type: kcp.KubeadmControlPlaneSpecRolloutStrategyType.ROLLING_UPDATE,
          },
          version: props.version,
        },
      });
    }
    renderForkFields(resource, props.kubeadmConfigSpec, ['spec', 'kubeadmConfigSpec']);
  }
}
