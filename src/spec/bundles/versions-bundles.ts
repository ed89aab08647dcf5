import type { BundlesManifest, VersionsBundle } from './bundles-manifest';
import type { ResolvedVersionsBundle } from './resolved-versions-bundle';

/** A loaded Bundles manifest, ready to resolve the versions bundle of any Kubernetes version it supports. */
export interface VersionsBundles {
  /** Path or URL the Bundles manifest was read from (a cache path for cached releases). */
  readonly source: string;
  /** The EKS-A version, when the bundles came from the EKS-A release manifest (built-in default or cache). */
  readonly eksaVersion?: string;
  readonly manifest: BundlesManifest;
  /** `kubeVersion` of every versions bundle, in file order, e.g. `["1.30", …, "1.36"]`. */
  readonly supportedKubernetesVersions: readonly string[];
  /**
   * The raw versions bundle whose `kubeVersion` equals `kubernetesVersion`.
   * @throws VersionsBundlesError listing the supported versions when there is none.
   */
  versionsBundle(kubernetesVersion: string): VersionsBundle;
  /**
   * The versions bundle plus its EKS-D release and the derived kube-distro images. The EKS-D release is taken from
   * the given files by file name, then from the cache, then downloaded (http/https only, not when offline).
   * @throws VersionsBundlesError when the version is unsupported, the release cannot be found or lacks an asset.
   */
  resolve(kubernetesVersion: string): Promise<ResolvedVersionsBundle>;
}

/** Minimal fetch signature, so tests and callers can inject their own (the global `fetch` fits). */
export type FetchFunction = (url: string, init?: { signal?: AbortSignal }) => Promise<FetchResponse>;

export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  text(): Promise<string>;
}

export interface LoadVersionsBundlesOptions {
  /**
   * Bundles manifest: a file path (relative to `cwd`) or an http(s) URL.
   * @default the Bundles of `eksaVersion`, from the cache or the EKS-A release manifest
   */
  readonly bundles?: string;
  /**
   * EKS-D `Release` files; each versions bundle picks the one named like the last path segment of its
   * `eksD.manifestUrl`.
   * @default []
   */
  readonly eksdReleases?: readonly string[];
  /**
   * EKS-A version whose bundles are used when `bundles` is not given.
   * @default DEFAULT_EKSA_VERSION
   */
  readonly eksaVersion?: string;
  /**
   * Cache directory for downloaded releases.
   * @default `$EKSA_IAC_CACHE_DIR`, else `$XDG_CACHE_HOME/eksa-iac`, else `~/.cache/eksa-iac`
   */
  readonly cacheDir?: string;
  /**
   * Never download; use only given files and the cache.
   * @default false (true when `EKSA_IAC_OFFLINE` is `1` or `true`)
   */
  readonly offline?: boolean;
  /**
   * URL of the EKS-A release manifest.
   * @default EKSA_RELEASE_MANIFEST_URL
   */
  readonly releaseManifestUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: FetchFunction;
  /** Base for relative paths. @default process.cwd() */
  readonly cwd?: string;
  /** Environment read for the cache directory and offline switch. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
