import type * as pulumi from '@pulumi/pulumi';
import { PhaseResource } from './phase-resource';
import {
  workloadClusterSchema,
  type WorkloadClusterResourceInputs,
  type WorkloadClusterResourceOutputs,
} from './workload-cluster-schema';
import type { ResourceArgs } from '../eksa-dynamic-resource';

/**
 * The cluster itself (phase 3): its CAPI objects, etcd, control plane, kubeconfig (secret), CNI, StorageClass,
 * MachineHealthChecks and machines. `manifestDigest` is computed by the handler when the inputs are checked.
 * Usually created by `EksaCluster`; usable on its own with the inputs of the previous phase.
 */
export class WorkloadCluster extends PhaseResource<
  WorkloadClusterResourceInputs,
  WorkloadClusterResourceOutputs
> {
  declare public readonly namespace: pulumi.Output<string>;
  declare public readonly kubeconfig: pulumi.Output<string>;
  declare public readonly kubeconfigPath: pulumi.Output<string>;
  declare public readonly endpoint: pulumi.Output<string>;
  declare public readonly managedBy: pulumi.Output<WorkloadClusterResourceOutputs['managedBy']>;
  declare public readonly manifestDigest: pulumi.Output<string>;
  /** What the last change rolled (or will roll, in a preview): `control plane: 1 machine roll v1.33 → v1.34`, … */
  declare public readonly rolloutPlan: pulumi.Output<readonly string[] | undefined>;

  constructor(
    name: string,
    args: ResourceArgs<WorkloadClusterResourceInputs>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(workloadClusterSchema, name, args, opts);
  }
}
