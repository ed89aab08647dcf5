import { refuseWhileClusterRuns } from './delete-guard';
import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { eksaComponents } from '../../workflow/phases/eksa-components';
import { eksaComponentsSchema } from '../resources/eksa-components-schema';

/** Phase 5: the EKS-A components and the cluster's EKS-A objects. */
export const eksaComponentsHandler = definePhaseHandler({
  schema: eksaComponentsSchema,
  phase: 'EksaComponents',
  id: (inputs) => inputs.clusterName,
  run: (site, inputs, options) =>
    eksaComponents(
      site,
      {
        ...clusterInputsOf(inputs),
        workloadKubeconfig: inputs.workloadKubeconfig,
        ...(inputs.managementKubeconfig ? { managementKubeconfig: inputs.managementKubeconfig } : {}),
      },
      options,
    ),
  outputs: (result) => ({
    eksaVersion: result.eksaVersion,
    objectsIn: result.objectsIn,
    objects: result.objects,
  }),
  // The seam of the delete workflow, where EKS-A reconciliation is paused (issue 6).
  delete: (site, olds, ctx) =>
    refuseWhileClusterRuns(
      site,
      olds.clusterName,
      olds.workloadKubeconfig,
      `deleting EksaComponents ${olds.clusterName}`,
      ctx.logger,
    ),
});
