import type { VersionsBundle, VersionsBundleComponent } from './bundles-manifest';
import { VersionsBundlesError } from './errors';
import { parseImageReference } from './image-reference';
import type {
  DockerProviderImages,
  ImageReference,
  ResolvedVersionsBundle,
  VSphereProviderImages,
} from './resolved-versions-bundle';

/**
 * The named component of the resolved versions bundle.
 * @throws VersionsBundlesError naming the bundles file and Kubernetes version when the bundle lacks it.
 */
export function requireComponent<K extends VersionsBundleComponent>(
  resolved: ResolvedVersionsBundle,
  component: K,
): NonNullable<VersionsBundle[K]> {
  const value = resolved.bundle[component];
  if (value === undefined || value === null) {
    throw new VersionsBundlesError(
      `${resolved.sources.bundles}: the versions bundle for Kubernetes ${resolved.kubeVersion} has no "${component}" ` +
        'component; use a Bundles manifest that includes it.',
    );
  }
  return value as NonNullable<VersionsBundle[K]>;
}

/** The image a field of the resolved bundle names, with a clear error when it is missing. */
function requireImage(
  resolved: ResolvedVersionsBundle,
  path: string,
  uri: string | undefined,
): ImageReference {
  if (!uri) {
    throw new VersionsBundlesError(
      `${resolved.sources.bundles}: the versions bundle for Kubernetes ${resolved.kubeVersion} has no ${path}`,
    );
  }
  return parseImageReference(uri);
}

/** EKS-A's own haproxy images live under `public.ecr.aws/<namespace>/kubernetes-sigs/kind/haproxy`. */
const EKSA_HAPROXY_IMAGE = /^(public\.ecr\.aws\/[^/]+\/kubernetes-sigs\/kind)\/haproxy$/;

/** What the Docker provider renders: the kind node image and the DockerCluster load balancer image. */
export function dockerProviderImages(resolved: ResolvedVersionsBundle): DockerProviderImages {
  const kindNode = requireImage(resolved, 'eksD.kindNode.uri', resolved.bundle.eksD.kindNode?.uri);
  const haproxyUri = resolved.bundle.haproxy?.image?.uri;
  if (!haproxyUri) return { kindNode, haproxy: {} };
  const haproxy = parseImageReference(haproxyUri);
  const repository = EKSA_HAPROXY_IMAGE.exec(haproxy.repository)?.[1];
  return { kindNode, haproxy: { ...(repository ? { repository } : {}), tag: haproxy.tag } };
}

/** What the vSphere provider renders: kube-vip, the CPI manager and the Bottlerocket host containers. */
export function vsphereProviderImages(resolved: ResolvedVersionsBundle): VSphereProviderImages {
  const vsphere = requireComponent(resolved, 'vSphere');
  const host = resolved.bundle.bottlerocketHostContainers;
  const optional = (uri: string | undefined) => (uri ? parseImageReference(uri) : undefined);
  return {
    kubeVip: requireImage(resolved, 'vSphere.kubeVip.uri', vsphere.kubeVip?.uri),
    manager: requireImage(resolved, 'vSphere.manager.uri', vsphere.manager?.uri),
    ...(host
      ? {
          bottlerocketHostContainers: {
            admin: optional(host.admin?.uri),
            control: optional(host.control?.uri),
            kubeadmBootstrap: optional(host.kubeadmBootstrap?.uri),
          },
        }
      : {}),
  };
}
