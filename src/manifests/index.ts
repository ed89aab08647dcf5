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
  kubeadmConfigSpecFor,
  kubeadmConfigSpecV1Beta1,
  kubeadmConfigSpecV1Beta2,
} from './capi/kubeadm-config-spec';
export type {
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
export type { EtcdadmClusterProps, EtcdadmConfigSpec } from './capi/etcdadm-cluster';
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
  InfrastructureProvider,
  MachineDeploymentOptions,
  MachineRole,
  ProviderContext,
  ProviderObjectOptions,
} from './providers/provider';
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
