import { ApiObject, type ApiObjectProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { CAPI_NAMESPACE, DEFAULT_CAPI_CONTRACT, type CapiContract } from '../contract';
import {
  kubeadmConfigSpecV1Beta1,
  kubeadmConfigSpecV1Beta2,
  renderForkFields,
  type KubeadmConfigSpec,
} from './kubeadm-config-spec';
import type { IObjectRef } from './object-ref';
import * as kct from '../imports/bootstrap.cluster.x-k8s.io';
import { schemaObjectProps, type SchemaJson } from '../schema-json';

/** Properties for {@link KubeadmConfigTemplate}. */
export interface KubeadmConfigTemplateProps {
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
  /** @default "v1beta2" */
  readonly contract?: CapiContract;
  /** The kubeadm configuration every machine of the group joins with. */
  readonly kubeadmConfigSpec: KubeadmConfigSpec;
}

/**
 * A `KubeadmConfigTemplate`: the kubeadm join configuration of a MachineDeployment's machines.
 * @see https://cluster-api.sigs.k8s.io/tasks/bootstrap/kubeadm-bootstrap/
 */
export class KubeadmConfigTemplate extends ApiObject implements IObjectRef {
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: KubeadmConfigTemplateProps) {
    super(scope, id, kubeadmConfigTemplateObject(props));
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    renderForkFields(this, props.kubeadmConfigSpec, ['spec', 'template', 'spec']);
  }
}

function kubeadmConfigTemplateObject(props: KubeadmConfigTemplateProps): ApiObjectProps {
  const contract = props.contract ?? DEFAULT_CAPI_CONTRACT;
  const metadata = { name: props.name, namespace: props.namespace ?? CAPI_NAMESPACE };
  // The template embeds the same Go type (KubeadmConfigSpec) as the KubeadmControlPlane; cdk8s import generates
  // a structurally identical copy per CRD whose enums are nominally distinct, hence the casts.
  if (contract === 'v1beta2') {
    return schemaObjectProps(kct.KubeadmConfigTemplateV1Beta2, {
      metadata,
      spec: {
        template: {
          spec: kubeadmConfigSpecV1Beta2(
            props.kubeadmConfigSpec,
          ) as unknown as SchemaJson<kct.KubeadmConfigTemplateV1Beta2SpecTemplateSpec>,
        },
      },
    });
  }
  return schemaObjectProps(kct.KubeadmConfigTemplate, {
    metadata,
    spec: {
      template: {
        spec: kubeadmConfigSpecV1Beta1(
          props.kubeadmConfigSpec,
        ) as unknown as SchemaJson<kct.KubeadmConfigTemplateSpecTemplateSpec>,
      },
    },
  });
}
