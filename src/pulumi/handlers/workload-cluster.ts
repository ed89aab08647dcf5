import { definePhaseHandler } from './phase-handler';
import { clusterInputsOf } from './validate-inputs';
import { isSelfManaged } from '../../spec/cluster-config';
import { clusterConfigFilesDelete } from '../../workflow/phases/delete-cleanup';
import { upgradeWorkloadCluster } from '../../workflow/phases/upgrade-workload-cluster';
import { workloadCluster } from '../../workflow/phases/workload-cluster';
import { deleteWorkloadCluster } from '../../workflow/phases/workload-cluster-delete';
import { planUpgradeFromConfigs } from '../../workflow/plan-upgrade';
import { deepEqual } from '../input-diff';
import { workloadClusterSchema } from '../resources/workload-cluster-schema';

/**
 * Phase 3: the cluster, through whichever cluster manages it now (bootstrap, itself, or its management cluster).
 * `create` runs the create phase; `update` upgrades a cluster that exists (the rollout, by `upgradeStrategy`) or
 * resumes a create that failed before the cluster existed; `delete` deletes it through its current manager and
 * waits until its machines are gone (the heart of the seed's delete workflow).
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
  // The cluster exists once a create or an upgrade returned its kubeconfig (a failed upgrade keeps the old outputs,
  // a failed create has none): then a change is an upgrade, from the config the cluster last ran (the old inputs,
  // kept in state while an upgrade is incomplete); before that, the create is resumed.
  update: (site, olds, news, options) =>
    olds.kubeconfig
      ? upgradeWorkloadCluster(
          site,
          {
            ...clusterInputsOf(news),
            previousConfig: olds.config,
            workloadKubeconfig: olds.kubeconfig,
            ...(news.managementKubeconfig ? { managementKubeconfig: news.managementKubeconfig } : {}),
            ...(news.upgradeStrategy ? { strategy: news.upgradeStrategy } : {}),
          },
          options,
        )
      : workloadCluster(
          site,
          {
            ...clusterInputsOf(news),
            ...(news.bootstrapKubeconfig ? { bootstrapKubeconfig: news.bootstrapKubeconfig } : {}),
            ...(news.managementKubeconfig ? { managementKubeconfig: news.managementKubeconfig } : {}),
            ...(news.storageClasses ? { storageClasses: news.storageClasses } : {}),
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
  // The preview's plan: both configs rendered (the new one with the old one's templates, so that names roll as
  // EKS-A's do), no cluster asked. Unchanged cluster inputs keep the plan of the last change.
  planned: async (site, olds, news, ctx) => {
    if (!olds.config || deepEqual(clusterInputsOf(olds as typeof news), clusterInputsOf(news))) {
      return { rolloutPlan: olds.rolloutPlan };
    }
    try {
      const plan = await planUpgradeFromConfigs(
        site,
        clusterInputsOf(olds as typeof news),
        clusterInputsOf(news),
      );
      return { rolloutPlan: plan.lines };
    } catch (error) {
      // The new inputs were validated already; an old side that no longer renders (bundles gone) has no plan.
      ctx.logger.warn(`no rollout plan: ${(error as Error).message.split('\n')[0]}`);
      return { rolloutPlan: undefined };
    }
  },
  // Through the cluster that manages it now (asked, never assumed): a self-managed cluster has been moved to the
  // bootstrap cluster by ManagementMove's delete before this runs; a workload cluster is deleted through its
  // management cluster, and its files go with it (a management cluster's go after its bootstrap cluster).
  delete: async (site, olds) => {
    await deleteWorkloadCluster(site, {
      ...clusterInputsOf(olds),
      ...(olds.kubeconfig ? { workloadKubeconfig: olds.kubeconfig } : {}),
      ...(olds.managementKubeconfig ? { managementKubeconfig: olds.managementKubeconfig } : {}),
    });
    if (!isSelfManaged(olds.config.cluster)) await clusterConfigFilesDelete(site, clusterInputsOf(olds));
  },
});
