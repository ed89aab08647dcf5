import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { clusterConfigFiles } from '../../workflow/phases/cluster-config-files';
import { clusterConfigFilesSchema } from '../resources/cluster-config-files-schema';

/** Phase 7: `<c>/<c>-eks-a-cluster.yaml` and `<c>/<c>-eks-a-cluster.kubeconfig` (0600). */
export const clusterConfigFilesHandler = definePhaseHandler({
  schema: clusterConfigFilesSchema,
  phase: 'ClusterConfigFiles',
  id: (inputs) => inputs.clusterName,
  run: (site, inputs, options) =>
    clusterConfigFiles(
      site,
      { ...clusterInputsOf(inputs), workloadKubeconfig: inputs.workloadKubeconfig },
      options,
    ),
  outputs: (result, _inputs, site) => ({
    clusterConfigPath: result.clusterConfigPath,
    kubeconfigPath: result.kubeconfigPath,
    kubeconfigFile: site.files.resolve(result.kubeconfigPath),
    kubeconfig: result.kubeconfig,
  }),
  // Nothing here: the files are how the deletes after this one (and the cluster's owners) reach the cluster, so they
  // are removed once it is gone — by BootstrapCluster's delete, or WorkloadCluster's for a workload cluster.
});
