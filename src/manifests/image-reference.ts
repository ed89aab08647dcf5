/** A container image reference split into repository and tag. */
export interface ImageParts {
  /** Everything before the tag (and digest), e.g. `public.ecr.aws/eks-distro/kubernetes/pause`. */
  readonly repository: string;
  /** The tag; empty when the reference has none. */
  readonly tag: string;
}

/** Splits `registry/path/name:tag@digest` into repository and tag. */
export function splitImage(uri: string): ImageParts {
  const withoutDigest = uri.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon < 0) return { repository: withoutDigest, tag: '' };
  return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}
