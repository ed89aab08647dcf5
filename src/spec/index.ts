// The EKS-A API model: object types, parsing, defaults and validation.
export { DEFAULT_EKSA_NAMESPACE, EKSA_API_GROUP, EKSA_API_VERSION } from './meta';
export type { EksaObject, EksaObjectMeta, EksaRef } from './meta';
export { CLUSTER_KIND } from './cluster';
export type {
  AutoScalingConfiguration,
  BundlesRef,
  CidrBlocks,
  CiliumConfig,
  CiliumPolicyEnforcementMode,
  CiliumRoutingMode,
  Cluster,
  ClusterNetwork,
  ClusterSpec,
  CniConfig,
  CniName,
  ControlPlaneConfiguration,
  ControlPlaneRollingUpdateParams,
  ControlPlaneUpgradeRolloutStrategy,
  DatacenterKind,
  Dns,
  Endpoint,
  EtcdEncryption,
  EtcdEncryptionProvider,
  ExternalEtcdConfiguration,
  GitOpsKind,
  IdentityProviderKind,
  ImageResource,
  KindnetdConfig,
  KmsConfig,
  KubeletConfiguration,
  KubernetesVersion,
  MachineConfigKind,
  MachineHealthCheck,
  ManagementCluster,
  Nodes,
  OciNamespace,
  PackageConfiguration,
  PackageControllerConfiguration,
  PackageControllerCronJob,
  PackageControllerResources,
  PodIamConfig,
  ProxyConfiguration,
  RegistryMirrorConfiguration,
  ResolvConf,
  Taint,
  TaintEffect,
  UpgradeRolloutStrategyType,
  WorkerNodeGroupConfiguration,
  WorkerNodesRollingUpdateParams,
  WorkerNodesUpgradeRolloutStrategy,
} from './cluster';
export { DOCKER_DATACENTER_KIND } from './docker-datacenter-config';
export type { DockerDatacenterConfig, DockerDatacenterConfigSpec } from './docker-datacenter-config';
export { VSPHERE_DATACENTER_KIND } from './vsphere-datacenter-config';
export type {
  VSphereDatacenterConfig,
  VSphereDatacenterConfigSpec,
  VSphereFailureDomain,
} from './vsphere-datacenter-config';
export { VSPHERE_MACHINE_KIND } from './vsphere-machine-config';
export type {
  BottlerocketBootSettings,
  BottlerocketConfiguration,
  BottlerocketKernelSettings,
  BottlerocketKubernetesSettings,
  CertBundle,
  HostOsConfiguration,
  NtpConfiguration,
  OsFamily,
  UserConfiguration,
  VSphereCloneMode,
  VSphereMachineConfig,
  VSphereMachineConfigSpec,
} from './vsphere-machine-config';
export { OIDC_CONFIG_KIND } from './oidc-config';
export type { OIDCConfig, OIDCConfigSpec, OIDCRequiredClaim } from './oidc-config';
export { AWS_IAM_CONFIG_KIND } from './aws-iam-config';
export type { AWSIamBackendMode, AWSIamConfig, AWSIamConfigSpec, MapRoles, MapUsers } from './aws-iam-config';
export { GITOPS_CONFIG_KIND } from './gitops-config';
export type { GitOpsConfig, GitOpsConfigSpec, GitOpsFlux, GitOpsGithub } from './gitops-config';
export { FLUX_CONFIG_KIND } from './flux-config';
export type {
  FluxConfig,
  FluxConfigSpec,
  FluxGitProviderConfig,
  FluxGithubProviderConfig,
  SshKeyAlgorithm,
} from './flux-config';
export { configObjects, isSelfManaged, providerOf } from './cluster-config';
export type {
  ClusterConfig,
  DatacenterConfig,
  EksaConfigKind,
  EksaConfigObject,
  MachineConfig,
  ProviderName,
} from './cluster-config';
export { ClusterConfigError, formatIssue, hasErrors, throwIfErrors } from './issue';
export type { Issue, IssueSeverity } from './issue';
export {
  loadClusterConfigFile,
  parseClusterConfig,
  readClusterConfig,
  UNSUPPORTED_EKSA_KINDS,
} from './parse';
export type { ParseOptions, ParseResult } from './parse';
export { assembleClusterConfig, objectPathPrefix } from './assemble';
export type { AssembleOptions, AssembleResult } from './assemble';
export { sourcePosition } from './source-positions';
export type { SourcePosition } from './source-positions';
export {
  BOTTLEROCKET_DEFAULT_USER,
  DEFAULT_AWS_PARTITION,
  DEFAULT_CONTROL_PLANE_MAX_UNHEALTHY,
  DEFAULT_FLUX_BRANCH,
  DEFAULT_FLUX_NAMESPACE,
  DEFAULT_NODE_STARTUP_TIMEOUT,
  DEFAULT_REGISTRY_MIRROR_PORT,
  DEFAULT_UNHEALTHY_MACHINE_TIMEOUT,
  DEFAULT_VSPHERE_MEMORY_MIB,
  DEFAULT_VSPHERE_NUM_CPUS,
  DEFAULT_VSPHERE_OS_FAMILY,
  DEFAULT_WORKER_GROUP_NAME,
  DEFAULT_WORKER_MAX_UNHEALTHY,
  MIN_VSPHERE_MEMORY_MIB,
  REGISTRY_MIRROR_CA_ENV,
  setClusterDefaults,
  UBUNTU_DEFAULT_USER,
} from './defaults';
export type { DefaultsOptions } from './defaults';
export { validateClusterConfig } from './validate';
export {
  DEFAULT_NODE_CIDR_MASK_SIZE,
  effectiveWorkerCount,
  effectiveWorkerName,
  MAX_CLUSTER_NAME_LENGTH,
} from './validate-cluster';
export { FEATURE_API_SERVER_EXTRA_ARGS, FEATURE_VSPHERE_IN_PLACE_UPGRADE } from './validation-context';
export type { ValidateOptions } from './validation-context';
export { validateUpdate } from './validate-update';
export type { ValidateUpdateOptions } from './validate-update';
export { fluxConfigFromGitOps } from './gitops-conversion';
export * from './bundles';
