export type {
  ArchArchives,
  AwsBundle,
  BottlerocketBootstrapContainersBundle,
  BottlerocketHostContainersBundle,
  BundleArchive,
  BundleImage,
  BundleManifest,
  BundlesManifest,
  BundlesSpec,
  CapiProviderBundle,
  CertManagerBundle,
  CiliumBundle,
  CloudStackBundle,
  DockerBundle,
  EksaBundle,
  EksdBundle,
  FluxBundle,
  HaproxyBundle,
  KindnetdBundle,
  NutanixBundle,
  OsArchives,
  PackageControllerBundle,
  SnowBundle,
  TinkBundle,
  TinkerbellActions,
  TinkerbellBundle,
  TinkerbellHook,
  TinkerbellStackBundle,
  UpgraderBundle,
  VersionsBundle,
  VersionsBundleComponent,
  VSphereBundle,
} from './bundles-manifest';
export { BUNDLES_API_VERSION, BUNDLES_KIND } from './bundles-manifest';
export type {
  EksdAsset,
  EksdAssetArchive,
  EksdAssetImage,
  EksdComponent,
  EksdRelease,
  EksdReleaseSpec,
  EksdReleaseStatus,
} from './eksd-release';
export { EKSD_RELEASE_API_VERSION, EKSD_RELEASE_KIND } from './eksd-release';
export type {
  EksaRelease,
  EksaReleaseArchive,
  EksaReleaseArchives,
  EksaReleaseManifest,
  EksaReleaseManifestSpec,
} from './eksa-release-manifest';
export { EKSA_RELEASE_API_VERSION, EKSA_RELEASE_KIND } from './eksa-release-manifest';
export type {
  DockerProviderImages,
  ImageReference,
  KubeDistro,
  ResolvedBundleSources,
  ResolvedVersionsBundle,
  VersionedRepository,
  VSphereProviderImages,
} from './resolved-versions-bundle';
export type {
  FetchFunction,
  FetchResponse,
  LoadVersionsBundlesOptions,
  VersionsBundles,
} from './versions-bundles';
export { VersionsBundlesError } from './errors';
export { DEFAULT_EKSA_VERSION, EKSA_RELEASE_MANIFEST_URL } from './default-release';
export { loadVersionsBundles, OFFLINE_ENV } from './load-versions-bundles';
export { fetchEksaRelease, RELEASE_MANIFEST_URL_ENV } from './fetch-release';
export type { FetchEksaReleaseOptions } from './fetch-release';
export { BundlesCache, CACHE_DIR_ENV, defaultCacheDir } from './cache';
export type { CachedFile, CachedRelease, CacheIndex, ReleaseFiles } from './cache';
export { deriveKubeDistro, EKSD_ETCD_COMPONENT, EKSD_IMAGE_ASSETS } from './kube-distro';
export { dockerProviderImages, requireComponent, vsphereProviderImages } from './provider-images';
export { parseImageReference, versionedRepository } from './image-reference';
export { parseBundlesManifest, parseEksaReleaseManifest, parseEksdRelease, parseYamlDocument } from './parse';
export { downloadEksaRelease } from './release-download';
export type { DownloadedEksdRelease, DownloadedRelease, DownloadReleaseOptions } from './release-download';
export { manifestFileName } from './sources';
