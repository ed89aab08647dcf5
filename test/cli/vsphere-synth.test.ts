/**
 * `eksa-iac synth` / `validate` on a vSphere cluster: credentials only in the 0600 CAPI file and never printed,
 * and the provider's create setup (etcd machines ≥ 8192 MiB) applied as `eksa create` applies it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CURRENT_BUNDLES, fileMode, REPO_ROOT, runCli, tempDir } from '../helpers/cli-runner';

const BUNDLES = path.join(CURRENT_BUNDLES, 'main-bundle-release.yaml');
const EKSD_133 = path.join(CURRENT_BUNDLES, 'kubernetes-1-33-eks-30.yaml');
const CONFIG = path.join(REPO_ROOT, 'test/fixtures/spec/valid/vsphere-typical.yaml');
const ENV = { EKSA_VSPHERE_USERNAME: 'admin@vsphere.local', EKSA_VSPHERE_PASSWORD: 'pa55-w0rd-value' };

async function synth(...extra: string[]) {
  const out = tempDir('vsphere-synth');
  const run = await runCli(
    ['synth', '-f', CONFIG, '--bundles', BUNDLES, '--eksd-release', EKSD_133, '--out', out.dir, ...extra],
    { cwd: REPO_ROOT, env: ENV },
  );
  const dir = path.join(out.dir, 'prod', 'generated');
  return { run, dir, remove: out.remove };
}

function etcdMemory(capiFile: string): number {
  const objects = parseAllDocuments(readFileSync(capiFile, 'utf8')).map((d) => d.toJS());
  return objects.find((o) => o.kind === 'VSphereMachineTemplate' && o.metadata.name === 'prod-etcd-1').spec
    .template.spec.memoryMiB;
}

test('credentials go only into the 0600 CAPI file and are never printed', async () => {
  const { run, dir, remove } = await synth();
  try {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const capi = path.join(dir, 'prod-capi.yaml');
    const eksa = path.join(dir, 'prod-eks-a-cluster.yaml');
    expect(fileMode(capi)).toBe(0o600);
    expect(fileMode(eksa)).toBe(0o644);
    expect(run.stdout).toContain('(0600: holds credentials)');
    const encoded = Buffer.from(ENV.EKSA_VSPHERE_PASSWORD).toString('base64');
    expect(readFileSync(capi, 'utf8')).toContain(encoded);
    for (const text of [run.stdout, run.stderr, readFileSync(eksa, 'utf8')]) {
      expect(text).not.toContain(ENV.EKSA_VSPHERE_PASSWORD);
      expect(text).not.toContain(encoded);
    }
  } finally {
    remove();
  }
});

test.each([
  ['validating (as eksa create)', [], 8192],
  ['--no-validate, v1beta2 (current template tests render the config as parsed)', ['--no-validate'], 4096],
  [
    '--no-validate, v1beta1 (template tests before v0.25 ran the provider setup)',
    ['--no-validate', '--contract', 'v1beta1'],
    8192,
  ],
])('etcd machine memory, %s', async (_name, extra, memory) => {
  const { run, dir, remove } = await synth(...(extra as string[]));
  try {
    expect(run.code).toBe(0);
    expect(etcdMemory(path.join(dir, 'prod-capi.yaml'))).toBe(memory);
  } finally {
    remove();
  }
});

test('validate accepts the typical vSphere config and renders it in both contracts', async () => {
  const run = await runCli(['validate', '-f', CONFIG, '--bundles', BUNDLES, '--eksd-release', EKSD_133], {
    cwd: REPO_ROOT,
    env: ENV,
  });
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/vsphere-typical\.yaml: valid \(cluster prod\)/);
  expect(run.code).toBe(0);
});
