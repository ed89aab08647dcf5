import {
  KUBECONFIG,
  PHASE_INPUT_SPECS,
  PHASE_STATUS_SPECS,
  type PhaseInputs,
  type PhaseStatus,
} from './phase-schema';
import { defineResourceSchema, libraryHandler } from '../resource-schema';

export interface GitOpsResourceInputs extends PhaseInputs {
  /** WorkloadCluster's `kubeconfig` (secret): Flux is installed into the cluster. */
  readonly workloadKubeconfig: string;
}

export interface GitOpsResourceOutputs extends PhaseStatus {
  /** `bootstrapped`, `present`, `skipped`, or `failed` (a warning: the cluster works without GitOps). */
  readonly state: 'bootstrapped' | 'present' | 'skipped' | 'failed';
  /** Why it failed, when it did. */
  readonly warning: string | null;
  /** Where the repository files were written, relative to the working directory. */
  readonly repositoryFilesDir: string | null;
}

/** Phase 6 (optional): Flux bootstrapped from the config's `gitOpsRef`. */
export const gitOpsSchema = defineResourceSchema<GitOpsResourceInputs, GitOpsResourceOutputs>({
  module: 'cluster',
  type: 'GitOps',
  handler: libraryHandler('GitOps'),
  version: 1,
  inputs: { ...PHASE_INPUT_SPECS, workloadKubeconfig: KUBECONFIG },
  outputs: { ...PHASE_STATUS_SPECS, state: {}, warning: {}, repositoryFilesDir: {} },
});
