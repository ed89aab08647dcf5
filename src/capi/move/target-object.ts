import { DELETE_FOR_MOVE_ANNOTATION, SOURCE_UID_ANNOTATION } from './constants';
import type { GraphNode } from './object-graph';
import type { KubeObject, ObjectMeta, OwnerReference } from '../../kube/types';

/** Metadata the API server owns: never sent on create. */
const SERVER_FIELDS = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

/**
 * The body to create in the target for a source object (§2.14): server-owned metadata and status dropped (the
 * status subresource is never carried over; controllers rebuild it), ownerReferences rebuilt from the graph's real
 * owners with the UIDs those owners got in the target and the original controller/blockOwnerDeletion flags,
 * generateName dropped when a name is set, and our source-UID annotation added so a re-run recognises the copy.
 */
export function targetBody(
  node: GraphNode,
  source: KubeObject,
  targetUids: ReadonlyMap<GraphNode, string>,
): KubeObject {
  const meta: Record<string, unknown> = { ...source.metadata };
  for (const field of SERVER_FIELDS) delete meta[field];
  delete meta.ownerReferences;
  if (meta.name) delete meta.generateName;
  const annotations: Record<string, string> = {
    ...(source.metadata.annotations ?? {}),
    [SOURCE_UID_ANNOTATION]: node.uid,
  };
  delete annotations[DELETE_FOR_MOVE_ANNOTATION];
  meta.annotations = annotations;
  const owners: OwnerReference[] = [];
  for (const [owner, edge] of node.owners) {
    const uid = targetUids.get(owner);
    if (!uid) throw new Error(`internal: owner ${owner.key} of ${node.key} has no target UID yet`);
    owners.push({
      apiVersion: owner.apiVersion,
      kind: owner.kind,
      name: owner.name,
      uid,
      ...(edge.controller !== undefined ? { controller: edge.controller } : {}),
      ...(edge.blockOwnerDeletion !== undefined ? { blockOwnerDeletion: edge.blockOwnerDeletion } : {}),
    });
  }
  if (owners.length > 0) meta.ownerReferences = owners;
  const body: Record<string, unknown> = { ...source, metadata: meta as ObjectMeta };
  delete body.status;
  return body as KubeObject;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What a re-run compares to decide whether a copy already in the target is current (finalizers are not). */
function content(object: KubeObject): string {
  const { metadata, status: _status, ...rest } = object as KubeObject & { status?: unknown };
  return canonical({
    rest,
    labels: metadata.labels ?? {},
    annotations: metadata.annotations ?? {},
    ownerReferences: (metadata.ownerReferences ?? []).map((r) => ({
      apiVersion: r.apiVersion,
      kind: r.kind,
      name: r.name,
      uid: r.uid,
      controller: r.controller,
      blockOwnerDeletion: r.blockOwnerDeletion,
    })),
  });
}

/** True when `existing` (read from the target) already holds what `desired` would create. */
export function sameContent(existing: KubeObject, desired: KubeObject): boolean {
  return content(existing) === content(desired);
}

/** The managedFields worth restoring under `mode`, or undefined for none. */
export function managedFieldsToRestore(
  source: KubeObject,
  mode: 'apply' | 'all' | 'none',
): unknown[] | undefined {
  const entries = (source.metadata.managedFields as { operation?: string }[] | undefined) ?? [];
  if (mode === 'none' || entries.length === 0) return undefined;
  if (mode === 'apply' && !entries.some((e) => e.operation === 'Apply')) return undefined;
  return entries;
}
