/**
 * The EKS Anywhere `Bundles` manifest (`anywhere.eks.amazonaws.com/v1alpha1`, kind `Bundles`): one versions bundle per
 * supported Kubernetes minor, each naming the EKS-D release and every component image and manifest EKS-A installs.
 *
 * Field names and nesting follow the Bundles CRD. Inside a component, fields are required where the CRD requires them.
 * The components of a versions bundle are all optional here although the CRD requires most of them: real test
 * bundles carry only what one provider reads (the oracle's `go-test-bundles.yaml` has only `eksD`, `docker` and
 * `haproxy`), so a consumer checks for the component it needs (see `requireComponent`). Fields this type does not
 * name (older or newer releases) are kept in the parsed object untouched.
 */

/** A container image (or OCI artifact such as a Helm chart) published with a release. */
export interface BundleImage {
  readonly name?: string;
  readonly description?: string;
  readonly os?: string;
  readonly osName?: string;
  readonly arch?: readonly string[];
  /** `sha256:…` digest of the image, when the release recorded one. */
  readonly imageDigest?: string;
  /** Full image reference, `registry/path/name:tag`. */
  readonly uri: string;
}

/** A manifest file (components YAML, metadata.yaml, cluster template) published with a release. */
export interface BundleManifest {
  readonly uri: string;
}

/** A downloadable file (tarball, OVA, AMI, ISO) with its checksums. */
export interface BundleArchive {
  readonly name?: string;
  readonly description?: string;
  readonly os?: string;
  readonly osName?: string;
  readonly arch?: readonly string[];
  readonly sha256?: string;
  readonly sha512?: string;
  readonly uri?: string;
}

/** Archives keyed by the OS they are built for. */
export interface OsArchives {
  readonly bottlerocket?: BundleArchive;
}

/** Archives for the two CPU families used by Tinkerbell's HookOS. */
export interface ArchArchives {
  readonly amd: BundleArchive;
  readonly arm: BundleArchive;
}

/**
 * A Cluster API provider as clusterctl installs it: the controller image, the kube-rbac-proxy image, the components
 * manifest and the metadata.yaml. Shape of `clusterAPI`, `bootstrap`, `controlPlane`, `etcdadmBootstrap` and
 * `etcdadmController`.
 */
export interface CapiProviderBundle {
  /** Provider version, e.g. `v1.13.2+abcdef1` (the part before `+` is the clusterctl version). */
  readonly version: string;
  readonly controller: BundleImage;
  readonly kubeProxy: BundleImage;
  readonly components: BundleManifest;
  readonly metadata: BundleManifest;
}

/** Cluster API provider for Docker (CAPD). */
export interface DockerBundle {
  readonly version: string;
  readonly manager: BundleImage;
  readonly kubeProxy: BundleImage;
  readonly components: BundleManifest;
  readonly clusterTemplate: BundleManifest;
  readonly metadata: BundleManifest;
}

/** Cluster API provider for vSphere (CAPV) plus the images EKS-A puts into vSphere clusters. */
export interface VSphereBundle {
  readonly version: string;
  readonly clusterAPIController: BundleImage;
  readonly kubeProxy: BundleImage;
  /** kube-vip, run as a static pod on control plane nodes for the API endpoint. */
  readonly kubeVip: BundleImage;
  /** cloud-provider-vsphere (CPI) manager image. */
  readonly manager: BundleImage;
  readonly components: BundleManifest;
  readonly clusterTemplate: BundleManifest;
  readonly metadata: BundleManifest;
  /** vSphere CSI images; only in old bundles. */
  readonly driver?: BundleImage;
  readonly syncer?: BundleImage;
}

/** Host containers EKS-A configures on Bottlerocket nodes. */
export interface BottlerocketHostContainersBundle {
  readonly admin: BundleImage;
  readonly control: BundleImage;
  readonly kubeadmBootstrap: BundleImage;
}

export interface BottlerocketBootstrapContainersBundle {
  readonly multiNetworkBootstrap?: BundleImage;
}

export interface CertManagerBundle {
  readonly version?: string;
  readonly acmesolver: BundleImage;
  readonly cainjector: BundleImage;
  readonly controller: BundleImage;
  readonly ctl?: BundleImage;
  readonly startupapicheck: BundleImage;
  readonly webhook: BundleImage;
  readonly manifest: BundleManifest;
}

export interface CiliumBundle {
  readonly version?: string;
  readonly cilium: BundleImage;
  readonly operator: BundleImage;
  /** The Cilium Helm chart (an OCI artifact; `uri` has no `v` before the chart version). */
  readonly helmChart?: BundleImage;
  /** Rendered manifest; only in old bundles (and `{}` in some of them). */
  readonly manifest?: BundleManifest;
}

export interface FluxBundle {
  readonly version?: string;
  readonly sourceController: BundleImage;
  readonly kustomizeController: BundleImage;
  readonly helmController: BundleImage;
  readonly notificationController: BundleImage;
}

/** The EKS-A controller and tools of this release. */
export interface EksaBundle {
  readonly version?: string;
  /** The eks-anywhere-cli-tools image (kind, clusterctl, kubectl, flux, helm …). */
  readonly cliTools: BundleImage;
  readonly clusterController: BundleImage;
  readonly diagnosticCollector: BundleImage;
  /** eksa-components.yaml: CRDs, RBAC, webhooks and the eksa-controller-manager Deployment. */
  readonly components: BundleManifest;
}

/** EKS-A's image of the haproxy load balancer kind/CAPD runs in front of the control plane. */
export interface HaproxyBundle {
  readonly image: BundleImage;
}

export interface KindnetdBundle {
  readonly version?: string;
  readonly manifest: BundleManifest;
}

/** The curated packages controller (eks-anywhere-packages). */
export interface PackageControllerBundle {
  readonly version?: string;
  readonly packageController: BundleImage;
  readonly tokenRefresher: BundleImage;
  readonly credentialProviderPackage?: BundleImage;
  /** The eks-anywhere-packages Helm chart (OCI artifact). */
  readonly helmChart?: BundleImage;
}

export interface UpgraderBundle {
  readonly upgrader: BundleImage;
}

/** The EKS Distro release a versions bundle builds on, and the node images built from it. */
export interface EksdBundle {
  /** EKS-D release name, e.g. `kubernetes-1-30-eks-58` (equals the release's `metadata.name` in current bundles). */
  readonly name?: string;
  /** EKS-D release channel, e.g. `1-30`. */
  readonly channel?: string;
  /** Kubernetes patch version of the release, e.g. `v1.30.14`. */
  readonly kubeVersion?: string;
  /** Where the EKS-D `Release` manifest lives; resolved by file name first, then by download. */
  readonly manifestUrl: string;
  /** URL of the EKS-D `Release` CRD manifest. */
  readonly components?: string;
  readonly gitCommit?: string;
  /** The kind node image (`kindest/node` built from EKS-D) used by kind and by CAPD machines. */
  readonly kindNode?: BundleImage;
  readonly ova?: OsArchives;
  readonly ami?: OsArchives;
  readonly raw?: OsArchives;
  readonly containerd?: BundleArchive;
  readonly crictl?: BundleArchive;
  readonly etcdadm?: BundleArchive;
  readonly imagebuilder?: BundleArchive;
}

/** Other infrastructure providers: typed to the level EKS-A's CRD defines, for completeness of the raw bundle. */
export interface CloudStackBundle {
  readonly version: string;
  readonly clusterAPIController: BundleImage;
  readonly kubeRbacProxy: BundleImage;
  readonly kubeVip: BundleImage;
  readonly components: BundleManifest;
  readonly metadata: BundleManifest;
}

export interface NutanixBundle {
  readonly version: string;
  readonly clusterAPIController: BundleImage;
  readonly cloudProvider?: BundleImage;
  readonly kubeVip: BundleImage;
  readonly components: BundleManifest;
  readonly clusterTemplate: BundleManifest;
  readonly metadata: BundleManifest;
}

export interface SnowBundle {
  readonly version: string;
  readonly manager: BundleImage;
  readonly kubeVip: BundleImage;
  readonly bottlerocketBootstrapSnow: BundleImage;
  readonly components: BundleManifest;
  readonly metadata: BundleManifest;
}

export interface AwsBundle {
  readonly version: string;
  readonly controller: BundleImage;
  readonly kubeProxy: BundleImage;
  readonly components: BundleManifest;
  readonly clusterTemplate: BundleManifest;
  readonly metadata: BundleManifest;
}

export interface TinkerbellActions {
  readonly cexec: BundleImage;
  readonly imageToDisk: BundleImage;
  readonly kexec: BundleImage;
  readonly ociToDisk: BundleImage;
  readonly reboot: BundleImage;
  readonly writeFile: BundleImage;
}

export interface TinkerbellHook {
  readonly bootkit: BundleImage;
  readonly docker: BundleImage;
  readonly kernel: BundleImage;
  readonly initramfs: ArchArchives;
  readonly iso: ArchArchives;
  readonly vmlinuz: ArchArchives;
}

export interface TinkBundle {
  readonly nginx?: BundleImage;
  readonly tinkController?: BundleImage;
  readonly tinkRelay?: BundleImage;
  readonly tinkRelayInit: BundleImage;
  readonly tinkServer?: BundleImage;
  readonly tinkWorker?: BundleImage;
}

export interface TinkerbellStackBundle {
  readonly actions: TinkerbellActions;
  readonly boots: BundleImage;
  readonly hegel?: BundleImage;
  readonly hook: TinkerbellHook;
  readonly rufio?: BundleImage;
  readonly stack: BundleImage;
  readonly tink: TinkBundle;
  readonly tinkerbellChart: BundleImage;
  readonly tinkerbellCrds: BundleImage;
}

export interface TinkerbellBundle {
  readonly version: string;
  readonly clusterAPIController: BundleImage;
  readonly envoy: BundleImage;
  readonly kubeVip: BundleImage;
  readonly components: BundleManifest;
  readonly clusterTemplate: BundleManifest;
  readonly metadata: BundleManifest;
  readonly tinkerbellStack?: TinkerbellStackBundle;
}

/** Everything EKS-A installs for one Kubernetes minor version. */
export interface VersionsBundle {
  /** Kubernetes minor version, e.g. `"1.30"`; a cluster's `kubernetesVersion` selects the bundle by equality. */
  readonly kubeVersion: string;
  /** Last day of standard support (`YYYY-MM-DD`), in current bundles. */
  readonly endOfStandardSupport?: string;
  readonly eksD: EksdBundle;
  readonly eksa?: EksaBundle;
  readonly clusterAPI?: CapiProviderBundle;
  readonly bootstrap?: CapiProviderBundle;
  readonly controlPlane?: CapiProviderBundle;
  readonly etcdadmBootstrap?: CapiProviderBundle;
  readonly etcdadmController?: CapiProviderBundle;
  readonly certManager?: CertManagerBundle;
  readonly cilium?: CiliumBundle;
  readonly kindnetd?: KindnetdBundle;
  readonly flux?: FluxBundle;
  readonly packageController?: PackageControllerBundle;
  readonly haproxy?: HaproxyBundle;
  readonly docker?: DockerBundle;
  readonly vSphere?: VSphereBundle;
  readonly bottlerocketHostContainers?: BottlerocketHostContainersBundle;
  readonly bottlerocketBootstrapContainers?: BottlerocketBootstrapContainersBundle;
  readonly upgrader?: UpgraderBundle;
  readonly cloudStack?: CloudStackBundle;
  readonly nutanix?: NutanixBundle;
  readonly snow?: SnowBundle;
  readonly tinkerbell?: TinkerbellBundle;
  readonly aws?: AwsBundle;
}

/** The component keys of a versions bundle (everything but its scalar fields). */
export type VersionsBundleComponent = Exclude<keyof VersionsBundle, 'kubeVersion' | 'endOfStandardSupport'>;

export interface BundlesSpec {
  /** Bundle number; equals the `number` of the EKS-A release that lists this manifest. */
  readonly number: number;
  /** EKS-A CLI versions this bundle works with (empty in some test data). */
  readonly cliMinVersion?: string;
  readonly cliMaxVersion?: string;
  readonly versionsBundles: readonly VersionsBundle[];
}

export const BUNDLES_API_VERSION = 'anywhere.eks.amazonaws.com/v1alpha1';
export const BUNDLES_KIND = 'Bundles';

/** The whole `Bundles` manifest. */
export interface BundlesManifest {
  readonly apiVersion: typeof BUNDLES_API_VERSION;
  readonly kind: typeof BUNDLES_KIND;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly [field: string]: unknown;
  };
  readonly spec: BundlesSpec;
}
