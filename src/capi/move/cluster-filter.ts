import { MoveError } from './move-error';
import {
  type GraphNode,
  type ObjectGraph,
  isBinding,
  isCluster,
  isClusterClass,
  isClusterResourceSet,
  topologyClassOf,
} from './object-graph';
import type { KubeObject } from '../../kube/types';

/**
 * Narrows a graph (after soft ownership and tenants) to one Cluster's objects: the semantics of EKS-A's
 * `clusterctl move --filter-cluster` (patch 0011 of eks-anywhere-build-tooling), with its gaps closed.
 *
 * As in EKS-A:
 * - an object whose tenants include the filtered Cluster is kept; if another Cluster is also among its tenants the
 *   move is refused (an object two Clusters depend on cannot follow only one of them);
 * - an object that belongs to other Clusters only is dropped;
 * - a force-moved object that belongs to no Cluster (e.g. an external object with the move label) is kept.
 *
 * Where the patch moves a root without its hierarchy, or moves what other Clusters still use, we differ:
 * - a ClusterClass is kept only if the filtered Cluster uses it, and a ClusterResourceSet only if it is bound to the
 *   filtered Cluster (the patch keeps every one of them, being force-moved, so unrelated ones would leave the
 *   source);
 * - an object that belongs to no Cluster follows the roots it belongs to (the patch drops the templates of a kept
 *   ClusterClass, the resources of a kept ClusterResourceSet and the Secret of a kept global identity, which are
 *   not force-moved themselves, leaving the target copy of the root broken);
 * - a kept ClusterClass that another Cluster uses, or a kept ClusterResourceSet bound to another Cluster, is copied
 *   but not deleted from the source, together with what it owns (the patch skips the should-not-delete step).
 *
 * `allClusters` is every Cluster the source holds, in every namespace (to see who else uses a ClusterClass).
 * Throws MoveError listing every shared object.
 */
export function filterCluster(
  graph: ObjectGraph,
  target: GraphNode,
  allClusters: readonly KubeObject[],
): void {
  const clusterTenants = (node: GraphNode) => [...node.tenants].filter(isCluster);
  const problems: string[] = [];
  const kept = new Set<GraphNode>();
  const keptRoots = new Set<GraphNode>();
  const nodes = graph.nodes.filter((n) => !n.virtual);

  for (const node of nodes) {
    const clusters = clusterTenants(node);
    if (!clusters.includes(target)) continue;
    if (clusters.length > 1) {
      const names = clusters.map((c) => c.name).sort();
      problems.push(
        `${node.key} belongs to Clusters ${names.join(', ')}: an object used by several Clusters cannot move with ` +
          `only one of them; move them together (no clusterName) or stop sharing the object`,
      );
    }
    kept.add(node);
  }

  const dependents = graph.dependentsIndex({ soft: false });
  const bindingsOf = (crs: GraphNode) => (dependents.get(crs) ?? []).filter(isBinding);
  for (const root of nodes) {
    if (!root.forceMoveHierarchy || clusterTenants(root).length > 0) continue;
    let keep: boolean;
    if (isClusterClass(root)) keep = target.softOwners.has(root);
    else if (isClusterResourceSet(root)) keep = bindingsOf(root).some((b) => b.softOwners.has(target));
    else keep = true;
    if (keep) {
      kept.add(root);
      keptRoots.add(root);
    }
  }

  for (const node of nodes) {
    if (kept.has(node) || clusterTenants(node).length > 0) continue;
    if (node.forceMove && !node.forceMoveHierarchy) kept.add(node);
    else if ([...node.tenants].some((t) => keptRoots.has(t))) kept.add(node);
  }

  if (problems.length > 0) {
    throw new MoveError(`Cannot move only Cluster ${target.key}`, problems);
  }

  // Roots shared with Clusters that stay behind are copied, not deleted; what belongs to the moved Cluster is not
  // held back by them.
  const skipMoved = (n: GraphNode) => n.tenants.has(target);
  for (const root of keptRoots) {
    let shared = false;
    if (isClusterClass(root)) {
      shared = allClusters.some((c) => {
        const ref = topologyClassOf(c);
        const same =
          c.metadata.uid === target.uid ||
          (c.metadata.name === target.name && c.metadata.namespace === target.namespace);
        return !same && ref?.name === root.name && ref.namespace === root.namespace;
      });
    } else if (isClusterResourceSet(root)) {
      shared = bindingsOf(root).some((b) => !b.softOwners.has(target));
    }
    if (shared) graph.markShouldNotDelete(root, { skip: skipMoved });
  }

  for (const node of nodes) {
    if (!kept.has(node)) graph.remove(node);
  }
}
