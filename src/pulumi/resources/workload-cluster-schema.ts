import {
  KUBECONFIG,
  PHASE_INPUT_SPECS,
  PHASE_STATUS_SPECS,
  type PhaseInputs,
  type PhaseStatus,
} from './phase-schema';
import type { ManagerRole } from '../../workflow/locate-manager';
import type { UpgradeStrategy } from '../../workflow/phases/upgrade-workload-cluster';
import { defineResourceSchema, libraryHandler } from '../resource-schema';

export interface WorkloadClusterResourceInputs extends PhaseInputs {
  /** BootstrapCluster's `kubeconfig` (secret): a management cluster's create. */
  readonly bootstrapKubeconfig?: string;
  /** The kubeconfig of an existing management cluster (secret): a workload cluster's create (research A3). */
  readonly managementKubeconfig?: string;
  /** StorageClass objects for the new cluster, replacing the provider's default. */
  readonly storageClasses?: readonly unknown[];
  /**
   * sha256 of the rendered CAPI and EKS-A manifests. Not given by programs: `check` computes it, so that a preview
   * shows it change whenever anything the cluster is made of changes (the engine shows no detailed diff).
   */
  readonly manifestDigest?: string;
  /** How a change of a running management cluster is rolled out. @default "inPlace" */
  readonly upgradeStrategy?: UpgradeStrategy;
  /**
   * What the change rolls, as human lines (`control plane: 1 machine roll v1.33 → v1.34`, `md-0: 2 machines …`,
   * `nothing to roll`). Not given by programs: `check` computes it from the old and new inputs (rendered both,
   * no cluster asked), so that a preview shows it; kept in state as the plan of the last change. Absent before
   * the first change.
   */
  readonly rolloutPlan?: readonly string[];
}

export interface WorkloadClusterResourceOutputs extends PhaseStatus {
  /** Namespace of the CAPI objects (`eksa-system`). */
  readonly namespace: string;
  /** The new cluster's admin kubeconfig (secret). */
  readonly kubeconfig: string;
  /** Where it was written, relative to the working directory. */
  readonly kubeconfigPath: string;
  /** The API server URL. */
  readonly endpoint: string;
  /** Which cluster held the CAPI objects when the phase last ran. */
  readonly managedBy: ManagerRole;
}

/** Phase 3: the cluster itself (CAPI manifests, etcd, control plane, kubeconfig, CNI, StorageClass, MHCs, machines). */
export const workloadClusterSchema = defineResourceSchema<
  WorkloadClusterResourceInputs,
  WorkloadClusterResourceOutputs
>({
  module: 'cluster',
  type: 'WorkloadCluster',
  handler: libraryHandler('WorkloadCluster'),
  version: 1,
  inputs: {
    ...PHASE_INPUT_SPECS,
    bootstrapKubeconfig: KUBECONFIG,
    managementKubeconfig: KUBECONFIG,
    storageClasses: {},
    manifestDigest: {},
    upgradeStrategy: {},
    rolloutPlan: {},
  },
  outputs: {
    ...PHASE_STATUS_SPECS,
    namespace: {},
    kubeconfig: KUBECONFIG,
    kubeconfigPath: {},
    endpoint: {},
    managedBy: {},
  },
  deleteBeforeReplace: true,
});
