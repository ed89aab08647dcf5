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
  // Nothing of its own: EKS-A reconciliation and Flux are paused by ManagementMove's delete, right before the move
  // back (so that the controller cannot re-create what the delete removes), and the components die with the cluster.
});
