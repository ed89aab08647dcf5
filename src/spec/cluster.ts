import type { EksaObject, EksaRef } from './meta';

/** Kind of the `Cluster` object. */
export const CLUSTER_KIND = 'Cluster';

/**
 * A Kubernetes minor version as EKS-A writes it: `"1.30"`. Always a string; the parser reads an unquoted
 * `kubernetesVersion: 1.30` from its source text, so it is never the number 1.3.
 */
export type KubernetesVersion = string;

/** Datacenter (provider) kinds eksa-iac builds clusters for. */
export type DatacenterKind = 'DockerDatacenterConfig' | 'VSphereDatacenterConfig';

/** Machine config kinds a `machineGroupRef` may name. The docker provider has none. */
export type MachineConfigKind = 'VSphereMachineConfig';

/** Identity provider kinds `identityProviderRefs` may name. */
export type IdentityProviderKind = 'OIDCConfig' | 'AWSIamConfig';

/** GitOps kinds `gitOpsRef` may name. `GitOpsConfig` is the older form, converted to a FluxConfig by EKS-A. */
export type GitOpsKind = 'FluxConfig' | 'GitOpsConfig';

/** The deprecated single-word CNI field (`clusterNetwork.cni`); use `cniConfig`. */
export type CniName = 'cilium' | 'cilium-enterprise' | 'kindnetd';

/** Effect of a node taint. */
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** How machines are replaced on upgrade. `InPlace` is for bare metal (and vSphere behind a feature flag). */
export type UpgradeRolloutStrategyType = 'RollingUpdate' | 'InPlace';

/** Which pod-to-pod traffic Cilium allows before any network policy exists. */
export type CiliumPolicyEnforcementMode = 'default' | 'always' | 'never';

/** Cilium routing: a geneve overlay (the default) or native routing between nodes. */
export type CiliumRoutingMode = 'overlay' | 'direct';

/** A Kubernetes node taint. */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffect;
  /** RFC 3339 time; only meaningful for `NoExecute`. */
  readonly timeAdded?: string;
}

/** Address of the control plane (the kube-vip / load balancer address). */
export interface Endpoint {
  /** IP address (or host name) clients use to reach the API server. */
  readonly host: string;
}

/**
 * MachineHealthCheck timeouts and limits. Set at the top level (`spec.machineHealthCheck`) and overridden per
 * control plane or worker group.
 */
export interface MachineHealthCheck {
  /** Go duration a new node has to join before its machine is remediated. @default "10m0s" */
  readonly nodeStartupTimeout?: string;
  /** Go duration a node may stay not-Ready before remediation. @default "5m0s" */
  readonly unhealthyMachineTimeout?: string;
  /** Remediation stops when more machines than this are unhealthy. @default "100%" (control plane), "40%" (workers) */
  readonly maxUnhealthy?: number | string;
}

/** Control plane rolling update knobs. */
export interface ControlPlaneRollingUpdateParams {
  /** Extra machines during a rollout: 0 or 1. */
  readonly maxSurge: number;
}

/** Control plane upgrade rollout. */
export interface ControlPlaneUpgradeRolloutStrategy {
  /** @default "RollingUpdate" */
  readonly type?: UpgradeRolloutStrategyType;
  readonly rollingUpdate?: ControlPlaneRollingUpdateParams;
}

/** Worker rolling update knobs. */
export interface WorkerNodesRollingUpdateParams {
  readonly maxSurge: number;
  readonly maxUnavailable: number;
}

/** Worker group upgrade rollout. */
export interface WorkerNodesUpgradeRolloutStrategy {
  /** @default "RollingUpdate" */
  readonly type?: UpgradeRolloutStrategyType;
  readonly rollingUpdate?: WorkerNodesRollingUpdateParams;
}

/** A KubeletConfiguration (kubelet.config.k8s.io/v1beta1) fragment, kept as written. */
export type KubeletConfiguration = Readonly<Record<string, unknown>>;

/** The control plane nodes. */
export interface ControlPlaneConfiguration {
  /** Number of control plane machines (odd for stacked etcd). */
  readonly count: number;
  /** Required for every provider except docker, which rejects it. */
  readonly endpoint?: Endpoint;
  /** The machine config of the control plane machines (not for docker). */
  readonly machineGroupRef?: EksaRef<MachineConfigKind>;
  readonly taints?: readonly Taint[];
  /** Node labels (`key: value`). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly upgradeRolloutStrategy?: ControlPlaneUpgradeRolloutStrategy;
  /** Do not deploy a load balancer (kube-vip) for the control plane; the infrastructure must provide one. */
  readonly skipLoadBalancerDeployment?: boolean;
  /** Extra subject alternative names (IPs or DNS names) of the API server certificate. */
  readonly certSans?: readonly string[];
  /** Control-plane override of the top-level `machineHealthCheck`. */
  readonly machineHealthCheck?: MachineHealthCheck;
  /** Extra kube-apiserver flags (feature flag `API_SERVER_EXTRA_ARGS_ENABLED`). */
  readonly apiServerExtraArgs?: Readonly<Record<string, string>>;
  /** Kubelet settings for control plane nodes. */
  readonly kubeletConfiguration?: KubeletConfiguration;
  /** Audit policy (YAML) replacing the EKS-A default. */
  readonly auditPolicyContent?: string;
  /** Exclude system resources from admission webhooks (writes the admission exclusion rules file). */
  readonly skipAdmissionForSystemResources?: boolean;
}

/** Autoscaler bounds of a worker group (cluster-autoscaler annotations on the MachineDeployment). */
export interface AutoScalingConfiguration {
  readonly minCount?: number;
  readonly maxCount?: number;
}

/** One group of worker nodes (one MachineDeployment). */
export interface WorkerNodeGroupConfiguration {
  /** Group name; the MachineDeployment is `<cluster>-<name>`. @default "md-0" for the first group */
  readonly name?: string;
  /** Number of machines. @default 1, or `autoscalingConfiguration.minCount` */
  readonly count?: number;
  readonly autoscalingConfiguration?: AutoScalingConfiguration;
  /** The machine config of the group (not for docker). */
  readonly machineGroupRef?: EksaRef<MachineConfigKind>;
  readonly taints?: readonly Taint[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly upgradeRolloutStrategy?: WorkerNodesUpgradeRolloutStrategy;
  /** Kubernetes version of this group, at most two minors behind the control plane. @default spec.kubernetesVersion */
  readonly kubernetesVersion?: KubernetesVersion;
  /** Worker-group override of the top-level `machineHealthCheck`. */
  readonly machineHealthCheck?: MachineHealthCheck;
  readonly kubeletConfiguration?: KubeletConfiguration;
  /** Names of datacenter failure domains to spread the group over (vSphere). */
  readonly failureDomains?: readonly string[];
}

/** Unstacked etcd on its own machines. */
export interface ExternalEtcdConfiguration {
  /** Number of etcd machines: odd. */
  readonly count: number;
  readonly machineGroupRef?: EksaRef<MachineConfigKind>;
}

/** Cilium options. */
export interface CiliumConfig {
  readonly policyEnforcementMode?: CiliumPolicyEnforcementMode;
  /** Interface name or prefix used for masquerading egress traffic. */
  readonly egressMasqueradeInterfaces?: string;
  /** Leave Cilium alone on upgrades (self-managed Cilium); forbids every other Cilium option. */
  readonly skipUpgrade?: boolean;
  /** @default "overlay" */
  readonly routingMode?: CiliumRoutingMode;
  /** Required with `routingMode: direct`. */
  readonly ipv4NativeRoutingCIDR?: string;
  readonly ipv6NativeRoutingCIDR?: string;
  /** Cilium chaining with another CNI disabled (`cni.exclusive`). */
  readonly cniExclusive?: boolean;
  /** Helm values that replace the whole value set EKS-A would render. */
  readonly helmValues?: Readonly<Record<string, unknown>>;
}

/** Kindnetd has no options; docker clusters only. */
export type KindnetdConfig = Readonly<Record<string, never>>;

/** Exactly one CNI plugin. */
export interface CniConfig {
  readonly cilium?: CiliumConfig;
  readonly kindnetd?: KindnetdConfig;
}

/** A list of CIDR blocks (EKS-A accepts exactly one). */
export interface CidrBlocks {
  readonly cidrBlocks: readonly string[];
}

export interface ResolvConf {
  /** Host path of the resolv.conf kubelet gives pods. */
  readonly path?: string;
}

export interface Dns {
  readonly resolvConf?: ResolvConf;
}

export interface Nodes {
  /** Node CIDR mask size (kube-controller-manager `node-cidr-mask-size`). @default 24 */
  readonly cidrMaskSize?: number;
}

/** Pod and service networks and the CNI. */
export interface ClusterNetwork {
  readonly pods?: CidrBlocks;
  readonly services?: CidrBlocks;
  /** @deprecated use `cniConfig`; converted to it by the defaults. */
  readonly cni?: CniName;
  readonly cniConfig?: CniConfig;
  readonly dns?: Dns;
  readonly nodes?: Nodes;
}

/** HTTP(S) proxy for the nodes and the EKS-A components. */
export interface ProxyConfiguration {
  /** `host:port` (or URL) of the HTTP proxy. */
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly noProxy?: readonly string[];
}

/** A mapping from an upstream registry to a namespace of the mirror. */
export interface OciNamespace {
  readonly registry: string;
  readonly namespace: string;
}

/** Pull every image through a registry mirror. */
export interface RegistryMirrorConfiguration {
  /** Host (or IP) of the mirror. */
  readonly endpoint: string;
  /** Port of the mirror, as a string. @default "443" */
  readonly port?: string;
  readonly ociNamespaces?: readonly OciNamespace[];
  /** PEM CA of the mirror. @default the file named by env `EKSA_REGISTRY_MIRROR_CA` */
  readonly caCertContent?: string;
  /** The mirror needs credentials (env `REGISTRY_USERNAME` / `REGISTRY_PASSWORD`). */
  readonly authenticate?: boolean;
  /** Skip TLS verification of the mirror (testing only). */
  readonly insecureSkipVerify?: boolean;
}

/** The cluster that manages this one; its own name for a self-managed (management) cluster. */
export interface ManagementCluster {
  readonly name: string;
}

/** IAM roles for service accounts. */
export interface PodIamConfig {
  readonly serviceAccountIssuer: string;
}

export interface ImageResource {
  readonly cpu?: string;
  readonly memory?: string;
}

export interface PackageControllerResources {
  readonly requests?: ImageResource;
  readonly limits?: ImageResource;
}

/** Curated packages controller image and settings (management clusters only). */
export interface PackageControllerConfiguration {
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly disableWebhooks?: boolean;
  /** `KEY=value` entries. */
  readonly env?: readonly string[];
  readonly resources?: PackageControllerResources;
}

/** ECR token refresher cron job (management clusters only). */
export interface PackageControllerCronJob {
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly disable?: boolean;
}

/** Curated packages. */
export interface PackageConfiguration {
  /** Do not install the package controller. */
  readonly disable?: boolean;
  readonly controller?: PackageControllerConfiguration;
  readonly cronjob?: PackageControllerCronJob;
}

/** @deprecated reference to a Bundles object; use `eksaVersion`. */
export interface BundlesRef {
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string;
}

/** A KMS plugin for etcd encryption. */
export interface KmsConfig {
  readonly name: string;
  /** Unix socket of the KMS plugin, e.g. `unix:///var/run/kmsplugin/socket.sock`. */
  readonly socketListenAddress: string;
  readonly cachesize?: number;
  /** Go duration. */
  readonly timeout?: string;
}

export interface EtcdEncryptionProvider {
  readonly kms: KmsConfig;
}

/** Encryption at rest of some resources (for example `secrets`). Rejected at create. */
export interface EtcdEncryption {
  readonly providers: readonly EtcdEncryptionProvider[];
  readonly resources: readonly string[];
}

/** What a user writes under `Cluster.spec`. */
export interface ClusterSpec {
  readonly kubernetesVersion: KubernetesVersion;
  readonly controlPlaneConfiguration: ControlPlaneConfiguration;
  readonly workerNodeGroupConfigurations?: readonly WorkerNodeGroupConfiguration[];
  readonly datacenterRef: EksaRef<DatacenterKind>;
  readonly identityProviderRefs?: readonly EksaRef<IdentityProviderKind>[];
  readonly gitOpsRef?: EksaRef<GitOpsKind>;
  readonly clusterNetwork: ClusterNetwork;
  /** Present for unstacked etcd; absent means etcd runs on the control plane machines. */
  readonly externalEtcdConfiguration?: ExternalEtcdConfiguration;
  readonly proxyConfiguration?: ProxyConfiguration;
  readonly registryMirrorConfiguration?: RegistryMirrorConfiguration;
  /** Absent or naming this cluster: self-managed (management) cluster. */
  readonly managementCluster?: ManagementCluster;
  readonly podIamConfig?: PodIamConfig;
  readonly packages?: PackageConfiguration;
  /** @deprecated use `eksaVersion`. */
  readonly bundlesRef?: BundlesRef;
  /** EKS-A release (semver, e.g. `v0.26.1`) whose bundle provides the component versions. */
  readonly eksaVersion?: string;
  readonly machineHealthCheck?: MachineHealthCheck;
  readonly etcdEncryption?: readonly EtcdEncryption[];
  /** License token for extended Kubernetes version support. */
  readonly licenseToken?: string;
}

/** The EKS-A `Cluster` object. */
export type Cluster = EksaObject<typeof CLUSTER_KIND, ClusterSpec>;
