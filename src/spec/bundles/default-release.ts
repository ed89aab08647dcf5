/**
 * The EKS-A release whose bundles are used when no `--bundles` file is given: v0.26.1, the newest release at the
 * time of writing (adds Kubernetes 1.36). Change it with `npx projen bundles:pin [VERSION]`, which needs internet
 * access: it downloads the release, verifies that its Bundles and every EKS-D release resolve, then rewrites this
 * line.
 */
export const DEFAULT_EKSA_VERSION = 'v0.26.1';

/** The public EKS-A release manifest: every EKS-A release with the URL of its Bundles manifest. */
export const EKSA_RELEASE_MANIFEST_URL =
  'https://anywhere-assets.eks.amazonaws.com/releases/eks-a/manifest.yaml';
