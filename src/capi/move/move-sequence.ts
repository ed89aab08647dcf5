import type { GraphNode, ObjectGraph } from './object-graph';

/** A move-set object that can never be created because an owner of it will never exist in the target. */
export interface UnplacedNode {
  readonly node: GraphNode;
  /** The owners (or soft owners) that are not moved, or are themselves unplaced. */
  readonly blockers: readonly GraphNode[];
  readonly reason: string;
}

/** The move order: groups (layers) whose owners are all in earlier groups. */
export interface MoveSequence {
  readonly groups: readonly (readonly GraphNode[])[];
  /**
   * Move-set objects left out because some owner is never placed: a virtual owner (a kind outside discovery or an
   * object of another namespace), an owner outside the move set, or an ownerReference cycle. clusterctl drops
   * these silently; callers must report them.
   */
  readonly unplaced: readonly UnplacedNode[];
}

const byIdentity = (a: GraphNode, b: GraphNode) =>
  a.kind.localeCompare(b.kind) ||
  (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
  a.name.localeCompare(b.name);

/**
 * Layers the move set like a topological sort (§2.13): each group holds every unplaced node whose owners and soft
 * owners are all in earlier groups. Groups are sorted by kind, namespace and name so plans read the same each run.
 */
export function moveSequence(graph: ObjectGraph): MoveSequence {
  const moveSet = new Set(graph.moveNodes());
  const pending = new Map<GraphNode, number>();
  const waiting = new Map<GraphNode, GraphNode[]>();
  const outside = new Map<GraphNode, GraphNode[]>();
  let ready: GraphNode[] = [];

  for (const node of moveSet) {
    const deps = new Set<GraphNode>([...node.owners.keys(), ...node.softOwners]);
    const missing = [...deps].filter((d) => !moveSet.has(d));
    if (missing.length > 0) {
      outside.set(node, missing);
      continue;
    }
    pending.set(node, deps.size);
    if (deps.size === 0) ready.push(node);
    for (const dep of deps) {
      const list = waiting.get(dep);
      if (list) list.push(node);
      else waiting.set(dep, [node]);
    }
  }

  const groups: GraphNode[][] = [];
  const placed = new Set<GraphNode>();
  while (ready.length > 0) {
    const group = ready.sort(byIdentity);
    groups.push(group);
    ready = [];
    for (const node of group) placed.add(node);
    for (const node of group) {
      for (const dependent of waiting.get(node) ?? []) {
        const left = pending.get(dependent)! - 1;
        pending.set(dependent, left);
        if (left === 0) ready.push(dependent);
      }
    }
  }

  const unplaced: UnplacedNode[] = [];
  for (const [node, missing] of outside) {
    const virtual = missing.filter((m) => m.virtual);
    const reason =
      virtual.length > 0
        ? `owner ${virtual.map((m) => m.key).join(', ')} is not a moved kind or lives in another namespace`
        : `owner ${missing.map((m) => m.key).join(', ')} is not part of the move`;
    unplaced.push({ node, blockers: missing, reason });
  }
  for (const node of moveSet) {
    if (placed.has(node) || outside.has(node)) continue;
    const blockers = [...node.owners.keys(), ...node.softOwners].filter((d) => !placed.has(d));
    unplaced.push({
      node,
      blockers,
      reason: `waits on ${blockers.map((b) => b.key).join(', ')}, which cannot be placed (an ownerReference cycle or an unplaced owner)`,
    });
  }
  unplaced.sort((a, b) => byIdentity(a.node, b.node));
  return { groups, unplaced };
}
