// The schemas of the phase resources and their plain input and output types, shared by the resource classes
// (program side) and the handlers (provider side, without the Pulumi SDK).
export { KUBECONFIG, PHASE_INPUT_SPECS, PHASE_STATUS_SPECS } from './phase-schema';
export type { PhaseInputs, PhaseStatus, SiteInputs } from './phase-schema';
export { bootstrapClusterSchema } from './bootstrap-cluster-schema';
export type {
  BootstrapClusterResourceInputs,
  BootstrapClusterResourceOutputs,
} from './bootstrap-cluster-schema';
export { capiProvidersSchema } from './capi-providers-schema';
export type { CapiProvidersResourceInputs, CapiProvidersResourceOutputs } from './capi-providers-schema';
export { workloadClusterSchema } from './workload-cluster-schema';
export type {
  WorkloadClusterResourceInputs,
  WorkloadClusterResourceOutputs,
} from './workload-cluster-schema';
export { managementMoveSchema } from './management-move-schema';
export type { ManagementMoveResourceInputs, ManagementMoveResourceOutputs } from './management-move-schema';
export { eksaComponentsSchema } from './eksa-components-schema';
export type { EksaComponentsResourceInputs, EksaComponentsResourceOutputs } from './eksa-components-schema';
export { gitOpsSchema } from './gitops-schema';
export type { GitOpsResourceInputs, GitOpsResourceOutputs } from './gitops-schema';
export { clusterConfigFilesSchema } from './cluster-config-files-schema';
export type {
  ClusterConfigFilesResourceInputs,
  ClusterConfigFilesResourceOutputs,
} from './cluster-config-files-schema';
export { bootstrapCleanupSchema } from './bootstrap-cleanup-schema';
export type {
  BootstrapCleanupResourceInputs,
  BootstrapCleanupResourceOutputs,
} from './bootstrap-cleanup-schema';
export { curatedPackagesSchema } from './curated-packages-schema';
export type {
  CuratedPackagesResourceInputs,
  CuratedPackagesResourceOutputs,
} from './curated-packages-schema';
