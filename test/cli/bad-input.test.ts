/**
 * Bad input through the CLI: every invalid config of the spec corpus (test/fixtures/spec/invalid, one rule each)
 * makes `synth` exit non-zero, print the error with its file and field path, and write nothing. The valid docker
 * configs synthesize.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CURRENT_BUNDLES, filesUnder, REPO_ROOT, runCli, tempDir } from '../helpers/cli-runner';

interface InvalidCase {
  readonly file: string;
  readonly rule: string;
  readonly path: string;
  readonly messageIncludes: string;
}

const INVALID = path.join(REPO_ROOT, 'test', 'fixtures', 'spec', 'invalid');
const VALID = path.join(REPO_ROOT, 'test', 'fixtures', 'spec', 'valid');
const cases: InvalidCase[] = JSON.parse(readFileSync(path.join(INVALID, 'cases.json'), 'utf8'));

const bundleArgs = [
  '--bundles',
  path.join(CURRENT_BUNDLES, 'main-bundle-release.yaml'),
  ...['30-eks-58', '31-eks-47', '32-eks-40', '33-eks-30', '34-eks-21', '35-eks-12', '36-eks-6'].flatMap(
    (r) => ['--eksd-release', path.join(CURRENT_BUNDLES, `kubernetes-1-${r}.yaml`)],
  ),
];

test('the corpus holds at least 40 invalid configs', () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
});

describe.each(cases.map((c) => [c.file, c] as const))('synth rejects %s', (_file, c) => {
  test(`${c.rule} at ${c.path || '(file)'}, writing nothing`, async () => {
    const out = tempDir('bad-input');
    try {
      const run = await runCli(['synth', '-f', c.file, ...bundleArgs, '--out', out.dir], {
        cwd: INVALID,
        env: {},
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(c.file);
      if (c.path) expect(run.stderr).toContain(c.path);
      expect(run.stderr).toContain(c.messageIncludes);
      expect(run.stderr).toContain('Fix:');
      expect(run.stdout).toBe('');
      expect(filesUnder(out.dir)).toStrictEqual([]);
    } finally {
      out.remove();
    }
  });
});

describe('valid configs', () => {
  test.each(['docker-typical.yaml', 'docker-full.yaml'])('%s synthesizes and validates', async (file) => {
    const out = tempDir('valid');
    try {
      const validate = await runCli(['validate', '-f', file, ...bundleArgs], { cwd: VALID });
      expect(validate.stderr).toBe('');
      expect(validate.code).toBe(0);
      expect(validate.stdout).toMatch(/valid \(cluster /);
      const synth = await runCli(['synth', '-f', file, ...bundleArgs, '--out', out.dir], { cwd: VALID });
      expect(synth.stderr).toBe('');
      expect(synth.code).toBe(0);
      const written = filesUnder(out.dir);
      expect(written).toHaveLength(2);
      expect(written.every((f) => /^[^/]+\/generated\/[^/]+-(eks-a-cluster|capi)\.yaml$/.test(f))).toBe(true);
    } finally {
      out.remove();
    }
  });
});
