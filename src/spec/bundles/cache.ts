import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { BundlesManifest } from './bundles-manifest';
import { VersionsBundlesError } from './errors';
import { parseBundlesManifest, parseEksdRelease } from './parse';
import { verifyBundlesForRelease, verifyEksdRelease } from './release-download';
import { manifestFileName, readLocalFile } from './sources';

/** Environment variable that overrides the cache directory. */
export const CACHE_DIR_ENV = 'EKSA_IAC_CACHE_DIR';
export const CACHE_INDEX_FILE = 'index.json';
const CACHE_FORMAT = 1;
const BUNDLES_FILE = 'bundles.yaml';
const EKSD_DIR = 'eksd';

/**
 * The cache directory: `$EKSA_IAC_CACHE_DIR`, else `$XDG_CACHE_HOME/eksa-iac`, else `~/.cache/eksa-iac`.
 * Relative values are taken from `cwd`.
 */
export function defaultCacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): string {
  if (env[CACHE_DIR_ENV]) return path.resolve(cwd, env[CACHE_DIR_ENV]!);
  if (env.XDG_CACHE_HOME) return path.resolve(cwd, env.XDG_CACHE_HOME, 'eksa-iac');
  return path.join(env.HOME || homedir(), '.cache', 'eksa-iac');
}

/** One file of a cached release and where it came from. */
export interface CachedFile {
  /** Path inside the release folder (`bundles.yaml`, `eksd/<name>.yaml`). */
  readonly file: string;
  readonly url: string;
  /** sha256 (hex) of the file as downloaded. */
  readonly sha256: string;
}

/** `index.json` of a cached release: written last, so a folder without it is not a complete entry. */
export interface CacheIndex {
  readonly format: typeof CACHE_FORMAT;
  readonly eksaVersion: string;
  readonly releaseNumber: number;
  readonly releaseManifestUrl?: string;
  /** ISO time the files were downloaded. */
  readonly fetchedAt: string;
  readonly bundles: CachedFile;
  readonly eksdReleases: readonly (CachedFile & { readonly kubeVersion: string })[];
}

/** A verified cached release, parsed. */
export interface CachedRelease {
  readonly index: CacheIndex;
  readonly dir: string;
  readonly bundlesPath: string;
  readonly bundles: BundlesManifest;
  /**
   * EKS-D releases by the file name versions bundles match them by; checksums verified, parsed on first use (they
   * were fully verified when fetched or imported).
   */
  readonly eksdReleases: ReadonlyMap<string, { readonly path: string; readonly text: string }>;
}

/** What `store` writes: the content of one release, as downloaded. */
export interface ReleaseFiles {
  readonly eksaVersion: string;
  readonly releaseNumber: number;
  readonly releaseManifestUrl?: string;
  readonly fetchedAt?: string;
  readonly bundles: { readonly url: string; readonly text: string };
  readonly eksdReleases: readonly {
    readonly kubeVersion: string;
    readonly url: string;
    readonly text: string;
  }[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Release versions become folder names, so only version-shaped strings are accepted. */
export function checkVersionName(version: string): string {
  if (!/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/.test(version)) {
    throw new VersionsBundlesError(`"${version}" is not an EKS-A version (expected e.g. v0.26.1)`);
  }
  return version;
}

/**
 * Downloaded EKS-A releases under `<dir>/releases/<version>/`: `bundles.yaml`, `eksd/<file name>` and `index.json`
 * with the source URL and sha256 of each file. Reading verifies every checksum, so a damaged cache is reported
 * rather than used.
 */
export class BundlesCache {
  constructor(public readonly dir: string) {}

  public releaseDir(eksaVersion: string): string {
    return path.join(this.dir, 'releases', checkVersionName(eksaVersion));
  }

  public indexPath(eksaVersion: string): string {
    return path.join(this.releaseDir(eksaVersion), CACHE_INDEX_FILE);
  }

  /** The cached release, verified and parsed; undefined when there is no complete entry. */
  public load(eksaVersion: string): CachedRelease | undefined {
    const indexPath = this.indexPath(eksaVersion);
    if (!existsSync(indexPath)) return undefined;
    return readReleaseFolder(path.dirname(indexPath), 'cached');
  }

  /** Versions with a complete entry, oldest first. */
  public versions(): string[] {
    const root = path.join(this.dir, 'releases');
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .filter((name) => !name.startsWith('.') && existsSync(path.join(root, name, CACHE_INDEX_FILE)))
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  }

  /** Writes a release atomically (a temporary folder renamed into place) and returns its index. */
  public store(files: ReleaseFiles): CacheIndex {
    const target = this.releaseDir(files.eksaVersion);
    const root = path.dirname(target);
    mkdirSync(root, { recursive: true });
    const temp = path.join(
      root,
      `.tmp-${files.eksaVersion}-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    try {
      mkdirSync(path.join(temp, EKSD_DIR), { recursive: true });
      writeFileSync(path.join(temp, BUNDLES_FILE), files.bundles.text);
      const eksdReleases = files.eksdReleases.map((e) => {
        const file = `${EKSD_DIR}/${manifestFileName(e.url)}`;
        writeFileSync(path.join(temp, file), e.text);
        return { kubeVersion: e.kubeVersion, file, url: e.url, sha256: sha256(e.text) };
      });
      const index: CacheIndex = {
        format: CACHE_FORMAT,
        eksaVersion: files.eksaVersion,
        releaseNumber: files.releaseNumber,
        ...(files.releaseManifestUrl ? { releaseManifestUrl: files.releaseManifestUrl } : {}),
        fetchedAt: files.fetchedAt ?? new Date().toISOString(),
        bundles: { file: BUNDLES_FILE, url: files.bundles.url, sha256: sha256(files.bundles.text) },
        eksdReleases,
      };
      writeFileSync(path.join(temp, CACHE_INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
      const old = `${temp}-old`;
      if (existsSync(target)) renameSync(target, old);
      renameSync(temp, target);
      rmSync(old, { recursive: true, force: true });
      return index;
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }

  /** Copies a cached release to `targetDir` (same layout), to carry it to another machine. */
  public exportTo(eksaVersion: string, targetDir: string): CacheIndex {
    const cached = this.load(eksaVersion);
    if (!cached) {
      throw new VersionsBundlesError(
        `no cached release ${eksaVersion} in ${this.dir}; run \`eksa-iac bundles fetch --eksa-version ${eksaVersion}\` first`,
      );
    }
    if (existsSync(targetDir) && readdirSync(targetDir).length > 0) {
      throw new VersionsBundlesError(`${targetDir}: not empty; export into a new or empty folder`);
    }
    mkdirSync(path.join(targetDir, EKSD_DIR), { recursive: true });
    for (const file of [cached.index.bundles, ...cached.index.eksdReleases]) {
      writeFileSync(
        path.join(targetDir, file.file),
        readLocalFile(path.join(cached.dir, file.file), 'cached file'),
      );
    }
    writeFileSync(path.join(targetDir, CACHE_INDEX_FILE), `${JSON.stringify(cached.index, null, 2)}\n`);
    return cached.index;
  }

  /** Verifies an exported release folder (checksums, kinds, release number, EKS-D releases) and caches it. */
  public importFrom(sourceDir: string): CacheIndex {
    const release = readReleaseFolder(sourceDir, 'exported');
    const read = (file: CachedFile) => readLocalFile(path.join(sourceDir, file.file), 'exported file');
    return this.store({
      eksaVersion: release.index.eksaVersion,
      releaseNumber: release.index.releaseNumber,
      releaseManifestUrl: release.index.releaseManifestUrl,
      fetchedAt: release.index.fetchedAt,
      bundles: { url: release.index.bundles.url, text: read(release.index.bundles) },
      eksdReleases: release.index.eksdReleases.map((e) => ({
        kubeVersion: e.kubeVersion,
        url: e.url,
        text: read(e),
      })),
    });
  }
}

/** Reads and fully verifies a release folder (a cache entry or an export). */
function readReleaseFolder(dir: string, what: 'cached' | 'exported'): CachedRelease {
  const indexPath = path.join(dir, CACHE_INDEX_FILE);
  const index = parseIndex(readLocalFile(indexPath, `${what} release index`), indexPath);
  const redo =
    what === 'cached'
      ? `run \`eksa-iac bundles fetch --eksa-version ${index.eksaVersion}\` again, or delete ${dir}`
      : 'export it again on the connected machine';
  const readVerified = (file: CachedFile): { path: string; text: string } => {
    const filePath = path.join(dir, file.file);
    const text = readLocalFile(filePath, `${what} file`);
    const actual = sha256(text);
    if (actual !== file.sha256) {
      throw new VersionsBundlesError(
        `${filePath}: sha256 is ${actual}, but ${indexPath} records ${file.sha256} (the file changed since it was downloaded); ${redo}`,
      );
    }
    return { path: filePath, text };
  };
  const bundlesFile = readVerified(index.bundles);
  const bundles = parseBundlesManifest(bundlesFile.text, bundlesFile.path);
  verifyBundlesForRelease(bundles, index.eksaVersion, index.releaseNumber, bundlesFile.path);
  const eksdReleases = new Map<string, { path: string; text: string }>();
  for (const entry of index.eksdReleases) {
    const file = readVerified(entry);
    // A cache entry was verified in full when it was written; an export comes from elsewhere and is checked now.
    if (what === 'exported') {
      verifyEksdRelease(bundles, entry.kubeVersion, parseEksdRelease(file.text, file.path), file.path);
    }
    eksdReleases.set(manifestFileName(entry.file), file);
  }
  return { index, dir, bundlesPath: bundlesFile.path, bundles, eksdReleases };
}

/** Parses index.json, accepting only the layout `store` writes (so an imported index cannot point elsewhere). */
function parseIndex(text: string, source: string): CacheIndex {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new VersionsBundlesError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const index = value as Partial<CacheIndex>;
  const problems: string[] = [];
  if (index.format !== CACHE_FORMAT) problems.push(`format: expected ${CACHE_FORMAT}`);
  if (typeof index.eksaVersion !== 'string') problems.push('eksaVersion: missing');
  else checkVersionName(index.eksaVersion);
  if (typeof index.releaseNumber !== 'number') problems.push('releaseNumber: missing');
  const checkFile = (file: Partial<CachedFile> | undefined, at: string, expected?: string) => {
    if (
      !file ||
      typeof file.url !== 'string' ||
      typeof file.sha256 !== 'string' ||
      typeof file.file !== 'string'
    ) {
      problems.push(`${at}: needs file, url and sha256`);
    } else if (file.file !== (expected ?? `${EKSD_DIR}/${manifestFileName(file.url)}`)) {
      problems.push(`${at}.file: unexpected path ${file.file}`);
    }
  };
  checkFile(index.bundles, 'bundles', BUNDLES_FILE);
  if (!Array.isArray(index.eksdReleases)) {
    problems.push('eksdReleases: must be a list');
  } else {
    index.eksdReleases.forEach((e, i) => {
      checkFile(e, `eksdReleases[${i}]`);
      if (typeof e?.kubeVersion !== 'string') problems.push(`eksdReleases[${i}].kubeVersion: missing`);
    });
  }
  if (problems.length > 0) throw new VersionsBundlesError(`${source}: not a release index`, problems);
  return index as CacheIndex;
}
