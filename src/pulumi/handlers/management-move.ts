import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { managementMove } from '../../workflow/phases/management-move';
import { managementMoveBack } from '../../workflow/phases/management-move-back';
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
  // The seed's "move cluster management" of the delete: EKS-A reconciliation and Flux paused, then the CAPI
  // objects moved back to the bootstrap cluster BootstrapCleanup's delete made (asked of kind: the one in state
  // was deleted by the create). An interrupted move is completed; one done already is left alone.
  delete: async (site, olds) => {
    await managementMoveBack(site, {
      ...clusterInputsOf(olds),
      ...(olds.workloadKubeconfig ? { workloadKubeconfig: olds.workloadKubeconfig } : {}),
    });
  },
});
