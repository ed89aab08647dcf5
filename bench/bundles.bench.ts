import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BenchModule } from './harness';
import { BundlesCache, loadVersionsBundles, parseBundlesManifest } from '../src/spec/bundles';

const SHARED = path.resolve(__dirname, '../../shared');
const CURRENT = path.join(SHARED, 'bundles');
const CURRENT_BUNDLES = path.join(CURRENT, 'main-bundle-release.yaml');
const SUPPORT = path.join(SHARED, 'oracle/eksa-docker/_support');
const EKSD = [30, 31, 32, 33, 34, 35, 36].map((minor) => ({
  kubeVersion: `1.${minor}`,
  file: path.join(
    CURRENT,
    `kubernetes-1-${minor}-eks-${{ 30: 58, 31: 47, 32: 40, 33: 30, 34: 21, 35: 12, 36: 6 }[minor]}.yaml`,
  ),
}));

let cacheDir = '';

/** Load + resolve of versions bundles: the first thing every synth and every workflow run does. */
export const bundlesBench: BenchModule = {
  title: 'bundles: load and resolve',
  setup() {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'eksa-iac-bench-bundles-'));
    // A cache entry as `bundles fetch` would leave it, built from the shared files.
    new BundlesCache(cacheDir).store({
      eksaVersion: 'v0.18.0',
      releaseNumber: 1,
      bundles: { url: 'https://release-bucket/bundles.yaml', text: readFileSync(CURRENT_BUNDLES, 'utf8') },
      eksdReleases: EKSD.map((e) => ({
        kubeVersion: e.kubeVersion,
        url: `https://distro.eks.amazonaws.com/x/${path.basename(e.file)}`,
        text: readFileSync(e.file, 'utf8'),
      })),
    });
  },
  teardown() {
    rmSync(cacheDir, { recursive: true, force: true });
  },
  cases: [
    {
      name: 'parse main-bundle-release.yaml (250 KB, 7 versions bundles)',
      run: () => parseBundlesManifest(readFileSync(CURRENT_BUNDLES, 'utf8'), CURRENT_BUNDLES),
    },
    {
      name: 'files: load shared/bundles + resolve 1.30',
      run: async () => {
        const b = await loadVersionsBundles({
          bundles: CURRENT_BUNDLES,
          eksdReleases: [EKSD[0].file],
          offline: true,
        });
        return b.resolve('1.30');
      },
    },
    {
      name: 'files: load shared/bundles + 7 EKS-D, resolve all 7',
      run: async () => {
        const b = await loadVersionsBundles({
          bundles: CURRENT_BUNDLES,
          eksdReleases: EKSD.map((e) => e.file),
          offline: true,
        });
        return Promise.all(b.supportedKubernetesVersions.map((v) => b.resolve(v)));
      },
    },
    {
      name: 'files: oracle _support/bundles.yaml + resolve 1.21',
      run: async () => {
        const b = await loadVersionsBundles({
          bundles: path.join(SUPPORT, 'bundles.yaml'),
          eksdReleases: [path.join(SUPPORT, 'kubernetes-1-21-eks-4.yaml')],
          offline: true,
        });
        return b.resolve('1.21');
      },
    },
    {
      name: 'cache: verify 8 sha256s, parse Bundles + 1 EKS-D, resolve 1.30',
      run: async () => {
        const b = await loadVersionsBundles({ eksaVersion: 'v0.18.0', cacheDir, offline: true });
        return b.resolve('1.30');
      },
    },
  ],
};
