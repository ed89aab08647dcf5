import { filterCluster } from './cluster-filter';
import { CLUSTERCTL_LABEL, CORE_GROUP } from './constants';
import { type DiscoveryType, discoveryTypesFromCrds } from './discovery-types';
import { MoveError } from './move-error';
import { type GraphNode, ObjectGraph, topologyClassOf } from './object-graph';
import { type Backoff, describeFailure, isNotFound, retry } from './retry';
import type { KubeClient, KubeObject, ObjectRef } from '../../kube/types';

/** A Provider inventory object (`clusterctl.cluster.x-k8s.io/v1alpha3`). */
export interface InventoryProvider {
  readonly name: string;
  readonly namespace: string;
  readonly providerName: string;
  readonly type: string;
  readonly version: string;
}

/** What a cluster has installed: its clusterctl-labelled CRDs (as discovery types) and its provider inventory. */
export interface ClusterInventory {
  readonly crds: readonly KubeObject[];
  readonly types: readonly DiscoveryType[];
  /** Undefined when the cluster has no Provider inventory kind at all. */
  readonly providers: readonly InventoryProvider[] | undefined;
}

/** Lists the clusterctl-labelled CRDs and the Provider inventory of a cluster. */
export async function readInventory(client: KubeClient, backoff: Backoff): Promise<ClusterInventory> {
  const crds = await retry(backoff, () =>
    client.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { labelSelector: CLUSTERCTL_LABEL }),
  );
  let providers: InventoryProvider[] | undefined;
  try {
    const objects = await retry(backoff, () =>
      client.list('clusterctl.cluster.x-k8s.io/v1alpha3', 'Provider'),
    );
    providers = objects.map((p) => ({
      name: p.metadata.name ?? '',
      namespace: p.metadata.namespace ?? '',
      providerName: String((p as { providerName?: unknown }).providerName ?? ''),
      type: String((p as { type?: unknown }).type ?? ''),
      version: String((p as { version?: unknown }).version ?? ''),
    }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    providers = undefined;
  }
  return { crds, types: discoveryTypesFromCrds(crds), providers };
}

export interface DiscoverOptions {
  /** `''` for every namespace. */
  readonly namespace: string;
  readonly clusterName?: string;
  readonly inventory: ClusterInventory;
  readonly backoff: Backoff;
}

/** The source as a graph, ready for planning. */
export interface Discovery {
  readonly graph: ObjectGraph;
  /** The Cluster the filter kept, when `clusterName` was given and found. */
  readonly cluster?: GraphNode;
  /** True when `clusterName` was given but no such Cluster is in the source (the graph is then empty). */
  readonly clusterMissing: boolean;
  /** Every Cluster in the source, in every namespace (when it had to be listed; else those of the graph). */
  readonly allClusters: readonly KubeObject[];
  /** List requests made, by `apiVersion/kind`. */
  readonly lists: number;
}

/**
 * Lists every discovery type (§2.4), fetches ClusterClasses of other namespaces that moved Clusters use (§2.6),
 * then builds soft ownership, tenants, the cluster filter and the should-not-delete marks.
 */
export async function discover(client: KubeClient, options: DiscoverOptions): Promise<Discovery> {
  const { namespace, backoff, inventory } = options;
  const graph = new ObjectGraph(inventory.types);
  let lists = 0;
  const list = async (type: DiscoveryType, ns: string | undefined): Promise<KubeObject[]> => {
    lists++;
    try {
      return await retry(backoff, () =>
        client.list(type.apiVersion, type.kind, type.namespaced && ns ? { namespace: ns } : {}),
      );
    } catch (error) {
      if (isNotFound(error)) return [];
      throw new MoveError(
        `Cannot list ${type.kind} (${type.apiVersion}) in the source`,
        [describeFailure(error)],
        {
          cause: error,
        },
      );
    }
  };

  // Credentials of infrastructure providers live in their namespaces; list Secrets there too.
  const providerNamespaces = new Set(
    (inventory.providers ?? []).filter((p) => p.type === 'InfrastructureProvider').map((p) => p.namespace),
  );
  for (const type of inventory.types) {
    const objects = await list(type, namespace || undefined);
    if (type.kind === 'Secret' && type.apiVersion === 'v1' && namespace !== '') {
      for (const ns of providerNamespaces) if (ns !== namespace) objects.push(...(await list(type, ns)));
    }
    for (const o of objects) graph.addObject(o);
  }

  if (namespace !== '') await fetchForeignClasses(client, graph, namespace, backoff);

  graph.setSoftOwnership();
  graph.setTenants();

  let allClusters: KubeObject[] = graph.clusters().map((c) => c.object!);
  if (namespace !== '' && graph.clusterClasses().length > 0) {
    const clusterType = inventory.types.find(
      (t) => t.kind === 'Cluster' && t.apiVersion.startsWith(`${CORE_GROUP}/`),
    );
    if (clusterType) allClusters = await list(clusterType, undefined);
  }

  let cluster: GraphNode | undefined;
  let clusterMissing = false;
  if (options.clusterName) {
    const matches = graph.clusters().filter((c) => c.name === options.clusterName);
    if (matches.length > 1) {
      throw new MoveError(`Cluster name '${options.clusterName}' is ambiguous`, [
        `Clusters ${matches.map((m) => m.key).join(', ')} share it: give the namespace to move one of them`,
      ]);
    }
    cluster = matches[0];
    if (cluster) {
      filterCluster(graph, cluster, allClusters);
    } else {
      clusterMissing = true;
      for (const node of graph.nodes) graph.remove(node);
    }
  }
  graph.setShouldNotDelete(namespace, allClusters);
  return { graph, cluster, clusterMissing, allClusters, lists };
}

/** The template references of a ClusterClass, in either contract. */
export function classTemplateRefs(cc: KubeObject): ObjectRef[] {
  const spec = (cc.spec ?? {}) as Record<string, any>;
  const namespace = cc.metadata.namespace;
  const refs: ObjectRef[] = [];
  const add = (holder: Record<string, any> | undefined) => {
    const ref = holder?.templateRef ?? holder?.ref;
    if (ref?.kind && ref?.name && ref?.apiVersion) {
      refs.push({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        name: ref.name,
        namespace: ref.namespace ?? namespace,
      });
    }
  };
  add(spec.infrastructure);
  add(spec.controlPlane);
  add(spec.controlPlane?.machineInfrastructure);
  for (const pool of [...(spec.workers?.machineDeployments ?? []), ...(spec.workers?.machinePools ?? [])]) {
    // v1beta2 puts the templates on the class itself; v1beta1 under `template`.
    add(pool.infrastructure ?? pool.template?.infrastructure);
    add(pool.bootstrap ?? pool.template?.bootstrap);
  }
  return refs;
}

async function fetchForeignClasses(
  client: KubeClient,
  graph: ObjectGraph,
  namespace: string,
  backoff: Backoff,
) {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const cluster of graph.clusters()) {
    const ref = cluster.object ? topologyClassOf(cluster.object) : undefined;
    if (!ref || ref.namespace === namespace) continue;
    const key = `${ref.namespace}/${ref.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const get = async (target: ObjectRef): Promise<KubeObject | undefined> => {
      try {
        const found = await retry(backoff, () => client.get(target));
        if (!found) {
          problems.push(
            `${target.kind} ${target.namespace}/${target.name} (used by ${cluster.key}) not found`,
          );
        }
        return found;
      } catch (error) {
        problems.push(`${target.kind} ${target.namespace}/${target.name}: ${describeFailure(error)}`);
        return undefined;
      }
    };
    const cc = await get({
      apiVersion: cluster.apiVersion,
      kind: 'ClusterClass',
      namespace: ref.namespace,
      name: ref.name,
    });
    if (!cc) continue;
    graph.addObject(cc);
    for (const templateRef of classTemplateRefs(cc)) {
      const template = await get(templateRef);
      if (template) graph.addObject(template);
    }
  }
  if (problems.length > 0) throw new MoveError('Failed to fetch ClusterClass references', problems);
}
