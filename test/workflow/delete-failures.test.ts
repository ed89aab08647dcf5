// A fault in each step of the delete (a management cluster through kind, a workload cluster through its
// management cluster): a clear error naming the step, then a re-run that converges to nothing left.
import { DELETE_FAILURE_CASES, runDeleteFailureCase } from './support/lifecycle-failure-cases';

test.each(DELETE_FAILURE_CASES.map((c) => [`${c.phase}/${c.step}`, c.how, c] as const))(
  '%s fails when %s; a re-run converges',
  async (_step, _how, c) => {
    await runDeleteFailureCase(c);
  },
);
