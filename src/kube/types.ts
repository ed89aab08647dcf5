/**
 * The Kubernetes access contract the rest of the library programs against. `src/kube` implements it over HTTP
 * against a real API server; tests point the same implementation at the simulated API server in `src/testing`.
 */

/** Metadata fields the library reads or writes. Unknown fields are carried through untouched. */
export interface ObjectMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly ownerReferences?: OwnerReference[];
  readonly finalizers?: string[];
  /** Field ownership recorded by the server (server-side apply). */
  readonly managedFields?: ManagedFieldsEntry[];
  readonly [field: string]: unknown;
}

/** One `metadata.managedFields` entry: which fields a manager owns, in FieldsV1 notation. */
export interface ManagedFieldsEntry {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly apiVersion: string;
  readonly time: string;
  readonly fieldsType: 'FieldsV1';
  readonly fieldsV1: Record<string, unknown>;
  readonly subresource?: string;
}

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

/** Names one object (namespace omitted for cluster-scoped kinds). */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** What API discovery knows about a kind. */
export interface ApiResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name used in REST paths. */
  readonly plural: string;
  readonly namespaced: boolean;
  readonly subresources: readonly string[];
}

export interface ListOptions {
  /** Omit for all namespaces (and for cluster-scoped kinds). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Page size; the client follows `continue` tokens and returns every page. */
  readonly limit?: number;
}

export interface ApplyOptions {
  /** @default "eksa-iac" */
  readonly fieldManager?: string;
  /** Take ownership of fields another manager owns. @default true */
  readonly force?: boolean;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  /** @default "Background" */
  readonly propagationPolicy?: PropagationPolicy;
}

export interface WaitOptions {
  /** Milliseconds before giving up. */
  readonly timeoutMs: number;
  /** Consecutive observations the predicate must hold for (EKS-A uses 20 at 1 s). @default 1 */
  readonly holdFor?: number;
  /** Interval between re-checks while holding, in milliseconds. @default 1000 */
  readonly holdIntervalMs?: number;
  /** Human description of what is awaited, used in progress lines and timeout errors. */
  readonly description?: string;
  /** Called with progress lines (at least every 30 s during long waits). */
  readonly onProgress?: (line: string) => void;
  /** Interval between progress lines, in milliseconds. @default 30000 */
  readonly progressIntervalMs?: number;
  /**
   * Require `status.observedGeneration` to equal `metadata.generation` (when the object reports one) before the
   * predicate counts. @default true
   */
  readonly requireObservedGeneration?: boolean;
  /** Aborts the wait (rejects with the signal's reason). */
  readonly signal?: AbortSignal;
}

/** The Status object the API server answers errors (and some deletes) with. */
export interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: { readonly resourceVersion?: string; readonly continue?: string };
  readonly status: 'Success' | 'Failure';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly uid?: string;
    readonly causes?: readonly {
      readonly reason?: string;
      readonly message?: string;
      readonly field?: string;
    }[];
    readonly retryAfterSeconds?: number;
  };
  readonly code: number;
}

/** One event of a watch stream. */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  readonly object: T;
}

/** The Kubernetes operations the library uses. All methods reject with `KubeApiError` on API failures. */
export interface KubeClient {
  /** Resolves a kind to its REST resource through discovery (cached; refreshed when a kind is unknown). */
  resource(apiVersion: string, kind: string): Promise<ApiResource>;
  /** Returns the object, or undefined when it does not exist. */
  get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined>;
  /** Lists every object of a kind (all pages). */
  list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options?: ListOptions,
  ): Promise<T[]>;
  create<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T>;
  /** Replaces the object; `metadata.resourceVersion` makes it conditional (409 on conflict). */
  update<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T>;
  /** Replaces the status subresource. */
  updateStatus<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T>;
  /** Server-side apply. */
  apply<T extends KubeObject = KubeObject>(object: KubeObject, options?: ApplyOptions): Promise<T>;
  /** JSON merge patch (RFC 7386); `status: true` patches the status subresource. */
  mergePatch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    options?: { status?: boolean },
  ): Promise<T>;
  /** Deletes; resolves false when the object was already gone. */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<boolean>;
  /**
   * Resolves with the object once `predicate` holds (for `holdFor` consecutive observations, with
   * `status.observedGeneration` current where the object has one); rejects with a timeout error that reports the
   * last observed conditions.
   */
  waitFor<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    predicate: (object: T | undefined) => boolean,
    options: WaitOptions,
  ): Promise<T | undefined>;
}
