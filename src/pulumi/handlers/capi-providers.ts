import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { capiProviders } from '../../workflow/phases/capi-providers';
import { capiProvidersSchema } from '../resources/capi-providers-schema';

/** Phase 2: `clusterctl init` of the providers on the bootstrap cluster, and their waits. */
export const capiProvidersHandler = definePhaseHandler({
  schema: capiProvidersSchema,
  phase: 'CapiProviders',
  id: (inputs) => inputs.clusterName,
  run: (site, inputs, options) =>
    capiProviders(
      site,
      {
        ...clusterInputsOf(inputs),
        bootstrapKubeconfig: inputs.bootstrapKubeconfig ?? '',
      },
      options,
    ),
  outputs: (result) => ({ providers: result.providers, state: result.state }),
  // No delete: the providers go with the cluster they run on.
});
