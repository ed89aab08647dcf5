import type { ClusterInputs, KubeconfigText } from '../inputs';
import { runPhase, type PhaseOptions } from '../phase-run';
import type { Site } from '../site';

export interface ClusterConfigFilesInputs extends ClusterInputs {
  /** The cluster's kubeconfig (WorkloadCluster's `kubeconfig`). */
  readonly workloadKubeconfig: KubeconfigText;
}

export interface ClusterConfigFilesOutputs {
  /** `<c>/<c>-eks-a-cluster.yaml` */
  readonly clusterConfigPath: string;
  /** `<c>/<c>-eks-a-cluster.kubeconfig` (0600) */
  readonly kubeconfigPath: string;
  /** Its content (secret). */
  readonly kubeconfig: KubeconfigText;
}

export const CLUSTER_CONFIG_FILES_SECRET_OUTPUTS = ['kubeconfig'] as const;

/**
 * Phase 7: the files users keep (the seed's "write ClusterConfig"): the EKS-A config with its defaults, written to
 * `<c>/generated/<c>-eks-a-cluster.yaml` and moved to `<c>/<c>-eks-a-cluster.yaml`, and the kubeconfig moved from
 * `<c>/generated/` to `<c>/<c>-eks-a-cluster.kubeconfig` (0600).
 */
export function clusterConfigFiles(
  site: Site,
  inputs: ClusterConfigFilesInputs,
  options: PhaseOptions = {},
): Promise<ClusterConfigFilesOutputs> {
  return runPhase(site, 'ClusterConfigFiles', inputs, options, {}, async (run, prepared) => {
    run.secret(inputs.workloadKubeconfig);
    const { paths } = prepared;
    const { files } = site;
    await run.step('write-cluster-config', async (control) => {
      const yaml = prepared.synthesized.eksaYaml();
      if ((await files.readText(paths.clusterConfig)) === yaml) {
        control.skipped(`${paths.clusterConfig} is up to date`);
        return;
      }
      await files.writeText(paths.generatedClusterConfig, yaml);
      await files.rename(paths.generatedClusterConfig, paths.clusterConfig);
      control.note(paths.clusterConfig);
    });
    await run.step('move-kubeconfig', async (control) => {
      const generated = await files.readText(paths.generatedKubeconfig);
      if (generated !== undefined) {
        if (generated !== inputs.workloadKubeconfig) {
          await files.writeText(paths.generatedKubeconfig, inputs.workloadKubeconfig, { secret: true });
        }
        await files.rename(paths.generatedKubeconfig, paths.kubeconfig, { secret: true });
        control.note(`${paths.generatedKubeconfig} → ${paths.kubeconfig}`);
        return;
      }
      if ((await files.readText(paths.kubeconfig)) === inputs.workloadKubeconfig) {
        control.skipped(`${paths.kubeconfig} is up to date`);
        return;
      }
      await files.writeText(paths.kubeconfig, inputs.workloadKubeconfig, { secret: true });
      control.note(paths.kubeconfig);
    });
    return {
      clusterConfigPath: paths.clusterConfig,
      kubeconfigPath: paths.kubeconfig,
      kubeconfig: inputs.workloadKubeconfig,
    };
  });
}
