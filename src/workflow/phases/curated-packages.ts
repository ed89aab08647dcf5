import type { ClusterInputs, KubeconfigText } from '../inputs';
import { runPhase, type PhaseOptions } from '../phase-run';
import type { Site } from '../site';
import { kubeconfigFile } from './gitops';
import {
  curatedPackagesCredentialsFromEnv,
  curatedPackagesInstallation,
} from '../../manifests/addons/curated-packages';
import { errorText } from '../../tools/error-text';

export interface CuratedPackagesInputs extends ClusterInputs {
  /** The cluster's own kubeconfig. */
  readonly workloadKubeconfig: KubeconfigText;
  /** For a workload cluster: its management cluster, whose package controller serves it. */
  readonly managementKubeconfig?: KubeconfigText;
}

export interface CuratedPackagesOutputs {
  /** `installed`, `present` (the release exists), `disabled` (`packages.disable`), `failed` (a warning). */
  readonly state: 'installed' | 'present' | 'disabled' | 'failed';
  readonly release?: string;
  readonly namespace?: string;
  readonly warning?: string;
}

/**
 * Phase 9: the curated packages controller (EKS-A A1.13): `helm upgrade --install` of the versions bundle's
 * eks-anywhere-packages chart into `eksa-packages` (of the management cluster, for a workload cluster). A failure
 * is a warning, as in EKS-A.
 */
export function curatedPackages(
  site: Site,
  inputs: CuratedPackagesInputs,
  options: PhaseOptions = {},
): Promise<CuratedPackagesOutputs> {
  return runPhase(
    site,
    'CuratedPackages',
    inputs,
    options,
    { managementKubeconfigGiven: !!inputs.managementKubeconfig },
    async (run, prepared) => {
      run.secret(inputs.workloadKubeconfig);
      run.secret(inputs.managementKubeconfig);
      return run.step('install-package-controller', async (control): Promise<CuratedPackagesOutputs> => {
        try {
          const credentials = curatedPackagesCredentialsFromEnv(site.env);
          for (const value of Object.values(credentials)) run.secret(value);
          const installation = curatedPackagesInstallation(prepared.config, prepared.root, { credentials });
          if (!installation) {
            control.skipped('packages.disable is set');
            return { state: 'disabled' };
          }
          const { install } = installation;
          let kubeconfigPath: string;
          if (installation.target === 'self') {
            kubeconfigPath = await kubeconfigFile(site, prepared.paths, inputs.workloadKubeconfig);
          } else {
            if (!inputs.managementKubeconfig) {
              throw new Error('a workload cluster needs managementKubeconfig');
            }
            kubeconfigPath = `${prepared.paths.generated}/management.kubeconfig`;
            await site.files.writeText(kubeconfigPath, inputs.managementKubeconfig, { secret: true });
          }
          const connection = await run.connect(installation.target === 'self' ? 'workload' : 'management', {
            file: kubeconfigPath,
          });
          // helm keeps each release revision in a Secret labelled owner=helm,name=<release>: a deployed one means
          // the controller is installed, and running helm again would only add a revision.
          const revisions = await connection.client.list('v1', 'Secret', {
            namespace: install.namespace,
            labelSelector: `owner=helm,name=${install.release},status=deployed`,
          });
          if (revisions.length > 0) {
            control.skipped(`release ${install.release} is deployed in ${install.namespace}`);
            return { state: 'present', release: install.release, namespace: install.namespace };
          }
          if (installation.registryLogin) {
            control.note(
              `the registry mirror ${installation.registryLogin} needs a helm registry login first (helm registry login); it is not done by eksa-iac`,
            );
          }
          await run.during('helm upgrade --install', () =>
            site.tools.helm.upgradeInstall(
              {
                release: install.release,
                chart: install.chart,
                version: install.version,
                namespace: install.namespace,
                kubeconfigPath: site.files.resolve(kubeconfigPath),
                values: install.values,
                createNamespace: install.createNamespace ?? true,
                ...(install.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
              },
              { signal: site.signal },
            ),
          );
          control.note(`helm release ${install.release} in ${install.namespace}`);
          return { state: 'installed', release: install.release, namespace: install.namespace };
        } catch (error) {
          const warning = run.redact(errorText(error));
          control.warning(`curated packages are not installed (the cluster works without them): ${warning}`);
          return { state: 'failed', warning };
        }
      });
    },
  );
}
