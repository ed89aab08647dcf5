import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { gitOpsDelete } from '../../workflow/phases/delete-cleanup';
import { gitOps } from '../../workflow/phases/gitops';
import { gitOpsSchema } from '../resources/gitops-schema';

/** Phase 6: Flux bootstrapped when the config has a `gitOpsRef` (a failure is a warning, as in EKS-A). */
export const gitOpsHandler = definePhaseHandler({
  schema: gitOpsSchema,
  phase: 'GitOps',
  id: (inputs) => inputs.clusterName,
  run: (site, inputs, options) =>
    gitOps(site, { ...clusterInputsOf(inputs), workloadKubeconfig: inputs.workloadKubeconfig }, options),
  outputs: (result) => ({
    state: result.state,
    warning: result.warning ?? null,
    repositoryFilesDir: result.repositoryFilesDir ?? null,
  }),
  // The seed's "clean the git repository": the cluster's path in it.
  delete: async (site, olds) => {
    await gitOpsDelete(site, clusterInputsOf(olds));
  },
});
