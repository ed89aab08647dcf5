import { BundlesCache, defaultCacheDir, type CacheIndex } from './cache';
import { DEFAULT_EKSA_VERSION, EKSA_RELEASE_MANIFEST_URL } from './default-release';
import { downloadEksaRelease } from './release-download';
import { resolveFetch } from './sources';
import type { FetchFunction } from './versions-bundles';

/** Environment variable that overrides the EKS-A release manifest URL (mirrors, tests). */
export const RELEASE_MANIFEST_URL_ENV = 'EKSA_IAC_RELEASE_MANIFEST_URL';

export interface FetchEksaReleaseOptions {
  /** @default DEFAULT_EKSA_VERSION */
  readonly eksaVersion?: string;
  /** @default defaultCacheDir(env, cwd) */
  readonly cacheDir?: string;
  /** @default `$EKSA_IAC_RELEASE_MANIFEST_URL`, else EKSA_RELEASE_MANIFEST_URL */
  readonly releaseManifestUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: FetchFunction;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default process.cwd() */
  readonly cwd?: string;
}

export function releaseManifestUrlOf(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return explicit ?? env[RELEASE_MANIFEST_URL_ENV] ?? EKSA_RELEASE_MANIFEST_URL;
}

/**
 * Downloads an EKS-A release (release manifest → Bundles → every EKS-D release), verifies it and stores it in the
 * cache, replacing an older copy of the same version. Nothing is written unless everything verified.
 */
export async function fetchEksaRelease(
  options: FetchEksaReleaseOptions = {},
): Promise<{ readonly index: CacheIndex; readonly dir: string }> {
  const env = options.env ?? process.env;
  const cache = new BundlesCache(options.cacheDir ?? defaultCacheDir(env, options.cwd));
  const eksaVersion = options.eksaVersion ?? DEFAULT_EKSA_VERSION;
  cache.releaseDir(eksaVersion); // rejects a malformed version before any download
  const downloaded = await downloadEksaRelease({
    eksaVersion,
    releaseManifestUrl: releaseManifestUrlOf(options.releaseManifestUrl, env),
    fetch: resolveFetch(options.fetch),
  });
  const index = cache.store({
    eksaVersion: downloaded.eksaVersion,
    releaseNumber: downloaded.release.number,
    releaseManifestUrl: downloaded.releaseManifestUrl,
    bundles: downloaded.bundles,
    eksdReleases: downloaded.eksdReleases,
  });
  return { index, dir: cache.releaseDir(downloaded.eksaVersion) };
}
