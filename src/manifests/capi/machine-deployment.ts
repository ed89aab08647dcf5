import { ApiObject, type ApiObjectProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { CAPI_NAMESPACE, DEFAULT_CAPI_CONTRACT, type CapiContract } from '../contract';
import { refV1Beta1, refV1Beta2, type IObjectRef } from './object-ref';
import * as capi from '../imports/cluster.x-k8s.io';
import { constructPath, schemaObjectProps } from '../schema-json';

/** Rolling update limits of a MachineDeployment. */
export interface MachineDeploymentRollingUpdate {
  readonly maxSurge: number | string;
  readonly maxUnavailable: number | string;
}

/** Properties for {@link MachineDeployment}. */
export interface MachineDeploymentProps {
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  /** @default "v1beta2" */
  readonly contract?: CapiContract;
  /** Name of the CAPI Cluster. */
  readonly clusterName: string;
  /** Number of machines; undefined leaves the count to the cluster autoscaler. @default - unset */
  readonly replicas?: number;
  /** Kubernetes version of the machines (the EKS-D tag). */
  readonly version: string;
  /** The bootstrap config template (KubeadmConfigTemplate). */
  readonly bootstrapTemplate: IObjectRef;
  /** The infrastructure machine template (DockerMachineTemplate, VSphereMachineTemplate, …). */
  readonly machineTemplate: IObjectRef;
  /** RollingUpdate limits. @default - the controller's defaults (no strategy rendered) */
  readonly rollingUpdate?: MachineDeploymentRollingUpdate;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Failure domain of the machines. @default - none */
  readonly failureDomain?: string;
  /** Labels of the machines (`spec.template.metadata.labels`). @default - none */
  readonly machineLabels?: Readonly<Record<string, string>>;
  /**
   * `spec.selector.matchLabels`.
   * @default {} under v1beta2; unset (an empty selector) under v1beta1, as EKS-A's docker template renders it
   */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** v1beta1 only: whether the template references carry `namespace`. @default true */
  readonly referenceNamespaces?: boolean;
}

/**
 * A `MachineDeployment`: one group of worker machines built from a bootstrap and an infrastructure template.
 * @see https://cluster-api.sigs.k8s.io/developer/core/controllers/machine-deployment
 */
export class MachineDeployment extends ApiObject implements IObjectRef {
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: MachineDeploymentProps) {
    super(scope, id, machineDeploymentObject(constructPath(scope, id), props));
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
  }
}

function machineDeploymentObject(path: string, props: MachineDeploymentProps): ApiObjectProps {
  const contract = props.contract ?? DEFAULT_CAPI_CONTRACT;
  if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) {
    throw new Error(
      `MachineDeployment '${path}': replicas must be a non-negative integer, got ${props.replicas}.`,
    );
  }
  const metadata = {
    name: props.name,
    namespace: props.namespace ?? CAPI_NAMESPACE,
    annotations: props.annotations && { ...props.annotations },
    labels: props.labels && { ...props.labels },
  };
  const ru = props.rollingUpdate;
  if (contract === 'v1beta2') {
    return schemaObjectProps(capi.MachineDeploymentV1Beta2, {
      metadata,
      spec: {
        clusterName: props.clusterName,
        replicas: props.replicas,
        selector: { matchLabels: { ...(props.matchLabels ?? {}) } },
        template: {
          metadata: props.machineLabels && { labels: { ...props.machineLabels } },
          spec: {
            bootstrap: { configRef: refV1Beta2(props.bootstrapTemplate) },
            clusterName: props.clusterName,
            infrastructureRef: refV1Beta2(props.machineTemplate),
            version: props.version,
            failureDomain: props.failureDomain,
          },
        },
        rollout: ru && {
          strategy: {
            type: capi.MachineDeploymentV1Beta2SpecRolloutStrategyType.ROLLING_UPDATE,
            rollingUpdate: {
              maxSurge: ru.maxSurge,
              maxUnavailable: ru.maxUnavailable,
            },
          },
        },
      },
    });
  } else {
    return schemaObjectProps(capi.MachineDeployment, {
      metadata,
      spec: {
        clusterName: props.clusterName,
        replicas: props.replicas,
        // EKS-A's v1beta1 docker template renders `matchLabels: null`; the selector itself is required.
        selector: props.matchLabels ? { matchLabels: { ...props.matchLabels } } : {},
        template: {
          metadata: props.machineLabels && { labels: { ...props.machineLabels } },
          spec: {
            bootstrap: { configRef: refV1Beta1(props.bootstrapTemplate, props.referenceNamespaces) },
            clusterName: props.clusterName,
            infrastructureRef: refV1Beta1(props.machineTemplate, props.referenceNamespaces),
            version: props.version,
            failureDomain: props.failureDomain,
          },
        },
        strategy: ru && {
          type: capi.MachineDeploymentSpecStrategyType.ROLLING_UPDATE,
          rollingUpdate: {
            maxSurge: ru.maxSurge,
            maxUnavailable: ru.maxUnavailable,
          },
        },
      },
    });
  }
}
