import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundlesCommand } from '../../../src/cli/commands/bundles';
import { CURRENT, CURRENT_BUNDLES } from '../../spec/bundles/paths';
import { ReleaseServer } from '../../spec/bundles/release-server';

let scratch: string;
let server: ReleaseServer;

beforeEach(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'eksa-iac-cli-bundles-'));
  server = await new ReleaseServer().start();
});
afterEach(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await bundlesCommand.run(argv, {
    cwd: scratch,
    env: { HOME: path.join(scratch, 'home'), ...env },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

test('fetch fills the cache and prints each file with its sha256; list shows the release', async () => {
  const fetched = await run([
    'fetch',
    '--eksa-version',
    'v0.18.0',
    '--release-manifest-url',
    server.releaseManifestUrl,
  ]);
  expect(fetched.stderr).toBe('');
  expect(fetched.code).toBe(0);
  const dir = path.join(scratch, 'home', '.cache', 'eksa-iac', 'releases', 'v0.18.0');
  expect(fetched.stdout).toContain(`Cached EKS-A v0.18.0 (bundle number 1) in ${dir}`);
  expect(fetched.stdout).toContain(
    `bundles.yaml  sha256 ${sha(server.body('/releases/bundles/1/manifest.yaml')!)}`,
  );
  expect(fetched.stdout).toContain(
    `eksd/kubernetes-1-36-eks-6.yaml  sha256 ${sha(server.body('/distro/kubernetes-1-36/kubernetes-1-36-eks-6.yaml')!)}  Kubernetes 1.36`,
  );

  const listed = await run(['list']);
  expect(listed.code).toBe(0);
  const lines = listed.stdout.split('\n');
  expect(lines[1]).toMatch(/^EKS-A\s+BUNDLE\s+FETCHED\s+KUBERNETES$/);
  expect(lines[2]).toMatch(
    /^v0\.18\.0\s+1\s+\d{4}-\d\d-\d\dT\S+\s+1\.30, 1\.31, 1\.32, 1\.33, 1\.34, 1\.35, 1\.36$/,
  );
});

test('the release manifest URL can come from the environment', async () => {
  const fetched = await run(['fetch', '--eksa-version', 'v0.18.0'], {
    EKSA_IAC_RELEASE_MANIFEST_URL: server.releaseManifestUrl,
  });
  expect(fetched.code).toBe(0);
  expect(server.requests[0]).toBe('/releases/eks-a/manifest.yaml');
});

test('export on one machine, import on another, then show works offline', async () => {
  const connected = path.join(scratch, 'connected');
  const airGapped = path.join(scratch, 'air-gapped');
  expect(
    (
      await run([
        'fetch',
        '--eksa-version',
        'v0.18.0',
        '--cache-dir',
        connected,
        '--release-manifest-url',
        server.releaseManifestUrl,
      ])
    ).code,
  ).toBe(0);
  const exported = await run(['export', 'usb', '--eksa-version', 'v0.18.0', '--cache-dir', connected]);
  expect(exported.code).toBe(0);
  expect(exported.stdout).toContain(`eksa-iac bundles import ${path.join(scratch, 'usb')}`);
  await server.stop();

  const imported = await run(['import', 'usb'], { EKSA_IAC_CACHE_DIR: airGapped });
  expect(imported.stdout).toBe(
    `Imported EKS-A v0.18.0 into ${airGapped} (Kubernetes 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36)\n`,
  );
  const shown = await run(
    ['show', '--eksa-version', 'v0.18.0', '--kubernetes-version', '1.32', '--offline'],
    {
      EKSA_IAC_CACHE_DIR: airGapped,
    },
  );
  expect(shown.stderr).toBe('');
  expect(shown.stdout).toContain(
    `Bundles: ${path.join(airGapped, 'releases', 'v0.18.0', 'bundles.yaml')} (EKS-A v0.18.0)`,
  );
  expect(shown.stdout).toMatch(
    /\n {2}kubernetes\s+public\.ecr\.aws\/eks-distro\/kubernetes v1\.32\.13-eks-1-32-40\n/,
  );
});

test('show with files resolves without any cache', async () => {
  const shown = await run([
    'show',
    '--bundles',
    CURRENT_BUNDLES,
    '--eksd-release',
    path.join(CURRENT, 'kubernetes-1-30-eks-58.yaml'),
    '--kubernetes-version',
    '1.30',
  ]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain('Kubernetes versions: 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36');
  expect(shown.stdout).toMatch(/ {2}etcd version\s+3\.5\.12\n/);
  expect(shown.stdout).toMatch(
    / {2}pause\s+public\.ecr\.aws\/eks-distro\/kubernetes\/pause:v1\.30\.14-eks-1-30-58\n/,
  );
});

test('offline with an empty cache fails with the way forward, and writes nothing', async () => {
  const shown = await run(['show', '--offline', '--eksa-version', 'v0.18.0']);
  expect(shown.code).toBe(1);
  expect(shown.stderr).toMatch(/^error: no versions bundles for EKS-A v0\.18\.0/);
  expect(shown.stderr).toContain('--bundles FILE --eksd-release FILE');
  expect(shown.stderr).toContain('eksa-iac bundles fetch --eksa-version v0.18.0');
  expect(existsSync(path.join(scratch, 'home'))).toBe(false);
  const listed = await run(['list']);
  expect(listed.stdout).toContain('No cached releases in');
});

test('usage errors exit 2 and say what is wrong', async () => {
  expect(await run(['frobnicate'])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('unknown command "frobnicate"'),
  });
  expect(await run(['list', '--bundles', 'x'])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('list does not take --bundles'),
  });
  expect(await run(['export'])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('export needs one folder argument'),
  });
  expect(await run(['fetch', '--nope'])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining("Unknown option '--nope'"),
  });
  expect(await run([])).toMatchObject({ code: 2, stderr: expect.stringContaining('missing command') });
  const help = await run(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toBe(bundlesCommand.usage);
});

test('export of a release that is not cached says how to fetch it', async () => {
  const exported = await run(['export', 'out', '--eksa-version', 'v0.18.0']);
  expect(exported.code).toBe(1);
  expect(exported.stderr).toContain('run `eksa-iac bundles fetch --eksa-version v0.18.0` first');
});
