import { stringify } from 'yaml';
import { KUBEADM_PATCHES_DIR, ROOT_OWNER, TLS_CIPHER_SUITES } from './constants';
import { kubeVersionAtLeast } from './kube-version';
import type { KubeletConfiguration } from '../../spec';
import type { KubeadmArg, KubeadmFile } from '../capi/kubeadm-config-spec';

/** The kubelet configuration patch kubeadm applies (strategic merge) when a kubelet configuration is given. */
export const KUBELET_CONFIG_PATCH_PATH = `${KUBEADM_PATCHES_DIR}/kubeletconfiguration0+strategic.yaml`;

/** `node-labels` value: `k=v` pairs sorted by key, comma-separated. */
export function nodeLabelsArg(labels: Readonly<Record<string, string>> | undefined): KubeadmArg | undefined {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return undefined;
  return { name: 'node-labels', value: keys.map((k) => `${k}=${labels![k]}`).join(',') };
}

/** Orders kubelet (and component) flags as EKS-A's templates do: `first` in order, then the rest sorted by name. */
export function orderedArgs(
  first: readonly KubeadmArg[],
  rest: readonly (KubeadmArg | undefined)[],
): KubeadmArg[] {
  const sorted = rest
    .filter((a): a is KubeadmArg => a !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...first, ...sorted];
}

export interface KubeletPatchOptions {
  readonly kubernetesVersion: string;
  /** `clusterNetwork.dns.resolvConf.path`. */
  readonly resolvConf?: string;
}

/**
 * The kubelet configuration patch file: the user's KubeletConfiguration plus what EKS-A enforces when it is not
 * set (`tlsCipherSuites`, `resolvConf`, and `failCgroupV1: false` from 1.31), marshalled with sorted keys.
 */
export function kubeletConfigPatchFile(
  config: KubeletConfiguration,
  options: KubeletPatchOptions,
): KubeadmFile {
  const merged: Record<string, unknown> = { ...config };
  if (merged.tlsCipherSuites === undefined) merged.tlsCipherSuites = [TLS_CIPHER_SUITES];
  if (options.resolvConf && merged.resolvConf === undefined) merged.resolvConf = options.resolvConf;
  if (kubeVersionAtLeast(options.kubernetesVersion, '1.31') && merged.failCgroupV1 === undefined) {
    merged.failCgroupV1 = false;
  }
  return {
    path: KUBELET_CONFIG_PATCH_PATH,
    owner: ROOT_OWNER,
    permissions: '0644',
    content: stringify(merged, {
      indentSeq: false,
      sortMapEntries: true,
      lineWidth: 0,
      aliasDuplicateObjects: false,
    }),
  };
}
