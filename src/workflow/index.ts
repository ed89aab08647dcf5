// The seed's workflows as ordered, idempotent phases over a Site (programs, clusters, files, time). Never imports
// Pulumi: the Pulumi layer runs each phase as one dynamic resource.

// The site
export { createLocalSite, systemWorkflowClock } from './site';
export type { LocalSiteOptions, Site, WorkflowClock } from './site';
export { httpConnector } from './cluster-connection';
export type {
  ClusterConnection,
  ClusterConnector,
  ConnectOptions,
  KubeconfigSource,
} from './cluster-connection';
export { LocalFileStore, PLAIN_FILE_MODE, SECRET_FILE_MODE } from './file-store';
export type { FileStore, WriteOptions } from './file-store';
export { textFetcher } from './fetch-text';
export type { TextFetcher } from './fetch-text';
export { consoleLogger, REDACTED, redactingLogger, SecretRegistry, silentLogger } from './logger';
export type { WorkflowLogger } from './logger';
export { MemoryJournal } from './journal';
export type { PhaseName, StepJournal, StepOutcome, StepRecord } from './journal';

// Inputs, timeouts, files
export type { BundlesInput, ClusterInputs, KubeconfigText, MoveMethod } from './inputs';
export { DEFAULT_TIMEOUTS, machinesTimeout, resolveTimeouts } from './timeouts';
export type { WorkflowTimeouts } from './timeouts';
export { clusterPaths } from './paths';
export type { ClusterPaths } from './paths';
export { EKSA_SYSTEM_NAMESPACE, prepareCluster, preflightTools } from './prepare';
export type { PreparedCluster, PrepareOptions } from './prepare';

// Running phases
export { PhaseRun, runPhase, VALIDATE_STEP } from './phase-run';
export type { PhaseOptions, StepControl } from './phase-run';
export { WaitFailedError, WorkflowError } from './errors';
export type { StepFailure } from './errors';
export { collectDiagnostics, CONTROLLER_NAMESPACES } from './diagnostics';
export { capiClusterRef, locateManager, probeCluster } from './locate-manager';
export type { LocatedManager, ManagerCandidate, ManagerRole } from './locate-manager';
export { capiProvidersOf, clusterctlVersion } from './capi-providers';
export type { CapiProvider, InstalledProviders } from './capi-providers';
export { applyObjects, ensureNamespace, WORKFLOW_FIELD_MANAGER } from './apply';

// The create phases (architecture.md, the resource table), in order
export { bootstrapCluster, BOOTSTRAP_CLUSTER_SECRET_OUTPUTS } from './phases/bootstrap-cluster';
export type { BootstrapClusterInputs, BootstrapClusterOutputs } from './phases/bootstrap-cluster';
export { capiProviders } from './phases/capi-providers';
export type { CapiProvidersInputs, CapiProvidersOutputs } from './phases/capi-providers';
export { workloadCluster, WORKLOAD_CLUSTER_SECRET_OUTPUTS } from './phases/workload-cluster';
export type { WorkloadClusterInputs, WorkloadClusterOutputs } from './phases/workload-cluster';
export { managementMove } from './phases/management-move';
export type { ManagementMoveInputs, ManagementMoveOutputs } from './phases/management-move';
export { eksaComponents } from './phases/eksa-components';
export type { EksaComponentsInputs, EksaComponentsOutputs } from './phases/eksa-components';
export { gitOps } from './phases/gitops';
export type { GitOpsInputs, GitOpsOutputs } from './phases/gitops';
export { clusterConfigFiles, CLUSTER_CONFIG_FILES_SECRET_OUTPUTS } from './phases/cluster-config-files';
export type { ClusterConfigFilesInputs, ClusterConfigFilesOutputs } from './phases/cluster-config-files';
export { bootstrapCleanup, BootstrapInUseError } from './phases/bootstrap-cleanup';
export type { BootstrapCleanupInputs, BootstrapCleanupOutputs } from './phases/bootstrap-cleanup';
export { curatedPackages } from './phases/curated-packages';
export type { CuratedPackagesInputs, CuratedPackagesOutputs } from './phases/curated-packages';

// All of them
export { createCluster } from './create-cluster';
export type { CreateClusterOptions, CreateClusterResult } from './create-cluster';

// Upgrade (issue 6): the plan, the upgrade of the cluster (WorkloadCluster's update), all of it
export { describeGroupChange, NOTHING_TO_ROLL, planRollout } from './rollout-plan';
export type {
  PlanObject,
  PlanRolloutOptions,
  RolloutGroupChange,
  RolloutPlan,
  RolloutSide,
} from './rollout-plan';
export { planComponentUpgrades } from './component-upgrades';
export type { ComponentUpgrades, ProviderUpgrade, VersionChange } from './component-upgrades';
export { planRolloutFromInputs, planUpgrade, planUpgradeFromConfigs } from './plan-upgrade';
export type { LiveRolloutPlan, PlanUpgradeInputs } from './plan-upgrade';
export { UPGRADE_STRATEGIES, upgradeWorkloadCluster } from './phases/upgrade-workload-cluster';
export type {
  UpgradeStrategy,
  UpgradeWorkloadClusterInputs,
  UpgradeWorkloadClusterOutputs,
} from './phases/upgrade-workload-cluster';
export { ETCD_UPGRADING_ANNOTATION, etcdRolledOut, replicasRolledOut } from './upgrade/rollout';
export { backupDirName } from './upgrade/capi-backup';
export { readLiveClusterConfig } from './upgrade/live-config';
export type { LiveClusterConfig } from './upgrade/live-config';
export { readLiveCapiObjects } from './upgrade/live-objects';
export type { LiveCapiObjects } from './upgrade/live-objects';
export { upgradeCluster } from './upgrade-cluster';
export type { UpgradeClusterOptions, UpgradeClusterResult } from './upgrade-cluster';

// Delete (issue 6): one function per resource's delete, in the seed's order, and all of them
export { recreateBootstrap, RECREATE_BOOTSTRAP_SECRET_OUTPUTS } from './phases/recreate-bootstrap';
export type { RecreateBootstrapInputs, RecreateBootstrapOutputs } from './phases/recreate-bootstrap';
export { managementMoveBack } from './phases/management-move-back';
export type { ManagementMoveBackInputs, ManagementMoveBackOutputs } from './phases/management-move-back';
export { deleteWorkloadCluster } from './phases/workload-cluster-delete';
export type {
  DeleteWorkloadClusterInputs,
  DeleteWorkloadClusterOutputs,
} from './phases/workload-cluster-delete';
export {
  bootstrapClusterDelete,
  clusterConfigFilesDelete,
  curatedPackagesDelete,
  gitOpsDelete,
} from './phases/delete-cleanup';
export type {
  BootstrapClusterDeleteInputs,
  BootstrapClusterDeleteOutputs,
  ClusterConfigFilesDeleteInputs,
  ClusterConfigFilesDeleteOutputs,
  CuratedPackagesDeleteInputs,
  CuratedPackagesDeleteOutputs,
  GitOpsDeleteInputs,
  GitOpsDeleteOutputs,
} from './phases/delete-cleanup';
export { deleteCluster } from './delete-cluster';
export type { DeleteClusterOptions, DeleteClusterResult } from './delete-cluster';
