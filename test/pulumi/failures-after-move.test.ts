// A fault in each step from the move on, through pulumi up: a clear error naming the step, diagnostics written, and
// a next pulumi up that resumes and converges.
import { runFailureCaseThroughPulumi } from './support/failure-run';
import { FAILURE_CASES } from '../workflow/support/failure-cases';

const cases = FAILURE_CASES.filter(
  (c) => !['BootstrapCluster', 'CapiProviders', 'WorkloadCluster'].includes(c.phase),
);

test.each(cases.map((c) => [`${c.phase}/${c.step}`, c.how, c] as const))(
  '%s fails when %s; the next pulumi up resumes and converges',
  async (_step, _how, c) => {
    await runFailureCaseThroughPulumi(c);
  },
);
