import type { EksaObject } from './meta';

/** Kind of the `VSphereDatacenterConfig` object. */
export const VSPHERE_DATACENTER_KIND = 'VSphereDatacenterConfig';

/** One vSphere failure domain worker groups can be spread over. */
export interface VSphereFailureDomain {
  readonly name: string;
  readonly computeCluster: string;
  readonly resourcePool: string;
  readonly datastore: string;
  readonly folder: string;
  readonly network: string;
}

/** Where the vSphere machines live. */
export interface VSphereDatacenterConfigSpec {
  /** vSphere datacenter name (or inventory path). */
  readonly datacenter: string;
  /** VM network: a full inventory path `/<datacenter>/network/<name>`, or a name the defaults expand to one. */
  readonly network: string;
  /** vCenter server address. */
  readonly server: string;
  /** SHA-1 thumbprint of the vCenter certificate; cleared when `insecure` is true. */
  readonly thumbprint?: string;
  /** Skip verification of the vCenter certificate. @default false */
  readonly insecure?: boolean;
  readonly failureDomains?: readonly VSphereFailureDomain[];
}

/** Selects the vSphere provider (CAPV) and the vCenter objects it uses. */
export type VSphereDatacenterConfig = EksaObject<typeof VSPHERE_DATACENTER_KIND, VSphereDatacenterConfigSpec>;
