// A fault in each step from the move on: a clear error naming the step, diagnostics written, and a re-run that
// converges.
import { FAILURE_CASES, runFailureCase } from './support/failure-cases';

const cases = FAILURE_CASES.filter(
  (c) => !['BootstrapCluster', 'CapiProviders', 'WorkloadCluster'].includes(c.phase),
);

test.each(cases.map((c) => [`${c.phase}/${c.step}`, c.how, c] as const))(
  '%s fails when %s; a re-run converges',
  async (_step, _how, c) => {
    await runFailureCase(c);
  },
);
