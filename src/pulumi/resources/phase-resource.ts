import type * as pulumi from '@pulumi/pulumi';
import type { PhaseInputs, PhaseStatus } from './phase-schema';
import { EksaDynamicResource } from '../eksa-dynamic-resource';

/** Base class of the phase resources: the outputs every one of them has. */
export abstract class PhaseResource<I extends PhaseInputs, O extends PhaseStatus> extends EksaDynamicResource<
  I,
  O
> {
  /** The cluster's name (echoed input). */
  declare public readonly clusterName: pulumi.Output<string>;
  /** `ready`, or `incomplete` after a failed step (the next `pulumi up` resumes). */
  declare public readonly status: pulumi.Output<PhaseStatus['status']>;
  /** `<Phase>/<step>` that failed, while incomplete. */
  declare public readonly failedStep: pulumi.Output<string | null>;
  /** The diagnostics of that failure, relative to the working directory. */
  declare public readonly diagnosticsDir: pulumi.Output<string | null>;
}
