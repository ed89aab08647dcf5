import * as path from 'node:path';

/** Shared test data, read by path (never copied into the repository). */
export const SHARED = path.resolve(__dirname, '../../../../shared');
export const CURRENT = path.join(SHARED, 'bundles');
export const DOCKER_ORACLE = path.join(SHARED, 'oracle/eksa-docker');
export const VSPHERE_ORACLE = path.join(SHARED, 'oracle/eksa-vsphere');
export const DOCKER_SUPPORT = path.join(DOCKER_ORACLE, '_support');

export const CURRENT_BUNDLES = path.join(CURRENT, 'main-bundle-release.yaml');

/** The EKS-D files of /work/shared/bundles, as its README lists them. */
export const CURRENT_EKSD_FILES: Record<string, string> = {
  '1.30': 'kubernetes-1-30-eks-58.yaml',
  '1.31': 'kubernetes-1-31-eks-47.yaml',
  '1.32': 'kubernetes-1-32-eks-40.yaml',
  '1.33': 'kubernetes-1-33-eks-30.yaml',
  '1.34': 'kubernetes-1-34-eks-21.yaml',
  '1.35': 'kubernetes-1-35-eks-12.yaml',
  '1.36': 'kubernetes-1-36-eks-6.yaml',
};
