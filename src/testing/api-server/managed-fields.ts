import { ApiError } from './status';
import { StoredObject } from './store';
import type { ManagedFieldsEntry } from '../../kube/types';
import { canonicalJson, deepCopy, isPlainObject } from '../schema/json-schema';

/**
 * Field ownership for server-side apply. A field set is a set of leaf paths: objects are tracked field by field
 * (any depth), while lists, scalars and empty objects are leaves owned as a whole. That is coarser than the real
 * structured-merge-diff for associative lists (`x-kubernetes-list-type: map`, owned per element there) and ignores
 * `x-kubernetes-map-type: atomic` (tracked field by field here); see the README.
 */
export type FieldPath = readonly string[];

export type { ManagedFieldsEntry };

/** Which part of an object a write touches. */
export type FieldScope = 'main' | 'status';

const METADATA_TRACKED = new Set(['labels', 'annotations', 'finalizers', 'ownerReferences']);
const DEEP_METADATA = new Set(['labels', 'annotations']);

export class FieldSet {
  private readonly paths = new Map<string, FieldPath>();

  public constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.add(p);
  }

  public add(path: FieldPath): void {
    this.paths.set(JSON.stringify(path), path);
  }

  public has(path: FieldPath): boolean {
    return this.paths.has(JSON.stringify(path));
  }

  public delete(path: FieldPath): void {
    this.paths.delete(JSON.stringify(path));
  }

  public get size(): number {
    return this.paths.size;
  }

  public [Symbol.iterator](): IterableIterator<FieldPath> {
    return this.paths.values();
  }

  public toArray(): FieldPath[] {
    return [...this.paths.values()];
  }

  public equals(other: FieldSet): boolean {
    if (other.size !== this.size) return false;
    for (const key of this.paths.keys()) if (!other.paths.has(key)) return false;
    return true;
  }
}

/**
 * The leaf paths of an object that ownership is tracked for. apiVersion, kind and the system metadata (name,
 * uid, resourceVersion, ...) are not tracked; of metadata only labels, annotations (per key), finalizers and
 * ownerReferences (as wholes) are. `status` belongs to the status scope when the type has a status subresource.
 */
export function trackedFields(object: StoredObject, scope: FieldScope, statusSubresource: boolean): FieldSet {
  const set = new FieldSet();
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      if (scope === 'status' && statusSubresource) continue;
      for (const [metaKey, metaValue] of Object.entries(isPlainObject(value) ? value : {})) {
        if (!METADATA_TRACKED.has(metaKey)) continue;
        if (DEEP_METADATA.has(metaKey) && isPlainObject(metaValue)) {
          for (const label of Object.keys(metaValue)) set.add(['metadata', metaKey, label]);
        } else {
          set.add(['metadata', metaKey]);
        }
      }
      continue;
    }
    if (statusSubresource && (scope === 'status') !== (key === 'status')) continue;
    collectLeaves(value, [key], set);
  }
  return set;
}

function collectLeaves(value: unknown, path: string[], out: FieldSet): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) collectLeaves(child, [...path, key], out);
  } else {
    out.add(path);
  }
}

/** Reads the value at a path; `found` is false when the path does not exist. */
export function valueAt(
  object: unknown,
  path: FieldPath,
): { found: boolean; value?: unknown; blockedAt?: number } {
  let node: unknown = object;
  for (let i = 0; i < path.length; i++) {
    if (!isPlainObject(node)) return { found: false, blockedAt: i };
    if (!(path[i] in node)) return { found: false };
    node = node[path[i]];
  }
  return { found: true, value: node };
}

/** Sets the value at a path, creating (or replacing non-object) parents. Mutates `object`. */
export function setAt(object: Record<string, unknown>, path: FieldPath, value: unknown): void {
  let node = object;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node[path[i]];
    if (!isPlainObject(next)) node[path[i]] = {};
    node = node[path[i]] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = deepCopy(value);
}

/** Removes the value at a path and any parent objects left empty. Mutates `object`. */
export function removeAt(object: Record<string, unknown>, path: FieldPath): void {
  const parents: Record<string, unknown>[] = [object];
  let node: unknown = object;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isPlainObject(node)) return;
    node = node[path[i]];
    if (!isPlainObject(node)) return;
    parents.push(node);
  }
  delete parents[parents.length - 1][path[path.length - 1]];
  for (let i = parents.length - 1; i > 0; i--) {
    if (Object.keys(parents[i]).length > 0) break;
    delete parents[i - 1][path[i - 1]];
  }
}

/** FieldsV1 (`{"f:spec":{"f:replicas":{}}}`) from a field set. */
export function encodeFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const path of set) {
    let node = root;
    for (const segment of path) {
      const key = `f:${segment}`;
      node[key] ??= {};
      node = node[key];
    }
  }
  return root;
}

/**
 * A field set from FieldsV1 written by any manager (also a real server's, restored by a move). Per-element list
 * entries (`k:`, `v:`, `i:`) make their list a leaf, matching this simulator's granularity.
 */
export function decodeFieldsV1(fields: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (node: unknown, path: string[]): void => {
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 || keys.includes('.')) {
      if (path.length > 0) set.add(path);
    }
    for (const key of keys) {
      if (key.startsWith('f:')) walk(node[key], [...path, key.slice(2)]);
      else if (/^[kvi]:/.test(key) && path.length > 0) set.add(path);
    }
  };
  walk(fields, []);
  return set;
}

interface Ownership {
  entry: ManagedFieldsEntry;
  fields: FieldSet;
}

function ownershipOf(object: StoredObject): Ownership[] {
  const entries = (object.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  return entries.map((entry) => ({ entry, fields: decodeFieldsV1(entry.fieldsV1) }));
}

function sameSlot(
  entry: ManagedFieldsEntry,
  manager: string,
  operation: 'Apply' | 'Update',
  scope: FieldScope,
): boolean {
  return (
    entry.manager === manager &&
    entry.operation === operation &&
    (entry.subresource ?? 'main') === (scope === 'status' ? 'status' : 'main')
  );
}

function rebuild(owners: Ownership[], now: string): ManagedFieldsEntry[] {
  return owners
    .filter((o) => o.fields.size > 0)
    .map((o) => {
      const fieldsV1 = encodeFieldsV1(o.fields);
      const changed = canonicalJson(fieldsV1) !== canonicalJson(o.entry.fieldsV1);
      return { ...o.entry, fieldsV1, time: changed ? now : o.entry.time };
    });
}

export interface WriteContext {
  readonly manager: string;
  readonly apiVersion: string;
  readonly scope: FieldScope;
  readonly statusSubresource: boolean;
  readonly now: string;
}

/**
 * managedFields after a non-apply write (create, update, patch): the writer takes every field it changed from
 * whoever owned it, fields that no longer exist leave every set, and other fields keep their owners.
 */
export function managedFieldsAfterUpdate(
  before: StoredObject | undefined,
  after: StoredObject,
  ctx: WriteContext,
): ManagedFieldsEntry[] {
  const newLeaves = trackedFields(after, ctx.scope, ctx.statusSubresource);
  const allNewLeaves = new FieldSet([
    ...newLeaves,
    ...trackedFields(after, ctx.scope === 'main' ? 'status' : 'main', ctx.statusSubresource),
  ]);
  const changed = new FieldSet();
  for (const path of newLeaves) {
    const old = before ? valueAt(before, path) : { found: false };
    const now = valueAt(after, path);
    if (!old.found || canonicalJson(old.value) !== canonicalJson(now.value)) changed.add(path);
  }
  const owners = before ? ownershipOf(before) : [];
  for (const owner of owners) {
    for (const path of owner.fields.toArray()) {
      if (!allNewLeaves.has(path) || changed.has(path)) owner.fields.delete(path);
    }
  }
  if (changed.size > 0) {
    let mine = owners.find((o) => sameSlot(o.entry, ctx.manager, 'Update', ctx.scope));
    if (!mine) {
      mine = { entry: newEntry(ctx, 'Update'), fields: new FieldSet() };
      owners.push(mine);
    }
    for (const path of changed) mine.fields.add(path);
  }
  return rebuild(owners, ctx.now);
}

function newEntry(ctx: WriteContext, operation: 'Apply' | 'Update'): ManagedFieldsEntry {
  const entry: ManagedFieldsEntry = {
    manager: ctx.manager,
    operation,
    apiVersion: ctx.apiVersion,
    time: ctx.now,
    fieldsType: 'FieldsV1',
    fieldsV1: {},
  };
  return ctx.scope === 'status' ? { ...entry, subresource: 'status' } : entry;
}

export interface ApplyResult {
  /** The merged object (managedFields set). */
  readonly object: StoredObject;
}

/**
 * Server-side apply of `applied` (the manager's full intent) onto `live`: fields the manager applied before
 * but omits now are removed unless another manager owns them; applied values that differ from fields another
 * manager owns are conflicts (409, unless `force`, which takes them over); all other fields are kept.
 */
export function serverSideApply(
  live: StoredObject,
  applied: StoredObject,
  ctx: WriteContext & { readonly force: boolean; readonly describe: (path: FieldPath) => string },
): ApplyResult {
  const appliedFields = trackedFields(applied, ctx.scope, ctx.statusSubresource);
  const owners = ownershipOf(live);
  const mine = owners.find((o) => sameSlot(o.entry, ctx.manager, 'Apply', ctx.scope));
  const others = owners.filter((o) => o !== mine);

  const conflicts: { manager: string; apiVersion: string; path: FieldPath }[] = [];
  for (const path of appliedFields) {
    const want = valueAt(applied, path).value;
    const have = valueAt(live, path);
    for (const other of others) {
      let owned = other.fields.has(path) && have.found && canonicalJson(have.value) !== canonicalJson(want);
      // Another manager owns a scalar where this apply puts an object (or the reverse): also a conflict.
      if (!owned && have.blockedAt !== undefined) owned = other.fields.has(path.slice(0, have.blockedAt));
      // Applying a whole value (a list, say) over an object whose fields another manager owns.
      if (!owned && have.found && canonicalJson(have.value) !== canonicalJson(want)) {
        owned = other.fields.toArray().some((p) => isStrictPrefix(path, p));
      }
      if (owned) conflicts.push({ manager: other.entry.manager, apiVersion: other.entry.apiVersion, path });
    }
  }
  if (conflicts.length > 0 && !ctx.force) {
    const lines = conflicts.map(
      (c) => `conflict with "${c.manager}" using ${c.apiVersion}: ${ctx.describe(c.path)}`,
    );
    throw new ApiError(
      409,
      'Conflict',
      `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${lines.join('\n')}`,
      {
        causes: conflicts.map((c) => ({
          reason: 'FieldManagerConflict',
          message: `conflict with "${c.manager}" using ${c.apiVersion}`,
          field: ctx.describe(c.path),
        })),
      },
    );
  }

  const result = deepCopy(live) as Record<string, unknown>;
  // Fields this manager applied before and omits now go, unless someone else still owns them.
  for (const path of mine?.fields ?? []) {
    if (appliedFields.has(path)) continue;
    if (others.some((o) => o.fields.has(path))) continue;
    removeAt(result, path);
  }
  for (const path of appliedFields) setAt(result, path, valueAt(applied, path).value);

  const resultLeaves = new FieldSet([
    ...trackedFields(result, 'main', ctx.statusSubresource),
    ...(ctx.statusSubresource ? trackedFields(result, 'status', true) : []),
  ]);
  for (const other of others) {
    for (const path of other.fields.toArray()) {
      const taken = conflicts.some((c) => c.manager === other.entry.manager && samePath(c.path, path));
      if (taken || !resultLeaves.has(path)) other.fields.delete(path);
    }
  }
  const updated: Ownership[] = [...others];
  const myEntry = mine?.entry ?? newEntry(ctx, 'Apply');
  updated.splice(mine ? owners.indexOf(mine) : updated.length, 0, {
    entry: { ...myEntry, apiVersion: ctx.apiVersion },
    fields: appliedFields,
  });
  const metadata = {
    ...(result.metadata as Record<string, unknown>),
    managedFields: rebuild(updated, ctx.now),
  };
  return { object: { ...result, metadata } };
}

function isStrictPrefix(prefix: FieldPath, path: FieldPath): boolean {
  return path.length > prefix.length && prefix.every((s, i) => path[i] === s);
}

function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && a.every((s, i) => b[i] === s);
}

/** `.spec.replicas`, `.metadata.labels.app`: the field notation of apply conflicts. */
export function describeFieldPath(path: FieldPath): string {
  return path.map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
}
