import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_RELEASE_FILE, pinEksaRelease } from '../../projenrc/pin-eksa-release';
import { ReleaseServer } from '../spec/bundles/release-server';

let server: ReleaseServer;
let scratch: string;
beforeEach(async () => {
  server = await new ReleaseServer().start();
  scratch = mkdtempSync(path.join(tmpdir(), 'eksa-iac-pin-'));
});
afterEach(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('pins the latest release after downloading and verifying all of it', async () => {
  const file = path.join(scratch, 'default-release.ts');
  copyFileSync(DEFAULT_RELEASE_FILE, file);
  const before = readFileSync(file, 'utf8');
  await pinEksaRelease({ releaseManifestUrl: server.releaseManifestUrl, file, today: '2026-09-01' });
  const after = readFileSync(file, 'utf8');
  expect(after).toContain("export const DEFAULT_EKSA_VERSION = 'v0.18.0';");
  expect(after).toContain(
    '// Pinned: v0.18.0 (bundle number 1, Kubernetes 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36), on 2026-09-01.',
  );
  // Only those two lines change.
  const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
  expect(changed).toHaveLength(2);
  // Release manifest twice (latest, then the release), the Bundles, 7 EKS-D releases.
  expect(server.requests).toHaveLength(10);
});

test('a release that does not resolve leaves the file untouched', async () => {
  const file = path.join(scratch, 'default-release.ts');
  copyFileSync(DEFAULT_RELEASE_FILE, file);
  const before = readFileSync(file, 'utf8');
  server.missing.add('/distro/kubernetes-1-31/kubernetes-1-31-eks-47.yaml');
  await expect(
    pinEksaRelease({ version: 'v0.18.0', releaseManifestUrl: server.releaseManifestUrl, file }),
  ).rejects.toThrow(/1 EKS-D release\(s\) failed/);
  expect(readFileSync(file, 'utf8')).toBe(before);
});
