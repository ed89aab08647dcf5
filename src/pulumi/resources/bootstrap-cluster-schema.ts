import {
  KUBECONFIG,
  PHASE_INPUT_SPECS,
  PHASE_STATUS_SPECS,
  type PhaseInputs,
  type PhaseStatus,
} from './phase-schema';
import { defineResourceSchema, libraryHandler } from '../resource-schema';

export type BootstrapClusterResourceInputs = PhaseInputs;

export interface BootstrapClusterResourceOutputs extends PhaseStatus {
  /** `<c>-eks-a-cluster` */
  readonly kindClusterName: string;
  /** `running`, or `retired` when the cluster manages itself already (no bootstrap cluster was needed). */
  readonly state: 'running' | 'retired';
  /** `<c>/generated/<c>.kind.kubeconfig`, relative to the working directory. */
  readonly kubeconfigPath: string;
  /** The bootstrap cluster's kubeconfig (secret); empty when retired. */
  readonly kubeconfig: string;
}

/** Phase 1: the kind bootstrap cluster (architecture.md, the resource table). */
export const bootstrapClusterSchema = defineResourceSchema<
  BootstrapClusterResourceInputs,
  BootstrapClusterResourceOutputs
>({
  module: 'cluster',
  type: 'BootstrapCluster',
  handler: libraryHandler('BootstrapCluster'),
  version: 1,
  inputs: PHASE_INPUT_SPECS,
  outputs: {
    ...PHASE_STATUS_SPECS,
    kindClusterName: {},
    state: {},
    kubeconfigPath: {},
    kubeconfig: KUBECONFIG,
  },
  // The kind cluster's name is fixed: a replacement cannot exist beside the old one.
  deleteBeforeReplace: true,
});
