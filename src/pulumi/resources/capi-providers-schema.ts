import {
  KUBECONFIG,
  PHASE_INPUT_SPECS,
  PHASE_STATUS_SPECS,
  type PhaseInputs,
  type PhaseStatus,
} from './phase-schema';
import type { CapiProvider } from '../../workflow/capi-providers';
import { defineResourceSchema, libraryHandler } from '../resource-schema';

export interface CapiProvidersResourceInputs extends PhaseInputs {
  /** BootstrapCluster's `kubeconfig` (secret); empty when the bootstrap cluster is retired. */
  readonly bootstrapKubeconfig: string;
}

export interface CapiProvidersResourceOutputs extends PhaseStatus {
  /** The providers running on the bootstrap cluster (none when it is retired). */
  readonly providers: readonly CapiProvider[];
  /** `installed`, `present` (nothing to do) or `skipped` (no bootstrap cluster). */
  readonly state: 'installed' | 'present' | 'skipped';
}

/** Phase 2: the Cluster API providers on the bootstrap cluster. */
export const capiProvidersSchema = defineResourceSchema<
  CapiProvidersResourceInputs,
  CapiProvidersResourceOutputs
>({
  module: 'cluster',
  type: 'CapiProviders',
  handler: libraryHandler('CapiProviders'),
  version: 1,
  inputs: { ...PHASE_INPUT_SPECS, bootstrapKubeconfig: KUBECONFIG },
  outputs: { ...PHASE_STATUS_SPECS, providers: {}, state: {} },
});
