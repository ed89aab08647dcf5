import type * as pulumi from '@pulumi/pulumi';
import { gitOpsSchema, type GitOpsResourceInputs, type GitOpsResourceOutputs } from './gitops-schema';
import { PhaseResource } from './phase-resource';
import type { ResourceArgs } from '../eksa-dynamic-resource';

/**
 * Flux bootstrapped from the config's `gitOpsRef` (phase 6, optional).
 * Usually created by `EksaCluster`; usable on its own with the inputs of the previous phase.
 */
export class GitOps extends PhaseResource<GitOpsResourceInputs, GitOpsResourceOutputs> {
  declare public readonly state: pulumi.Output<GitOpsResourceOutputs['state']>;
  declare public readonly warning: pulumi.Output<string | null>;
  declare public readonly repositoryFilesDir: pulumi.Output<string | null>;

  constructor(name: string, args: ResourceArgs<GitOpsResourceInputs>, opts?: pulumi.CustomResourceOptions) {
    super(gitOpsSchema, name, args, opts);
  }
}
