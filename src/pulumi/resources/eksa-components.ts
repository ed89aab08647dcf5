import type * as pulumi from '@pulumi/pulumi';
import {
  eksaComponentsSchema,
  type EksaComponentsResourceInputs,
  type EksaComponentsResourceOutputs,
} from './eksa-components-schema';
import { PhaseResource } from './phase-resource';
import type { ResourceArgs } from '../eksa-dynamic-resource';

/**
 * The EKS-A components and the EKS-A objects of the cluster (phase 5).
 * Usually created by `EksaCluster`; usable on its own with the inputs of the previous phase.
 */
export class EksaComponents extends PhaseResource<
  EksaComponentsResourceInputs,
  EksaComponentsResourceOutputs
> {
  declare public readonly eksaVersion: pulumi.Output<string>;
  declare public readonly objectsIn: pulumi.Output<EksaComponentsResourceOutputs['objectsIn']>;
  declare public readonly objects: pulumi.Output<readonly string[]>;

  constructor(
    name: string,
    args: ResourceArgs<EksaComponentsResourceInputs>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(eksaComponentsSchema, name, args, opts);
  }
}
