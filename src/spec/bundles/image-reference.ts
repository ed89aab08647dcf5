import type { ImageReference, VersionedRepository } from './resolved-versions-bundle';

/**
 * Splits `registry[:port]/path/name[:tag][@digest]`. The tag is what follows the last `:` after the last `/`, so a
 * registry port is never mistaken for a tag.
 */
export function parseImageReference(uri: string, digest?: string): ImageReference {
  const at = uri.indexOf('@');
  const withoutDigest = at >= 0 ? uri.slice(0, at) : uri;
  const ownDigest = at >= 0 ? uri.slice(at + 1) : undefined;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  const resolvedDigest = ownDigest ?? digest;
  return {
    uri,
    repository: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : '',
    ...(resolvedDigest ? { digest: resolvedDigest } : {}),
  };
}

/**
 * The kubeadm view of an image: repository = the image path up to its last `/` (the image name is dropped),
 * tag = the tag. `…/eks-distro/kubernetes/kube-apiserver:v1.30.14-eks-1-30-58` gives
 * `{ repository: '…/eks-distro/kubernetes', tag: 'v1.30.14-eks-1-30-58' }`.
 */
export function versionedRepository(uri: string): VersionedRepository {
  const image = parseImageReference(uri);
  const lastSlash = image.repository.lastIndexOf('/');
  return { repository: lastSlash >= 0 ? image.repository.slice(0, lastSlash) : '', tag: image.tag };
}
