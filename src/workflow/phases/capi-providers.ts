import { initProviders, waitForProviderControllers, type CapiProvider } from '../capi-providers';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { runPhase, type PhaseOptions } from '../phase-run';
import type { Site } from '../site';

export interface CapiProvidersInputs extends ClusterInputs {
  /** The bootstrap cluster's kubeconfig (BootstrapCluster's `kubeconfig`); empty when it is retired. */
  readonly bootstrapKubeconfig: KubeconfigText;
}

export interface CapiProvidersOutputs {
  /** The providers running on the bootstrap cluster; empty when there is none. */
  readonly providers: readonly CapiProvider[];
  /** `installed`, `present` (nothing to do) or `skipped` (no bootstrap cluster: the cluster manages itself). */
  readonly state: 'installed' | 'present' | 'skipped';
}

/**
 * Phase 2: the Cluster API providers on the bootstrap cluster (EKS-A A1.4) — core, kubeadm bootstrap and control
 * plane, both etcdadm providers, the infrastructure provider — and their Available waits. The clusterctl config
 * and local repository are written under `<c>/generated/`.
 */
export function capiProviders(
  site: Site,
  inputs: CapiProvidersInputs,
  options: PhaseOptions = {},
): Promise<CapiProvidersOutputs> {
  return runPhase(
    site,
    'CapiProviders',
    inputs,
    options,
    { tools: ['clusterctl'] },
    async (run, prepared) => {
      if (!inputs.bootstrapKubeconfig) {
        await run.step('install-providers', async (control) =>
          control.skipped('no bootstrap cluster: the cluster manages itself'),
        );
        return { providers: [], state: 'skipped' };
      }
      run.secret(inputs.bootstrapKubeconfig);
      // clusterctl reads the kubeconfig from a file: the kind kubeconfig, rewritten from the input when missing.
      const kubeconfigPath = prepared.paths.kindKubeconfig;
      if ((await site.files.readText(kubeconfigPath)) !== inputs.bootstrapKubeconfig) {
        await site.files.writeText(kubeconfigPath, inputs.bootstrapKubeconfig, { secret: true });
      }
      const connection = await run.connect('bootstrap', { file: kubeconfigPath });
      const installed = await run.step('install-providers', (control) =>
        initProviders(run, prepared, connection, kubeconfigPath, control),
      );
      await run.step('wait-providers', () => waitForProviderControllers(run, prepared, connection));
      return { providers: installed.providers, state: installed.state };
    },
  );
}
