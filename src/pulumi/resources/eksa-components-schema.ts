import {
  KUBECONFIG,
  PHASE_INPUT_SPECS,
  PHASE_STATUS_SPECS,
  type PhaseInputs,
  type PhaseStatus,
} from './phase-schema';
import { defineResourceSchema, libraryHandler } from '../resource-schema';

export interface EksaComponentsResourceInputs extends PhaseInputs {
  /** WorkloadCluster's `kubeconfig` (secret). */
  readonly workloadKubeconfig: string;
  /** A workload cluster's management cluster (secret): its EKS-A controller gets the objects. */
  readonly managementKubeconfig?: string;
}

export interface EksaComponentsResourceOutputs extends PhaseStatus {
  /** The EKS-A version of the components; empty for a workload cluster. */
  readonly eksaVersion: string;
  /** Where the EKS-A objects were created: the cluster itself, or its management cluster. */
  readonly objectsIn: 'self' | 'management';
  /** `<kind>/<name>` of each EKS-A object applied. */
  readonly objects: readonly string[];
}

/** Phase 5: the EKS-A components and the cluster's EKS-A objects (created paused, then resumed). */
export const eksaComponentsSchema = defineResourceSchema<
  EksaComponentsResourceInputs,
  EksaComponentsResourceOutputs
>({
  module: 'cluster',
  type: 'EksaComponents',
  handler: libraryHandler('EksaComponents'),
  version: 1,
  inputs: { ...PHASE_INPUT_SPECS, workloadKubeconfig: KUBECONFIG, managementKubeconfig: KUBECONFIG },
  outputs: { ...PHASE_STATUS_SPECS, eksaVersion: {}, objectsIn: {}, objects: {} },
});
