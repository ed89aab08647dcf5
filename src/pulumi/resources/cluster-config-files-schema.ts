import {
  KUBECONFIG,
  PHASE_INPUT_SPECS,
  PHASE_STATUS_SPECS,
  type PhaseInputs,
  type PhaseStatus,
} from './phase-schema';
import { defineResourceSchema, libraryHandler } from '../resource-schema';

export interface ClusterConfigFilesResourceInputs extends PhaseInputs {
  /** WorkloadCluster's `kubeconfig` (secret). */
  readonly workloadKubeconfig: string;
}

export interface ClusterConfigFilesResourceOutputs extends PhaseStatus {
  /** `<c>/<c>-eks-a-cluster.yaml`, relative to the working directory. */
  readonly clusterConfigPath: string;
  /** `<c>/<c>-eks-a-cluster.kubeconfig` (0600), relative to the working directory. */
  readonly kubeconfigPath: string;
  /** The same file as an absolute path, as the provider process resolved it (for programs run beside it). */
  readonly kubeconfigFile: string;
  /** Its content (secret). */
  readonly kubeconfig: string;
}

/** Phase 7: the files users keep, the EKS-A config and the kubeconfig. */
export const clusterConfigFilesSchema = defineResourceSchema<
  ClusterConfigFilesResourceInputs,
  ClusterConfigFilesResourceOutputs
>({
  module: 'cluster',
  type: 'ClusterConfigFiles',
  handler: libraryHandler('ClusterConfigFiles'),
  version: 1,
  inputs: { ...PHASE_INPUT_SPECS, workloadKubeconfig: KUBECONFIG },
  outputs: {
    ...PHASE_STATUS_SPECS,
    clusterConfigPath: {},
    kubeconfigPath: {},
    kubeconfigFile: {},
    kubeconfig: KUBECONFIG,
  },
});
