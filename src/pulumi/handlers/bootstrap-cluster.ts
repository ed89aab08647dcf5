import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { kindClusterName } from '../../tools/kind-cli';
import { bootstrapCluster } from '../../workflow/phases/bootstrap-cluster';
import { bootstrapClusterDelete, clusterConfigFilesDelete } from '../../workflow/phases/delete-cleanup';
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
  // The last of the seed's delete: the kind cluster (refused while it still holds the cluster's CAPI Cluster: its
  // machines would be orphaned; tolerant of one gone already), then the files eksa-iac wrote for the cluster.
  delete: async (site, olds) => {
    await bootstrapClusterDelete(site, clusterInputsOf(olds));
    await clusterConfigFilesDelete(site, clusterInputsOf(olds));
  },
});
