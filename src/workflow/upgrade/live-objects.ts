import { isKubeApiError } from '../../kube/errors';
import type { KubeClient, KubeObject } from '../../kube/types';
import { ETCDADM_API_VERSION, capiApiVersion, type CapiContract } from '../../manifests/contract';
import type { KubeObject as RenderedObject } from '../../manifests/kube-object';
import { synthesizeCluster } from '../../manifests/synthesize-cluster';
import { appliedTemplatesFrom, type AppliedTemplate } from '../../manifests/template-names';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from '../prepare';

/** The CAPI objects of one cluster as its manager holds them now. */
export interface LiveCapiObjects {
  /** The CAPI Cluster; undefined when the manager does not hold it. */
  readonly cluster?: KubeObject;
  readonly controlPlane?: KubeObject;
  readonly etcd?: KubeObject;
  readonly machineDeployments: readonly KubeObject[];
  readonly machineHealthChecks: readonly KubeObject[];
  /** Every machine and bootstrap template of the cluster (old names included: CAPI never deletes them). */
  readonly templates: readonly KubeObject[];
  /** The templates the current owners reference, with the owners: the cluster as it runs now, for a plan. */
  readonly current: readonly KubeObject[];
}

const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

/**
 * Reads a cluster's CAPI objects from the cluster that manages it: the Cluster, its KubeadmControlPlane and
 * EtcdadmCluster, its MachineDeployments and MachineHealthChecks (by the cluster-name label), and the templates of
 * the kinds the cluster is rendered with (`templateKinds`), by owner or by name. Kinds the manager does not serve
 * read as absent.
 */
export async function readLiveCapiObjects(
  client: KubeClient,
  clusterName: string,
  contract: CapiContract,
  templateKinds: readonly { readonly apiVersion: string; readonly kind: string }[],
  /** Other objects of the cluster to read by name (its infrastructure cluster: `infrastructureClustersOf`). */
  others: readonly { readonly apiVersion: string; readonly kind: string; readonly name: string }[] = [],
): Promise<LiveCapiObjects> {
  const ns = EKSA_SYSTEM_NAMESPACE;
  const core = capiApiVersion('core', contract);
  const get = async (apiVersion: string, kind: string, name: string) =>
    tolerate(() => client.get({ apiVersion, kind, namespace: ns, name }), undefined);
  const list = async (apiVersion: string, kind: string) =>
    tolerate(() => client.list(apiVersion, kind, { namespace: ns }), []);
  const cluster = await get(core, 'Cluster', clusterName);
  const controlPlane = await get(
    capiApiVersion('controlPlane', contract),
    'KubeadmControlPlane',
    clusterName,
  );
  const etcd = await get(ETCDADM_API_VERSION, 'EtcdadmCluster', `${clusterName}-etcd`);
  const machineDeployments = (await list(core, 'MachineDeployment')).filter(
    (md) => (md.spec as { clusterName?: string } | undefined)?.clusterName === clusterName,
  );
  const machineHealthChecks = (await list(core, 'MachineHealthCheck')).filter(
    (mhc) => (mhc.spec as { clusterName?: string } | undefined)?.clusterName === clusterName,
  );
  const templates: KubeObject[] = [];
  const seen = new Set<string>();
  for (const { apiVersion, kind } of templateKinds) {
    if (seen.has(`${apiVersion}/${kind}`)) continue;
    seen.add(`${apiVersion}/${kind}`);
    for (const template of await list(apiVersion, kind)) {
      if (belongsTo(template, clusterName, cluster)) templates.push(template);
    }
  }
  const referenced = new Set<string>();
  const note = (ref: unknown) => {
    const name = (ref as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string') referenced.add(name);
  };
  const kcpTemplate = (controlPlane?.spec as { machineTemplate?: Record<string, unknown> } | undefined)
    ?.machineTemplate;
  note(kcpTemplate?.infrastructureRef);
  note((kcpTemplate?.spec as { infrastructureRef?: unknown } | undefined)?.infrastructureRef);
  note((etcd?.spec as { infrastructureTemplate?: unknown } | undefined)?.infrastructureTemplate);
  for (const md of machineDeployments) {
    const spec = (md.spec as { template?: { spec?: Record<string, unknown> } }).template?.spec ?? {};
    note(spec.infrastructureRef);
    note((spec.bootstrap as { configRef?: unknown } | undefined)?.configRef);
  }
  const extra: KubeObject[] = [];
  for (const ref of others) {
    const object = await get(ref.apiVersion, ref.kind, ref.name);
    if (object) extra.push(object);
  }
  const current = [
    ...(cluster ? [cluster] : []),
    ...extra,
    ...(controlPlane ? [controlPlane] : []),
    ...(etcd ? [etcd] : []),
    ...machineDeployments,
    ...machineHealthChecks,
    ...templates.filter((t) => referenced.has(t.metadata.name ?? '')),
  ];
  return { cluster, controlPlane, etcd, machineDeployments, machineHealthChecks, templates, current };
}

/** The template kinds (with API versions) among a cluster's rendered objects. */
export function templateKindsOf(objects: readonly RenderedObject[]): { apiVersion: string; kind: string }[] {
  return objects
    .filter((o) => o.kind.endsWith('Template'))
    .map((o) => ({ apiVersion: o.apiVersion, kind: o.kind }));
}

/** The infrastructure cluster objects (DockerCluster, VSphereCluster) among a cluster's rendered objects, as refs. */
export function infrastructureClustersOf(
  objects: readonly RenderedObject[],
): { apiVersion: string; kind: string; name: string }[] {
  return objects
    .filter((o) => o.kind.endsWith('Cluster') && o.kind !== 'Cluster' && o.kind !== 'EtcdadmCluster')
    .map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name }));
}

/**
 * The cluster rendered again with the templates its manager holds as `previousTemplates`: each template keeps its
 * live name while its spec is unchanged and gets the next name (`<base>-N+1`) when it changed — so that applying
 * the result rolls exactly what changed, and applying it twice changes nothing (EKS-A's `EnsureNewNameIfChanged`).
 * The digest is kept: it describes the cluster's spec, not the names.
 */
export function withLiveTemplates(
  prepared: PreparedCluster,
  templates: readonly KubeObject[],
  env: Readonly<Record<string, string | undefined>>,
): PreparedCluster {
  if (templates.length === 0) return prepared;
  const previousTemplates: AppliedTemplate[] = appliedTemplatesFrom(templates);
  const synthesized = synthesizeCluster({
    config: prepared.config,
    bundles: prepared.resolved,
    contract: prepared.contract,
    env,
    previousTemplates,
  });
  return {
    ...prepared,
    synthesized,
    capiObjects: synthesized.capiObjects.filter((o) => o.kind !== 'MachineHealthCheck'),
    machineHealthChecks: synthesized.capiObjects.filter((o) => o.kind === 'MachineHealthCheck'),
  };
}

/** A template belongs to the cluster: owned by its Cluster, labelled with its name, or named after it. */
function belongsTo(template: KubeObject, clusterName: string, cluster: KubeObject | undefined): boolean {
  const owners = template.metadata.ownerReferences ?? [];
  if (
    owners.some((o) => o.kind === 'Cluster' && (o.name === clusterName || o.uid === cluster?.metadata.uid))
  ) {
    return true;
  }
  if (template.metadata.labels?.[CLUSTER_NAME_LABEL] === clusterName) return true;
  return owners.length === 0 && (template.metadata.name ?? '').startsWith(`${clusterName}-`);
}

async function tolerate<T>(read: () => Promise<T>, absent: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    // The kind is not served there (a provider not installed): nothing of it exists.
    if (isKubeApiError(error) && error.statusCode === 404) return absent;
    throw error;
  }
}
