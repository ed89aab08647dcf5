/**
 * The EKS-A release whose bundles are used when no `--bundles` file is given. Change it with
 * `npx projen bundles:pin [VERSION]` (needs internet): it downloads the release, verifies its Bundles and every EKS-D
 * release it points at, then rewrites the two lines below.
 */
// Pinned: v0.26.1, the newest EKS-A release when this was written (adds Kubernetes 1.36).
export const DEFAULT_EKSA_VERSION = 'v0.26.1';

/** The public EKS-A release manifest: every EKS-A release with the URL of its Bundles manifest. */
export const EKSA_RELEASE_MANIFEST_URL =
  'https://anywhere-assets.eks.amazonaws.com/releases/eks-a/manifest.yaml';
