/**
 * The EKS Distro `Release` manifest (`distro.eks.amazonaws.com/v1alpha1`, kind `Release`): every component of one
 * EKS-D release with its git tag and its published assets (container images and archives).
 */

export const EKSD_RELEASE_API_VERSION = 'distro.eks.amazonaws.com/v1alpha1';
export const EKSD_RELEASE_KIND = 'Release';

/** A container image asset. */
export interface EksdAssetImage {
  readonly uri: string;
  readonly imageDigest?: string;
}

/** A downloadable archive asset. */
export interface EksdAssetArchive {
  readonly uri: string;
  readonly sha256?: string;
  readonly sha512?: string;
}

/** One published artifact of a component; `type` says which of `image` / `archive` is set. */
export interface EksdAsset {
  /** Unique within the release, e.g. `kube-apiserver-image`, `etcd-linux-amd64-v3.5.12.tar.gz`. */
  readonly name: string;
  readonly type?: 'Image' | 'Archive' | string;
  readonly description?: string;
  readonly os?: string;
  readonly arch?: readonly string[];
  readonly image?: EksdAssetImage;
  readonly archive?: EksdAssetArchive;
}

export interface EksdComponent {
  /** Component name, e.g. `kubernetes`, `etcd`, `coredns`, `aws-iam-authenticator`. */
  readonly name: string;
  readonly gitTag?: string;
  readonly gitCommit?: string;
  readonly assets?: readonly EksdAsset[];
}

export interface EksdReleaseSpec {
  /** Release channel, e.g. `1-30`. */
  readonly channel: string;
  /** Release number within the channel, e.g. `58`. */
  readonly number: number;
  readonly buildRepoCommit?: string;
}

export interface EksdReleaseStatus {
  readonly date?: string;
  readonly components?: readonly EksdComponent[];
}

export interface EksdRelease {
  readonly apiVersion: typeof EKSD_RELEASE_API_VERSION;
  readonly kind: typeof EKSD_RELEASE_KIND;
  readonly metadata: { readonly name: string; readonly [field: string]: unknown };
  readonly spec: EksdReleaseSpec;
  readonly status?: EksdReleaseStatus;
}
