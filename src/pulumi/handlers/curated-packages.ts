import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { curatedPackages } from '../../workflow/phases/curated-packages';
import { curatedPackagesDelete } from '../../workflow/phases/delete-cleanup';
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
  // The seed's "delete package resources", first of the reverse order: on the cluster that holds them (a workload
  // cluster's management cluster, or the cluster itself). What is gone already is fine.
  delete: async (site, olds) => {
    await curatedPackagesDelete(site, {
      ...clusterInputsOf(olds),
      ...(olds.workloadKubeconfig ? { workloadKubeconfig: olds.workloadKubeconfig } : {}),
      ...(olds.managementKubeconfig ? { managementKubeconfig: olds.managementKubeconfig } : {}),
    });
  },
});
