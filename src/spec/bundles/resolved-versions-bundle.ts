import type { VersionsBundle } from './bundles-manifest';
import type { EksdRelease } from './eksd-release';

/**
 * An image split the way kubeadm configures images: `imageRepository` is the registry path *above* the image name,
 * so kubeadm appends `kube-apiserver`, `coredns`, `etcd` itself.
 */
export interface VersionedRepository {
  /** e.g. `public.ecr.aws/eks-distro/kubernetes` for `…/kubernetes/kube-apiserver:v1.30.14-eks-1-30-58`. */
  readonly repository: string;
  /** e.g. `v1.30.14-eks-1-30-58`. */
  readonly tag: string;
}

/** A container image reference and its parts. */
export interface ImageReference {
  /** The reference exactly as published, e.g. `public.ecr.aws/eks-distro/kubernetes/pause:v1.30.14-eks-1-30-58`. */
  readonly uri: string;
  /** The image without tag or digest, e.g. `public.ecr.aws/eks-distro/kubernetes/pause`. */
  readonly repository: string;
  /** The tag; empty when the reference has none. */
  readonly tag: string;
  /** `sha256:…` when the reference or the release records one. */
  readonly digest?: string;
}

/**
 * The Kubernetes distribution images and versions derived from a versions bundle's EKS-D release, as EKS-A derives
 * them (see `deriveKubeDistro`).
 */
export interface KubeDistro {
  /** `metadata.name` of the EKS-D release, e.g. `kubernetes-1-30-eks-58`. */
  readonly eksdReleaseName: string;
  readonly eksdChannel: string;
  readonly eksdNumber: number;
  /** `eksD.manifestUrl` of the versions bundle. */
  readonly eksdManifestUrl: string;
  /** From `kube-apiserver-image`; `tag` is the `kubernetesVersion` of kubeadm and the KubeadmControlPlane. */
  readonly kubernetes: VersionedRepository;
  /** From `coredns-image`. */
  readonly coreDns: VersionedRepository;
  /** From `etcd-image` (kubeadm `etcd.local.imageRepository` / `imageTag`). */
  readonly etcd: VersionedRepository;
  readonly etcdImage: ImageReference;
  /** The `etcd` component's `gitTag` without the leading `v`, e.g. `3.5.12` (etcdadm `etcdVersion`). */
  readonly etcdVersion: string;
  /** The `etcd` component's amd64 archive URL (etcdadm `etcdReleaseURL`). */
  readonly etcdUrl: string;
  readonly pause: ImageReference;
  readonly kubeProxy: ImageReference;
  readonly awsIamAuthenticator: ImageReference;
}

/** Where the parts of a resolved bundle came from, for messages and provenance. */
export interface ResolvedBundleSources {
  /** Path or URL of the Bundles manifest. */
  readonly bundles: string;
  /** Path or URL of the EKS-D release file. */
  readonly eksdRelease: string;
  /** EKS-A version, when the bundles came from the release manifest (default or cached). */
  readonly eksaVersion?: string;
}

/** Everything synthesis needs for one Kubernetes version. */
export interface ResolvedVersionsBundle {
  /** The Kubernetes minor version this bundle serves, e.g. `"1.30"`. */
  readonly kubeVersion: string;
  /** The raw versions bundle. */
  readonly bundle: VersionsBundle;
  /** The raw EKS-D release it points at. */
  readonly eksdRelease: EksdRelease;
  readonly kubeDistro: KubeDistro;
  readonly sources: ResolvedBundleSources;
}

/** What the Docker provider (CAPD) renders from a versions bundle. */
export interface DockerProviderImages {
  /** `eksD.kindNode.uri`: DockerMachineTemplate `customImage` and the kind bootstrap node image. */
  readonly kindNode: ImageReference;
  /**
   * DockerCluster `loadBalancer.imageRepository` / `imageTag` from `haproxy.image.uri`. `repository` is set only when
   * the image is `public.ecr.aws/<ns>/kubernetes-sigs/kind/haproxy` (it is then the part before `/haproxy`); both are
   * undefined when the bundle has no haproxy image. Undefined renders as YAML null.
   */
  readonly haproxy: { readonly repository?: string; readonly tag?: string };
}

/** What the vSphere provider renders from a versions bundle. */
export interface VSphereProviderImages {
  /** `vSphere.kubeVip.uri`: kube-vip static pod image. */
  readonly kubeVip: ImageReference;
  /** `vSphere.manager.uri`: cloud-provider-vsphere image in the CPI manifests. */
  readonly manager: ImageReference;
  /** Bottlerocket host container images (admin, control, kubeadm bootstrap); undefined when the bundle has none. */
  readonly bottlerocketHostContainers?: {
    readonly admin?: ImageReference;
    readonly control?: ImageReference;
    readonly kubeadmBootstrap?: ImageReference;
  };
}
