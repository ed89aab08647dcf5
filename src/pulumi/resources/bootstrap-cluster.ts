import type * as pulumi from '@pulumi/pulumi';
import {
  bootstrapClusterSchema,
  type BootstrapClusterResourceInputs,
  type BootstrapClusterResourceOutputs,
} from './bootstrap-cluster-schema';
import { PhaseResource } from './phase-resource';
import type { ResourceArgs } from '../eksa-dynamic-resource';

/**
 * The kind bootstrap cluster `<c>-eks-a-cluster` (phase 1). Its `kubeconfig` is secret.
 * Usually created by `EksaCluster`; usable on its own with the inputs of the previous phase.
 */
export class BootstrapCluster extends PhaseResource<
  BootstrapClusterResourceInputs,
  BootstrapClusterResourceOutputs
> {
  declare public readonly kindClusterName: pulumi.Output<string>;
  declare public readonly state: pulumi.Output<BootstrapClusterResourceOutputs['state']>;
  declare public readonly kubeconfigPath: pulumi.Output<string>;
  declare public readonly kubeconfig: pulumi.Output<string>;

  constructor(
    name: string,
    args: ResourceArgs<BootstrapClusterResourceInputs>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(bootstrapClusterSchema, name, args, opts);
  }
}
