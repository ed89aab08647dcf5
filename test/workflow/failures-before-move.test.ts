// A fault in each step of the bootstrap cluster, the providers and the cluster itself: a clear error naming the
// step, diagnostics written, and a re-run that converges. (Split from the later phases so two workers share them.)
import { FAILURE_CASES, runFailureCase } from './support/failure-cases';

const cases = FAILURE_CASES.filter((c) =>
  ['BootstrapCluster', 'CapiProviders', 'WorkloadCluster'].includes(c.phase),
);

test.each(cases.map((c) => [`${c.phase}/${c.step}`, c.how, c] as const))(
  '%s fails when %s; a re-run converges',
  async (_step, _how, c) => {
    await runFailureCase(c);
  },
);
