import { refuseWhileClusterRuns } from './delete-guard';
import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { managementMove } from '../../workflow/phases/management-move';
import { managementMoveSchema } from '../resources/management-move-schema';

/** Phase 4: providers on the new cluster, then the CAPI objects moved there from the bootstrap cluster. */
export const managementMoveHandler = definePhaseHandler({
  schema: managementMoveSchema,
  phase: 'ManagementMove',
  id: (inputs) => inputs.clusterName,
  run: (site, inputs, options) =>
    managementMove(
      site,
      {
        ...clusterInputsOf(inputs),
        bootstrapKubeconfig: inputs.bootstrapKubeconfig ?? '',
        workloadKubeconfig: inputs.workloadKubeconfig,
        ...(inputs.moveWith ? { moveWith: inputs.moveWith } : {}),
      },
      options,
    ),
  outputs: (result) => ({ managedBy: result.managedBy, state: result.state }),
  // The seam of the delete workflow, where management moves back to a bootstrap cluster (issue 6).
  delete: (site, olds, ctx) =>
    refuseWhileClusterRuns(
      site,
      olds.clusterName,
      olds.workloadKubeconfig,
      `deleting ManagementMove ${olds.clusterName}`,
      ctx.logger,
    ),
});
