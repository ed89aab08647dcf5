import { isKubeApiError } from '../../kube/errors';
import type { KubeObject } from '../../kube/types';
import { EKSA_CILIUM_ANNOTATION } from '../../manifests/addons/cilium-upgrade';
import { ciliumConfigOf } from '../../manifests/addons/cilium-values';
import {
  annotationMergePatch,
  MANAGED_BY_CLI_ANNOTATION,
  MANAGEMENT_COMPONENTS_VERSION_ANNOTATION,
  PAUSED_ANNOTATION,
  resumeReconcilePatches,
} from '../../manifests/addons/eksa-annotations';
import { configureEksaComponents, eksaComponentsPlan } from '../../manifests/addons/eksa-components';
import { UPGRADER_CONFIG_MAP_NAME } from '../../manifests/addons/eksa-release-objects';
import { EKSA_API_VERSION } from '../../spec/meta';
import { applyObjects, ensureNamespace } from '../apply';
import type { ClusterConnection } from '../cluster-connection';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { parseManifest } from '../manifest';
import { runPhase, type PhaseOptions, type PhaseRun, type StepControl } from '../phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from '../prepare';
import type { Site } from '../site';
import { waitForDeployments } from '../waits';

export interface EksaComponentsInputs extends ClusterInputs {
  /** The cluster's own kubeconfig (WorkloadCluster's `kubeconfig`). */
  readonly workloadKubeconfig: KubeconfigText;
  /** For a workload cluster: its management cluster, which runs the EKS-A controller and gets the objects. */
  readonly managementKubeconfig?: KubeconfigText;
}

export interface EksaComponentsOutputs {
  /** The EKS-A version of the components (the EKSARelease recorded); empty for a workload cluster. */
  readonly eksaVersion: string;
  /** Where the EKS-A objects were created. */
  readonly objectsIn: 'self' | 'management';
  /** `<kind>/<name>` of each EKS-A object applied. */
  readonly objects: readonly string[];
}

/**
 * Phase 5: the cluster becomes an EKS-A cluster (EKS-A A1.9, A2.12). On a management cluster: the EKS-D CRDs,
 * the EKS-A components (CRDs, webhooks, `eksa-controller-manager`, set up with the cluster's proxy and feature
 * flags) and a wait for the controller, then the Bundles, the upgrader ConfigMap, the EKSARelease and the EKS-D
 * Release objects. Then the EKS-A objects of the config, created paused (so that the controller does not act on a
 * half-written cluster) and resumed. A workload cluster's objects go to its management cluster, whose controller
 * manages it.
 */
export function eksaComponents(
  site: Site,
  inputs: EksaComponentsInputs,
  options: PhaseOptions = {},
): Promise<EksaComponentsOutputs> {
  return runPhase(
    site,
    'EksaComponents',
    inputs,
    options,
    { components: ['eksa'], managementKubeconfigGiven: !!inputs.managementKubeconfig },
    async (run, prepared) => {
      run.secret(inputs.workloadKubeconfig);
      run.secret(inputs.managementKubeconfig);
      let target: ClusterConnection;
      let eksaVersion = '';
      if (prepared.selfManaged) {
        target = await run.connect('workload', {
          yaml: inputs.workloadKubeconfig,
          name: 'cluster kubeconfig',
        });
        eksaVersion = await installEksaComponents(run, prepared, target);
      } else {
        if (!inputs.managementKubeconfig) {
          throw new Error(`workload cluster ${prepared.clusterName}: give managementKubeconfig`);
        }
        target = await run.connect('management', {
          yaml: inputs.managementKubeconfig,
          name: 'management kubeconfig',
        });
        await run.step('check-eksa-components', async (control) => {
          try {
            await target.client.resource(EKSA_API_VERSION, 'Cluster');
          } catch (error) {
            if (isKubeApiError(error) && error.statusCode === 404) {
              throw new Error(
                'the management cluster has no EKS-A components (the anywhere.eks.amazonaws.com Cluster kind is not served); create it with eksa-iac or EKS-A first',
              );
            }
            throw error;
          }
          control.skipped('the management cluster runs the EKS-A components');
        });
      }
      const objects = await run.step('apply-eksa-objects', (control) =>
        applyEksaObjects(run, prepared, target, eksaVersion, control),
      );
      await run.step('resume-reconcile', (control) => resume(run, prepared, target, control));
      return {
        eksaVersion,
        objectsIn: prepared.selfManaged ? 'self' : 'management',
        objects: objects.map((o) => `${o.kind}/${o.metadata.name}`),
      };
    },
  );
}

/**
 * The EKS-A components of a management cluster (EKS-A A1.5/A1.9): the EKS-D CRDs, the components manifest (CRDs,
 * webhooks, `eksa-controller-manager`, set up with the cluster's proxy and feature flags), a wait for the
 * controller, then the Bundles, the upgrader ConfigMap, the EKSARelease and the EKS-D Release objects. Server-side
 * applied, so running it again (an upgrade to the same release, a resume) changes nothing. Returns the EKS-A version
 * recorded in the EKSARelease.
 */
export async function installEksaComponents(
  run: PhaseRun,
  prepared: PreparedCluster,
  target: ClusterConnection,
): Promise<string> {
  const { site } = run;
  const plan = eksaComponentsPlan(
    prepared.bundles,
    prepared.resolved,
    { version: releaseVersion(prepared) },
    {
      existingUpgraderImages: await existingUpgraderImages(target),
      deploymentWaitMs: prepared.timeouts.deploymentMs,
    },
  );
  await run.step('install-eksd-crds', async (control) => {
    for (const uri of plan.eksdCrdManifestUris) {
      await applyObjects(
        run,
        target.client,
        parseManifest(await site.fetchText(uri, site.signal), uri),
        'EKS-D CRDs',
      );
    }
    control.note(`${plan.eksdCrdManifestUris.length} manifest(s)`);
  });
  await run.step('install-eksa-components', async (control) => {
    const uri = plan.componentsManifestUri;
    const objects = configureEksaComponents(await site.fetchText(uri, site.signal), prepared.config, {
      featureFlags: prepared.featureFlags,
      source: uri,
    });
    await applyObjects(run, target.client, objects, 'EKS-A components');
    control.note(`${objects.length} objects from ${uri}`);
  });
  await run.step('wait-eksa-controller', () =>
    waitForDeployments(run, target.client, [plan.controllerDeployment], plan.controllerDeployment.timeoutMs),
  );
  await run.step('apply-release-objects', async (control) => {
    const objects = [plan.bundles, plan.upgraderImages, plan.eksaRelease, ...plan.eksdReleases];
    await applyObjects(run, target.client, objects, 'Bundles, EKSARelease and EKS-D releases');
    control.note(objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', '));
  });
  return releaseVersion(prepared);
}

/** The EKS-A version recorded in the EKSARelease: the release the bundles came from, else the config's, else the bundle's. */
export function releaseVersion(prepared: PreparedCluster): string {
  return (
    prepared.bundles.eksaVersion ??
    prepared.config.cluster.spec.eksaVersion ??
    prepared.root.bundle.eksa?.version ??
    'v0.0.0'
  );
}

async function existingUpgraderImages(
  target: ClusterConnection,
): Promise<Record<string, string> | undefined> {
  try {
    const cm = await target.client.get<KubeObject & { data?: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: EKSA_SYSTEM_NAMESPACE,
      name: UPGRADER_CONFIG_MAP_NAME,
    });
    return cm?.data;
  } catch (error) {
    if (isKubeApiError(error) && error.statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * The EKS-A objects, paused unless they exist and run already (a re-run must not pause a running cluster): the
 * datacenter and machine configs with the paused annotation, the Cluster with paused and managed-by-cli, and the
 * annotations a management cluster carries (the components version, Cilium installed by EKS-A).
 */
export async function applyEksaObjects(
  run: PhaseRun,
  prepared: PreparedCluster,
  target: ClusterConnection,
  eksaVersion: string,
  control: StepControl,
): Promise<KubeObject[]> {
  const objects = prepared.synthesized.eksaObjects as KubeObject[];
  const clusterObject = objects.find((o) => o.kind === 'Cluster')!;
  const live = await target.client.get({
    apiVersion: clusterObject.apiVersion,
    kind: 'Cluster',
    namespace: clusterObject.metadata.namespace,
    name: clusterObject.metadata.name!,
  });
  const pause = !live || live.metadata.annotations?.[PAUSED_ANNOTATION] === 'true';
  const clusterAnnotations: Record<string, string> = {};
  if (prepared.selfManaged && eksaVersion) {
    clusterAnnotations[MANAGEMENT_COMPONENTS_VERSION_ANNOTATION] = eksaVersion;
  }
  if (ciliumConfigOf(prepared.config.cluster)) clusterAnnotations[EKSA_CILIUM_ANNOTATION] = 'true';
  if (pause) {
    clusterAnnotations[PAUSED_ANNOTATION] = 'true';
    clusterAnnotations[MANAGED_BY_CLI_ANNOTATION] = 'true';
  }
  const annotated = objects.map((o) => {
    const extra = o === clusterObject ? clusterAnnotations : pause ? { [PAUSED_ANNOTATION]: 'true' } : {};
    return {
      ...o,
      metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), ...extra } },
    } as KubeObject;
  });
  for (const namespace of new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))) {
    await ensureNamespace(target.client, namespace);
  }
  // Children first, the Cluster last: its webhook checks that the objects it references exist.
  const ordered = [
    ...annotated.filter((o) => o.kind !== 'Cluster'),
    ...annotated.filter((o) => o.kind === 'Cluster'),
  ];
  await applyObjects(run, target.client, ordered, 'EKS-A objects');
  control.note(`${ordered.length} objects${pause ? ', paused' : ''}`);
  return ordered;
}

/** Removes the paused and managed-by-cli annotations (Cluster first), unless nothing is paused. */
async function resume(
  _run: PhaseRun,
  prepared: PreparedCluster,
  target: ClusterConnection,
  control: StepControl,
): Promise<void> {
  const patches = resumeReconcilePatches(prepared.config);
  let resumed = 0;
  for (const patch of patches) {
    const ref = {
      apiVersion: patch.apiVersion,
      kind: patch.kind,
      namespace: patch.namespace,
      name: patch.name,
    };
    const live = await target.client.get(ref);
    const annotations = live?.metadata.annotations ?? {};
    if (!Object.keys(patch.annotations).some((k) => k in annotations)) continue;
    await target.client.mergePatch(ref, annotationMergePatch(patch));
    resumed++;
  }
  if (resumed === 0) control.skipped('nothing was paused');
  else control.note(`${resumed} objects resumed`);
}
