import type { VersionsBundle } from './bundles-manifest';
import type { EksdAsset, EksdRelease } from './eksd-release';
import { VersionsBundlesError } from './errors';
import { parseImageReference, versionedRepository } from './image-reference';
import type { ImageReference, KubeDistro } from './resolved-versions-bundle';

/** Image assets of an EKS-D release that EKS-A requires, by asset name. */
export const EKSD_IMAGE_ASSETS = {
  kubeApiServer: 'kube-apiserver-image',
  coreDns: 'coredns-image',
  etcd: 'etcd-image',
  pause: 'pause-image',
  awsIamAuthenticator: 'aws-iam-authenticator-image',
  kubeProxy: 'kube-proxy-image',
} as const;

/** The EKS-D component whose git tag and amd64 archive give the etcd version and download URL. */
export const EKSD_ETCD_COMPONENT = 'etcd';

/**
 * Derives the kube-distro images and versions of a versions bundle from its EKS-D release, the way EKS-A does:
 * image assets are indexed by name across all components; Kubernetes, CoreDNS and etcd are split kubeadm-style
 * (repository above the image name, tag); pause, kube-proxy and aws-iam-authenticator are kept whole; the etcd
 * version is the `etcd` component's gitTag without `v` and its URL the archive whose first arch is `amd64`.
 * All missing pieces are reported at once, naming the release file.
 */
export function deriveKubeDistro(
  bundle: VersionsBundle,
  release: EksdRelease,
  releaseSource: string,
): KubeDistro {
  const images = new Map<string, EksdAsset>();
  for (const component of release.status?.components ?? []) {
    for (const asset of component.assets ?? []) {
      if (asset.image?.uri) images.set(asset.name, asset);
    }
  }
  const problems: string[] = [];
  const image = (assetName: string): ImageReference | undefined => {
    const asset = images.get(assetName);
    if (!asset?.image) {
      problems.push(`image asset "${assetName}" is missing (status.components[].assets[].name)`);
      return undefined;
    }
    return parseImageReference(asset.image.uri, asset.image.imageDigest);
  };

  const kubeApiServer = image(EKSD_IMAGE_ASSETS.kubeApiServer);
  const coreDns = image(EKSD_IMAGE_ASSETS.coreDns);
  const etcdImage = image(EKSD_IMAGE_ASSETS.etcd);
  const pause = image(EKSD_IMAGE_ASSETS.pause);
  const awsIamAuthenticator = image(EKSD_IMAGE_ASSETS.awsIamAuthenticator);
  const kubeProxy = image(EKSD_IMAGE_ASSETS.kubeProxy);

  const etcd = release.status?.components?.find((c) => c.name === EKSD_ETCD_COMPONENT);
  let etcdVersion: string | undefined;
  let etcdUrl: string | undefined;
  if (!etcd) {
    problems.push(`component "${EKSD_ETCD_COMPONENT}" is missing (status.components[].name)`);
  } else {
    if (!etcd.gitTag) problems.push(`component "${EKSD_ETCD_COMPONENT}" has no gitTag`);
    else etcdVersion = etcd.gitTag.replace(/^v/, '');
    etcdUrl = etcd.assets?.find((a) => a.archive?.uri && a.arch?.[0] === 'amd64')?.archive?.uri;
    if (!etcdUrl) {
      problems.push(`component "${EKSD_ETCD_COMPONENT}" has no archive asset whose first arch is amd64`);
    }
  }

  if (problems.length > 0) {
    throw new VersionsBundlesError(
      `${releaseSource}: EKS-D release "${release.metadata.name}" (for Kubernetes ${bundle.kubeVersion}) cannot be used`,
      problems,
    );
  }
  return {
    eksdReleaseName: release.metadata.name,
    eksdChannel: String(release.spec.channel),
    eksdNumber: release.spec.number,
    eksdManifestUrl: bundle.eksD.manifestUrl,
    kubernetes: versionedRepository(kubeApiServer!.uri),
    coreDns: versionedRepository(coreDns!.uri),
    etcd: versionedRepository(etcdImage!.uri),
    etcdImage: etcdImage!,
    etcdVersion: etcdVersion!,
    etcdUrl: etcdUrl!,
    pause: pause!,
    kubeProxy: kubeProxy!,
    awsIamAuthenticator: awsIamAuthenticator!,
  };
}
