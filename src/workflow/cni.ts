import { applyObjects } from './apply';
import type { ClusterConnection } from './cluster-connection';
import { parseManifest } from './manifest';
import type { PhaseRun, StepControl } from './phase-run';
import type { PreparedCluster } from './prepare';
import type { KubeObject } from '../kube/types';
import { ciliumManifest, type CiliumInstallationOptions } from '../manifests/addons/cilium-installation';
import { cniInstallation } from '../manifests/addons/cni';
import { configureKindnetdManifest } from '../manifests/addons/kindnetd';

/**
 * Installs the cluster's CNI on the new cluster: Cilium rendered by `helm template` from the versions bundle's
 * chart with EKS-A's values (plus the allow-all policies of `policyEnforcementMode: always`), or the bundle's
 * kindnetd manifest; then server-side applied. An unchanged manifest applies as a no-op. `options` render Cilium for
 * an upgrade (`upgradeFromVersion`).
 */
export async function installCni(
  run: PhaseRun,
  prepared: PreparedCluster,
  workload: ClusterConnection,
  control: StepControl,
  options: CiliumInstallationOptions = {},
): Promise<'cilium' | 'kindnetd'> {
  const cni = cniInstallation(prepared.config, prepared.root, options);
  let objects: KubeObject[];
  if (cni.plugin === 'cilium') {
    const { template } = cni.cilium;
    const rendered = await run.during('helm template', () =>
      run.site.tools.helm.template(
        {
          chart: template.chart,
          version: template.version,
          namespace: template.namespace,
          values: template.values,
          ...(template.releaseName ? { releaseName: template.releaseName } : {}),
          ...(template.kubeVersion ? { kubeVersion: template.kubeVersion } : {}),
          ...(template.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
        },
        { signal: run.site.signal },
      ),
    );
    objects = parseManifest(ciliumManifest(rendered, cni.cilium), `helm template ${template.chart}`);
    control.note(`cilium ${template.version}: ${objects.length} objects`);
  } else {
    const uri = cni.kindnetd.manifestUri;
    objects = configureKindnetdManifest(await run.site.fetchText(uri, run.site.signal), prepared.config, uri);
    control.note(`kindnetd: ${objects.length} objects`);
  }
  await applyObjects(run, workload.client, objects, cni.plugin);
  return cni.plugin;
}
