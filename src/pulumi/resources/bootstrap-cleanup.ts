import type * as pulumi from '@pulumi/pulumi';
import {
  bootstrapCleanupSchema,
  type BootstrapCleanupResourceInputs,
  type BootstrapCleanupResourceOutputs,
} from './bootstrap-cleanup-schema';
import { PhaseResource } from './phase-resource';
import type { ResourceArgs } from '../eksa-dynamic-resource';

/**
 * The bootstrap cluster deleted (phase 8).
 * Usually created by `EksaCluster`; usable on its own with the inputs of the previous phase.
 */
export class BootstrapCleanup extends PhaseResource<
  BootstrapCleanupResourceInputs,
  BootstrapCleanupResourceOutputs
> {
  declare public readonly kindClusterName: pulumi.Output<string>;
  declare public readonly state: pulumi.Output<BootstrapCleanupResourceOutputs['state']>;

  constructor(
    name: string,
    args: ResourceArgs<BootstrapCleanupResourceInputs>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(bootstrapCleanupSchema, name, args, opts);
  }
}
