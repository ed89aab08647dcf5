import { Construct } from 'constructs';
import { VSPHERE_API_VERSION } from './vsphere-cluster';
import type { IObjectRef } from '../capi/object-ref';
import { CAPI_NAMESPACE } from '../contract';
import * as infra from '../imports/infrastructure.cluster.x-k8s.io';
import { addRenderedObject } from '../schema-json';

/** The VMs of one machine group, as CAPV clones them. */
export interface VSphereMachineSpec {
  /** `fullClone` or `linkedClone`. @default - CAPV's default (omitted) */
  readonly cloneMode?: string;
  readonly datacenter: string;
  readonly datastore: string;
  readonly diskGiB?: number;
  readonly folder: string;
  readonly memoryMiB: number;
  /** Networks of the VM, one NIC each, addressed by DHCP. */
  readonly networks: readonly string[];
  readonly numCPUs: number;
  readonly resourcePool: string;
  /** vCenter server address. */
  readonly server: string;
  /** @default - none */
  readonly storagePolicyName?: string;
  /** VM template (inventory path) the machines are cloned from. */
  readonly template: string;
  readonly thumbprint: string;
  /** vSphere tag IDs attached to the VMs. @default - none */
  readonly tagIds?: readonly string[];
}

/** Properties for {@link VSphereMachineTemplate}. */
export interface VSphereMachineTemplateProps extends VSphereMachineSpec {
  /** `<base>-N`, from the applied templates (see `templateName`). */
  readonly name: string;
  /** @default "eksa-system" */
  readonly namespace?: string;
}

/** The template spec (`spec.template.spec`) of a VSphereMachineTemplate. */
export function vsphereMachineTemplateSpec(
  spec: VSphereMachineSpec,
): infra.VSphereMachineTemplateSpecTemplateSpec {
  return {
    cloneMode: spec.cloneMode || undefined,
    datacenter: spec.datacenter,
    datastore: spec.datastore,
    diskGiB: spec.diskGiB,
    folder: spec.folder,
    memoryMiB: spec.memoryMiB,
    network: { devices: spec.networks.map((networkName) => ({ dhcp4: true, networkName })) },
    numCpUs: spec.numCPUs,
    resourcePool: spec.resourcePool,
    server: spec.server,
    storagePolicyName: spec.storagePolicyName || undefined,
    tagIDs: spec.tagIds && spec.tagIds.length > 0 ? [...spec.tagIds] : undefined,
    template: spec.template,
    thumbprint: spec.thumbprint,
  };
}

/**
 * A CAPV `VSphereMachineTemplate`: the VM shape of the control plane, etcd or a worker group. Immutable: a changed
 * spec gets a new name, which rolls the machines.
 */
export class VSphereMachineTemplate extends Construct implements IObjectRef {
  public readonly apiVersion = VSPHERE_API_VERSION;
  public readonly kind = 'VSphereMachineTemplate';
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: VSphereMachineTemplateProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace ?? CAPI_NAMESPACE;
    if (props.networks.length === 0) {
      throw new Error(`VSphereMachineTemplate '${this.node.path}': at least one network is required.`);
    }
    addRenderedObject(
      this,
      'Resource',
      infra.VSphereMachineTemplate,
      infra.toJson_VSphereMachineTemplateProps,
      {
        metadata: { name: this.name, namespace: this.namespace },
        spec: { template: { spec: vsphereMachineTemplateSpec(props) } },
      },
    );
  }
}
