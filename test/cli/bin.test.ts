/**
 * The real `bin/eksa-iac` process: the shim, the compiled CLI, exit codes and files. The compiled output (lib/) is
 * brought up to date first (`tsc --build` is incremental: a no-op when nothing changed), so the test never runs
 * stale code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CURRENT_BUNDLES, filesUnder, REPO_ROOT, tempDir } from '../helpers/cli-runner';

const BIN = path.join(REPO_ROOT, 'bin', 'eksa-iac');
const BUNDLE_ARGS = [
  '--bundles',
  path.join(CURRENT_BUNDLES, 'main-bundle-release.yaml'),
  '--eksd-release',
  path.join(CURRENT_BUNDLES, 'kubernetes-1-36-eks-6.yaml'),
];

beforeAll(() => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--build'], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
}, 180_000);

function eksaIac(args: readonly string[], cwd: string) {
  const result = spawnSync(BIN, args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, EKSA_IAC_OFFLINE: '1', EKSA_IAC_CACHE_DIR: path.join(cwd, '.no-cache') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the shim is executable', () => {
  expect(() => accessSync(BIN, constants.X_OK)).not.toThrow();
});

test('--help exits 0; an unknown command exits 2 with the usage', () => {
  const help = eksaIac(['--help'], REPO_ROOT);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/Commands:\n {2}synth/);
  const unknown = eksaIac(['deploy'], REPO_ROOT);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/unknown command 'deploy'/);
});

test('synth of the quick start cluster writes both files', () => {
  const out = tempDir('bin');
  try {
    const run = eksaIac(
      ['synth', '-f', 'examples/quickstart/cluster.yaml', ...BUNDLE_ARGS, '--out', out.dir],
      REPO_ROOT,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(filesUnder(out.dir)).toStrictEqual([
      'quickstart/generated/quickstart-capi.yaml',
      'quickstart/generated/quickstart-eks-a-cluster.yaml',
    ]);
    expect(readFileSync(path.join(out.dir, 'quickstart/generated/quickstart-capi.yaml'), 'utf8')).toContain(
      'kind: KubeadmControlPlane',
    );
  } finally {
    out.remove();
  }
});

test('bad input exits 1 with the field path and writes nothing', () => {
  const out = tempDir('bin-bad');
  try {
    const config = readFileSync(path.join(REPO_ROOT, 'examples/quickstart/cluster.yaml'), 'utf8').replace(
      'controlPlaneConfiguration:\n    count: 1',
      'controlPlaneConfiguration:\n    count: 0',
    );
    writeFileSync(path.join(out.dir, 'cluster.yaml'), config);
    const run = eksaIac(['synth', '-f', 'cluster.yaml', ...BUNDLE_ARGS, '--out', 'out'], out.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cluster\.yaml:\d+:\d+: spec\.controlPlaneConfiguration\.count: .*Fix: /);
    expect(filesUnder(out.dir)).toStrictEqual(['cluster.yaml']);
  } finally {
    out.remove();
  }
});
