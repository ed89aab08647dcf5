import { refuseWhileClusterRuns } from './delete-guard';
import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { isKubeApiError } from '../../kube/errors';
import { NO_RETRY } from '../../kube/retry';
import { capiApiVersion, DEFAULT_CAPI_CONTRACT } from '../../manifests/contract';
import { workloadCluster } from '../../workflow/phases/workload-cluster';
import { EKSA_SYSTEM_NAMESPACE } from '../../workflow/prepare';
import type { Site } from '../../workflow/site';
import { workloadClusterSchema } from '../resources/workload-cluster-schema';

/**
 * Phase 3: the cluster, through whichever cluster manages it now (bootstrap, itself, or its management cluster).
 * The seam for upgrades (issue 6) is `update`, which today runs the create phase again (a resume, or a changed
 * input applied the way a create applies it).
 */
export const workloadClusterHandler = definePhaseHandler({
  schema: workloadClusterSchema,
  phase: 'WorkloadCluster',
  id: (inputs) => inputs.clusterName,
  run: (site, inputs, options) =>
    workloadCluster(
      site,
      {
        ...clusterInputsOf(inputs),
        ...(inputs.bootstrapKubeconfig ? { bootstrapKubeconfig: inputs.bootstrapKubeconfig } : {}),
        ...(inputs.managementKubeconfig ? { managementKubeconfig: inputs.managementKubeconfig } : {}),
        ...(inputs.storageClasses ? { storageClasses: inputs.storageClasses } : {}),
      },
      options,
    ),
  outputs: (result) => ({
    namespace: result.namespace,
    kubeconfig: result.kubeconfig,
    kubeconfigPath: result.kubeconfigPath,
    endpoint: result.endpoint,
    managedBy: result.managedBy,
  }),
  checked: (_news, validated) => ({ manifestDigest: validated.manifestDigest }),
  // The seam of the delete workflow: refused while the cluster answers, or while a manager still holds its CAPI
  // objects (a create in progress, whose machines would be orphaned); forgotten otherwise.
  delete: async (site, olds, ctx) => {
    const what = `deleting WorkloadCluster ${olds.clusterName}`;
    for (const manager of [olds.bootstrapKubeconfig, olds.managementKubeconfig]) {
      if (manager && (await holdsCapiCluster(site, manager, olds.clusterName, olds.contract))) {
        throw new Error(
          `${what}: its Cluster API objects are still in its management cluster (a create that did not finish, or a ` +
            'cluster still being managed), and deleting them needs the delete workflow, which this version of ' +
            'eksa-iac does not have yet. Nothing was deleted and the state is kept.',
        );
      }
    }
    await refuseWhileClusterRuns(site, olds.clusterName, olds.kubeconfig, what, ctx.logger);
  },
});

/** Whether the cluster behind `kubeconfig` answers and holds the CAPI Cluster `<name>` in eksa-system. */
async function holdsCapiCluster(
  site: Site,
  kubeconfig: string,
  name: string,
  contract: string | undefined,
): Promise<boolean> {
  let connection;
  try {
    connection = await site.connect(
      { yaml: kubeconfig, name: 'management kubeconfig' },
      { retry: { read: NO_RETRY } },
    );
  } catch {
    return false;
  }
  try {
    const cluster = await connection.client.get({
      apiVersion: capiApiVersion('core', contract === 'v1beta1' ? 'v1beta1' : DEFAULT_CAPI_CONTRACT),
      kind: 'Cluster',
      namespace: EKSA_SYSTEM_NAMESPACE,
      name,
    });
    return cluster !== undefined;
  } catch (error) {
    // Not reachable (0), or CAPI not installed there (404): nothing held.
    if (isKubeApiError(error) && (error.statusCode === 0 || error.statusCode === 404)) return false;
    throw error;
  } finally {
    connection.close();
  }
}
