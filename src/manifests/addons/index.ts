// What the create and upgrade workflows install besides the Cluster API manifests — CNI, StorageClass, EKS-A
// components and objects, GitOps repository content, curated packages — as pure functions of the cluster config
// and the resolved versions bundle. Nothing here talks to a cluster, runs a program or writes a file.

// Shared shapes
export { manifestYaml, referenceOf } from './manifest-object';
export type { ManifestObject, ObjectReference } from './manifest-object';
export { ociChartReference } from './helm-request';
export type { HelmChartReference, HelmInstallRequest, HelmTemplateRequest, HelmValues } from './helm-request';
export {
  CORE_EKSA_REGISTRY,
  coreEksaMirror,
  curatedPackagesMirror,
  mirrorBase,
  throughMirror,
} from './registry-mirror-uri';

// Networking
export { CILIUM_OPERATOR_TOLERATIONS, ciliumConfigOf, ciliumHelmValues } from './cilium-values';
export type { CiliumHelmValuesStrategy, CiliumValuesOptions } from './cilium-values';
export {
  ciliumAllowAllPolicies,
  INFRASTRUCTURE_PROVIDER_NAMESPACES,
  MANAGEMENT_NAMESPACES,
} from './cilium-network-policy';
export type { AllowAllPoliciesOptions } from './cilium-network-policy';
export {
  CILIUM_NAMESPACE,
  ciliumInstallation,
  ciliumManifest,
  ciliumPreflightInstallation,
} from './cilium-installation';
export type { CiliumInstallation, CiliumInstallationOptions } from './cilium-installation';
export { EKSA_CILIUM_ANNOTATION, planCiliumReconcile, planCiliumUpgrade } from './cilium-upgrade';
export type { CiliumDecision, CiliumState, ObservedCilium } from './cilium-upgrade';
export { configureKindnetdManifest, kindnetdInstallation } from './kindnetd';
export type { KindnetdInstallation } from './kindnetd';
export { cniInstallation } from './cni';
export type { CniInstallation } from './cni';

// Storage
export {
  BETA_DEFAULT_STORAGE_CLASS_ANNOTATION,
  DEFAULT_STORAGE_CLASS_ANNOTATION,
  DEFAULT_VSPHERE_STORAGE_POLICY,
  parseStorageClassYaml,
  storageClassesFor,
  validateStorageClasses,
  VSPHERE_CSI_PROVISIONER,
  VSPHERE_DEFAULT_STORAGE_CLASS_NAME,
  vsphereDefaultStorageClass,
} from './storage-class';
export type { StorageClassOptions, VSphereStorageClassProps } from './storage-class';

// EKS-A components and objects
export {
  bundlesName,
  bundlesObject,
  EKSA_RELEASE_OBJECT_KIND,
  EKSA_SYSTEM_NAMESPACE,
  eksaReleaseName,
  eksaReleaseObject,
  eksdReleaseObjects,
  UPGRADER_CONFIG_MAP_NAME,
  upgraderImagesConfigMap,
} from './eksa-release-objects';
export type { EksaReleaseInfo } from './eksa-release-objects';
export {
  configureEksaComponents,
  DEFAULT_DEPLOYMENT_WAIT_MS,
  EKSA_CONTROLLER_DEPLOYMENT,
  eksaComponentsPlan,
  proxyEnvironment,
} from './eksa-components';
export type {
  DeploymentWait,
  EksaComponentsOptions,
  EksaComponentsPlan,
  EksaComponentsPlanOptions,
} from './eksa-components';
export {
  ALLOW_DELETE_WHEN_PAUSED_ANNOTATION,
  allowDeleteWhenPausedPatch,
  annotationMergePatch,
  MANAGED_BY_CLI_ANNOTATION,
  managedByCliPatch,
  MANAGEMENT_COMPONENTS_VERSION_ANNOTATION,
  managementComponentsVersionPatch,
  PAUSED_ANNOTATION,
  pauseReconcilePatches,
  resumeReconcilePatches,
  withAnnotations,
} from './eksa-annotations';
export type { AnnotationPatch } from './eksa-annotations';

// GitOps
export { fluxSettingsOf, managementClusterName } from './flux-settings';
export type { FluxSettings } from './flux-settings';
export {
  gitOpsCleanup,
  gitOpsCreateCommit,
  GITOPS_FILES,
  gitOpsPaths,
  gitOpsRepositoryFiles,
  gitOpsUpdateCommit,
} from './gitops-repository';
export type { GitOpsCleanup, GitOpsCommit, GitOpsPaths } from './gitops-repository';
export {
  fluxBootstrapRequest,
  fluxKustomizationRef,
  GITOPS_CREDENTIAL_ENV,
  gitOpsCredentialsFromEnv,
} from './flux-bootstrap';
export type {
  FluxBootstrapGitRequest,
  FluxBootstrapGithubRequest,
  FluxBootstrapInputs,
  FluxBootstrapRequest,
  GitOpsCredentials,
} from './flux-bootstrap';

// Curated packages
export {
  CURATED_PACKAGES_CREDENTIAL_ENV,
  curatedPackagesCredentialsFromEnv,
  curatedPackagesInstallation,
  DEFAULT_PACKAGES_REGION,
  PACKAGE_BUNDLE_CONTROLLER,
  packageResourcesToDelete,
  PACKAGES_NAMESPACE,
  packagesNamespaceOf,
} from './curated-packages';
export type {
  CuratedPackagesCredentials,
  CuratedPackagesInstallation,
  CuratedPackagesOptions,
  PackageResourcesCleanup,
} from './curated-packages';
