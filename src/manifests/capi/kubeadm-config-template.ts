import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CAPI_NAMESPACE, capiApiVersion, DEFAULT_CAPI_CONTRACT, type CapiContract } from '../contract';
import {
  kubeadmConfigSpecV1Beta1,
  kubeadmConfigSpecV1Beta2,
  renderForkFields,
  type KubeadmConfigSpec,
} from './kubeadm-config-spec';
import type { IObjectRef } from './object-ref';
import { addSchemaObject, type SchemaJson } from '../schema-json';
import * as kct from '../imports/bootstrap.cluster.x-k8s.io';

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
export class KubeadmConfigTemplate extends Construct implements IObjectRef {
  public readonly apiVersion: string;
  public readonly kind = 'KubeadmConfigTemplate';
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: KubeadmConfigTemplateProps) {
    super(scope, id);
    const contract = props.contract ?? DEFAULT_CAPI_CONTRACT;
    this.name = props.name;
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    this.apiVersion = capiApiVersion('bootstrap', contract);
    const metadata = { name: this.name, namespace: this.namespace };
    // The template embeds the same Go type (KubeadmConfigSpec) as the KubeadmControlPlane; cdk8s import generates
    // a structurally identical copy per CRD whose enums are nominally distinct, hence the casts.
    let resource: ApiObject;
    if (contract === 'v1beta2') {
      resource = addSchemaObject(this, 'Resource', kct.KubeadmConfigTemplateV1Beta2, {
        metadata,
        spec: {
          template: {
            spec: kubeadmConfigSpecV1Beta2(
              props.kubeadmConfigSpec,
            ) as unknown as SchemaJson<kct.KubeadmConfigTemplateV1Beta2SpecTemplateSpec>,
          },
        },
      });
    } else {
      resource = addSchemaObject(this, 'Resource', kct.KubeadmConfigTemplate, {
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
    renderForkFields(resource, props.kubeadmConfigSpec, ['spec', 'template', 'spec']);
  }
}
