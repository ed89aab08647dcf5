import {
  ADDONS_GROUP,
  BLOCK_MOVE_ANNOTATION,
  CLUSTER_SECRET_PURPOSES,
  CORE_GROUP,
  MOVE_HIERARCHY_LABEL,
  MOVE_LABEL,
} from './constants';
import { type DiscoveryType, groupOf, typeKey } from './discovery-types';
import type { KubeObject, OwnerReference } from '../../kube/types';

/** The `controller` and `blockOwnerDeletion` flags of one ownerReference, kept so the target copy gets the same. */
export interface OwnerEdge {
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** A ClusterClass named by a Cluster's topology. */
export interface ClassRef {
  readonly name: string;
  readonly namespace: string;
}

/**
 * One object of the graph, keyed by UID. Owners come from ownerReferences; soft owners are ordering and tenancy
 * edges without an ownerReference (never written to the target); tenants are the hierarchy roots that reach it.
 */
export class GraphNode {
  public apiVersion: string;
  public kind: string;
  public name: string;
  /** `undefined` for global objects, and for virtual nodes (an ownerReference does not say). */
  public namespace: string | undefined;
  public readonly owners = new Map<GraphNode, OwnerEdge>();
  public readonly softOwners = new Set<GraphNode>();
  public readonly tenants = new Set<GraphNode>();
  /** Referenced as an owner but never listed: a kind outside discovery, or an object in another namespace. */
  public virtual = true;
  public forceMove = false;
  public forceMoveHierarchy = false;
  /** Cluster-scoped: copied to the target, never deleted from the source. */
  public isGlobal = false;
  /** Reached from a global root (e.g. a global identity's Secret): copied, never deleted. */
  public isGlobalHierarchy = false;
  /** Copied, but kept in the source because something staying there still uses it. */
  public shouldNotDelete = false;
  /** Carried the block-move annotation when listed. */
  public blockingMove = false;
  /** The listed object (the payload of the copy). */
  public object: KubeObject | undefined;
  /** For a Cluster with a managed topology: its ClusterClass. */
  public classRef: ClassRef | undefined;
  /** For a ClusterResourceSetBinding: the Cluster it binds. */
  public bindingClusterName: string | undefined;

  constructor(
    public readonly uid: string,
    identity: { apiVersion: string; kind: string; name: string; namespace?: string },
  ) {
    this.apiVersion = identity.apiVersion;
    this.kind = identity.kind;
    this.name = identity.name;
    this.namespace = identity.namespace;
  }

  public get group(): string {
    return groupOf(this.apiVersion);
  }

  /** `Kind namespace/name` (or `Kind name` when global), for messages and tests. */
  public get key(): string {
    return this.namespace ? `${this.kind} ${this.namespace}/${this.name}` : `${this.kind} ${this.name}`;
  }

  public is(group: string, kind: string): boolean {
    return this.kind === kind && this.group === group;
  }

  /** Whether this object may be removed from the source once it exists in the target. */
  public get deletable(): boolean {
    return !this.isGlobal && !this.isGlobalHierarchy && !this.shouldNotDelete;
  }
}

export const isCluster = (n: GraphNode): boolean => n.is(CORE_GROUP, 'Cluster');
export const isClusterClass = (n: GraphNode): boolean => n.is(CORE_GROUP, 'ClusterClass');
export const isMachine = (n: GraphNode): boolean => n.is(CORE_GROUP, 'Machine');
export const isClusterResourceSet = (n: GraphNode): boolean => n.is(ADDONS_GROUP, 'ClusterResourceSet');
export const isBinding = (n: GraphNode): boolean => n.is(ADDONS_GROUP, 'ClusterResourceSetBinding');
export const isSecret = (n: GraphNode): boolean => n.kind === 'Secret' && n.apiVersion === 'v1';

/** The ClusterClass a Cluster's topology names, in either contract (v1beta2 `classRef`, v1beta1 `class`). */
export function topologyClassOf(cluster: KubeObject): ClassRef | undefined {
  const topology = (cluster.spec as { topology?: Record<string, unknown> } | undefined)?.topology;
  if (!topology) return undefined;
  const classRef = topology.classRef as { name?: string; namespace?: string } | undefined;
  const name = classRef?.name ?? (topology.class as string | undefined);
  if (!name) return undefined;
  const namespace = classRef?.namespace ?? (topology.classNamespace as string | undefined);
  // An empty class namespace means the Cluster's own.
  return { name, namespace: namespace || (cluster.metadata.namespace ?? '') };
}

/**
 * The object graph of a move (research/capi.md §2.5–§2.9), built purely from listed objects so that it can be
 * tested without an API server. Add objects, then call `setSoftOwnership`, `setTenants` and, when a namespace or a
 * cluster filter applies, `setShouldNotDelete` / `filterCluster` (see cluster-filter.ts).
 */
export class ObjectGraph {
  private readonly byUid = new Map<string, GraphNode>();
  private readonly typesByKey = new Map<string, DiscoveryType>();

  constructor(public readonly types: readonly DiscoveryType[]) {
    for (const type of types) this.typesByKey.set(typeKey(type.apiVersion, type.kind), type);
  }

  /** Every node, virtual ones included. */
  public get nodes(): GraphNode[] {
    return [...this.byUid.values()];
  }

  public node(uid: string): GraphNode | undefined {
    return this.byUid.get(uid);
  }

  public typeOf(apiVersion: string, kind: string): DiscoveryType | undefined {
    return this.typesByKey.get(typeKey(apiVersion, kind));
  }

  /** Removes a node (used by the cluster filter); edges from other nodes to it stay and keep them unplaceable. */
  public remove(node: GraphNode): void {
    this.byUid.delete(node.uid);
  }

  /**
   * Adds a listed object. A node already created as a virtual owner placeholder becomes observed; each
   * ownerReference becomes an owner edge, creating a virtual node for an owner not seen yet.
   */
  public addObject(object: KubeObject): GraphNode {
    const meta = object.metadata;
    if (!meta.uid) {
      throw new Error(`${object.kind} ${meta.namespace ?? ''}/${meta.name ?? ''} has no metadata.uid`);
    }
    let node = this.byUid.get(meta.uid);
    if (!node) {
      node = new GraphNode(meta.uid, {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: meta.name ?? '',
      });
      this.byUid.set(meta.uid, node);
    }
    node.apiVersion = object.apiVersion;
    node.kind = object.kind;
    node.name = meta.name ?? '';
    node.namespace = meta.namespace || undefined;
    node.virtual = false;
    node.object = object;

    const labels = meta.labels ?? {};
    const type = this.typeOf(object.apiVersion, object.kind);
    node.forceMove = MOVE_LABEL in labels || (type?.forceMove ?? false);
    node.forceMoveHierarchy = MOVE_HIERARCHY_LABEL in labels || (type?.forceMoveHierarchy ?? false);
    node.isGlobal = type ? !type.namespaced : false;
    node.blockingMove = BLOCK_MOVE_ANNOTATION in (meta.annotations ?? {});

    if (isCluster(node)) node.classRef = topologyClassOf(object);
    if (isBinding(node)) {
      node.bindingClusterName =
        (object.spec as { clusterName?: string } | undefined)?.clusterName || undefined;
    }

    for (const ref of meta.ownerReferences ?? []) {
      node.owners.set(this.ownerNode(ref), {
        controller: ref.controller,
        blockOwnerDeletion: ref.blockOwnerDeletion,
      });
    }
    return node;
  }

  private ownerNode(ref: OwnerReference): GraphNode {
    let owner = this.byUid.get(ref.uid);
    if (!owner) {
      owner = new GraphNode(ref.uid, { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name });
      this.byUid.set(ref.uid, owner);
    }
    return owner;
  }

  public clusters(): GraphNode[] {
    return this.nodes.filter((n) => !n.virtual && isCluster(n));
  }

  public clusterClasses(): GraphNode[] {
    return this.nodes.filter((n) => !n.virtual && isClusterClass(n));
  }

  /**
   * Soft ownership (§2.7): ownership edges without an ownerReference.
   * - A Secret with no ownerReferences at all, named `<cluster>-<purpose>`, is soft-owned by that Cluster in its
   *   namespace. The name is split at the *last* dash, exactly as clusterctl does, so
   *   `<cluster>-apiserver-etcd-client` (suffix `client`) is not soft-owned.
   * - A Cluster with a managed topology is soft-owned by its ClusterClass.
   * - A ClusterResourceSetBinding is soft-owned by the Cluster named in `spec.clusterName`, in its namespace.
   */
  public setSoftOwnership(): void {
    const clusters = new Map(this.clusters().map((c) => [`${c.namespace ?? ''}/${c.name}`, c]));
    const classes = new Map(this.clusterClasses().map((c) => [`${c.namespace ?? ''}/${c.name}`, c]));
    for (const node of this.nodes) {
      if (node.virtual) continue;
      if (isSecret(node) && node.owners.size === 0) {
        const dash = node.name.lastIndexOf('-');
        if (dash > 0 && CLUSTER_SECRET_PURPOSES.has(node.name.slice(dash + 1))) {
          const cluster = clusters.get(`${node.namespace ?? ''}/${node.name.slice(0, dash)}`);
          if (cluster) node.softOwners.add(cluster);
        }
      }
      if (isCluster(node) && node.classRef) {
        const cc = classes.get(`${node.classRef.namespace}/${node.classRef.name}`);
        if (cc) node.softOwners.add(cc);
      }
      if (isBinding(node) && node.bindingClusterName) {
        const cluster = clusters.get(`${node.namespace ?? ''}/${node.bindingClusterName}`);
        if (cluster) node.softOwners.add(cluster);
      }
    }
  }

  /** For each node, the nodes that name it as an owner or soft owner. */
  public dependentsIndex(options: { soft: boolean } = { soft: true }): Map<GraphNode, GraphNode[]> {
    const index = new Map<GraphNode, GraphNode[]>();
    const link = (owner: GraphNode, dependent: GraphNode) => {
      const list = index.get(owner);
      if (list) list.push(dependent);
      else index.set(owner, [dependent]);
    };
    for (const node of this.nodes) {
      for (const owner of node.owners.keys()) link(owner, node);
      if (options.soft) for (const owner of node.softOwners) link(owner, node);
    }
    return index;
  }

  /**
   * Tenants (§2.8): every hierarchy root (forceMoveHierarchy) is a tenant of itself and of every node reachable
   * through owner and soft-owner edges; nodes reached from a global root are marked isGlobalHierarchy. The walk
   * does not re-enter a node that already has the tenant, so ownerReference cycles terminate.
   */
  public setTenants(): void {
    const dependents = this.dependentsIndex();
    for (const root of this.nodes) {
      if (root.virtual || !root.forceMoveHierarchy) continue;
      const stack = [root];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node.tenants.has(root)) continue;
        node.tenants.add(root);
        if (root.isGlobal) node.isGlobalHierarchy = true;
        for (const dependent of dependents.get(node) ?? []) stack.push(dependent);
      }
    }
  }

  /**
   * Marks a node and everything it owns through real ownerReferences (not soft ownership: the Clusters using a
   * ClusterClass are not kept because the class is) as not to be deleted from the source. Cycle-safe.
   */
  public markShouldNotDelete(from: GraphNode, options: { skip?: (node: GraphNode) => boolean } = {}): void {
    const dependents = this.dependentsIndex({ soft: false });
    const seen = new Set<GraphNode>();
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (seen.has(node) || (node !== from && options.skip?.(node))) continue;
      seen.add(node);
      node.shouldNotDelete = true;
      for (const dependent of dependents.get(node) ?? []) stack.push(dependent);
    }
  }

  /**
   * Objects that must stay in the source when one namespace is moved (§2.9): ClusterClasses from other namespaces
   * (fetched because a moved Cluster uses them), and ClusterClasses of the moved namespace that a Cluster outside
   * it still uses; each with the templates it owns. `allClusters` is every Cluster in every namespace.
   */
  public setShouldNotDelete(namespace: string, allClusters: readonly KubeObject[]): void {
    if (namespace === '') return;
    const classes = this.clusterClasses();
    for (const cc of classes) {
      if (cc.namespace !== namespace) this.markShouldNotDelete(cc);
    }
    for (const cluster of allClusters) {
      if ((cluster.metadata.namespace ?? '') === namespace) continue;
      const ref = topologyClassOf(cluster);
      if (!ref || ref.namespace !== namespace) continue;
      for (const cc of classes) {
        if (cc.namespace === ref.namespace && cc.name === ref.name) this.markShouldNotDelete(cc);
      }
    }
  }

  /** The move set (§2.8): nodes with at least one tenant, or force-moved. Virtual nodes never move. */
  public moveNodes(): GraphNode[] {
    return this.nodes.filter((n) => !n.virtual && (n.tenants.size > 0 || n.forceMove));
  }
}
