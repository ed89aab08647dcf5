import type { EksaObject } from './meta';

/** Kind of the `VSphereMachineConfig` object. */
export const VSPHERE_MACHINE_KIND = 'VSphereMachineConfig';

/** Operating systems EKS-A builds vSphere node images for. */
export type OsFamily = 'bottlerocket' | 'ubuntu' | 'redhat';

/** How a VM is cloned from its template. */
export type VSphereCloneMode = 'fullClone' | 'linkedClone';

/** An OS user with its SSH keys. */
export interface UserConfiguration {
  readonly name: string;
  readonly sshAuthorizedKeys: readonly string[];
}

/** NTP servers for the nodes. */
export interface NtpConfiguration {
  readonly servers: readonly string[];
}

/** An extra CA bundle trusted by Bottlerocket nodes. */
export interface CertBundle {
  readonly name: string;
  /** PEM data. */
  readonly data: string;
}

/** Kernel boot parameters of Bottlerocket nodes. */
export interface BottlerocketBootSettings {
  readonly bootKernelParameters?: Readonly<Record<string, readonly string[]>>;
}

/** Kernel sysctls of Bottlerocket nodes. */
export interface BottlerocketKernelSettings {
  readonly sysctlSettings?: Readonly<Record<string, string>>;
}

/** Bottlerocket's `settings.kubernetes` (kubelet settings Bottlerocket exposes). */
export interface BottlerocketKubernetesSettings {
  readonly allowedUnsafeSysctls?: readonly string[];
  readonly clusterDNSIPs?: readonly string[];
  readonly clusterDomain?: string;
  readonly containerLogMaxFiles?: number;
  readonly containerLogMaxSize?: string;
  readonly cpuCFSQuota?: boolean;
  readonly cpuManagerPolicy?: string;
  readonly cpuManagerPolicyOptions?: Readonly<Record<string, string>>;
  readonly cpuManagerReconcilePeriod?: string;
  readonly eventBurst?: number;
  readonly eventRecordQPS?: number;
  readonly evictionHard?: Readonly<Record<string, string>>;
  readonly evictionMaxPodGracePeriod?: number;
  readonly evictionSoft?: Readonly<Record<string, string>>;
  readonly evictionSoftGracePeriod?: Readonly<Record<string, string>>;
  readonly imageGCHighThresholdPercent?: number;
  readonly imageGCLowThresholdPercent?: number;
  readonly kubeAPIBurst?: number;
  readonly kubeAPIQPS?: number;
  readonly kubeReserved?: Readonly<Record<string, string>>;
  readonly maxPods?: number;
  readonly memoryManagerPolicy?: string;
  readonly podPidsLimit?: number;
  readonly providerID?: string;
  readonly registryBurst?: number;
  readonly registryPullQPS?: number;
  readonly shutdownGracePeriod?: string;
  readonly shutdownGracePeriodCriticalPods?: string;
  readonly systemReserved?: Readonly<Record<string, string>>;
  readonly topologyManagerPolicy?: string;
  readonly topologyManagerScope?: string;
}

/** Bottlerocket host settings. */
export interface BottlerocketConfiguration {
  readonly kubernetes?: BottlerocketKubernetesSettings;
  readonly kernel?: BottlerocketKernelSettings;
  readonly boot?: BottlerocketBootSettings;
}

/** Host OS settings of the machines. */
export interface HostOsConfiguration {
  readonly ntpConfiguration?: NtpConfiguration;
  readonly bottlerocketConfiguration?: BottlerocketConfiguration;
  readonly certBundles?: readonly CertBundle[];
}

/** The VMs of one machine group (control plane, etcd or a worker group). */
export interface VSphereMachineConfigSpec {
  /** Disk size in GiB. @default 25 (generate clusterconfig template) */
  readonly diskGiB?: number;
  readonly datastore: string;
  /** VM folder. */
  readonly folder: string;
  /** Networks of the VMs (workers); the datacenter `network` otherwise. */
  readonly networks?: readonly string[];
  /** @default 2 */
  readonly numCPUs?: number;
  /** Memory in MiB, at least 2048. @default 8192 */
  readonly memoryMiB?: number;
  /** @default "bottlerocket" */
  readonly osFamily?: OsFamily;
  readonly resourcePool: string;
  readonly storagePolicyName?: string;
  /** VM template (inventory path); resolved by the provider when empty. */
  readonly template?: string;
  readonly cloneMode?: VSphereCloneMode;
  readonly users?: readonly UserConfiguration[];
  /** vSphere tag IDs attached to the VMs. */
  readonly tags?: readonly string[];
  readonly hostOSConfiguration?: HostOsConfiguration;
}

/** Machine settings of vSphere nodes. */
export type VSphereMachineConfig = EksaObject<typeof VSPHERE_MACHINE_KIND, VSphereMachineConfigSpec>;
