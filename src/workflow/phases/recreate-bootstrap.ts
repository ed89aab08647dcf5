import { kindClusterName } from '../../tools/kind-cli';
import { ownAccess } from '../cluster-access';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { runPhase, type PhaseOptions } from '../phase-run';
import type { Site } from '../site';
import { ensureTemporaryBootstrap, findBootstrap } from '../temporary-bootstrap';
import { locateSelfOrBootstrap } from './management-move-back';

export interface RecreateBootstrapInputs extends ClusterInputs {
  /** The cluster's own kubeconfig. @default `<c>/<c>-eks-a-cluster.kubeconfig` */
  readonly workloadKubeconfig?: KubeconfigText;
}

export interface RecreateBootstrapOutputs {
  readonly kindClusterName: string;
  /**
   * `created` (kind cluster and CAPI providers made or completed by this run), `present` (a bootstrap cluster holds
   * the CAPI objects already: an interrupted delete), `not-needed` (a workload cluster of another management cluster,
   * or no cluster holds its CAPI objects any more).
   */
  readonly state: 'created' | 'present' | 'not-needed';
  /** `<c>/generated/<c>.kind.kubeconfig` */
  readonly kubeconfigPath: string;
  /** Its content (secret); '' when not needed. */
  readonly bootstrapKubeconfig: KubeconfigText;
}

export const RECREATE_BOOTSTRAP_SECRET_OUTPUTS = ['bootstrapKubeconfig'] as const;

/**
 * BootstrapCleanup's delete (the seed's delete workflow: "create a management cluster, install CAPI"; research
 * A5.2–3): for a self-managed cluster that still holds its own CAPI objects, a kind bootstrap cluster with the
 * Cluster API providers, to move management to. The same kind cluster and providers as the create's; one left by
 * an interrupted run is adopted.
 */
export function recreateBootstrap(
  site: Site,
  inputs: RecreateBootstrapInputs,
  options: PhaseOptions = {},
): Promise<RecreateBootstrapOutputs> {
  const docker = inputs.config?.datacenter?.kind === 'DockerDatacenterConfig';
  return runPhase(
    site,
    'BootstrapCleanup',
    inputs,
    options,
    { tools: [...(docker ? (['docker'] as const) : []), 'kind', 'clusterctl'] },
    async (run, prepared) => {
      const name = kindClusterName(prepared.clusterName);
      const kubeconfigPath = prepared.paths.kindKubeconfig;
      const notNeeded = { kindClusterName: name, kubeconfigPath, bootstrapKubeconfig: '' };
      if (!prepared.selfManaged) {
        await run.step('create-bootstrap-cluster', async (control) =>
          control.skipped('a workload cluster is deleted through its management cluster'),
        );
        return { ...notNeeded, state: 'not-needed' };
      }
      const own = await ownAccess(run, prepared, inputs.workloadKubeconfig, { probe: true });
      const found = await findBootstrap(run, prepared);
      const location = await run.step('locate-manager', (control) =>
        locateSelfOrBootstrap(prepared, own, found, control),
      );
      if (location.state === 'absent') {
        await run.step('create-bootstrap-cluster', async (control) =>
          control.skipped('no cluster holds its CAPI objects: nothing to move'),
        );
        return { ...notNeeded, state: 'not-needed' };
      }
      if (location.state === 'held' && location.holder.role === 'bootstrap' && found) {
        await run.step('create-bootstrap-cluster', async (control) =>
          control.skipped(`kind cluster ${name} holds the CAPI objects already`),
        );
        return {
          ...notNeeded,
          state: 'present',
          bootstrapKubeconfig: (await site.files.readText(kubeconfigPath)) ?? '',
        };
      }
      await ensureTemporaryBootstrap(run, prepared);
      const text = (await site.files.readText(kubeconfigPath)) ?? '';
      run.secret(text);
      return { ...notNeeded, state: 'created', bootstrapKubeconfig: text };
    },
  );
}
