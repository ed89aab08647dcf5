import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { kindClusterName } from '../../tools/kind-cli';
import { bootstrapCleanup } from '../../workflow/phases/bootstrap-cleanup';
import { recreateBootstrap } from '../../workflow/phases/recreate-bootstrap';
import { bootstrapCleanupSchema } from '../resources/bootstrap-cleanup-schema';

/** Phase 8: the bootstrap cluster deleted, unless it still manages a provisioned cluster. */
export const bootstrapCleanupHandler = definePhaseHandler({
  schema: bootstrapCleanupSchema,
  phase: 'BootstrapCleanup',
  id: (inputs) => kindClusterName(inputs.clusterName),
  run: (site, inputs, options) => bootstrapCleanup(site, clusterInputsOf(inputs), options),
  outputs: (result) => ({ kindClusterName: result.kindClusterName, state: result.state }),
  // The seed's delete starts here ("create a management cluster, install CAPI"): a kind bootstrap cluster with the
  // CAPI providers, for ManagementMove's delete to move management back to. Only for a cluster that still holds
  // its own CAPI objects; one left by an interrupted destroy is adopted.
  delete: async (site, olds) => {
    await recreateBootstrap(site, clusterInputsOf(olds));
  },
});
