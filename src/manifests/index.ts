// cdk8s constructs and synthesis of EKS-A and Cluster API manifests.
export {
  CAPI_CONTRACTS,
  CAPI_GROUPS,
  CAPI_NAMESPACE,
  DEFAULT_CAPI_CONTRACT,
  ETCDADM_API_VERSION,
  capiApiVersion,
  isCapiContract,
} from './contract';
export type { CapiContract } from './contract';
export { apiGroupOf, contractRef, refV1Beta1, refV1Beta2 } from './capi/object-ref';
export type { ContractRefV1Beta1, ContractRefV1Beta2, IObjectRef } from './capi/object-ref';
export {
  BOTTLEROCKET_FORK_FIELDS,
  bottlerocketForkJson,
  kubeadmConfigSpecFor,
  kubeadmConfigSpecV1Beta1,
  kubeadmConfigSpecV1Beta2,
  renderForkFields,
  withForkFields,
} from './capi/kubeadm-config-spec';
export type {
  BottlerocketHostConfig,
  BottlerocketImage,
  BottlerocketSettings,
  KubeadmApiServer,
  KubeadmArg,
  KubeadmClusterConfiguration,
  KubeadmComponent,
  KubeadmConfigSpec,
  KubeadmEnvVar,
  KubeadmExternalEtcd,
  KubeadmFile,
  KubeadmHostPathMount,
  KubeadmLocalEtcd,
  KubeadmNodeConfiguration,
  KubeadmNodeRegistration,
  KubeadmTaint,
  KubeadmUser,
} from './capi/kubeadm-config-spec';
export { CapiCluster } from './capi/cluster';
export type { CapiClusterProps } from './capi/cluster';
export { KubeadmControlPlane } from './capi/kubeadm-control-plane';
export type { KubeadmControlPlaneProps } from './capi/kubeadm-control-plane';
export { KubeadmConfigTemplate } from './capi/kubeadm-config-template';
export type { KubeadmConfigTemplateProps } from './capi/kubeadm-config-template';
export { MachineDeployment } from './capi/machine-deployment';
export type { MachineDeploymentProps, MachineDeploymentRollingUpdate } from './capi/machine-deployment';
export { MachineHealthCheck } from './capi/machine-health-check';
export type { MachineHealthCheckProps } from './capi/machine-health-check';
export { EtcdadmCluster } from './capi/etcdadm-cluster';
export type {
  EtcdadmBottlerocketConfig,
  EtcdadmClusterProps,
  EtcdadmConfigSpec,
} from './capi/etcdadm-cluster';
export { RegistryCredentialsSecret } from './capi/registry-credentials-secret';
export type { RegistryCredentialsSecretProps } from './capi/registry-credentials-secret';
export { formatGoDuration, parseGoDurationSeconds } from './capi/go-duration';
export { DockerCluster } from './providers/docker-cluster';
export type { DockerClusterProps } from './providers/docker-cluster';
export {
  DOCKER_SOCKET_MOUNT,
  DockerMachineTemplate,
  dockerMachineTemplateSpec,
} from './providers/docker-machine-template';
export type { DockerMachineTemplateProps, DockerMount } from './providers/docker-machine-template';
export { DockerProvider } from './providers/docker';
export { providerFor, registerProvider } from './providers/registry';
export type {
  BootstrapClusterOptions,
  BootstrapMount,
  ClusterOptions,
  InfrastructureProvider,
  MachineDeploymentOptions,
  MachineRole,
  ProviderContext,
  ProviderObjectOptions,
  ToolEnvironmentVariable,
} from './providers/provider';
export {
  credentialsSecretName,
  failureDomainName,
  HOSTNAME_COMMANDS,
  MIN_VSPHERE_ETCD_MEMORY_MIB,
  VSphereProvider,
} from './providers/vsphere';
export { KUBE_API_PORT, VSPHERE_API_VERSION, VSphereCluster } from './providers/vsphere-cluster';
export type { VSphereClusterProps } from './providers/vsphere-cluster';
export { VSphereMachineTemplate, vsphereMachineTemplateSpec } from './providers/vsphere-machine-template';
export type { VSphereMachineSpec, VSphereMachineTemplateProps } from './providers/vsphere-machine-template';
export {
  REGION_TAG_CATEGORY,
  VSphereDeploymentZone,
  VSphereFailureDomain,
  ZONE_TAG_CATEGORY,
} from './providers/vsphere-failure-domain';
export type {
  VSphereDeploymentZoneProps,
  VSphereFailureDomainProps,
} from './providers/vsphere-failure-domain';
export {
  credentialData,
  EKSA_VSPHERE_CP_PASSWORD,
  EKSA_VSPHERE_CP_USERNAME,
  EKSA_VSPHERE_PASSWORD,
  EKSA_VSPHERE_USERNAME,
  VSPHERE_CREDENTIAL_ENV_VARS,
  VSphereCredentialsSecret,
  vsphereCredentialsFrom,
} from './providers/vsphere-credentials';
export type {
  VSphereCredentials,
  VSphereCredentialsSecretProps,
  VSphereUser,
} from './providers/vsphere-credentials';
export {
  cloudConfigText,
  cloudProviderCredentialsManifest,
  cloudProviderManifests,
  RESOURCE_SET_SECRET_TYPE,
  VSphereCloudProvider,
} from './providers/vsphere-cloud-provider';
export type { CloudProviderSettings, VSphereCloudProviderProps } from './providers/vsphere-cloud-provider';
export { KUBE_VIP_MANIFEST_PATH, kubeVipFile, kubeVipManifest } from './providers/kube-vip';
export type { KubeVipProps } from './providers/kube-vip';
export {
  BOTTLEROCKET_KUBEADM_DIR,
  BOTTLEROCKET_KUBERNETES_SETTINGS,
  bottlerocketHostConfig,
  bottlerocketSettings,
} from './providers/bottlerocket';
export type { BottlerocketHostOptions } from './providers/bottlerocket';
export { parseAuthorizedKey } from './providers/ssh-authorized-key';
export type { ParsedAuthorizedKey } from './providers/ssh-authorized-key';
export { ADDONS_GROUP, ClusterResourceSet } from './capi/cluster-resource-set';
export type { ClusterResourceSetProps, ClusterResourceSetResource } from './capi/cluster-resource-set';
export { goYamlDocuments, goYamlText } from './go-yaml-text';
export type { JsonValue } from './go-yaml-text';
export { EksaConfigObject, EksaConfigObjects } from './eksa/eksa-config-objects';
export type { EksaConfigObjectProps, EksaConfigObjectsProps } from './eksa/eksa-config-objects';
export { ClusterApiObjects, registryCredentials } from './cluster/cluster-api-objects';
export type { ClusterApiObjectsProps } from './cluster/cluster-api-objects';
export { AUTOSCALER_MAX_SIZE, AUTOSCALER_MIN_SIZE, WorkerNodeGroup } from './cluster/worker-node-group';
export type { WorkerNodeGroupProps } from './cluster/worker-node-group';
export { EksaClusterChart, manifestsOf } from './eksa-cluster-chart';
export type { EksaClusterChartProps } from './eksa-cluster-chart';
export { clusterKubernetesVersions, resolveClusterBundles, synthesizeCluster } from './synthesize-cluster';
export type { SynthesizeClusterOptions, SynthesizedCluster } from './synthesize-cluster';
export {
  GENERATED_PROP_SCHEMA_NAMES,
  addRenderedObject,
  addSchemaObject,
  constructPath,
  schemaObjectProps,
} from './schema-json';
export type { GeneratedKind, SchemaJson } from './schema-json';
export { toYamlDocuments } from './kube-object';
export type { KubeObject } from './kube-object';
export { appliedTemplatesFrom, isDerivative, templateName } from './template-names';
export type { AppliedTemplate } from './template-names';
// EKS-A's kubeadm specifics, for providers.
export {
  ADMISSION_EXCLUSION_RULES,
  ADMISSION_EXCLUSION_RULES_PATH,
  admissionExclusionRulesJson,
} from './kubeadm/admission-exclusion-rules';
export type { AdmissionExclusionRule } from './kubeadm/admission-exclusion-rules';
export {
  AUDIT_POLICY_RULES,
  AUDIT_POLICY_V1BETA1,
  auditPolicyV1,
  defaultAuditPolicy,
} from './kubeadm/audit-policy';
export type { AuditPolicyRule } from './kubeadm/audit-policy';
export { CONTAINERD_SOCKET, KUBEADM_PATCHES_DIR, ROOT_OWNER, TLS_CIPHER_SUITES } from './kubeadm/constants';
export {
  apiServerArgs,
  apiServerCertSans,
  apiServerEnvs,
  apiServerVolumes,
  auditPolicyFile,
  awsIamAuthenticatorFiles,
  controllerManagerArgs,
  controlPlaneFiles,
  kubeadmEtcd,
  oidcArgs,
  referencedOidcConfig,
  schedulerArgs,
  usesAwsIamAuthenticator,
} from './kubeadm/control-plane';
export type { ControlPlaneFilesOptions } from './kubeadm/control-plane';
export { eksaVersionAtLeast, kubeVersionAtLeast, parseKubeVersion } from './kubeadm/kube-version';
export type { KubeMinorVersion } from './kubeadm/kube-version';
export {
  KUBELET_CONFIG_PATCH_PATH,
  kubeletConfigPatchFile,
  nodeLabelsArg,
  orderedArgs,
} from './kubeadm/kubelet';
export type { KubeletPatchOptions } from './kubeadm/kubelet';
export {
  DEFAULT_CORE_EKSA_REGISTRY,
  etcdRegistryMirror,
  REGISTRY_MIRROR_COMMANDS,
  registryMirrorFiles,
  registryMirrorOf,
} from './kubeadm/registry-mirror';
export type { RegistryCredentials, RegistryMirror } from './kubeadm/registry-mirror';
export {
  bootstrapProxyEnv,
  CONTAINERD_PROXY_DROP_IN,
  containerdProxyFile,
  NO_PROXY_DEFAULTS,
  nodeNoProxy,
} from './kubeadm/proxy';
