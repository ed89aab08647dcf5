// A fault in each step of the upgrade (both strategies): a clear error naming the step, then a re-run that
// converges without rolling anything twice or repeating a completed move.
import { runUpgradeFailureCase, UPGRADE_FAILURE_CASES } from './support/lifecycle-failure-cases';

test.each(UPGRADE_FAILURE_CASES.map((c) => [`${c.phase}/${c.step}`, c.how, c] as const))(
  '%s fails when %s; a re-run converges',
  async (_step, _how, c) => {
    await runUpgradeFailureCase(c);
  },
);
