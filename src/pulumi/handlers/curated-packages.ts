import { refuseWhileClusterRuns } from './delete-guard';
import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { curatedPackages } from '../../workflow/phases/curated-packages';
import { curatedPackagesSchema } from '../resources/curated-packages-schema';

/** Phase 9: the curated packages controller (a failure is a warning, as in EKS-A). */
export const curatedPackagesHandler = definePhaseHandler({
  schema: curatedPackagesSchema,
  phase: 'CuratedPackages',
  id: (inputs) => inputs.clusterName,
  run: (site, inputs, options) =>
    curatedPackages(
      site,
      {
        ...clusterInputsOf(inputs),
        workloadKubeconfig: inputs.workloadKubeconfig,
        ...(inputs.managementKubeconfig ? { managementKubeconfig: inputs.managementKubeconfig } : {}),
      },
      options,
    ),
  outputs: (result) => ({
    state: result.state,
    release: result.release ?? null,
    namespace: result.namespace ?? null,
    warning: result.warning ?? null,
  }),
  // The seam of the delete workflow, where package resources are deleted (issue 6).
  delete: (site, olds, ctx) =>
    refuseWhileClusterRuns(
      site,
      olds.clusterName,
      olds.workloadKubeconfig,
      `deleting CuratedPackages ${olds.clusterName}`,
      ctx.logger,
    ),
});
