import { parseAllDocuments } from 'yaml';
import type { ManifestObject } from './manifest-object';
import { requireComponent, type ClusterConfig, type ResolvedVersionsBundle } from '../../spec';

/** The kindnetd manifest EKS-A applies: the bundle's, with the DaemonSet's `POD_SUBNET` set to the pod CIDR. */
export interface KindnetdInstallation {
  /** `kindnetd.manifest.uri` of the versions bundle; the workflow downloads it. */
  readonly manifestUri: string;
  /** The bundle's kindnetd version, for upgrade decisions. */
  readonly version?: string;
}

/**
 * Where the kindnetd manifest of a docker cluster with `cniConfig.kindnetd` comes from. The EKS-A controller only
 * manages Cilium; kindnetd was installed by the CLI (create) and re-applied on upgrades when the bundle's kindnetd
 * changed. eksa-iac does the same in its workflow: download this manifest, pass it through
 * {@link configureKindnetdManifest}, apply.
 *
 * @throws VersionsBundlesError when the versions bundle has no `kindnetd` component.
 */
export function kindnetdInstallation(bundle: ResolvedVersionsBundle): KindnetdInstallation {
  const kindnetd = requireComponent(bundle, 'kindnetd');
  return { manifestUri: kindnetd.manifest.uri, ...(kindnetd.version ? { version: kindnetd.version } : {}) };
}

/**
 * The downloaded kindnetd manifest made to fit the cluster: the `POD_SUBNET` variable of the DaemonSet's first
 * container becomes the cluster's (first) pod CIDR, everything else is kept as published.
 *
 * @param source where the manifest came from, for error messages
 * @throws Error when the manifest is not YAML or has no kindnetd DaemonSet with a container
 */
export function configureKindnetdManifest(
  manifest: string,
  config: ClusterConfig,
  source = 'kindnetd manifest',
): ManifestObject[] {
  const podCidr = config.cluster.spec.clusterNetwork.pods?.cidrBlocks[0];
  if (!podCidr) {
    throw new Error(
      `Cluster ${config.cluster.metadata.name}: spec.clusterNetwork.pods.cidrBlocks is empty; kindnetd needs the pod CIDR`,
    );
  }
  const objects: ManifestObject[] = [];
  let daemonSets = 0;
  for (const doc of parseAllDocuments(manifest)) {
    if (doc.errors.length > 0) throw new Error(`${source}: not valid YAML: ${doc.errors[0].message}`);
    const object = doc.toJS() as ManifestObject | null;
    if (object === null || object === undefined) continue;
    if (object.kind !== 'DaemonSet') {
      objects.push(object);
      continue;
    }
    daemonSets++;
    objects.push(withPodSubnet(object, podCidr, source));
  }
  if (daemonSets === 0) throw new Error(`${source}: has no DaemonSet; expected the kindnetd DaemonSet`);
  return objects;
}

function withPodSubnet(daemonSet: ManifestObject, podCidr: string, source: string): ManifestObject {
  const copy = JSON.parse(JSON.stringify(daemonSet)) as {
    spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } };
  };
  const container = copy.spec?.template?.spec?.containers?.[0];
  if (!container) throw new Error(`${source}: DaemonSet ${daemonSet.metadata.name} has no container`);
  for (const env of container.env ?? []) {
    if (env.name === 'POD_SUBNET') env.value = podCidr;
  }
  return copy as unknown as ManifestObject;
}
