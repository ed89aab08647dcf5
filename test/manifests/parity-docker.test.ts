/**
 * Parity with EKS-A: every case of ../shared/oracle/eksa-docker runs through the CLI's argv, with exactly the
 * case's environment, and the written CAPI file must equal EKS-A's golden file under the oracle README's rules.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DOCKER_ORACLE, runCli, tempDir } from '../helpers/cli-runner';
import { compareManifestTexts, type CompareScope, type MatchMode } from '../helpers/manifest-compare';

interface OracleCase {
  readonly case: string;
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly expected: string;
  readonly match: MatchMode;
  readonly scope: CompareScope;
  readonly output: string;
  readonly contract: string;
}

const cases: OracleCase[] = JSON.parse(readFileSync(path.join(DOCKER_ORACLE, 'cases.json'), 'utf8'));

test('the oracle has cases to run', () => {
  expect(cases.length).toBeGreaterThanOrEqual(13);
});

describe.each(cases.map((c) => [c.case, c] as const))('%s', (_name, c) => {
  test(`synthesizes EKS-A's expected CAPI objects (${c.contract}, ${c.match}, scope ${JSON.stringify(c.scope)})`, async () => {
    const out = tempDir('parity');
    try {
      const argv = c.argv.map((a) => (a === 'OUT' ? out.dir : a));
      // Paths in argv are relative to the oracle folder; nothing is written there (--out is the temp folder).
      const run = await runCli(argv, { cwd: DOCKER_ORACLE, env: c.env });
      expect(run.stderr).not.toMatch(/problem/);
      expect(run.code).toBe(0);
      const generated = readFileSync(c.output.replace(/^OUT/, out.dir), 'utf8');
      const expected = readFileSync(path.join(DOCKER_ORACLE, c.expected), 'utf8');
      const result = compareManifestTexts(expected, generated, { match: c.match, scope: c.scope });
      expect(result.differences).toStrictEqual([]);
    } finally {
      out.remove();
    }
  });
});
