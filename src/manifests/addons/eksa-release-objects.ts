import type { ManifestObject } from './manifest-object';
import {
  BUNDLES_API_VERSION,
  BUNDLES_KIND,
  type BundlesManifest,
  type EksaRelease,
  type ResolvedVersionsBundle,
} from '../../spec';

/** EKS-A keeps its components, Bundles, EKSARelease and EKS-D releases in `eksa-system`. */
export const EKSA_SYSTEM_NAMESPACE = 'eksa-system';
/** Kind of the EKSARelease object (maps an EKS-A version to a Bundles object in the cluster). */
export const EKSA_RELEASE_OBJECT_KIND = 'EKSARelease';
/** The ConfigMap of in-place upgrader images the controller reads (one per EKS-D release). */
export const UPGRADER_CONFIG_MAP_NAME = 'in-place-upgrade';

/** What an EKSARelease records of an EKS-A release; `EksaRelease` entries of the release manifest fit. */
export type EksaReleaseInfo = Pick<EksaRelease, 'version'> &
  Partial<Pick<EksaRelease, 'date' | 'gitCommit' | 'bundleManifestUrl'>>;

/** The EKSARelease name of a version: `v0.26.1` → `eksa-v0-26-1` (`+` becomes `-plus-`). */
export function eksaReleaseName(version: string): string {
  return `eksa-${version.replace(/\+/g, '-plus-').replace(/\./g, '-')}`;
}

/** The name of a Bundles manifest: its own, else `bundles-<number>` as EKS-A names them. */
export function bundlesName(manifest: BundlesManifest): string {
  return manifest.metadata?.name || `bundles-${manifest.spec.number}`;
}

/**
 * The Bundles object applied to a cluster (server-side, forced): the whole manifest in `eksa-system`, with its
 * metadata reduced to name, labels and annotations.
 */
export function bundlesObject(manifest: BundlesManifest): ManifestObject {
  const meta = manifest.metadata ?? {};
  return {
    apiVersion: BUNDLES_API_VERSION,
    kind: BUNDLES_KIND,
    metadata: {
      name: bundlesName(manifest),
      namespace: EKSA_SYSTEM_NAMESPACE,
      ...(isStringMap(meta.labels) ? { labels: meta.labels } : {}),
      ...(isStringMap(meta.annotations) ? { annotations: meta.annotations } : {}),
    },
    spec: JSON.parse(JSON.stringify(manifest.spec)) as unknown,
  };
}

/**
 * The EKSARelease object of the EKS-A release the cluster runs, pointing at its Bundles object. For a Bundles file
 * given by hand EKS-A records the CLI version only (date, commit and manifest URL empty); pass `{ version }`.
 */
export function eksaReleaseObject(release: EksaReleaseInfo, manifest: BundlesManifest): ManifestObject {
  return {
    apiVersion: BUNDLES_API_VERSION,
    kind: EKSA_RELEASE_OBJECT_KIND,
    metadata: { name: eksaReleaseName(release.version), namespace: EKSA_SYSTEM_NAMESPACE },
    spec: {
      releaseDate: release.date ?? '',
      version: release.version,
      gitCommit: release.gitCommit ?? '',
      bundleManifestUrl: release.bundleManifestUrl ?? '',
      bundlesRef: {
        apiVersion: BUNDLES_API_VERSION,
        name: bundlesName(manifest),
        namespace: EKSA_SYSTEM_NAMESPACE,
      },
    },
  };
}

/**
 * The EKS-D Release objects of the versions bundles a cluster uses (control plane and worker versions), one per
 * release, in `eksa-system`: the controller reads images and versions from them instead of downloading.
 */
export function eksdReleaseObjects(bundles: readonly ResolvedVersionsBundle[]): ManifestObject[] {
  const seen = new Set<string>();
  const out: ManifestObject[] = [];
  for (const { eksdRelease } of bundles) {
    if (seen.has(eksdRelease.metadata.name)) continue;
    seen.add(eksdRelease.metadata.name);
    out.push({
      apiVersion: eksdRelease.apiVersion,
      kind: eksdRelease.kind,
      metadata: { name: eksdRelease.metadata.name, namespace: EKSA_SYSTEM_NAMESPACE },
      spec: eksdRelease.spec,
      ...(eksdRelease.status ? { status: eksdRelease.status } : {}),
    });
  }
  return out;
}

/**
 * The ConfigMap of upgrader images for in-place upgrades: one entry per EKS-D release of the Bundles
 * (`v1.30.14-eks-1-30-58` → the bundle's upgrader image), added to the entries already in the cluster.
 * Versions bundles without an upgrader image are skipped.
 *
 * @param existing `data` of the ConfigMap already in the cluster, kept for releases the Bundles no longer lists
 */
export function upgraderImagesConfigMap(
  manifest: BundlesManifest,
  existing: Readonly<Record<string, string>> = {},
): ManifestObject {
  const data: Record<string, string> = { ...existing };
  const added = new Set<string>();
  for (const vb of manifest.spec.versionsBundles) {
    const image = vb.upgrader?.upgrader?.uri;
    const number = vb.eksD.name?.split('-')[4];
    if (!image || !vb.eksD.kubeVersion || !vb.eksD.channel || !number) continue;
    const key = `${vb.eksD.kubeVersion}-eks-${vb.eksD.channel}-${number}`;
    // The first versions bundle naming a release wins, as in EKS-A.
    if (added.has(key)) continue;
    added.add(key);
    data[key] = image;
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: UPGRADER_CONFIG_MAP_NAME, namespace: EKSA_SYSTEM_NAMESPACE },
    data,
  };
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
