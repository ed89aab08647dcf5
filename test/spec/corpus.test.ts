import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ClusterConfigError,
  Issue,
  loadClusterConfigFile,
  setClusterDefaults,
  validateClusterConfig,
} from '../../src/spec';

// The versions a current-era bundle (../shared/bundles) carries.
const SUPPORTED = ['1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'];
const FIXTURES = path.resolve(__dirname, '../fixtures/spec');

interface CorpusCase {
  readonly file: string;
  readonly rule: string;
  readonly path: string;
  readonly messageIncludes: string;
}

/** What `eksa-iac validate` does: strict parse, defaults, validation; every issue, from whichever stage failed. */
function check(file: string): readonly Issue[] {
  try {
    const config = setClusterDefaults(loadClusterConfigFile(file), { env: {} });
    return validateClusterConfig(config, { supportedKubernetesVersions: SUPPORTED });
  } catch (e) {
    if (e instanceof ClusterConfigError) return e.issues;
    throw e;
  }
}

const cases: CorpusCase[] = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'invalid/cases.json'), 'utf8'));

describe('invalid corpus', () => {
  test('has at least 45 cases, one file each, and every file is listed', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    const files = fs.readdirSync(path.join(FIXTURES, 'invalid')).filter((f) => f.endsWith('.yaml'));
    expect(cases.map((c) => c.file).sort()).toEqual(files.sort());
    expect(new Set(cases.map((c) => c.file)).size).toBe(cases.length);
  });

  test.each(cases)('$file is rejected by $rule at $path', (c) => {
    const file = path.join(FIXTURES, 'invalid', c.file);
    const errors = check(file).filter((i) => i.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    // One rule per file: nothing else is wrong with it.
    expect(errors.map((e) => e.rule)).toEqual(errors.map(() => c.rule));
    const hit = errors.find((e) => e.path === c.path);
    expect(hit).toBeDefined();
    expect(hit!.message).toContain(c.messageIncludes);
    expect(hit!.file).toBe(file);
    expect(hit!.fix.length).toBeGreaterThan(0);
  });

  test('the error message of a rejected file names the file on every line', () => {
    const file = path.join(FIXTURES, 'invalid/unknown-field.yaml');
    let message = '';
    try {
      loadClusterConfigFile(file);
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = message.split('\n').slice(1);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.startsWith(`${file}:`)).toBe(true);
  });
});

describe('valid configs', () => {
  const files = fs.readdirSync(path.join(FIXTURES, 'valid')).filter((f) => f.endsWith('.yaml'));

  test('include a typical docker and a typical vSphere cluster', () => {
    expect(files).toEqual(expect.arrayContaining(['docker-typical.yaml', 'vsphere-typical.yaml']));
  });

  test.each(files)('%s passes with no errors and no warnings', (f) => {
    expect(check(path.join(FIXTURES, 'valid', f))).toEqual([]);
  });
});
