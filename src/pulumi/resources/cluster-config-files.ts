import type * as pulumi from '@pulumi/pulumi';
import {
  clusterConfigFilesSchema,
  type ClusterConfigFilesResourceInputs,
  type ClusterConfigFilesResourceOutputs,
} from './cluster-config-files-schema';
import { PhaseResource } from './phase-resource';
import type { ResourceArgs } from '../eksa-dynamic-resource';

/**
 * The files users keep, `<c>/<c>-eks-a-cluster.yaml` and `.kubeconfig` (phase 7). Its `kubeconfig` is secret.
 * Usually created by `EksaCluster`; usable on its own with the inputs of the previous phase.
 */
export class ClusterConfigFiles extends PhaseResource<
  ClusterConfigFilesResourceInputs,
  ClusterConfigFilesResourceOutputs
> {
  declare public readonly clusterConfigPath: pulumi.Output<string>;
  declare public readonly kubeconfigPath: pulumi.Output<string>;
  declare public readonly kubeconfigFile: pulumi.Output<string>;
  declare public readonly kubeconfig: pulumi.Output<string>;

  constructor(
    name: string,
    args: ResourceArgs<ClusterConfigFilesResourceInputs>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(clusterConfigFilesSchema, name, args, opts);
  }
}
