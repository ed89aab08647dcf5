import { ROOT_OWNER } from './constants';
import type { ClusterConfig, ProxyConfiguration } from '../../spec';
import type { KubeadmFile } from '../capi/kubeadm-config-spec';

/** Destinations every node reaches directly even when a proxy is configured (`clusterapi.NoProxyDefaults`). */
export const NO_PROXY_DEFAULTS: readonly string[] = ['localhost', '127.0.0.1', '.svc'];

/** systemd drop-in that gives containerd the proxy settings on cloud-config (Ubuntu, Red Hat) nodes. */
export const CONTAINERD_PROXY_DROP_IN = '/etc/systemd/system/containerd.service.d/http-proxy.conf';

/**
 * `NO_PROXY` of the nodes, in EKS-A's order: pod and service CIDRs, the user's list, the defaults, then the
 * provider's endpoints (for vSphere the vCenter server and the control plane address).
 */
export function nodeNoProxy(config: ClusterConfig, providerEndpoints: readonly string[]): string[] {
  const spec = config.cluster.spec;
  return [
    ...(spec.clusterNetwork.pods?.cidrBlocks ?? []),
    ...(spec.clusterNetwork.services?.cidrBlocks ?? []),
    ...(spec.proxyConfiguration?.noProxy ?? []),
    ...NO_PROXY_DEFAULTS,
    ...providerEndpoints,
  ];
}

/** The containerd proxy drop-in of cloud-config nodes. */
export function containerdProxyFile(proxy: ProxyConfiguration, noProxy: readonly string[]): KubeadmFile {
  return {
    content: [
      '[Service]',
      `Environment="HTTP_PROXY=${proxy.httpProxy ?? ''}"`,
      `Environment="HTTPS_PROXY=${proxy.httpsProxy ?? ''}"`,
      `Environment="NO_PROXY=${noProxy.join(',')}"`,
      '',
    ].join('\n'),
    owner: ROOT_OWNER,
    path: CONTAINERD_PROXY_DROP_IN,
  };
}

/**
 * Proxy environment of the kind bootstrap cluster (`common.BootstrapClusterOpts`): `NO_PROXY` holds the
 * provider's server endpoints, the control plane address and the user's non-empty entries.
 */
export function bootstrapProxyEnv(
  config: ClusterConfig,
  serverEndpoints: readonly string[],
): Record<string, string> | undefined {
  const proxy = config.cluster.spec.proxyConfiguration;
  if (!proxy) return undefined;
  const host = config.cluster.spec.controlPlaneConfiguration.endpoint?.host;
  const noProxy = [...serverEndpoints, ...(host !== undefined ? [host] : [])];
  for (const entry of proxy.noProxy ?? []) if (entry) noProxy.push(entry);
  return {
    HTTP_PROXY: proxy.httpProxy ?? '',
    HTTPS_PROXY: proxy.httpsProxy ?? '',
    NO_PROXY: noProxy.join(','),
  };
}
