import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { kindClusterName } from '../../tools/kind-cli';
import { bootstrapCleanup } from '../../workflow/phases/bootstrap-cleanup';
import { bootstrapCleanupSchema } from '../resources/bootstrap-cleanup-schema';

/** Phase 8: the bootstrap cluster deleted, unless it still manages a provisioned cluster. */
export const bootstrapCleanupHandler = definePhaseHandler({
  schema: bootstrapCleanupSchema,
  phase: 'BootstrapCleanup',
  id: (inputs) => kindClusterName(inputs.clusterName),
  run: (site, inputs, options) => bootstrapCleanup(site, clusterInputsOf(inputs), options),
  outputs: (result) => ({ kindClusterName: result.kindClusterName, state: result.state }),
  // No delete of its own: it made nothing. The delete workflow (issue 6) creates a bootstrap cluster here, to move
  // management back to before the cluster is deleted.
});
