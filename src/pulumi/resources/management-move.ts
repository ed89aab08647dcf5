import type * as pulumi from '@pulumi/pulumi';
import {
  managementMoveSchema,
  type ManagementMoveResourceInputs,
  type ManagementMoveResourceOutputs,
} from './management-move-schema';
import { PhaseResource } from './phase-resource';
import type { ResourceArgs } from '../eksa-dynamic-resource';

/**
 * The move of the CAPI objects from the bootstrap cluster to the new cluster (phase 4).
 * Usually created by `EksaCluster`; usable on its own with the inputs of the previous phase.
 */
export class ManagementMove extends PhaseResource<
  ManagementMoveResourceInputs,
  ManagementMoveResourceOutputs
> {
  declare public readonly managedBy: pulumi.Output<ManagementMoveResourceOutputs['managedBy']>;
  declare public readonly state: pulumi.Output<ManagementMoveResourceOutputs['state']>;

  constructor(
    name: string,
    args: ResourceArgs<ManagementMoveResourceInputs>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(managementMoveSchema, name, args, opts);
  }
}
