import * as path from 'node:path';
import type { BundlesManifest, VersionsBundle } from './bundles-manifest';
import { BundlesCache, CACHE_DIR_ENV, defaultCacheDir } from './cache';
import { DEFAULT_EKSA_VERSION } from './default-release';
import type { EksdRelease } from './eksd-release';
import { VersionsBundlesError } from './errors';
import { fetchEksaRelease, releaseManifestUrlOf } from './fetch-release';
import { deriveKubeDistro } from './kube-distro';
import { parseBundlesManifest, parseEksdRelease } from './parse';
import type { ResolvedVersionsBundle } from './resolved-versions-bundle';
import { errorMessage, isHttpUrl, manifestFileName, readSource, resolveFetch, urlScheme } from './sources';
import type { FetchFunction, LoadVersionsBundlesOptions, VersionsBundles } from './versions-bundles';

/** Environment switch for `offline` (`1` or `true`). */
export const OFFLINE_ENV = 'EKSA_IAC_OFFLINE';

interface KnownRelease {
  readonly source: string;
  /** Parses on first use: cached releases are only read when their version is resolved. */
  release(): EksdRelease;
}

function parsedRelease(source: string, text: string): KnownRelease {
  let release: EksdRelease | undefined;
  return { source, release: () => (release ??= parseEksdRelease(text, source)) };
}

/**
 * Loads a Bundles manifest and the EKS-D releases it points at, ready to resolve any supported Kubernetes version.
 *
 * With `bundles`, that file or URL is used and each versions bundle's EKS-D release is looked up by file name among
 * `eksdReleases`, then downloaded from its `eksD.manifestUrl` (http/https only) when it is resolved. Without
 * `bundles`, the release `eksaVersion` (default `DEFAULT_EKSA_VERSION`) is taken from the cache, or downloaded from
 * the EKS-A release manifest, verified and cached. Offline with an empty cache this fails before anything is
 * written, naming what was tried and how to proceed.
 */
export async function loadVersionsBundles(
  options: LoadVersionsBundlesOptions = {},
): Promise<VersionsBundles> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const offline = options.offline ?? /^(1|true)$/i.test(env[OFFLINE_ENV] ?? '');
  const fetch = lazyFetch(options.fetch);

  const given = new Map<string, KnownRelease>();
  const problems: string[] = [];
  for (const file of options.eksdReleases ?? []) {
    try {
      const text = await readSource(file, 'EKS-D release', { cwd, fetch, offline });
      const release = parseEksdRelease(text, file);
      const name = manifestFileName(file);
      const other = given.get(name);
      if (other) problems.push(`${file} and ${other.source} have the same file name ${name}; give only one`);
      else given.set(name, { source: file, release: () => release });
    } catch (error) {
      problems.push(errorMessage(error));
    }
  }
  if (problems.length > 0) throw new VersionsBundlesError('cannot use the given EKS-D releases', problems);

  if (options.bundles !== undefined) {
    const text = await readSource(options.bundles, 'Bundles manifest', { cwd, fetch, offline });
    const manifest = parseBundlesManifest(text, options.bundles);
    return new LoadedVersionsBundles(options.bundles, manifest, undefined, given, new Map(), {
      fetch,
      offline,
    });
  }

  const eksaVersion = options.eksaVersion ?? DEFAULT_EKSA_VERSION;
  const cacheDir = path.resolve(cwd, options.cacheDir ?? defaultCacheDir(env, cwd));
  const cache = new BundlesCache(cacheDir);
  let cached = cache.load(eksaVersion);
  if (!cached) {
    const releaseManifestUrl = releaseManifestUrlOf(options.releaseManifestUrl, env);
    if (offline) throw noBundlesError(eksaVersion, cache, releaseManifestUrl, 'skipped (offline)');
    try {
      await fetchEksaRelease({ eksaVersion, cacheDir, releaseManifestUrl, fetch, env, cwd });
    } catch (error) {
      throw noBundlesError(eksaVersion, cache, releaseManifestUrl, errorMessage(error));
    }
    cached = cache.load(eksaVersion)!;
  }
  const fromCache = new Map<string, KnownRelease>();
  for (const [name, entry] of cached.eksdReleases) fromCache.set(name, parsedRelease(entry.path, entry.text));
  return new LoadedVersionsBundles(
    cached.bundlesPath,
    cached.bundles,
    cached.index.eksaVersion,
    given,
    fromCache,
    {
      fetch,
      offline,
    },
  );
}

/** The error for "no bundles to work with": what was tried, and the two ways forward. */
function noBundlesError(
  eksaVersion: string,
  cache: BundlesCache,
  releaseManifestUrl: string,
  downloadOutcome: string,
): VersionsBundlesError {
  return new VersionsBundlesError(
    `no versions bundles for EKS-A ${eksaVersion}: they are not cached and could not be downloaded.`,
    [
      `tried the cache: ${cache.indexPath(eksaVersion)} does not exist (cache folder from --cache-dir, ` +
        `$${CACHE_DIR_ENV}, $XDG_CACHE_HOME/eksa-iac or ~/.cache/eksa-iac)`,
      `tried to download the EKS-A release manifest ${releaseManifestUrl}: ${downloadOutcome.replace(/\n\s*/g, ' ')}`,
      'to proceed, pass the bundles as files: --bundles FILE --eksd-release FILE [--eksd-release FILE …] ' +
        '(the EKS-D release of each Kubernetes version you use)',
      `or, on a connected machine, run \`eksa-iac bundles fetch --eksa-version ${eksaVersion}\` and ` +
        '`eksa-iac bundles export DIR`, carry DIR here and run `eksa-iac bundles import DIR` ' +
        `(or use the same cache folder: --cache-dir or $${CACHE_DIR_ENV})`,
    ],
  );
}

/** Resolves the fetch implementation only when a download actually happens. */
function lazyFetch(fetch: FetchFunction | undefined): FetchFunction {
  return (url, init) => resolveFetch(fetch)(url, init);
}

class LoadedVersionsBundles implements VersionsBundles {
  public readonly supportedKubernetesVersions: readonly string[];
  private readonly resolved = new Map<string, Promise<ResolvedVersionsBundle>>();

  constructor(
    public readonly source: string,
    public readonly manifest: BundlesManifest,
    public readonly eksaVersion: string | undefined,
    private readonly given: ReadonlyMap<string, KnownRelease>,
    private readonly cached: ReadonlyMap<string, KnownRelease>,
    private readonly download: { readonly fetch: FetchFunction; readonly offline: boolean },
  ) {
    this.supportedKubernetesVersions = manifest.spec.versionsBundles.map((vb) => vb.kubeVersion);
  }

  public versionsBundle(kubernetesVersion: string): VersionsBundle {
    const bundle = this.manifest.spec.versionsBundles.find(
      (vb) => vb.kubeVersion === String(kubernetesVersion),
    );
    if (!bundle) {
      throw new VersionsBundlesError(
        `${this.source}: Kubernetes ${kubernetesVersion} is not supported by this Bundles manifest; ` +
          `supported versions: ${this.supportedKubernetesVersions.join(', ')}`,
      );
    }
    return bundle;
  }

  public resolve(kubernetesVersion: string): Promise<ResolvedVersionsBundle> {
    let result = this.resolved.get(kubernetesVersion);
    if (!result) {
      result = this.resolveNow(kubernetesVersion);
      this.resolved.set(kubernetesVersion, result);
      result.catch(() => this.resolved.delete(kubernetesVersion));
    }
    return result;
  }

  private async resolveNow(kubernetesVersion: string): Promise<ResolvedVersionsBundle> {
    const bundle = this.versionsBundle(kubernetesVersion);
    const known = await this.eksdReleaseOf(bundle);
    const { source } = known;
    const release = known.release();
    return {
      kubeVersion: bundle.kubeVersion,
      bundle,
      eksdRelease: release,
      kubeDistro: deriveKubeDistro(bundle, release, source),
      sources: {
        bundles: this.source,
        eksdRelease: source,
        ...(this.eksaVersion ? { eksaVersion: this.eksaVersion } : {}),
      },
    };
  }

  /** Given files by name first, then the cache, then a download of `eksD.manifestUrl`. */
  private async eksdReleaseOf(bundle: VersionsBundle): Promise<KnownRelease> {
    const url = bundle.eksD.manifestUrl;
    const name = manifestFileName(url);
    const known = this.given.get(name) ?? this.cached.get(name);
    if (known) return known;

    const givenNames = [...this.given.keys()];
    const notGiven =
      `${this.source}: Kubernetes ${bundle.kubeVersion} needs the EKS-D release ${name} ` +
      `(eksD.manifestUrl ${url}), which is not among the given --eksd-release files` +
      `${givenNames.length > 0 ? ` (${givenNames.join(', ')})` : ''}`;
    const howTo = `Pass it with --eksd-release PATH/${name} (the file name must match).`;
    if (!isHttpUrl(url)) {
      throw new VersionsBundlesError(
        `${notGiven}, and "${urlScheme(url) ?? 'a relative'}" URLs cannot be downloaded. ${howTo}`,
      );
    }
    if (this.download.offline) {
      throw new VersionsBundlesError(`${notGiven}, and downloads are off (offline). ${howTo}`);
    }
    const text = await readSource(url, `the EKS-D release of Kubernetes ${bundle.kubeVersion}`, {
      cwd: process.cwd(),
      ...this.download,
    }).catch((error: unknown) => {
      throw new VersionsBundlesError(`${notGiven}, and ${errorMessage(error)}. ${howTo}`);
    });
    return parsedRelease(url, text);
  }
}
