import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { kindClusterName } from '../../tools/kind-cli';
import { bootstrapCleanup } from '../../workflow/phases/bootstrap-cleanup';
import { bootstrapCluster } from '../../workflow/phases/bootstrap-cluster';
import { bootstrapClusterSchema } from '../resources/bootstrap-cluster-schema';

/** Phase 1: `kind create cluster` `<c>-eks-a-cluster` (adopted when it exists), its kubeconfig, `eksa-system`. */
export const bootstrapClusterHandler = definePhaseHandler({
  schema: bootstrapClusterSchema,
  phase: 'BootstrapCluster',
  id: (inputs) => kindClusterName(inputs.clusterName),
  run: (site, inputs, options) => bootstrapCluster(site, clusterInputsOf(inputs), options),
  outputs: (result) => ({
    kindClusterName: result.kindClusterName,
    state: result.state,
    kubeconfigPath: result.kubeconfigPath,
    kubeconfig: result.kubeconfig,
  }),
  // The kind cluster, if it is still there and manages no provisioned cluster (BootstrapCleanup's guard): deleting
  // it then orphans nothing. Tolerant of a cluster deleted already.
  delete: async (site, olds) => {
    await bootstrapCleanup(site, clusterInputsOf(olds));
  },
});
