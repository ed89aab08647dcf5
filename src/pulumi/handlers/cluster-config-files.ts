import { refuseWhileClusterRuns } from './delete-guard';
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
  // The files stay while the cluster runs: they are how its owners (and the delete workflow) reach it.
  delete: (site, olds, ctx) =>
    refuseWhileClusterRuns(
      site,
      olds.clusterName,
      olds.workloadKubeconfig,
      `deleting ClusterConfigFiles ${olds.clusterName}`,
      ctx.logger,
    ),
});
