import {
  ciliumInstallation,
  type CiliumInstallation,
  type CiliumInstallationOptions,
} from './cilium-installation';
import { ciliumConfigOf } from './cilium-values';
import { kindnetdInstallation, type KindnetdInstallation } from './kindnetd';
import type { ClusterConfig, ResolvedVersionsBundle } from '../../spec';

/** The CNI the workflow installs on a new cluster. */
export type CniInstallation =
  | { readonly plugin: 'cilium'; readonly cilium: CiliumInstallation }
  | { readonly plugin: 'kindnetd'; readonly kindnetd: KindnetdInstallation };

/**
 * The CNI of a cluster: Cilium (`cniConfig.cilium`, or the deprecated `cni: cilium`) or kindnetd (docker only,
 * `cniConfig.kindnetd`).
 * @throws Error when the config names no CNI plugin (validation rejects such configs)
 */
export function cniInstallation(
  config: ClusterConfig,
  bundle: ResolvedVersionsBundle,
  options: CiliumInstallationOptions = {},
): CniInstallation {
  if (ciliumConfigOf(config.cluster)) {
    return { plugin: 'cilium', cilium: ciliumInstallation(config, bundle, options) };
  }
  const network = config.cluster.spec.clusterNetwork;
  if (network.cniConfig?.kindnetd || network.cni === 'kindnetd') {
    return { plugin: 'kindnetd', kindnetd: kindnetdInstallation(bundle) };
  }
  throw new Error(
    `${config.file ? `${config.file}: ` : ''}Cluster ${config.cluster.metadata.name}: ` +
      'spec.clusterNetwork.cniConfig names no CNI plugin; set cniConfig.cilium: {} (or kindnetd: {} on docker).',
  );
}
