// `npx projen bundles:pin [VERSION]`: points DEFAULT_EKSA_VERSION at an EKS-A release (default: the latest), after
// checking that the release and all its EKS-D releases download and resolve. Needs internet access; set
// EKSA_IAC_RELEASE_MANIFEST_URL to use a mirror of the release manifest.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  downloadEksaRelease,
  EKSA_RELEASE_MANIFEST_URL,
  parseEksaReleaseManifest,
  RELEASE_MANIFEST_URL_ENV,
  type DownloadedRelease,
} from '../src/spec/bundles';

export const DEFAULT_RELEASE_FILE = path.join(
  __dirname,
  '..',
  'src',
  'spec',
  'bundles',
  'default-release.ts',
);

export interface PinOptions {
  /** @default the release manifest's latestVersion */
  readonly version?: string;
  readonly releaseManifestUrl?: string;
  /** The file holding the constant. @default src/spec/bundles/default-release.ts */
  readonly file?: string;
  readonly fetch?: typeof globalThis.fetch;
  readonly today?: string;
}

const PINNED_LINE = /^\/\/ Pinned: .*$/m;
const CONSTANT_LINE = /^export const DEFAULT_EKSA_VERSION = '[^']*';$/m;

export async function pinEksaRelease(options: PinOptions = {}): Promise<DownloadedRelease> {
  const releaseManifestUrl =
    options.releaseManifestUrl ?? process.env[RELEASE_MANIFEST_URL_ENV] ?? EKSA_RELEASE_MANIFEST_URL;
  const fetch = options.fetch ?? globalThis.fetch;
  let version = options.version;
  if (!version) {
    const response = await fetch(releaseManifestUrl);
    if (!response.ok) throw new Error(`${releaseManifestUrl}: HTTP ${response.status}`);
    version = parseEksaReleaseManifest(await response.text(), releaseManifestUrl).spec.latestVersion;
  }
  const release = await downloadEksaRelease({ eksaVersion: version, releaseManifestUrl, fetch });

  const file = options.file ?? DEFAULT_RELEASE_FILE;
  const source = readFileSync(file, 'utf8');
  if (!PINNED_LINE.test(source) || !CONSTANT_LINE.test(source)) {
    throw new Error(
      `${file}: the "// Pinned:" comment or the DEFAULT_EKSA_VERSION line is not where expected`,
    );
  }
  const kube = release.eksdReleases.map((e) => e.kubeVersion).join(', ');
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  writeFileSync(
    file,
    source
      .replace(
        PINNED_LINE,
        `// Pinned: ${release.eksaVersion} (bundle number ${release.release.number}, Kubernetes ${kube}), on ${today}.`,
      )
      .replace(CONSTANT_LINE, `export const DEFAULT_EKSA_VERSION = '${release.eksaVersion}';`),
  );
  return release;
}

if (require.main === module) {
  pinEksaRelease({ version: process.argv[2] })
    .then((r) => {
      console.log(
        `Pinned EKS-A ${r.eksaVersion} (bundle number ${r.release.number}) in ${DEFAULT_RELEASE_FILE}`,
      );
      console.log(`Kubernetes versions: ${r.eksdReleases.map((e) => e.kubeVersion).join(', ')}`);
      console.log('Run the tests, then commit the change.');
    })
    .catch((error: unknown) => {
      console.error(`bundles:pin failed: ${(error as Error).message}`);
      process.exitCode = 1;
    });
}
