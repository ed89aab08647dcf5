/**
 * Parity with EKS-A: every case of ../shared/oracle/eksa-docker runs through the CLI's argv, with exactly the
 * case's environment, and the written CAPI file must equal EKS-A's golden file under the oracle README's rules.
 */
import { DOCKER_ORACLE } from '../helpers/cli-runner';
import { oracleCases, runOracleCase } from '../helpers/oracle-parity';

const cases = oracleCases(DOCKER_ORACLE);

test('the oracle has cases to run', () => {
  expect(cases.length).toBeGreaterThanOrEqual(13);
});

describe.each(cases.map((c) => [c.case, c] as const))('%s', (_name, c) => {
  test(`synthesizes EKS-A's expected CAPI objects (${c.contract}, ${c.match}, scope ${JSON.stringify(c.scope)})`, async () => {
    const result = await runOracleCase(DOCKER_ORACLE, c);
    expect(result.run.stderr).not.toMatch(/problem/);
    expect(result.run.code).toBe(0);
    expect(result.comparison?.differences).toStrictEqual([]);
  });
});
