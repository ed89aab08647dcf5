import type * as pulumi from '@pulumi/pulumi';
import {
  curatedPackagesSchema,
  type CuratedPackagesResourceInputs,
  type CuratedPackagesResourceOutputs,
} from './curated-packages-schema';
import { PhaseResource } from './phase-resource';
import type { ResourceArgs } from '../eksa-dynamic-resource';

/**
 * The curated packages controller (phase 9, optional).
 * Usually created by `EksaCluster`; usable on its own with the inputs of the previous phase.
 */
export class CuratedPackages extends PhaseResource<
  CuratedPackagesResourceInputs,
  CuratedPackagesResourceOutputs
> {
  declare public readonly state: pulumi.Output<CuratedPackagesResourceOutputs['state']>;
  declare public readonly release: pulumi.Output<string | null>;
  declare public readonly namespace: pulumi.Output<string | null>;
  declare public readonly warning: pulumi.Output<string | null>;

  constructor(
    name: string,
    args: ResourceArgs<CuratedPackagesResourceInputs>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(curatedPackagesSchema, name, args, opts);
  }
}
