import { isKubeApiError } from '../../kube/errors';
import type { KubeObject, ObjectRef } from '../../kube/types';
import {
  CILIUM_NAMESPACE,
  ciliumManifest,
  ciliumPreflightInstallation,
} from '../../manifests/addons/cilium-installation';
import {
  EKSA_CILIUM_ANNOTATION,
  planCiliumReconcile,
  type CiliumDecision,
} from '../../manifests/addons/cilium-upgrade';
import { EKSA_CONTROLLER_DEPLOYMENT } from '../../manifests/addons/eksa-components';
import { requireComponent } from '../../spec/bundles/provider-images';
import { EKSA_API_VERSION } from '../../spec/meta';
import { applyObjects } from '../apply';
import type { ClusterConnection } from '../cluster-connection';
import { installCni } from '../cni';
import { parseManifest } from '../manifest';
import type { PhaseRun, StepControl } from '../phase-run';
import { installEksaComponents, releaseVersion } from '../phases/eksa-components';
import type { PreparedCluster } from '../prepare';
import { pollUntil } from '../waits';

const PREFLIGHT_DAEMONSET = 'cilium-pre-flight-check';

/**
 * Cilium as EKS-A's controller reconciles it (`ReconcileCNI`, research A6): what runs on the cluster (the agent
 * DaemonSet's and the operator's images, `cilium-config`) compared with the versions bundle. New images: the
 * upgrade procedure (the preflight DaemonSet pre-pulls the new agent on every node and is awaited, the chart
 * rendered with `upgradeFromVersion` is applied, the preflight removed); other settings: the chart applied again;
 * `skipUpgrade`, kindnetd, or nothing changed: left alone. Deciding from the cluster makes a re-run free.
 */
export async function upgradeCilium(
  run: PhaseRun,
  prepared: PreparedCluster,
  workload: ClusterConnection,
  eksaCluster: KubeObject | undefined,
  control: StepControl,
): Promise<CiliumDecision> {
  const client = workload.client;
  const get = async <T extends KubeObject>(ref: ObjectRef) => {
    try {
      return await client.get<T>(ref);
    } catch (error) {
      if (isKubeApiError(error) && error.statusCode === 404) return undefined;
      throw error;
    }
  };
  const ns = CILIUM_NAMESPACE;
  const daemonSet = await get({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: ns, name: 'cilium' });
  const operator = await get({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ns,
    name: 'cilium-operator',
  });
  const configMap = await get<KubeObject & { data?: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: ns,
    name: 'cilium-config',
  });
  const podSpec = (o: KubeObject | undefined) =>
    (
      o?.spec as {
        template?: { spec?: { containers?: { image?: string }[]; initContainers?: { image?: string }[] } };
      }
    )?.template?.spec;
  const agent = podSpec(daemonSet);
  const decision = planCiliumReconcile(
    {
      ...(daemonSet
        ? {
            agentImages: [...(agent?.containers ?? []), ...(agent?.initContainers ?? [])]
              .map((c) => c.image)
              .filter((i): i is string => typeof i === 'string'),
          }
        : {}),
      ...(operator ? { operatorImage: podSpec(operator)?.containers?.[0]?.image } : {}),
      ...(configMap?.data ? { config: configMap.data } : {}),
      installedByEksa: eksaCluster?.metadata.annotations?.[EKSA_CILIUM_ANNOTATION] === 'true' || !!daemonSet,
    },
    { config: prepared.config, bundle: prepared.root },
  );
  switch (decision.action) {
    case 'none':
    case 'skip':
      control.skipped(decision.reasons.join('; '));
      return decision;
    case 'install':
    case 'reconfigure':
      await installCni(run, prepared, workload, control);
      control.note(`Cilium ${decision.action}: ${decision.reasons.join('; ')}`);
      return decision;
    case 'upgrade': {
      const preflight = ciliumPreflightInstallation(prepared.config, prepared.root);
      const rendered = await run.site.tools.helm.template(
        {
          chart: preflight.template.chart,
          version: preflight.template.version,
          namespace: preflight.template.namespace,
          values: preflight.template.values,
          ...(preflight.template.kubeVersion ? { kubeVersion: preflight.template.kubeVersion } : {}),
          ...(preflight.template.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
        },
        { signal: run.site.signal },
      );
      const preflightObjects = parseManifest(ciliumManifest(rendered, preflight), 'cilium preflight');
      await applyObjects(run, client, preflightObjects, 'Cilium preflight');
      await pollUntil(
        run,
        `DaemonSet ${ns}/${PREFLIGHT_DAEMONSET} ready on every node (the new Cilium image pulled)`,
        prepared.timeouts.deploymentMs,
        async () => {
          const ds = await get(preflightRef());
          const status = (ds?.status ?? {}) as { desiredNumberScheduled?: number; numberReady?: number };
          const ready =
            !!ds &&
            (status.desiredNumberScheduled ?? 0) > 0 &&
            status.numberReady === status.desiredNumberScheduled;
          return {
            done: ready || (!!ds && preflightObjects.every((o) => o.kind !== 'DaemonSet')),
            observed: JSON.stringify(status),
          };
        },
      );
      await installCni(run, prepared, workload, control, { upgradeFromVersion: decision.upgradeFromVersion });
      for (const object of preflightObjects) {
        await client.delete({
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata.name!,
          ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
        });
      }
      control.note(`Cilium upgraded from ${decision.upgradeFromVersion}: ${decision.reasons.join('; ')}`);
      return decision;
    }
  }
}

function preflightRef(): ObjectRef {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: CILIUM_NAMESPACE, name: PREFLIGHT_DAEMONSET };
}

/**
 * The EKS-A components of a management cluster re-applied when the versions bundle brings other ones (EKS-A's
 * upgrade-core-components: the controller's image, or the EKSARelease recorded on the Cluster, differs): the same
 * steps as the create's (EKS-D CRDs, components, the controller awaited, Bundles and release objects). A cluster
 * without EKS-A components (its create stopped before them) is left to the EksaComponents phase.
 */
export async function upgradeEksaComponents(
  run: PhaseRun,
  prepared: PreparedCluster,
  target: ClusterConnection,
  eksaCluster: KubeObject | undefined,
  control: StepControl,
): Promise<boolean> {
  const controller = await target.client.get({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: EKSA_CONTROLLER_DEPLOYMENT.namespace,
    name: EKSA_CONTROLLER_DEPLOYMENT.name,
  });
  if (!controller) {
    control.skipped('no EKS-A controller on the cluster yet (the EksaComponents phase installs it)');
    return false;
  }
  const wantedImage = requireComponent(prepared.root, 'eksa').clusterController.uri;
  const images = (
    (controller.spec as { template?: { spec?: { containers?: { image?: string }[] } } })?.template?.spec
      ?.containers ?? []
  ).map((c) => c.image);
  const recorded =
    eksaCluster?.metadata.annotations?.['anywhere.eks.amazonaws.com/management-components-version'];
  const version = releaseVersion(prepared);
  if (images.includes(wantedImage) && (recorded === undefined || recorded === version)) {
    control.skipped(`the EKS-A components of ${version} run`);
    return false;
  }
  await installEksaComponents(run, prepared, target);
  control.note(`EKS-A components ${recorded ?? 'unknown'} → ${version}`);
  return true;
}

/** The EKS-A Cluster object of the cluster where its EKS-A objects live (undefined when EKS-A's CRDs are absent). */
export async function eksaClusterObject(
  prepared: PreparedCluster,
  target: ClusterConnection,
): Promise<KubeObject | undefined> {
  try {
    return await target.client.get({
      apiVersion: EKSA_API_VERSION,
      kind: 'Cluster',
      namespace: prepared.config.cluster.metadata.namespace || 'default',
      name: prepared.clusterName,
    });
  } catch (error) {
    if (isKubeApiError(error) && error.statusCode === 404) return undefined;
    throw error;
  }
}
