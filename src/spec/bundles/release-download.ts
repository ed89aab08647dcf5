import type { BundlesManifest } from './bundles-manifest';
import type { EksaRelease, EksaReleaseManifest } from './eksa-release-manifest';
import type { EksdRelease } from './eksd-release';
import { VersionsBundlesError } from './errors';
import { deriveKubeDistro } from './kube-distro';
import { parseBundlesManifest, parseEksaReleaseManifest, parseEksdRelease } from './parse';
import { downloadText, errorMessage, manifestFileName } from './sources';
import type { FetchFunction } from './versions-bundles';

/** A downloaded and verified EKS-A release: its Bundles and every EKS-D release they point at, as fetched. */
export interface DownloadedRelease {
  readonly eksaVersion: string;
  readonly releaseManifestUrl: string;
  readonly release: EksaRelease;
  readonly bundles: { readonly url: string; readonly text: string; readonly manifest: BundlesManifest };
  readonly eksdReleases: readonly DownloadedEksdRelease[];
}

export interface DownloadedEksdRelease {
  readonly kubeVersion: string;
  readonly url: string;
  /** File name the versions bundle matches it by. */
  readonly fileName: string;
  readonly text: string;
  readonly release: EksdRelease;
}

/** Versions compare on their `major.minor.patch` core; pre-release and build suffixes are ignored. */
function versionCore(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const x = versionCore(a);
  const y = versionCore(b);
  if (!x || !y) return a.localeCompare(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** `v0.26.1` and `0.26.1` name the same release. */
export function sameVersion(a: string, b: string): boolean {
  return a.replace(/^v/, '') === b.replace(/^v/, '');
}

/** Finds a release in the EKS-A release manifest, or says which versions it has. */
export function findRelease(manifest: EksaReleaseManifest, eksaVersion: string, source: string): EksaRelease {
  const release = manifest.spec.releases.find((r) => sameVersion(r.version, eksaVersion));
  if (release) return release;
  const known = [...manifest.spec.releases].map((r) => r.version).sort(compareVersions);
  const recent = known.slice(-10).join(', ');
  throw new VersionsBundlesError(
    `${source}: EKS-A release ${eksaVersion} is not listed (latest: ${manifest.spec.latestVersion}; ` +
      `newest listed: ${recent || 'none'})`,
  );
}

/**
 * Checks that a Bundles manifest belongs to the given release: `spec.number` equals the release number, and the
 * release version lies within `cliMinVersion`…`cliMaxVersion` when the bundle states them.
 */
export function verifyBundlesForRelease(
  bundles: BundlesManifest,
  eksaVersion: string,
  releaseNumber: number,
  source: string,
): void {
  const problems: string[] = [];
  if (bundles.spec.number !== releaseNumber) {
    problems.push(
      `spec.number is ${bundles.spec.number}, but EKS-A ${eksaVersion} is release number ${releaseNumber}`,
    );
  }
  const { cliMinVersion: min, cliMaxVersion: max } = bundles.spec;
  if (min && compareVersions(eksaVersion, min) < 0) {
    problems.push(`spec.cliMinVersion ${min} is newer than ${eksaVersion}`);
  }
  if (max && compareVersions(eksaVersion, max) > 0) {
    problems.push(`spec.cliMaxVersion ${max} is older than ${eksaVersion}`);
  }
  if (problems.length > 0) {
    throw new VersionsBundlesError(`${source}: not the Bundles manifest of EKS-A ${eksaVersion}`, problems);
  }
}

/**
 * Checks an EKS-D release against the versions bundle that points at it (name and channel, when the bundle states
 * them) and that every image and version EKS-A derives from it is present.
 */
export function verifyEksdRelease(
  bundles: BundlesManifest,
  kubeVersion: string,
  release: EksdRelease,
  source: string,
): void {
  const bundle = bundles.spec.versionsBundles.find((vb) => vb.kubeVersion === kubeVersion);
  if (!bundle) {
    throw new VersionsBundlesError(
      `${source}: the Bundles manifest has no versions bundle for Kubernetes ${kubeVersion}`,
    );
  }
  const problems: string[] = [];
  if (bundle.eksD.name && release.metadata.name !== bundle.eksD.name) {
    problems.push(
      `metadata.name is "${release.metadata.name}", but the versions bundle names "${bundle.eksD.name}"`,
    );
  }
  if (bundle.eksD.channel && String(release.spec.channel) !== bundle.eksD.channel) {
    problems.push(
      `spec.channel is "${release.spec.channel}", but the versions bundle names "${bundle.eksD.channel}"`,
    );
  }
  if (problems.length > 0) {
    throw new VersionsBundlesError(`${source}: not the EKS-D release of Kubernetes ${kubeVersion}`, problems);
  }
  deriveKubeDistro(bundle, release, source);
}

export interface DownloadReleaseOptions {
  readonly eksaVersion: string;
  readonly releaseManifestUrl: string;
  readonly fetch: FetchFunction;
}

/**
 * Downloads the EKS-A release manifest, the release's Bundles and every EKS-D release they point at, and verifies
 * each (kind, release number, EKS-D names, derivable images). Nothing is written.
 */
export async function downloadEksaRelease(options: DownloadReleaseOptions): Promise<DownloadedRelease> {
  const { eksaVersion, releaseManifestUrl, fetch } = options;
  const manifestText = await downloadText(releaseManifestUrl, 'the EKS-A release manifest', fetch);
  const release = findRelease(
    parseEksaReleaseManifest(manifestText, releaseManifestUrl),
    eksaVersion,
    releaseManifestUrl,
  );

  const bundlesUrl = release.bundleManifestUrl;
  const bundlesText = await downloadText(
    bundlesUrl,
    `the Bundles manifest of EKS-A ${release.version}`,
    fetch,
  );
  const manifest = parseBundlesManifest(bundlesText, bundlesUrl);
  verifyBundlesForRelease(manifest, release.version, release.number, bundlesUrl);

  const byFileName = new Map<string, string>();
  const downloads = manifest.spec.versionsBundles.map(async (vb): Promise<DownloadedEksdRelease> => {
    const url = vb.eksD.manifestUrl;
    const fileName = manifestFileName(url);
    const other = byFileName.get(fileName);
    if (other !== undefined && other !== url) {
      throw new VersionsBundlesError(
        `${bundlesUrl}: two EKS-D releases share the file name ${fileName}: ${other}, ${url}`,
      );
    }
    byFileName.set(fileName, url);
    const text = await downloadText(url, `the EKS-D release of Kubernetes ${vb.kubeVersion}`, fetch);
    const eksd = parseEksdRelease(text, url);
    verifyEksdRelease(manifest, vb.kubeVersion, eksd, url);
    return { kubeVersion: vb.kubeVersion, url, fileName, text, release: eksd };
  });
  const settled = await Promise.allSettled(downloads);
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [errorMessage(s.reason)] : []));
  if (failures.length > 0) {
    throw new VersionsBundlesError(
      `EKS-A ${release.version}: ${failures.length} EKS-D release(s) failed`,
      failures,
    );
  }
  return {
    eksaVersion: release.version,
    releaseManifestUrl,
    release,
    bundles: { url: bundlesUrl, text: bundlesText, manifest },
    eksdReleases: settled.map((s) => (s as PromiseFulfilledResult<DownloadedEksdRelease>).value),
  };
}
