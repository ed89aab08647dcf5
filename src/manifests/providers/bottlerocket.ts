import type { HostOsConfiguration, KubeletConfiguration } from '../../spec';
import type { ResolvedVersionsBundle } from '../../spec/bundles';
import { parseImageReference } from '../../spec/bundles';
import type { BottlerocketHostConfig, BottlerocketSettings } from '../capi/kubeadm-config-spec';
import type { RegistryMirror } from '../kubeadm/registry-mirror';

/*
 * Bottlerocket machines bootstrap through a kubeadm host container instead of cloud-init, so their kubeadm config
 * carries images and host settings that Ubuntu machines get from files and commands: the pause and bootstrap
 * images, `settings.kubernetes` (instead of a kubelet configuration patch), sysctls, kernel boot parameters, the
 * proxy, the registry mirror and extra trusted CAs. Kubernetes paths live under /var/lib/kubeadm.
 */

/** Where Bottlerocket's kubeadm keeps what kubeadm elsewhere keeps in /etc/kubernetes. */
export const BOTTLEROCKET_KUBEADM_DIR = '/var/lib/kubeadm';

/** The KubeletConfiguration fields Bottlerocket's `settings.kubernetes` accepts (EKS-A converts them). */
export const BOTTLEROCKET_KUBERNETES_SETTINGS: readonly string[] = [
  'allowedUnsafeSysctls',
  'clusterDNSIPs',
  'clusterDomain',
  'containerLogMaxFiles',
  'containerLogMaxSize',
  'cpuCFSQuota',
  'cpuManagerPolicy',
  'cpuManagerPolicyOptions',
  'cpuManagerReconcilePeriod',
  'eventBurst',
  'eventRecordQPS',
  'evictionHard',
  'evictionMaxPodGracePeriod',
  'evictionSoft',
  'evictionSoftGracePeriod',
  'imageGCHighThresholdPercent',
  'imageGCLowThresholdPercent',
  'kubeAPIBurst',
  'kubeAPIQPS',
  'kubeReserved',
  'maxPods',
  'memoryManagerPolicy',
  'podPidsLimit',
  'providerID',
  'registryBurst',
  'registryPullQPS',
  'shutdownGracePeriod',
  'shutdownGracePeriodCriticalPods',
  'systemReserved',
  'topologyManagerPolicy',
  'topologyManagerScope',
];

/** Fields of a kubelet configuration Bottlerocket cannot take (apiVersion and kind are dropped, not rejected). */
export function unsupportedKubeletFields(kubelet: KubeletConfiguration): string[] {
  return Object.keys(kubelet).filter(
    (k) => k !== 'apiVersion' && k !== 'kind' && !BOTTLEROCKET_KUBERNETES_SETTINGS.includes(k),
  );
}

/** `settings.kubernetes` from a kubelet configuration (EKS-A's `ConvertToBottlerocketKubernetesSettings`). */
export function kubernetesSettingsOf(kubelet: KubeletConfiguration): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(kubelet).filter(([k]) => BOTTLEROCKET_KUBERNETES_SETTINGS.includes(k)),
  );
}

/** The `bottlerocket` settings block of a machine, undefined when it has none. */
export function bottlerocketSettings(
  hostOs: HostOsConfiguration | undefined,
  kubelet: KubeletConfiguration | undefined,
): BottlerocketSettings | undefined {
  const br = hostOs?.bottlerocketConfiguration;
  // A kubelet configuration of the group or control plane takes precedence over the machine's settings.
  const kubernetes = kubelet ? kubernetesSettingsOf(kubelet) : br?.kubernetes && { ...br.kubernetes };
  const sysctls = br?.kernel?.sysctlSettings;
  const boot = br?.boot?.bootKernelParameters;
  if (!kubernetes && !sysctls && !boot) return undefined;
  return {
    kubernetes,
    kernel: sysctls ? { sysctlSettings: { ...sysctls } } : undefined,
    boot: boot ? { bootKernelParameters: { ...boot } } : undefined,
  };
}

/** What {@link bottlerocketHostConfig} builds from. */
export interface BottlerocketHostOptions {
  readonly bundle: ResolvedVersionsBundle;
  readonly hostOs?: HostOsConfiguration;
  readonly kubelet?: KubeletConfiguration;
  /** HTTPS proxy and the no-proxy list, when the cluster has a proxy. */
  readonly proxy?: { readonly httpsProxy?: string; readonly noProxy: readonly string[] };
  readonly registryMirror?: RegistryMirror;
}

/** The kubeadm bootstrap host container image of the bundle. */
export function bottlerocketBootstrapImage(bundle: ResolvedVersionsBundle): string | undefined {
  return bundle.bundle.bottlerocketHostContainers?.kubeadmBootstrap?.uri;
}

/** The Bottlerocket settings of a machine group's kubeadm config. */
export function bottlerocketHostConfig(options: BottlerocketHostOptions): BottlerocketHostConfig {
  const pause = options.bundle.kubeDistro.pause;
  const bootstrap = parseImageReference(bottlerocketBootstrapImage(options.bundle) ?? '');
  const certBundles = options.hostOs?.certBundles;
  return {
    pause: { imageRepository: pause.repository, imageTag: pause.tag },
    bootstrap: { imageRepository: bootstrap.repository, imageTag: bootstrap.tag },
    settings: bottlerocketSettings(options.hostOs, options.kubelet),
    proxy: options.proxy && { httpsProxy: options.proxy.httpsProxy, noProxy: [...options.proxy.noProxy] },
    registryMirror: options.registryMirror && {
      endpoint: options.registryMirror.coreEksaMirror,
      caCert: options.registryMirror.caCert,
    },
    certBundles: certBundles && certBundles.length > 0 ? certBundles.map((b) => ({ ...b })) : undefined,
  };
}
