import { Construct } from 'constructs';
import { VSPHERE_API_VERSION } from './vsphere-cluster';
import type { IObjectRef } from '../capi/object-ref';
import * as infra from '../imports/infrastructure.cluster.x-k8s.io';
import { addRenderedObject } from '../schema-json';

/** vSphere tag categories CAPV reads region and zone membership from. */
export const REGION_TAG_CATEGORY = 'k8s-region';
export const ZONE_TAG_CATEGORY = 'k8s-zone';

/** Properties for {@link VSphereFailureDomain}. */
export interface VSphereFailureDomainProps {
  /** `<cluster>-<datacenter config>-<failure domain>`. */
  readonly name: string;
  /** The region: the vSphere datacenter. */
  readonly datacenter: string;
  /** The zone: a compute cluster of the datacenter. */
  readonly computeCluster: string;
  readonly datastore: string;
  readonly network: string;
}

/**
 * A CAPV `VSphereFailureDomain` (cluster-scoped): a zone of a region, here a compute cluster of a datacenter, with
 * the datastore and network its machines use.
 */
export class VSphereFailureDomain extends Construct implements IObjectRef {
  public readonly apiVersion = VSPHERE_API_VERSION;
  public readonly kind = 'VSphereFailureDomain';
  public readonly name: string;

  constructor(scope: Construct, id: string, props: VSphereFailureDomainProps) {
    super(scope, id);
    this.name = props.name;
    addRenderedObject(this, 'Resource', infra.VSphereFailureDomain, infra.toJson_VSphereFailureDomainProps, {
      metadata: { name: this.name },
      spec: {
        region: {
          name: props.datacenter,
          type: infra.VSphereFailureDomainSpecRegionType.DATACENTER,
          tagCategory: REGION_TAG_CATEGORY,
        },
        zone: {
          name: props.computeCluster,
          type: infra.VSphereFailureDomainSpecZoneType.COMPUTE_CLUSTER,
          tagCategory: ZONE_TAG_CATEGORY,
        },
        topology: {
          datacenter: props.datacenter,
          computeCluster: props.computeCluster,
          datastore: props.datastore,
          networks: [props.network],
        },
      },
    });
  }
}

/** Properties for {@link VSphereDeploymentZone}. */
export interface VSphereDeploymentZoneProps {
  /** Same name as its failure domain. */
  readonly name: string;
  readonly failureDomain: VSphereFailureDomain;
  /** vCenter server address. */
  readonly server: string;
  readonly resourcePool: string;
  readonly folder: string;
  /** @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A CAPV `VSphereDeploymentZone` (cluster-scoped): where in a failure domain machines are placed. */
export class VSphereDeploymentZone extends Construct implements IObjectRef {
  public readonly apiVersion = VSPHERE_API_VERSION;
  public readonly kind = 'VSphereDeploymentZone';
  public readonly name: string;

  constructor(scope: Construct, id: string, props: VSphereDeploymentZoneProps) {
    super(scope, id);
    this.name = props.name;
    addRenderedObject(
      this,
      'Resource',
      infra.VSphereDeploymentZone,
      infra.toJson_VSphereDeploymentZoneProps,
      {
        metadata: { name: this.name, labels: props.labels && { ...props.labels } },
        spec: {
          server: props.server,
          failureDomain: props.failureDomain.name,
          placementConstraint: { resourcePool: props.resourcePool, folder: props.folder },
        },
      },
    );
  }
}
