/**
 * Parity with EKS-A's vSphere provider: every case of ../shared/oracle/eksa-vsphere runs through the CLI's argv
 * with exactly the case's environment (every other variable cleared) and the written CAPI file must equal EKS-A's
 * golden file under the oracle README's rules. The file holds vCenter credentials, so it must be 0600 and the
 * credentials must not appear in what the command prints.
 */
import { VSPHERE_ORACLE } from '../helpers/cli-runner';
import { oracleCases, runOracleCase } from '../helpers/oracle-parity';

const cases = oracleCases(VSPHERE_ORACLE);

test('the oracle has its five cases, in both contracts', () => {
  expect(cases.map((c) => c.case).sort()).toStrictEqual([
    'head-certsan-ip',
    'head-cp-kubeletconfig',
    'head-worker-networks',
    'pre-main',
    'pre-mirror-config',
  ]);
  expect(new Set(cases.map((c) => c.contract))).toStrictEqual(new Set(['v1beta1', 'v1beta2']));
});

describe.each(cases.map((c) => [c.case, c] as const))('%s', (_name, c) => {
  test(`synthesizes EKS-A's expected CAPI objects (${c.contract}, ${c.match}, scope ${JSON.stringify(c.scope)})`, async () => {
    const result = await runOracleCase(VSPHERE_ORACLE, c);
    expect(result.run.stderr).not.toMatch(/problem/);
    expect(result.run.code).toBe(0);
    expect(result.comparison?.differences).toStrictEqual([]);
    // The credentials Secrets are always there (empty without credentials): the file is 0600.
    expect(result.mode).toBe(0o600);
    for (const value of Object.values(c.env)) {
      expect(result.run.stdout).not.toContain(value);
      expect(result.run.stderr).not.toContain(value);
    }
  });
});
