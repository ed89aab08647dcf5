import {
  KUBECONFIG,
  PHASE_INPUT_SPECS,
  PHASE_STATUS_SPECS,
  type PhaseInputs,
  type PhaseStatus,
} from './phase-schema';
import type { MoveMethod } from '../../workflow/inputs';
import { defineResourceSchema, libraryHandler } from '../resource-schema';

export interface ManagementMoveResourceInputs extends PhaseInputs {
  /** BootstrapCluster's `kubeconfig` (secret). */
  readonly bootstrapKubeconfig: string;
  /** WorkloadCluster's `kubeconfig` (secret). */
  readonly workloadKubeconfig: string;
  /** @default "native" */
  readonly moveWith?: MoveMethod;
}

export interface ManagementMoveResourceOutputs extends PhaseStatus {
  /** `self` once the cluster holds its own CAPI objects. */
  readonly managedBy: 'self';
  /** `moved` by this run, or `already-moved`. */
  readonly state: 'moved' | 'already-moved';
}

/** Phase 4: the CAPI objects moved from the bootstrap cluster to the new cluster, which then manages itself. */
export const managementMoveSchema = defineResourceSchema<
  ManagementMoveResourceInputs,
  ManagementMoveResourceOutputs
>({
  module: 'cluster',
  type: 'ManagementMove',
  handler: libraryHandler('ManagementMove'),
  version: 1,
  inputs: {
    ...PHASE_INPUT_SPECS,
    bootstrapKubeconfig: KUBECONFIG,
    workloadKubeconfig: KUBECONFIG,
    moveWith: {},
  },
  outputs: { ...PHASE_STATUS_SPECS, managedBy: {}, state: {} },
});
