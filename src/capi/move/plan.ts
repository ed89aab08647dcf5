import type { MoveSequence } from './move-sequence';
import type { GraphNode } from './object-graph';
import type { ObjectRef } from '../../kube/types';

/** Why an object copied to the target stays in the source too. */
export type KeptInSource = 'global' | 'global-hierarchy' | 'in-use';

/** One object of the plan: what it is, its source UID and its layer (1-based). */
export interface PlannedObject extends ObjectRef {
  readonly uid: string;
  readonly layer: number;
  /** Set when the object is copied but not deleted from the source. */
  readonly keptInSource?: KeptInSource;
}

/** A listed object that does not move although it is part of the move set, and why. */
export interface ExcludedObject extends ObjectRef {
  readonly uid: string;
  readonly reason: string;
}

/** The ordered plan of a move: what is created in the target, layer by layer, and what is left out. */
export interface MovePlan {
  /** `''` for every namespace. */
  readonly namespace: string;
  readonly clusterName?: string;
  /** Objects by layer: every object's owners are in earlier layers. Deletion runs in reverse layer order. */
  readonly layers: readonly (readonly PlannedObject[])[];
  /**
   * Objects of the move set that cannot be moved because an owner will never exist in the target (an owner of a
   * kind outside discovery, in another namespace, or an ownerReference cycle). clusterctl drops these silently.
   */
  readonly excluded: readonly ExcludedObject[];
  /** Human-readable warnings (one per excluded object, among others). */
  readonly warnings: readonly string[];
}

export function refOf(node: GraphNode): ObjectRef {
  return {
    apiVersion: node.apiVersion,
    kind: node.kind,
    name: node.name,
    ...(node.namespace ? { namespace: node.namespace } : {}),
  };
}

function keptInSource(node: GraphNode): KeptInSource | undefined {
  if (node.isGlobal) return 'global';
  if (node.isGlobalHierarchy) return 'global-hierarchy';
  if (node.shouldNotDelete) return 'in-use';
  return undefined;
}

export function buildPlan(
  sequence: MoveSequence,
  options: { namespace: string; clusterName?: string },
): MovePlan {
  const layers = sequence.groups.map((group, i) =>
    group.map((node): PlannedObject => {
      const kept = keptInSource(node);
      return { ...refOf(node), uid: node.uid, layer: i + 1, ...(kept ? { keptInSource: kept } : {}) };
    }),
  );
  const excluded = sequence.unplaced.map((u) => ({ ...refOf(u.node), uid: u.node.uid, reason: u.reason }));
  const warnings = sequence.unplaced.map(
    (u) =>
      `WARNING: ${u.node.key} will NOT be moved: ${u.reason}. clusterctl would skip it silently; move it yourself or fix its ownerReferences.`,
  );
  return {
    namespace: options.namespace,
    ...(options.clusterName ? { clusterName: options.clusterName } : {}),
    layers,
    excluded,
    warnings,
  };
}

const describeRef = (o: ObjectRef) =>
  o.namespace ? `${o.kind} ${o.namespace}/${o.name}` : `${o.kind} ${o.name}`;

/** Counts of kinds, e.g. `Cluster 1, Secret 2`. */
export function kindCounts(objects: readonly ObjectRef[]): string {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${kind} ${n}`).join(', ');
}

/** The plan as lines for a terminal: one per layer, each object, then exclusions. */
export function describePlan(plan: MovePlan): string[] {
  const total = plan.layers.reduce((n, l) => n + l.length, 0);
  const scope = plan.namespace ? `namespace ${plan.namespace}` : 'all namespaces';
  const lines = [
    `Move plan for ${plan.clusterName ? `Cluster ${plan.clusterName} in ` : ''}${scope}: ${total} objects in ${plan.layers.length} layers`,
  ];
  plan.layers.forEach((layer, i) => {
    lines.push(`  layer ${i + 1}: ${kindCounts(layer)}`);
    for (const o of layer) {
      lines.push(
        `    ${describeRef(o)}${o.keptInSource ? ` (copied, kept in the source: ${o.keptInSource})` : ''}`,
      );
    }
  });
  for (const e of plan.excluded) lines.push(`  not moved: ${describeRef(e)}: ${e.reason}`);
  return lines;
}
