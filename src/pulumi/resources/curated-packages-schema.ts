import {
  KUBECONFIG,
  PHASE_INPUT_SPECS,
  PHASE_STATUS_SPECS,
  type PhaseInputs,
  type PhaseStatus,
} from './phase-schema';
import { defineResourceSchema, libraryHandler } from '../resource-schema';

export interface CuratedPackagesResourceInputs extends PhaseInputs {
  /** WorkloadCluster's `kubeconfig` (secret). */
  readonly workloadKubeconfig: string;
  /** A workload cluster's management cluster (secret): its package controller serves the cluster. */
  readonly managementKubeconfig?: string;
}

export interface CuratedPackagesResourceOutputs extends PhaseStatus {
  /** `installed`, `present`, `disabled` (`packages.disable`), or `failed` (a warning). */
  readonly state: 'installed' | 'present' | 'disabled' | 'failed';
  readonly release: string | null;
  readonly namespace: string | null;
  readonly warning: string | null;
}

/** Phase 9 (optional): the curated packages controller. */
export const curatedPackagesSchema = defineResourceSchema<
  CuratedPackagesResourceInputs,
  CuratedPackagesResourceOutputs
>({
  module: 'cluster',
  type: 'CuratedPackages',
  handler: libraryHandler('CuratedPackages'),
  version: 1,
  inputs: { ...PHASE_INPUT_SPECS, workloadKubeconfig: KUBECONFIG, managementKubeconfig: KUBECONFIG },
  outputs: { ...PHASE_STATUS_SPECS, state: {}, release: {}, namespace: {}, warning: {} },
});
