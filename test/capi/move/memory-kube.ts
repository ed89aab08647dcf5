/**
 * TEST DOUBLE: an in-memory KubeClient, used only until the simulated API server (src/testing) is available.
 * It keeps the API semantics the mover relies on: server-assigned UIDs and resourceVersions, AlreadyExists and
 * Conflict, status dropped on create for kinds with a status subresource, JSON merge patch, finalizers and
 * deletionTimestamp, label-selector existence, and NotFound for unknown kinds. It logs every request and can fail any
 * of them (fault injection).
 */
import { randomUUID } from 'node:crypto';
import type { ApiResource, KubeClient, KubeObject, ListOptions, ObjectRef } from '../../../src/kube/types';

export class MemoryApiError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly reason: string,
    message: string,
  ) {
    super(`${statusCode} ${reason}: ${message}`);
  }
}

export interface MemoryRequest {
  readonly verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete';
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
}

interface Kind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly status: boolean;
}

const BUILTIN: Kind[] = [
  { apiVersion: 'v1', kind: 'Secret', namespaced: true, status: false },
  { apiVersion: 'v1', kind: 'ConfigMap', namespaced: true, status: false },
  { apiVersion: 'v1', kind: 'Namespace', namespaced: false, status: true },
  {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    status: true,
  },
];

const clone = <T>(v: T): T => structuredClone(v);

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const result: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete result[k];
    else result[k] = mergePatch(result[k], v);
  }
  return result;
}

export class MemoryKube implements KubeClient {
  private readonly objects = new Map<string, KubeObject>();
  private rv = 1;
  public readonly requests: MemoryRequest[] = [];
  /** Return true to fail the request (index counts from 0 over this client's requests) with a 503. */
  public failWhen?: (index: number, request: MemoryRequest) => boolean;

  private readonly kinds = new Map<string, Kind>();

  constructor(kinds: readonly Kind[] = []) {
    for (const k of [...BUILTIN, ...kinds]) this.kinds.set(`${k.apiVersion.split('/')[0]}/${k.kind}`, k);
  }

  private kindOf(apiVersion: string, kind: string): Kind {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : apiVersion;
    const k = this.kinds.get(`${group}/${kind}`) ?? this.crdKind(group, kind);
    if (!k) {
      throw new MemoryApiError(
        404,
        'NotFound',
        `the server could not find the requested resource (${apiVersion} ${kind})`,
      );
    }
    return k;
  }

  private crdKind(group: string, kind: string): Kind | undefined {
    for (const o of this.objects.values()) {
      if (o.kind !== 'CustomResourceDefinition') continue;
      const spec = o.spec as {
        group: string;
        scope: string;
        names: { kind: string };
        versions: { name: string; storage?: boolean; subresources?: object }[];
      };
      if (spec.group === group && spec.names.kind === kind) {
        const v = spec.versions.find((x) => x.storage) ?? spec.versions[0];
        return {
          apiVersion: `${group}/${v.name}`,
          kind,
          namespaced: spec.scope !== 'Cluster',
          status: Boolean(v.subresources && 'status' in v.subresources),
        };
      }
    }
    return undefined;
  }

  private key(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
    const k = this.kindOf(apiVersion, kind);
    return `${k.apiVersion.split('/')[0]}/${kind}/${k.namespaced ? (namespace ?? '') : ''}/${name}`;
  }

  private record(request: MemoryRequest): void {
    const index = this.requests.length;
    this.requests.push(request);
    if (this.failWhen?.(index, request)) {
      throw new MemoryApiError(503, 'ServiceUnavailable', `injected fault at request ${index}`);
    }
  }

  public async resource(apiVersion: string, kind: string): Promise<ApiResource> {
    const k = this.kindOf(apiVersion, kind);
    const [group, version] = k.apiVersion.includes('/') ? k.apiVersion.split('/') : ['', k.apiVersion];
    return {
      group,
      version,
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: k.namespaced,
      subresources: k.status ? ['status'] : [],
    };
  }

  public async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    this.record({ verb: 'get', kind: ref.kind, namespace: ref.namespace, name: ref.name });
    const o = this.objects.get(this.key(ref.apiVersion, ref.kind, ref.namespace, ref.name));
    return o ? (this.asVersion(clone(o), ref.apiVersion) as T) : undefined;
  }

  private asVersion(o: KubeObject, apiVersion: string): KubeObject {
    return { ...o, apiVersion: apiVersion.includes('/') ? apiVersion : o.apiVersion };
  }

  public async list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options: ListOptions = {},
  ): Promise<T[]> {
    this.record({ verb: 'list', kind, namespace: options.namespace });
    const k = this.kindOf(apiVersion, kind);
    const group = k.apiVersion.split('/')[0];
    const selector = options.labelSelector?.split(',').map((s) => s.split('='));
    return [...this.objects.values()]
      .filter((o) => o.kind === kind && o.apiVersion.split('/')[0] === group)
      .filter((o) => !k.namespaced || !options.namespace || o.metadata.namespace === options.namespace)
      .filter(
        (o) =>
          !selector ||
          selector.every(
            ([l, v]) => l in (o.metadata.labels ?? {}) && (v === undefined || o.metadata.labels![l] === v),
          ),
      )
      .map((o) => this.asVersion(clone(o), apiVersion) as T);
  }

  public async create<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T> {
    this.record({
      verb: 'create',
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    });
    const k = this.kindOf(object.apiVersion, object.kind);
    if (
      k.namespaced &&
      object.metadata.namespace &&
      !this.objects.has(this.key('v1', 'Namespace', undefined, object.metadata.namespace))
    ) {
      throw new MemoryApiError(404, 'NotFound', `namespaces "${object.metadata.namespace}" not found`);
    }
    const key = this.key(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name!);
    if (this.objects.has(key)) {
      throw new MemoryApiError(
        409,
        'AlreadyExists',
        `${object.kind} "${object.metadata.name}" already exists`,
      );
    }
    const stored = clone(object) as KubeObject & { status?: unknown };
    if (k.status) delete stored.status;
    const metadata = {
      ...stored.metadata,
      uid: randomUUID(),
      resourceVersion: String(this.rv++),
      creationTimestamp: new Date().toISOString(),
    };
    delete (metadata as Record<string, unknown>).deletionTimestamp;
    const saved = { ...stored, apiVersion: k.apiVersion, metadata };
    this.objects.set(key, saved);
    return clone(saved) as T;
  }

  public async update<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T> {
    return this.replace(object, false) as Promise<T>;
  }

  public async updateStatus<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T> {
    return this.replace(object, true) as Promise<T>;
  }

  private async replace(object: KubeObject, status: boolean): Promise<KubeObject> {
    this.record({
      verb: 'update',
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    });
    const key = this.key(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name!);
    const existing = this.objects.get(key);
    if (!existing) {
      throw new MemoryApiError(404, 'NotFound', `${object.kind} "${object.metadata.name}" not found`);
    }
    if (
      object.metadata.resourceVersion &&
      object.metadata.resourceVersion !== existing.metadata.resourceVersion
    ) {
      throw new MemoryApiError(409, 'Conflict', 'the object has been modified');
    }
    const k = this.kindOf(object.apiVersion, object.kind);
    const next = status
      ? { ...existing, status: (object as { status?: unknown }).status }
      : { ...clone(object), ...(k.status ? { status: (existing as { status?: unknown }).status } : {}) };
    const saved = {
      ...next,
      apiVersion: existing.apiVersion,
      metadata: {
        ...(status ? existing.metadata : next.metadata),
        uid: existing.metadata.uid,
        creationTimestamp: existing.metadata.creationTimestamp,
        resourceVersion: String(this.rv++),
      },
    } as KubeObject;
    this.objects.set(key, saved);
    return clone(saved);
  }

  public async apply<T extends KubeObject = KubeObject>(): Promise<T> {
    throw new Error('apply is not used by the mover');
  }

  public async mergePatch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    options: { status?: boolean } = {},
  ): Promise<T> {
    this.record({ verb: 'patch', kind: ref.kind, namespace: ref.namespace, name: ref.name });
    const key = this.key(ref.apiVersion, ref.kind, ref.namespace, ref.name);
    const existing = this.objects.get(key);
    if (!existing) throw new MemoryApiError(404, 'NotFound', `${ref.kind} "${ref.name}" not found`);
    const k = this.kindOf(ref.apiVersion, ref.kind);
    let merged: KubeObject;
    if (options.status) {
      merged = { ...existing, status: mergePatch((existing as { status?: unknown }).status, patch.status) };
    } else {
      const body = { ...patch };
      if (k.status) delete body.status;
      merged = mergePatch(existing, body) as KubeObject;
    }
    merged = {
      ...merged,
      metadata: { ...merged.metadata, uid: existing.metadata.uid, resourceVersion: String(this.rv++) },
    };
    if (merged.metadata.deletionTimestamp && !(merged.metadata.finalizers ?? []).length) {
      this.objects.delete(key);
      return clone(merged) as T;
    }
    this.objects.set(key, merged);
    return clone(merged) as T;
  }

  public async delete(ref: ObjectRef): Promise<boolean> {
    this.record({ verb: 'delete', kind: ref.kind, namespace: ref.namespace, name: ref.name });
    const key = this.key(ref.apiVersion, ref.kind, ref.namespace, ref.name);
    const existing = this.objects.get(key);
    if (!existing) return false;
    if ((existing.metadata.finalizers ?? []).length > 0) {
      this.objects.set(key, {
        ...existing,
        metadata: {
          ...existing.metadata,
          deletionTimestamp: existing.metadata.deletionTimestamp ?? new Date().toISOString(),
        },
      });
    } else {
      this.objects.delete(key);
    }
    return true;
  }

  public async waitFor<T extends KubeObject = KubeObject>(): Promise<T | undefined> {
    throw new Error('waitFor is not used by the mover');
  }

  /** Every stored object (for assertions; not a request). */
  public all(): KubeObject[] {
    return [...this.objects.values()].map(clone);
  }

  /** Stores an object as-is, status included (fixture seeding; not a request). */
  public seed(object: KubeObject, uid?: string): KubeObject {
    const key = this.key(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name!);
    const saved = {
      ...clone(object),
      metadata: {
        ...object.metadata,
        uid: uid ?? object.metadata.uid ?? randomUUID(),
        resourceVersion: String(this.rv++),
      },
    };
    this.objects.set(key, saved);
    return saved;
  }
}
