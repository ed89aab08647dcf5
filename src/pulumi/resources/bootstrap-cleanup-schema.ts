import { PHASE_INPUT_SPECS, PHASE_STATUS_SPECS, type PhaseInputs, type PhaseStatus } from './phase-schema';
import { defineResourceSchema, libraryHandler } from '../resource-schema';

export type BootstrapCleanupResourceInputs = PhaseInputs;

export interface BootstrapCleanupResourceOutputs extends PhaseStatus {
  /** `<c>-eks-a-cluster` */
  readonly kindClusterName: string;
  /** `deleted` by this run, or `absent`. */
  readonly state: 'deleted' | 'absent';
}

/** Phase 8: the bootstrap cluster deleted (refused while it still manages a provisioned cluster). */
export const bootstrapCleanupSchema = defineResourceSchema<
  BootstrapCleanupResourceInputs,
  BootstrapCleanupResourceOutputs
>({
  module: 'cluster',
  type: 'BootstrapCleanup',
  handler: libraryHandler('BootstrapCleanup'),
  version: 1,
  inputs: PHASE_INPUT_SPECS,
  outputs: { ...PHASE_STATUS_SPECS, kindClusterName: {}, state: {} },
});
