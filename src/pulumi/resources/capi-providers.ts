import type * as pulumi from '@pulumi/pulumi';
import {
  capiProvidersSchema,
  type CapiProvidersResourceInputs,
  type CapiProvidersResourceOutputs,
} from './capi-providers-schema';
import { PhaseResource } from './phase-resource';
import type { CapiProvider } from '../../workflow/capi-providers';
import type { ResourceArgs } from '../eksa-dynamic-resource';

/**
 * The Cluster API providers on the bootstrap cluster (phase 2).
 * Usually created by `EksaCluster`; usable on its own with the inputs of the previous phase.
 */
export class CapiProviders extends PhaseResource<CapiProvidersResourceInputs, CapiProvidersResourceOutputs> {
  declare public readonly providers: pulumi.Output<readonly CapiProvider[]>;
  declare public readonly state: pulumi.Output<CapiProvidersResourceOutputs['state']>;

  constructor(
    name: string,
    args: ResourceArgs<CapiProvidersResourceInputs>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(capiProvidersSchema, name, args, opts);
  }
}
