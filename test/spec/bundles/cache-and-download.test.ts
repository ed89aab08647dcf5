import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ReleaseServer } from './release-server';
import {
  BundlesCache,
  defaultCacheDir,
  fetchEksaRelease,
  loadVersionsBundles,
  type CacheIndex,
} from '../../../src/spec/bundles';

let server: ReleaseServer;
let scratch: string;
let cacheDir: string;

beforeEach(async () => {
  server = await new ReleaseServer().start();
  scratch = mkdtempSync(path.join(tmpdir(), 'eksa-iac-cache-'));
  cacheDir = path.join(scratch, 'cache');
});
afterEach(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const EKSD_NAMES = [
  'kubernetes-1-30-eks-58',
  'kubernetes-1-31-eks-47',
  'kubernetes-1-32-eks-40',
  'kubernetes-1-33-eks-30',
  'kubernetes-1-34-eks-21',
  'kubernetes-1-35-eks-12',
  'kubernetes-1-36-eks-6',
];

describe('fetch into the cache', () => {
  test('downloads the release manifest, the Bundles and every EKS-D release, and records their sha256', async () => {
    const { index, dir } = await fetchEksaRelease({
      eksaVersion: 'v0.18.0',
      cacheDir,
      releaseManifestUrl: server.releaseManifestUrl,
    });
    expect(dir).toBe(path.join(cacheDir, 'releases', 'v0.18.0'));
    expect(index.eksaVersion).toBe('v0.18.0');
    expect(index.releaseNumber).toBe(1);
    expect(index.bundles.url).toBe(`${server.url}/releases/bundles/1/manifest.yaml`);
    expect(index.bundles.sha256).toBe(sha(server.body('/releases/bundles/1/manifest.yaml')!));
    expect(index.eksdReleases.map((e) => e.kubeVersion)).toStrictEqual([
      '1.30',
      '1.31',
      '1.32',
      '1.33',
      '1.34',
      '1.35',
      '1.36',
    ]);
    for (const [i, name] of EKSD_NAMES.entries()) {
      const urlPath = `/distro/kubernetes-1-${30 + i}/${name}.yaml`;
      expect(index.eksdReleases[i]).toStrictEqual({
        kubeVersion: `1.${30 + i}`,
        file: `eksd/${name}.yaml`,
        url: `${server.url}${urlPath}`,
        sha256: sha(server.body(urlPath)!),
      });
      expect(readFileSync(path.join(dir, 'eksd', `${name}.yaml`), 'utf8')).toBe(server.body(urlPath));
    }
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as CacheIndex;
    expect(onDisk).toStrictEqual(index);
  });

  test('a Bundles manifest whose number differs from the release entry is rejected and nothing is cached', async () => {
    server.releaseNumber = 2;
    await expect(
      fetchEksaRelease({ eksaVersion: 'v0.18.0', cacheDir, releaseManifestUrl: server.releaseManifestUrl }),
    ).rejects.toThrow(
      `${server.url}/releases/bundles/1/manifest.yaml: not the Bundles manifest of EKS-A v0.18.0\n  - spec.number is 1, but EKS-A v0.18.0 is release number 2`,
    );
    expect(existsSync(cacheDir)).toBe(false);
  });

  test('a Bundles manifest outside the cli version range of the release is rejected', async () => {
    // The release manifest lists the bundle (cliMaxVersion v0.18.0) as release v0.19.0.
    const body = server.body.bind(server);
    server.body = (p) => body(p)?.replace(`version: ${server.version}`, 'version: v0.19.0');
    await expect(
      fetchEksaRelease({ eksaVersion: 'v0.19.0', cacheDir, releaseManifestUrl: server.releaseManifestUrl }),
    ).rejects.toThrow(/spec\.cliMaxVersion v0\.18\.0 is older than v0\.19\.0/);
  });

  test('a failed EKS-D download is named and nothing is cached', async () => {
    server.missing.add('/distro/kubernetes-1-33/kubernetes-1-33-eks-30.yaml');
    await expect(
      fetchEksaRelease({ eksaVersion: 'v0.18.0', cacheDir, releaseManifestUrl: server.releaseManifestUrl }),
    ).rejects.toThrow(
      `EKS-A v0.18.0: 1 EKS-D release(s) failed\n  - could not download the EKS-D release of Kubernetes 1.33 from ${server.url}/distro/kubernetes-1-33/kubernetes-1-33-eks-30.yaml: HTTP 404 Not Found`,
    );
    expect(existsSync(path.join(cacheDir, 'releases', 'v0.18.0'))).toBe(false);
  });

  test('an unknown version lists what the release manifest has', async () => {
    await expect(
      fetchEksaRelease({ eksaVersion: 'v9.9.9', cacheDir, releaseManifestUrl: server.releaseManifestUrl }),
    ).rejects.toThrow(
      `${server.releaseManifestUrl}: EKS-A release v9.9.9 is not listed (latest: v0.18.0; newest listed: v0.17.0, v0.18.0)`,
    );
  });

  test('a malformed version is rejected before any download', async () => {
    await expect(
      fetchEksaRelease({ eksaVersion: '../x', cacheDir, releaseManifestUrl: server.releaseManifestUrl }),
    ).rejects.toThrow('"../x" is not an EKS-A version (expected e.g. v0.26.1)');
    expect(server.requests).toStrictEqual([]);
  });
});

describe('default bundles: cache, then download', () => {
  test('first run downloads and caches; a later offline run uses the cache without any request', async () => {
    const first = await loadVersionsBundles({
      eksaVersion: 'v0.18.0',
      cacheDir,
      releaseManifestUrl: server.releaseManifestUrl,
    });
    expect(first.eksaVersion).toBe('v0.18.0');
    expect(first.source).toBe(path.join(cacheDir, 'releases', 'v0.18.0', 'bundles.yaml'));
    expect(server.requests.length).toBe(9); // release manifest + bundles + 7 EKS-D releases
    await server.stop();

    const second = await loadVersionsBundles({ eksaVersion: 'v0.18.0', cacheDir, offline: true });
    const resolved = await second.resolve('1.36');
    expect(resolved.kubeDistro.kubernetes.tag).toBe('v1.36.2-eks-1-36-6');
    expect(resolved.sources).toStrictEqual({
      bundles: path.join(cacheDir, 'releases', 'v0.18.0', 'bundles.yaml'),
      eksdRelease: path.join(cacheDir, 'releases', 'v0.18.0', 'eksd', 'kubernetes-1-36-eks-6.yaml'),
      eksaVersion: 'v0.18.0',
    });
    expect(server.requests.length).toBe(9);
  });

  test('offline with an empty cache fails before anything is written, saying what was tried and what to do', async () => {
    const attempt = loadVersionsBundles({
      eksaVersion: 'v0.18.0',
      cacheDir,
      releaseManifestUrl: server.releaseManifestUrl,
      offline: true,
    });
    await expect(attempt).rejects.toThrow(
      [
        'no versions bundles for EKS-A v0.18.0: they are not cached and could not be downloaded.',
        `  - tried the cache: ${path.join(cacheDir, 'releases', 'v0.18.0', 'index.json')} does not exist (cache folder from --cache-dir, $EKSA_IAC_CACHE_DIR, $XDG_CACHE_HOME/eksa-iac or ~/.cache/eksa-iac)`,
        `  - tried to download the EKS-A release manifest ${server.releaseManifestUrl}: skipped (offline)`,
        '  - to proceed, pass the bundles as files: --bundles FILE --eksd-release FILE [--eksd-release FILE …] (the EKS-D release of each Kubernetes version you use)',
        '  - or, on a connected machine, run `eksa-iac bundles fetch --eksa-version v0.18.0` and `eksa-iac bundles export DIR`, carry DIR here and run `eksa-iac bundles import DIR` (or use the same cache folder: --cache-dir or $EKSA_IAC_CACHE_DIR)',
      ].join('\n'),
    );
    expect(server.requests).toStrictEqual([]);
    expect(existsSync(cacheDir)).toBe(false);
  });

  test('EKSA_IAC_OFFLINE=1 in the environment means offline', async () => {
    await expect(
      loadVersionsBundles({
        eksaVersion: 'v0.18.0',
        cacheDir,
        releaseManifestUrl: server.releaseManifestUrl,
        env: { EKSA_IAC_OFFLINE: '1' },
      }),
    ).rejects.toThrow(/skipped \(offline\)/);
    expect(server.requests).toStrictEqual([]);
  });

  test('an unreachable release manifest gives the same guidance, with the network error', async () => {
    const url = server.releaseManifestUrl;
    await server.stop();
    await expect(
      loadVersionsBundles({ eksaVersion: 'v0.18.0', cacheDir, releaseManifestUrl: url }),
    ).rejects.toThrow(
      new RegExp(
        `tried to download the EKS-A release manifest ${url.replace(/[.]/g, '\\.')}: could not download the EKS-A release manifest from .*ECONNREFUSED[^]*eksa-iac bundles fetch --eksa-version v0\\.18\\.0`,
      ),
    );
    expect(existsSync(cacheDir)).toBe(false);
  });

  test('a cache file changed after download is reported, not used', async () => {
    const { dir } = await fetchEksaRelease({
      eksaVersion: 'v0.18.0',
      cacheDir,
      releaseManifestUrl: server.releaseManifestUrl,
    });
    const file = path.join(dir, 'eksd', 'kubernetes-1-32-eks-40.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# edited\n`);
    await expect(loadVersionsBundles({ eksaVersion: 'v0.18.0', cacheDir, offline: true })).rejects.toThrow(
      new RegExp(
        `^${file.replace(/[.]/g, '\\.')}: sha256 is [0-9a-f]{64}, but .*index\\.json records [0-9a-f]{64} \\(the file changed since it was downloaded\\); run \`eksa-iac bundles fetch --eksa-version v0\\.18\\.0\` again`,
      ),
    );
  });

  test('given EKS-D files take precedence over cached ones', async () => {
    await fetchEksaRelease({
      eksaVersion: 'v0.18.0',
      cacheDir,
      releaseManifestUrl: server.releaseManifestUrl,
    });
    const own = path.join(scratch, 'kubernetes-1-30-eks-58.yaml');
    writeFileSync(
      own,
      server
        .body('/distro/kubernetes-1-30/kubernetes-1-30-eks-58.yaml')!
        .replace(/v1\.11\.1-eks-1-30-58/g, 'v1.11.9-eks-1-30-58'),
    );
    const bundles = await loadVersionsBundles({
      eksaVersion: 'v0.18.0',
      cacheDir,
      offline: true,
      eksdReleases: [own],
    });
    const resolved = await bundles.resolve('1.30');
    expect(resolved.kubeDistro.coreDns.tag).toBe('v1.11.9-eks-1-30-58');
    expect(resolved.sources.eksdRelease).toBe(own);
  });
});

describe('bundles from a URL', () => {
  test('the Bundles and, on resolve, only the needed EKS-D release are downloaded', async () => {
    const bundles = await loadVersionsBundles({ bundles: `${server.url}/releases/bundles/1/manifest.yaml` });
    expect(server.requests).toStrictEqual(['/releases/bundles/1/manifest.yaml']);
    const resolved = await bundles.resolve('1.34');
    expect(resolved.kubeDistro.kubernetes.tag).toBe('v1.34.9-eks-1-34-21');
    expect(server.requests).toStrictEqual([
      '/releases/bundles/1/manifest.yaml',
      '/distro/kubernetes-1-34/kubernetes-1-34-eks-21.yaml',
    ]);
    await bundles.resolve('1.34');
    expect(server.requests.length).toBe(2); // resolved once per version
  });

  test('a failed EKS-D download says what is missing and how to pass it', async () => {
    server.missing.add('/distro/kubernetes-1-35/kubernetes-1-35-eks-12.yaml');
    const source = `${server.url}/releases/bundles/1/manifest.yaml`;
    const bundles = await loadVersionsBundles({ bundles: source });
    await expect(bundles.resolve('1.35')).rejects.toThrow(
      `${source}: Kubernetes 1.35 needs the EKS-D release kubernetes-1-35-eks-12.yaml (eksD.manifestUrl ${server.url}/distro/kubernetes-1-35/kubernetes-1-35-eks-12.yaml), which is not among the given --eksd-release files, and could not download the EKS-D release of Kubernetes 1.35 from ${server.url}/distro/kubernetes-1-35/kubernetes-1-35-eks-12.yaml: HTTP 404 Not Found. Pass it with --eksd-release PATH/kubernetes-1-35-eks-12.yaml (the file name must match).`,
    );
  });

  test('offline, a URL is not downloaded', async () => {
    await expect(
      loadVersionsBundles({ bundles: `${server.url}/releases/bundles/1/manifest.yaml`, offline: true }),
    ).rejects.toThrow(
      /^cannot download Bundles manifest from http:\/\/127\.0\.0\.1:\d+\/releases\/bundles\/1\/manifest\.yaml: offline\./,
    );
    expect(server.requests).toStrictEqual([]);
  });
});

describe('export and import', () => {
  test('an exported release imports into another cache and works offline there', async () => {
    const connected = new BundlesCache(path.join(scratch, 'connected'));
    await fetchEksaRelease({
      eksaVersion: 'v0.18.0',
      cacheDir: connected.dir,
      releaseManifestUrl: server.releaseManifestUrl,
    });
    const carried = path.join(scratch, 'usb');
    const exported = connected.exportTo('v0.18.0', carried);
    await server.stop();

    const airGapped = new BundlesCache(path.join(scratch, 'air-gapped'));
    const imported = airGapped.importFrom(carried);
    expect(imported.bundles.sha256).toBe(exported.bundles.sha256);
    expect(airGapped.versions()).toStrictEqual(['v0.18.0']);
    const bundles = await loadVersionsBundles({
      eksaVersion: 'v0.18.0',
      cacheDir: airGapped.dir,
      offline: true,
    });
    expect((await bundles.resolve('1.33')).kubeDistro.kubernetes.tag).toBe('v1.33.13-eks-1-33-30');
  });

  test('a tampered export is refused and the target cache stays empty', async () => {
    const connected = new BundlesCache(path.join(scratch, 'connected'));
    await fetchEksaRelease({
      eksaVersion: 'v0.18.0',
      cacheDir: connected.dir,
      releaseManifestUrl: server.releaseManifestUrl,
    });
    const carried = path.join(scratch, 'usb');
    connected.exportTo('v0.18.0', carried);
    const bundlesFile = path.join(carried, 'bundles.yaml');
    writeFileSync(bundlesFile, readFileSync(bundlesFile, 'utf8').replace('v1.13.2', 'v1.13.3'));
    const airGapped = new BundlesCache(path.join(scratch, 'air-gapped'));
    expect(() => airGapped.importFrom(carried)).toThrow(
      /bundles\.yaml: sha256 is .* export it again on the connected machine/,
    );
    expect(airGapped.versions()).toStrictEqual([]);
  });

  test('an index pointing outside the release folder is refused', () => {
    const carried = path.join(scratch, 'evil');
    mkdirSync(carried);
    writeFileSync(
      path.join(carried, 'index.json'),
      JSON.stringify({
        format: 1,
        eksaVersion: 'v0.18.0',
        releaseNumber: 1,
        fetchedAt: 'x',
        bundles: { file: '../../etc/passwd', url: 'http://x/b.yaml', sha256: 'a' },
        eksdReleases: [],
      }),
    );
    expect(() => new BundlesCache(path.join(scratch, 'c')).importFrom(carried)).toThrow(
      /not a release index\n {2}- bundles\.file: unexpected path \.\.\/\.\.\/etc\/passwd/,
    );
  });
});

describe('cache directory', () => {
  test('EKSA_IAC_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({ EKSA_IAC_CACHE_DIR: '/a', XDG_CACHE_HOME: '/b', HOME: '/h' })).toBe('/a');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/b', HOME: '/h' })).toBe('/b/eksa-iac');
    expect(defaultCacheDir({ HOME: '/h' })).toBe('/h/.cache/eksa-iac');
    expect(defaultCacheDir({ EKSA_IAC_CACHE_DIR: 'rel' }, '/w')).toBe('/w/rel');
  });
});
