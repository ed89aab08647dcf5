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
export * from './bundles';
