/**
 * The EKS Anywhere release manifest (`anywhere.eks.amazonaws.com/v1alpha1`, kind `Release`): the list of every EKS-A
 * release with the URL of its `Bundles` manifest. The public one lives at `EKSA_RELEASE_MANIFEST_URL`.
 */

export const EKSA_RELEASE_API_VERSION = 'anywhere.eks.amazonaws.com/v1alpha1';
export const EKSA_RELEASE_KIND = 'Release';

/** A published binary (the eksctl-anywhere plugin or the eksctl binary it ships with). */
export interface EksaReleaseArchive {
  readonly name?: string;
  readonly description?: string;
  readonly os?: string;
  readonly osName?: string;
  readonly arch?: readonly string[];
  readonly sha256?: string;
  readonly sha512?: string;
  readonly uri?: string;
}

export interface EksaReleaseArchives {
  readonly amd64: EksaReleaseArchive;
  readonly arm64: EksaReleaseArchive;
}

/** One EKS-A release. */
export interface EksaRelease {
  /** Release version, e.g. `v0.26.1`. */
  readonly version: string;
  /** Release number; equals `spec.number` of its `Bundles` manifest. */
  readonly number: number;
  readonly date?: string;
  readonly gitCommit?: string;
  readonly gitTag?: string;
  /** URL of this release's `Bundles` manifest. */
  readonly bundleManifestUrl: string;
  readonly eksABinary?: { readonly darwin?: EksaReleaseArchive; readonly linux?: EksaReleaseArchive };
  readonly eksACLI?: { readonly darwin?: EksaReleaseArchives; readonly linux?: EksaReleaseArchives };
}

export interface EksaReleaseManifestSpec {
  readonly latestVersion: string;
  readonly releases: readonly EksaRelease[];
}

export interface EksaReleaseManifest {
  readonly apiVersion: typeof EKSA_RELEASE_API_VERSION;
  readonly kind: typeof EKSA_RELEASE_KIND;
  readonly metadata?: { readonly name?: string; readonly [field: string]: unknown };
  readonly spec: EksaReleaseManifestSpec;
}
