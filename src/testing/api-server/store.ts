/** A stored object: JSON, in its type's storage version, never mutated in place (writes replace it). */
export type StoredObject = Record<string, any>;

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change to the store, as watches see it. */
export interface StoreEvent {
  readonly type: StoreEventType;
  /** `group/plural` of the object's type. */
  readonly key: string;
  readonly object: StoredObject;
  /** The object before the change (MODIFIED and DELETED). */
  readonly previous?: StoredObject;
  readonly resourceVersion: number;
}

export interface StoreOptions {
  /** How many events the store keeps for watch resumption; older resourceVersions answer 410 Gone. @default 10000 */
  readonly historySize?: number;
}

/**
 * The simulated etcd: objects by type, namespace and name, one global resourceVersion counter, a bounded event
 * history for watches, and listeners. Reads return the stored objects themselves (frozen); callers copy before
 * changing them.
 */
export class ObjectStore {
  private revision = 0;
  /** Events with resourceVersion <= compactedAt are gone from the history. */
  private compactedAt = 0;
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  private readonly byUid = new Map<string, { key: string; object: StoredObject }>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly historySize: number;

  public constructor(options: StoreOptions = {}) {
    this.historySize = options.historySize ?? 10_000;
  }

  /** The current (latest) resourceVersion. */
  public get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch may resume from. */
  public get oldestResumableVersion(): number {
    return this.compactedAt;
  }

  public get(key: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.objects.get(key)?.get(objectKey(namespace, name));
  }

  public getByUid(uid: string): { key: string; object: StoredObject } | undefined {
    return this.byUid.get(uid);
  }

  /** Objects of a type (in one namespace, or all), ordered by namespace then name, as etcd returns them. */
  public list(key: string, namespace?: string): StoredObject[] {
    const all = [...(this.objects.get(key)?.entries() ?? [])];
    const filtered = namespace === undefined ? all : all.filter(([k]) => k.startsWith(`${namespace}/`));
    return filtered.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  }

  /** Every stored object with its type key. */
  public *entries(): IterableIterator<{ key: string; object: StoredObject }> {
    for (const [key, map] of this.objects) for (const object of map.values()) yield { key, object };
  }

  public keys(): string[] {
    return [...this.objects.keys()];
  }

  /** Stores a new or changed object, stamping the next resourceVersion; returns the stored (frozen) object. */
  public put(key: string, object: StoredObject): StoredObject {
    const namespace = object.metadata.namespace as string | undefined;
    const name = object.metadata.name as string;
    const previous = this.get(key, namespace, name);
    const rv = ++this.revision;
    const stored = deepFreeze({ ...object, metadata: { ...object.metadata, resourceVersion: String(rv) } });
    let map = this.objects.get(key);
    if (!map) {
      map = new Map();
      this.objects.set(key, map);
    }
    map.set(objectKey(namespace, name), stored);
    this.byUid.set(stored.metadata.uid, { key, object: stored });
    this.emit({ type: previous ? 'MODIFIED' : 'ADDED', key, object: stored, previous, resourceVersion: rv });
    return stored;
  }

  /**
   * Removes an object; the DELETED event carries its last state (`finalState`, e.g. with its finalizers emptied,
   * or the stored object) with the deletion's resourceVersion.
   */
  public remove(key: string, object: StoredObject, finalState?: StoredObject): StoredObject | undefined {
    const namespace = object.metadata.namespace as string | undefined;
    const name = object.metadata.name as string;
    const map = this.objects.get(key);
    const previous = map?.get(objectKey(namespace, name));
    if (!map || !previous) return undefined;
    map.delete(objectKey(namespace, name));
    this.byUid.delete(previous.metadata.uid);
    const rv = ++this.revision;
    const last = finalState ?? previous;
    const gone = deepFreeze({ ...last, metadata: { ...last.metadata, resourceVersion: String(rv) } });
    this.emit({ type: 'DELETED', key, object: gone, previous, resourceVersion: rv });
    return gone;
  }

  /** Drops every object of a type (its CRD is gone) without events, as the server does when a CRD is removed. */
  public dropType(key: string): void {
    for (const object of this.objects.get(key)?.values() ?? []) this.byUid.delete(object.metadata.uid);
    this.objects.delete(key);
  }

  /** Events after `resourceVersion`, or undefined when the history no longer reaches back that far. */
  public eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    if (resourceVersion < this.compactedAt) return undefined;
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  /** Forgets the event history up to now, so older resourceVersions answer 410 Gone (etcd compaction). */
  public compact(): void {
    this.history.length = 0;
    this.compactedAt = this.revision;
  }

  public subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      this.compactedAt = dropped[dropped.length - 1].resourceVersion;
    }
    for (const listener of [...this.listeners]) listener(event);
  }
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
