import { randomUUID } from 'node:crypto';
import * as YAML from 'yaml';
import { coreVersions, groupInfo, groupList, resourceList } from './discovery-documents';
import {
  FieldScope,
  ManagedFieldsEntry,
  describeFieldPath,
  managedFieldsAfterUpdate,
  serverSideApply,
  trackedFields,
  encodeFieldsV1,
} from './managed-fields';
import { applyJsonPatch, applyMergePatch } from './patch';
import {
  ResourceType,
  builtinTypes,
  storageKey,
  storageVersion,
  typeFromCrd,
  BuiltinSpec,
  builtinType,
} from './resource-types';
import { parseRoute } from './routes';
import { ObjectFilter, matchesFilter, parseFieldSelector, parseLabelQuery } from './selectors';
import { ApiError, StatusCause, errors } from './status';
import { ObjectStore, StoreEvent, StoredObject } from './store';
import { joinApiVersion, splitApiVersion } from '../../kube/api-version';
import { CustomResourceDefinition } from '../schema/crd';
import { FieldErrorReason, canonicalJson, deepCopy, isPlainObject } from '../schema/json-schema';
import { validateObjectMeta } from '../schema/object-meta';
import {
  applyDefaults,
  findUnknownFields,
  pruneNonNullableNulls,
  validateValue,
} from '../schema/structural-schema';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Converts an object between versions of its type. The default only rewrites apiVersion (strategy None). */
export type VersionConverter = (object: StoredObject, toApiVersion: string) => StoredObject;

export interface ApiEngineOptions {
  /** CRDs installed (and Established) from the start. @default none, like a fresh cluster */
  readonly crds?: readonly CustomResourceDefinition[];
  /** Events kept for watch resumption. @default 10000 */
  readonly historySize?: number;
  /**
   * Treatment of unknown fields when a request does not say (`fieldValidation` query parameter). Real servers
   * default to Warn (drop and warn); the simulator defaults to Strict so that mistakes surface. @default "Strict"
   */
  readonly defaultFieldValidation?: FieldValidation;
  /** Delay before a new CRD is Established and served. @default 0 (the next turn of the event loop) */
  readonly crdEstablishDelayMs?: number;
  /** Run the garbage collector (owner references, foreground/orphan deletion). @default true */
  readonly garbageCollection?: boolean;
  /** Delay of each garbage-collector pass after a change. @default 0 */
  readonly garbageCollectionDelayMs?: number;
  /** Source of timestamps. @default the system clock */
  readonly clock?: () => Date;
  /** Reported by `/version`. @default "v1.31.0" */
  readonly kubernetesVersion?: string;
}

/** A request to the engine, independent of HTTP. */
export interface ApiRequest {
  readonly method: string;
  /** URL path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType?: string;
  readonly userAgent?: string;
  readonly body?: string;
  /** Host:port the client used, for `/api`'s serverAddressByClientCIDRs. */
  readonly host?: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  /** Warning headers (`299 - "..."`), for dropped unknown fields under fieldValidation=Warn. */
  readonly warnings?: readonly string[];
}

/** A watch request, validated; the HTTP layer streams it with ApiEngine.openWatch. */
export interface WatchRequest {
  readonly type: ResourceType;
  readonly version: string;
  readonly namespace?: string;
  readonly filter: ObjectFilter;
  readonly resourceVersion?: string;
  readonly timeoutSeconds?: number;
  readonly bookmarks: boolean;
}

export type ApiResult = ApiResponse | { readonly watch: WatchRequest };

/** One watch event as sent on the wire. */
export interface WireWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: unknown;
}

interface WriteCtx {
  readonly manager: string;
  readonly scope: FieldScope;
  readonly fieldValidation: FieldValidation;
  readonly dryRun: boolean;
  /** Set when managedFields were already computed (server-side apply). */
  readonly managedFieldsDone?: boolean;
}

interface CommitResult {
  readonly object: StoredObject;
  readonly created: boolean;
  readonly warnings: string[];
}

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';
const CRD_CLEANUP = 'customresourcecleanup.apiextensions.k8s.io';
const NAMESPACE_FINALIZER = 'kubernetes';
const GENERATE_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const CRD_KEY = 'apiextensions.k8s.io/customresourcedefinitions';
const NAMESPACE_KEY = '/namespaces';

/**
 * The Kubernetes API semantics of the simulated server, independent of HTTP: types and discovery, CRUD, merge and
 * JSON patch, server-side apply with managedFields, resourceVersion and generation, status subresources,
 * selectors and paging, watch events, finalizers and deletion, namespace and CRD lifecycle, and the garbage
 * collector. The HTTP server (SimulatedApiServer) is a thin layer over it.
 */
export class ApiEngine {
  public readonly store: ObjectStore;
  private readonly types = new Map<string, ResourceType>();
  private readonly converters = new Map<string, VersionConverter>();
  private readonly options: ApiEngineOptions;
  private readonly clock: () => Date;
  private gcScheduled = false;
  /** Objects (by uid) the next collector pass looks at. */
  private readonly gcQueue = new Set<string>();
  /** Owner uid → uids of the objects that reference it. */
  private readonly dependents = new Map<string, Set<string>>();
  private gcTimer?: NodeJS.Timeout;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  public constructor(options: ApiEngineOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? (() => new Date());
    this.store = new ObjectStore({ historySize: options.historySize });
    for (const type of builtinTypes()) this.types.set(storageKey(type), type);
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.internalCreate(NAMESPACE_KEY, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    for (const crd of options.crds ?? []) {
      const stored = this.internalCreate(CRD_KEY, deepCopy(crd) as unknown as StoredObject);
      this.establish(stored.metadata.name);
    }
    this.store.subscribe((event) => this.onStoreEvent(event));
  }

  /** Stops timers (CRD establishment, garbage collection). */
  public close(): void {
    this.closed = true;
    clearTimeout(this.gcTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Serves another built-in kind (no schema; any fields accepted). */
  public registerBuiltin(spec: BuiltinSpec): void {
    const type = builtinType(spec);
    this.types.set(storageKey(type), type);
  }

  /** Replaces the version converter of one kind (`group/Kind`), e.g. with a real v1beta1 ⇄ v1beta2 conversion. */
  public setConverter(group: string, kind: string, converter: VersionConverter): void {
    this.converters.set(`${group}/${kind}`, converter);
  }

  /** Every served type. */
  public servedTypes(): ResourceType[] {
    return [...this.types.values()];
  }

  /** The served type of apiVersion and kind, if any. */
  public typeFor(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return [...this.types.values()].find(
      (t) => t.group === group && t.kind === kind && t.versions.some((v) => v.name === version && v.served),
    );
  }

  /** Reads one object directly (converted to apiVersion), bypassing HTTP. */
  public read(apiVersion: string, kind: string, name: string, namespace?: string): StoredObject | undefined {
    const type = this.typeFor(apiVersion, kind);
    if (!type) return undefined;
    const stored = this.store.get(storageKey(type), type.namespaced ? namespace : undefined, name);
    return stored ? deepCopy(this.convert(type, stored, apiVersion)) : undefined;
  }

  /** Lists objects directly (converted to apiVersion), bypassing HTTP. */
  public readAll(apiVersion: string, kind: string, namespace?: string): StoredObject[] {
    const type = this.typeFor(apiVersion, kind);
    if (!type) return [];
    return this.store
      .list(storageKey(type), type.namespaced ? namespace : undefined)
      .map((o) => deepCopy(this.convert(type, o, apiVersion)));
  }

  /** Handles one request. Errors are answered as Status objects, as a real server does. */
  public handle(request: ApiRequest): ApiResult {
    try {
      return this.route(request);
    } catch (error) {
      if (error instanceof ApiError) return { status: error.code, body: error.toStatus() };
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, body: errors.internal(message).toStatus() };
    }
  }

  private route(request: ApiRequest): ApiResult {
    const route = parseRoute(request.path);
    const method = request.method.toUpperCase();
    const types = this.servedTypes();
    const notFound = (): ApiResponse => ({
      status: 404,
      body: new ApiError(404, 'NotFound', 'the server could not find the requested resource').toStatus(),
    });
    switch (route.kind) {
      case 'version': {
        const version = this.options.kubernetesVersion ?? 'v1.31.0';
        const [major, minor] = version.replace(/^v/, '').split('.');
        return {
          status: 200,
          body: { major, minor, gitVersion: `${version}-simulated`, platform: 'simulated/eksa-iac' },
        };
      }
      case 'health':
        return { status: 200, body: 'ok' };
      case 'core-versions':
        return { status: 200, body: coreVersions(request.host ?? '127.0.0.1') };
      case 'group-list':
        return { status: 200, body: groupList(types) };
      case 'group': {
        const body = groupInfo(types, route.group);
        return body ? { status: 200, body } : notFound();
      }
      case 'resource-list': {
        const body = resourceList(types, route.group, route.version);
        return body ? { status: 200, body } : notFound();
      }
      case 'unknown':
        return notFound();
      case 'resource':
        break;
    }
    const type = types.find(
      (t) =>
        t.group === route.group &&
        t.plural === route.plural &&
        t.versions.some((v) => v.name === route.version && v.served),
    );
    if (!type) return notFound();
    if (!type.namespaced && route.namespace !== undefined) return notFound();
    if (type.namespaced && route.name !== undefined && route.namespace === undefined) return notFound();
    const sub = route.subresource;
    if (sub !== undefined && !(sub === 'status' && type.statusSubresource)) return notFound();
    const version = route.version;
    const q = request.query;

    switch (method) {
      case 'GET':
        if (route.name !== undefined) {
          return { status: 200, body: this.getOne(type, version, route.namespace, route.name) };
        }
        if (isTrue(q.get('watch'))) return { watch: this.watchRequest(type, version, route.namespace, q) };
        return { status: 200, body: this.list(type, version, route.namespace, q) };
      case 'POST':
        if (route.name !== undefined) {
          throw errors.methodNotAllowed(`POST is not supported on ${type.plural}/${route.name}`);
        }
        return this.create(type, version, route.namespace, request);
      case 'PUT':
        if (route.name === undefined) throw errors.methodNotAllowed(`PUT needs an object name`);
        return this.update(
          type,
          version,
          route.namespace,
          route.name,
          request,
          sub === 'status' ? 'status' : 'main',
        );
      case 'PATCH':
        if (route.name === undefined) throw errors.methodNotAllowed(`PATCH needs an object name`);
        return this.patch(
          type,
          version,
          route.namespace,
          route.name,
          request,
          sub === 'status' ? 'status' : 'main',
        );
      case 'DELETE':
        if (route.name === undefined) return this.deleteCollection(type, version, route.namespace, request);
        return this.delete(type, version, route.namespace, route.name, request);
      default:
        throw errors.methodNotAllowed(`method ${method} is not supported`);
    }
  }

  // ---------------------------------------------------------------------------------------------- reads

  private getOne(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
  ): StoredObject {
    const stored = this.store.get(storageKey(type), namespace, name);
    if (!stored) throw errors.notFound(type.group, type.plural, name);
    return this.convert(type, stored, joinApiVersion(type.group, version));
  }

  private filterFrom(type: ResourceType, q: URLSearchParams): ObjectFilter {
    return {
      labels: parseLabelQuery(q.get('labelSelector') ?? ''),
      fields: parseFieldSelector(q.get('fieldSelector') ?? '', type),
    };
  }

  private list(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    q: URLSearchParams,
  ): Record<string, unknown> {
    const filter = this.filterFrom(type, q);
    const apiVersion = joinApiVersion(type.group, version);
    const limit = q.get('limit') ? Number(q.get('limit')) : undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw errors.badRequest(`invalid limit "${q.get('limit')}"`);
    }
    let listVersion = this.store.resourceVersion;
    let after: string | undefined;
    const token = q.get('continue');
    if (token) {
      const decoded = decodeContinue(token);
      if (decoded.rv < this.store.oldestResumableVersion) {
        throw errors.gone(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      listVersion = decoded.rv;
      after = decoded.after;
    }
    const all = this.store.list(storageKey(type), namespace).filter((o) => matchesFilter(filter, o));
    const startIndex = after === undefined ? 0 : all.findIndex((o) => keyOf(o) > after!);
    const remaining = startIndex < 0 ? [] : all.slice(startIndex);
    const page = limit ? remaining.slice(0, limit) : remaining;
    const more = limit !== undefined && limit > 0 && remaining.length > page.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(listVersion) };
    if (more) {
      metadata.continue = encodeContinue(listVersion, keyOf(page[page.length - 1]));
      metadata.remainingItemCount = remaining.length - page.length;
    }
    const items = page.map((o) => {
      const converted = this.convert(type, o, apiVersion);
      if (type.custom) return converted;
      // Typed lists of built-in kinds carry apiVersion and kind only on the list, as on a real server.
      const { apiVersion: _v, kind: _k, ...rest } = converted;
      return rest;
    });
    return { apiVersion, kind: type.listKind, metadata, items };
  }

  private watchRequest(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    q: URLSearchParams,
  ): WatchRequest {
    const filter = this.filterFrom(type, q);
    const rv = q.get('resourceVersion') ?? undefined;
    if (rv !== undefined && rv !== '' && !/^\d+$/.test(rv)) {
      throw errors.badRequest(`invalid resourceVersion "${rv}"`);
    }
    const timeout = q.get('timeoutSeconds');
    return {
      type,
      version,
      namespace,
      filter,
      resourceVersion: rv || undefined,
      timeoutSeconds: timeout ? Number(timeout) : undefined,
      bookmarks: isTrue(q.get('allowWatchBookmarks')),
    };
  }

  /**
   * Starts a watch: replays the events after its resourceVersion (or sends ADDED for every current object when it
   * has none or "0"), then forwards live events. A resourceVersion older than the history sends one ERROR event
   * with a 410 Status and ends. Returns the function that stops the watch.
   */
  public openWatch(
    request: WatchRequest,
    send: (event: WireWatchEvent) => void,
    end: () => void,
  ): () => void {
    const key = storageKey(request.type);
    const apiVersion = joinApiVersion(request.type.group, request.version);
    const inScope = (o: StoredObject): boolean =>
      request.namespace === undefined || o.metadata.namespace === request.namespace;
    const matches = (o: StoredObject | undefined): boolean =>
      o !== undefined && inScope(o) && matchesFilter(request.filter, o);
    const out = (type: WireWatchEvent['type'], o: StoredObject): void =>
      send({ type, object: this.convert(request.type, o, apiVersion) });
    const forward = (event: StoreEvent): void => {
      if (event.key !== key) return;
      const now = matches(event.object);
      const before = matches(event.previous);
      if (event.type === 'ADDED' && now) {
        out('ADDED', event.object);
      } else if (event.type === 'MODIFIED') {
        if (now && before) out('MODIFIED', event.object);
        else if (now) out('ADDED', event.object);
        else if (before) out('DELETED', event.object);
      } else if (event.type === 'DELETED' && before) {
        out('DELETED', event.object);
      }
    };

    const rv =
      request.resourceVersion === undefined || request.resourceVersion === '0'
        ? undefined
        : Number(request.resourceVersion);
    if (rv === undefined) {
      for (const o of this.store.list(key, request.namespace)) if (matches(o)) out('ADDED', o);
    } else {
      const replay = this.store.eventsSince(rv);
      if (!replay) {
        const gone = errors.gone(`too old resource version: ${rv} (${this.store.oldestResumableVersion})`);
        send({ type: 'ERROR', object: gone.toStatus() });
        end();
        return () => undefined;
      }
      for (const event of replay) forward(event);
    }
    const unsubscribe = this.store.subscribe(forward);
    return unsubscribe;
  }

  /** A BOOKMARK event at the current resourceVersion. */
  public bookmark(request: WatchRequest): WireWatchEvent {
    return {
      type: 'BOOKMARK',
      object: {
        apiVersion: joinApiVersion(request.type.group, request.version),
        kind: request.type.kind,
        metadata: {
          resourceVersion: String(this.store.resourceVersion),
          annotations: { 'k8s.io/initial-events-end': 'true' },
        },
      },
    };
  }

  // ---------------------------------------------------------------------------------------------- writes

  private ctxFrom(request: ApiRequest, scope: FieldScope): WriteCtx {
    const q = request.query;
    const fieldValidation = (q.get('fieldValidation') ??
      this.options.defaultFieldValidation ??
      'Strict') as FieldValidation;
    if (!['Strict', 'Warn', 'Ignore'].includes(fieldValidation)) {
      throw errors.badRequest(
        `fieldValidation must be one of Strict, Warn or Ignore, not "${fieldValidation}"`,
      );
    }
    const dryRun = q.getAll('dryRun');
    if (dryRun.some((d) => d !== 'All')) throw errors.badRequest('dryRun may only be "All"');
    return {
      manager: q.get('fieldManager') ?? managerFromUserAgent(request.userAgent),
      scope,
      fieldValidation,
      dryRun: dryRun.length > 0,
    };
  }

  private create(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    request: ApiRequest,
  ): ApiResponse {
    const ctx = this.ctxFrom(request, 'main');
    const body = this.bodyObject(type, version, request, namespace);
    if (body.metadata.resourceVersion) {
      throw errors.badRequest('resourceVersion should not be set on objects to be created');
    }
    const result = this.commit(type, version, undefined, body, ctx);
    return { status: 201, body: result.object, warnings: result.warnings };
  }

  private update(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    request: ApiRequest,
    scope: FieldScope,
  ): ApiResponse {
    const ctx = this.ctxFrom(request, scope);
    const existing = this.store.get(storageKey(type), namespace, name);
    if (!existing) throw errors.notFound(type.group, type.plural, name);
    const body = this.bodyObject(type, version, request, namespace, name);
    const rv = body.metadata.resourceVersion;
    if (rv === undefined || rv === '') {
      if (type.custom) {
        throw errors.invalid(type.group, type.kind, name, [
          {
            reason: 'FieldValueInvalid',
            field: 'metadata.resourceVersion',
            message: 'Invalid value: 0x0: must be specified for an update',
          },
        ]);
      }
    } else if (rv !== existing.metadata.resourceVersion) {
      throw errors.conflict(
        type.group,
        type.plural,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const before = this.convert(type, existing, joinApiVersion(type.group, version));
    const candidate = scope === 'status' ? { ...deepCopy(before), status: body.status } : body;
    if (scope === 'status' && body.status === undefined) delete candidate.status;
    const result = this.commit(type, version, before, candidate, ctx);
    return { status: 200, body: result.object, warnings: result.warnings };
  }

  private patch(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    request: ApiRequest,
    scope: FieldScope,
  ): ApiResponse {
    const contentType = (request.contentType ?? '').split(';')[0].trim();
    const apiVersion = joinApiVersion(type.group, version);
    if (contentType === 'application/apply-patch+yaml') {
      return this.apply(type, version, namespace, name, request, scope);
    }
    const ctx = this.ctxFrom(request, scope);
    const existing = this.store.get(storageKey(type), namespace, name);
    if (!existing) throw errors.notFound(type.group, type.plural, name);
    const before = this.convert(type, existing, apiVersion);
    const patch = parseJson(request.body);
    let patched: unknown;
    switch (contentType) {
      case 'application/merge-patch+json':
        patched = applyMergePatch(before, patch);
        break;
      case 'application/strategic-merge-patch+json':
        // Strategic merge needs Go struct tags; custom resources reject it, built-ins get a JSON merge patch here.
        if (type.custom) throw errors.unsupportedMediaType(contentType);
        patched = applyMergePatch(before, patch);
        break;
      case 'application/json-patch+json':
        patched = applyJsonPatch(before, patch);
        break;
      default:
        throw errors.unsupportedMediaType(contentType || '(none)');
    }
    if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) {
      throw errors.badRequest('the patch removed the object metadata');
    }
    const out = patched as StoredObject;
    const rv = out.metadata.resourceVersion;
    if (rv !== undefined && rv !== existing.metadata.resourceVersion) {
      throw errors.conflict(
        type.group,
        type.plural,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (out.metadata.name !== name) {
      throw errors.badRequest(
        `the name of the object (${out.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    out.apiVersion = apiVersion;
    out.kind = type.kind;
    const candidate = scope === 'status' ? { ...deepCopy(before), status: out.status } : out;
    if (scope === 'status' && out.status === undefined) delete candidate.status;
    const result = this.commit(type, version, before, candidate, ctx);
    return { status: 200, body: result.object, warnings: result.warnings };
  }

  private apply(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    request: ApiRequest,
    scope: FieldScope,
  ): ApiResponse {
    const q = request.query;
    if (!q.get('fieldManager')) {
      throw errors.badRequest(
        'PATCH, application/apply-patch+yaml: fieldManager is required for apply requests',
      );
    }
    const ctx = { ...this.ctxFrom(request, scope), managedFieldsDone: true };
    const force = isTrue(q.get('force'));
    const apiVersion = joinApiVersion(type.group, version);
    let applied: unknown;
    try {
      applied = YAML.parse(request.body ?? '');
    } catch (error) {
      throw errors.badRequest(`error decoding YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (!isPlainObject(applied)) throw errors.badRequest('the applied configuration must be an object');
    if (applied.apiVersion !== apiVersion || applied.kind !== type.kind) {
      throw errors.badRequest(
        `the applied object is ${String(applied.apiVersion)}, Kind=${String(applied.kind)}, but the request is for ${apiVersion}, Kind=${type.kind}`,
      );
    }
    const metadata = isPlainObject(applied.metadata) ? applied.metadata : {};
    if (metadata.name !== name) {
      throw errors.badRequest(
        `the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`,
      );
    }
    if (metadata.managedFields !== undefined) throw errors.badRequest('metadata.managedFields must be nil');
    if (type.namespaced) {
      if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = namespace;
    }
    const config = { ...applied, metadata } as StoredObject;
    if (type.statusSubresource) {
      if (scope === 'main') {
        delete config.status;
      } else {
        for (const key of Object.keys(config)) {
          if (!['apiVersion', 'kind', 'metadata', 'status'].includes(key)) delete config[key];
        }
      }
    }
    const now = this.now();
    const existing = this.store.get(storageKey(type), namespace, name);
    const describe = (path: readonly string[]): string => describeFieldPath(path);
    if (!existing) {
      if (metadata.resourceVersion) throw errors.notFound(type.group, type.plural, name);
      const fields = trackedFields(config, scope, type.statusSubresource);
      const entry: ManagedFieldsEntry = {
        manager: ctx.manager,
        operation: 'Apply',
        apiVersion,
        time: now,
        fieldsType: 'FieldsV1',
        fieldsV1: encodeFieldsV1(fields),
        ...(scope === 'status' ? { subresource: 'status' } : {}),
      };
      const candidate = {
        ...config,
        metadata: { ...metadata, managedFields: fields.size > 0 ? [entry] : [] },
      };
      const result = this.commit(type, version, undefined, candidate, ctx);
      return { status: 201, body: result.object, warnings: result.warnings };
    }
    if (
      metadata.resourceVersion !== undefined &&
      metadata.resourceVersion !== existing.metadata.resourceVersion
    ) {
      throw errors.conflict(
        type.group,
        type.plural,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const before = this.convert(type, existing, apiVersion);
    const { resourceVersion: _rv, ...appliedMeta } = metadata;
    const merged = serverSideApply(
      before,
      { ...config, metadata: appliedMeta },
      {
        manager: ctx.manager,
        apiVersion,
        scope,
        statusSubresource: type.statusSubresource,
        now,
        force,
        describe,
      },
    );
    const result = this.commit(type, version, before, merged.object, ctx);
    return { status: 200, body: result.object, warnings: result.warnings };
  }

  /**
   * The common write path: system metadata, status separation, admission, schema (prune, default, unknown fields,
   * validation), finalizer rules, generation, managedFields, no-op detection, and finally storage.
   */
  private commit(
    type: ResourceType,
    version: string,
    before: StoredObject | undefined,
    input: StoredObject,
    ctx: WriteCtx,
  ): CommitResult {
    const apiVersion = joinApiVersion(type.group, version);
    const key = storageKey(type);
    const candidate = deepCopy(input);
    candidate.apiVersion = apiVersion;
    candidate.kind = type.kind;
    candidate.metadata = isPlainObject(candidate.metadata) ? candidate.metadata : {};
    const meta = candidate.metadata;
    const name = (meta.name as string | undefined) ?? (before?.metadata.name as string | undefined) ?? '';
    const warnings: string[] = [];

    if (type.custom && !before) {
      const crd = this.store.get(CRD_KEY, undefined, type.crdName!);
      if (crd?.metadata.deletionTimestamp) {
        throw errors.methodNotAllowed(`create not allowed while custom resource definition is terminating`);
      }
    }

    // System metadata: set on create, carried over on update.
    if (!before) {
      if (!meta.name && typeof meta.generateName === 'string' && meta.generateName !== '') {
        meta.name = this.generateName(key, meta.namespace as string | undefined, meta.generateName);
      }
      if (!meta.name) {
        throw errors.invalid(type.group, type.kind, '', [
          {
            reason: 'FieldValueRequired',
            field: 'metadata.name',
            message: 'Required value: name or generateName is required',
          },
        ]);
      }
      if (
        this.store.get(
          key,
          type.namespaced ? (meta.namespace as string | undefined) : undefined,
          meta.name as string,
        )
      ) {
        throw errors.alreadyExists(type.group, type.plural, meta.name as string);
      }
      meta.uid = randomUUID();
      meta.creationTimestamp = this.now();
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
      if (type.tracksGeneration) meta.generation = 1;
      else delete meta.generation;
      delete meta.resourceVersion;
      // Status is written through its subresource; a create starts without one.
      if (type.statusSubresource && ctx.scope === 'main') delete candidate.status;
    } else {
      if (meta.uid !== undefined && meta.uid !== before.metadata.uid) {
        throw errors.conflict(
          type.group,
          type.plural,
          name,
          `Precondition failed: UID in precondition: ${String(meta.uid)}, UID in object meta: ${before.metadata.uid}`,
        );
      }
      for (const field of [
        'name',
        'namespace',
        'uid',
        'creationTimestamp',
        'deletionTimestamp',
        'deletionGracePeriodSeconds',
        'generation',
      ]) {
        if (before.metadata[field] === undefined) delete meta[field];
        else meta[field] = before.metadata[field];
      }
      meta.resourceVersion = before.metadata.resourceVersion;
      if (type.statusSubresource && ctx.scope === 'main') {
        if (before.status === undefined) delete candidate.status;
        else candidate.status = deepCopy(before.status);
      }
      if (ctx.scope === 'status') {
        for (const keyName of Object.keys(candidate)) {
          if (!['apiVersion', 'kind', 'metadata', 'status'].includes(keyName)) delete candidate[keyName];
        }
        for (const keyName of Object.keys(before)) {
          if (!['apiVersion', 'kind', 'metadata', 'status'].includes(keyName)) {
            candidate[keyName] = deepCopy(before[keyName]);
          }
        }
        if (type.statusSubresource) {
          // A status write changes status only; metadata stays as stored (managedFields are recomputed below).
          const managedFields = meta.managedFields;
          candidate.metadata = { ...deepCopy(before.metadata), managedFields };
        }
      }
    }
    if (type.namespaced) {
      if (!candidate.metadata.namespace) throw errors.badRequest('the object needs a namespace');
      if (!before) this.checkNamespaceOpen(candidate.metadata.namespace as string);
    } else {
      delete candidate.metadata.namespace;
    }

    this.admit(type, candidate, before);

    // Schema: what the API server does to a custom resource before validation.
    const causes: StatusCause[] = [];
    const schema = type.versions.find((v) => v.name === version)?.schema;
    if (type.custom && schema) {
      pruneNonNullableNulls(candidate, schema);
      applyDefaults(candidate, schema);
      const unknown = findUnknownFields(candidate, schema, '', { remove: true });
      if (unknown.length > 0) {
        if (ctx.fieldValidation === 'Strict') {
          const list = unknown.map((p) => `unknown field "${p}"`).join(', ');
          throw new ApiError(400, 'BadRequest', `strict decoding error: ${list}`);
        }
        if (ctx.fieldValidation === 'Warn') warnings.push(...unknown.map((p) => `unknown field "${p}"`));
      }
      for (const v of validateValue(candidate, schema, '', { namespaced: type.namespaced })) {
        causes.push({ reason: v.reason, message: v.message, field: v.path });
      }
    } else {
      const metaViolations = validateObjectMeta(candidate.metadata, 'metadata', {
        namespaced: type.namespaced,
        nameIsLabel: key === NAMESPACE_KEY,
      }).filter((v) => v.reason !== ('FieldValueUnknown' satisfies FieldErrorReason));
      for (const v of metaViolations) causes.push({ reason: v.reason, message: v.message, field: v.path });
    }
    causes.push(...this.typeRules(type, candidate));
    if (before?.metadata.deletionTimestamp) {
      const had = new Set<string>((before.metadata.finalizers as string[] | undefined) ?? []);
      const added = ((candidate.metadata.finalizers as string[] | undefined) ?? []).filter(
        (f) => !had.has(f),
      );
      if (added.length > 0) {
        causes.push({
          reason: 'FieldValueForbidden',
          field: 'metadata.finalizers',
          message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
        });
      }
    }
    if (causes.length > 0) {
      throw errors.invalid(
        type.group,
        type.kind,
        name || String(candidate.metadata.generateName ?? ''),
        causes,
      );
    }

    // Generation: anything but metadata and status changed.
    if (before && type.tracksGeneration && ctx.scope === 'main') {
      const { metadata: _a, status: _b, ...specBefore } = before;
      const { metadata: _c, status: _d, ...specAfter } = candidate;
      if (canonicalJson(specBefore) !== canonicalJson(specAfter)) {
        candidate.metadata.generation = ((before.metadata.generation as number | undefined) ?? 0) + 1;
      }
    }

    // managedFields: given by the client (restoring them, as a move does), computed by apply, or tracked here.
    if (!ctx.managedFieldsDone) {
      const given = candidate.metadata.managedFields;
      const keepGiven =
        Array.isArray(given) &&
        given.length > 0 &&
        canonicalJson(given) !== canonicalJson(before?.metadata.managedFields ?? []);
      if (!keepGiven) {
        candidate.metadata.managedFields = managedFieldsAfterUpdate(before, candidate, {
          manager: ctx.manager,
          apiVersion,
          scope: ctx.scope,
          statusSubresource: type.statusSubresource,
          now: this.now(),
        });
      }
    }
    if (Array.isArray(candidate.metadata.managedFields) && candidate.metadata.managedFields.length === 0) {
      delete candidate.metadata.managedFields;
    }

    if (before && canonicalJson(withoutVolatile(before)) === canonicalJson(withoutVolatile(candidate))) {
      return { object: before, created: false, warnings };
    }

    const deleting = before?.metadata.deletionTimestamp !== undefined;
    const finalizers = (candidate.metadata.finalizers as string[] | undefined) ?? [];
    if (finalizers.length === 0) delete candidate.metadata.finalizers;
    if (ctx.dryRun) return { object: candidate, created: !before, warnings };
    const stored = this.toStorage(type, candidate);
    if (deleting && finalizers.length === 0 && !this.blocksRemoval(key, stored)) {
      // The write that removes the last finalizer of a deleting object deletes it (watchers see DELETED only).
      const gone = this.store.remove(key, stored, stored)!;
      return { object: this.convert(type, gone, apiVersion), created: false, warnings };
    }
    const result = this.store.put(key, stored);
    return { object: this.convert(type, result, apiVersion), created: !before, warnings };
  }

  /** Namespaces hold their own removal until the namespace controller has emptied them. */
  private blocksRemoval(key: string, object: StoredObject): boolean {
    return key === NAMESPACE_KEY && ((object.spec?.finalizers as string[] | undefined) ?? []).length > 0;
  }

  private checkNamespaceOpen(namespace: string): void {
    const ns = this.store.get(NAMESPACE_KEY, undefined, namespace);
    if (!ns) throw errors.notFound('', 'namespaces', namespace);
    if (ns.metadata.deletionTimestamp) {
      throw errors.forbidden(
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name: namespace,
          kind: 'namespaces',
        },
      );
    }
  }

  /** Defaulting and conversions built-in kinds get from their API server strategies. */
  private admit(type: ResourceType, candidate: StoredObject, before: StoredObject | undefined): void {
    const key = storageKey(type);
    if (key === '/secrets') {
      candidate.type ??= 'Opaque';
      if (isPlainObject(candidate.stringData)) {
        const data = isPlainObject(candidate.data) ? { ...candidate.data } : {};
        for (const [k, v] of Object.entries(candidate.stringData)) {
          data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        }
        candidate.data = data;
      }
      delete candidate.stringData;
    }
    if (key === NAMESPACE_KEY) {
      candidate.spec = isPlainObject(candidate.spec) ? candidate.spec : {};
      if (!before) candidate.spec.finalizers = [NAMESPACE_FINALIZER];
      else candidate.spec.finalizers = before.spec?.finalizers ?? [];
      candidate.status = before?.status ?? { phase: 'Active' };
      candidate.metadata.labels = {
        ...(candidate.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': candidate.metadata.name,
      };
    }
  }

  /** Validation rules of built-in kinds (beyond ObjectMeta). */
  private typeRules(type: ResourceType, candidate: StoredObject): StatusCause[] {
    const key = storageKey(type);
    const out: StatusCause[] = [];
    if (key === '/secrets' && candidate.data !== undefined) {
      if (!isPlainObject(candidate.data)) {
        out.push({
          reason: 'FieldValueTypeInvalid',
          field: 'data',
          message: 'must be a map of base64 strings',
        });
      } else {
        for (const [k, v] of Object.entries(candidate.data)) {
          if (typeof v !== 'string' || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
            // The value is secret: name the key only.
            out.push({
              reason: 'FieldValueInvalid',
              field: `data[${k}]`,
              message: 'Invalid value: <redacted>: must be base64-encoded',
            });
          }
        }
      }
    }
    if (key === '/configmaps' && candidate.data !== undefined && isPlainObject(candidate.data)) {
      for (const [k, v] of Object.entries(candidate.data)) {
        if (typeof v !== 'string') {
          out.push({ reason: 'FieldValueTypeInvalid', field: `data[${k}]`, message: 'must be a string' });
        }
      }
    }
    if (key === CRD_KEY) out.push(...crdRules(candidate));
    return out;
  }

  private delete(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    request: ApiRequest,
  ): ApiResponse {
    const options = this.deleteOptions(request);
    const apiVersion = joinApiVersion(type.group, version);
    const key = storageKey(type);
    const existing = this.store.get(key, namespace, name);
    if (!existing) throw errors.notFound(type.group, type.plural, name);
    const pre = options.preconditions as { uid?: string; resourceVersion?: string } | undefined;
    if (pre?.uid && pre.uid !== existing.metadata.uid) {
      throw errors.conflict(
        type.group,
        type.plural,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
      throw errors.conflict(
        type.group,
        type.plural,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    }
    const dryRun =
      request.query.getAll('dryRun').length > 0 ||
      (Array.isArray(options.dryRun) && options.dryRun.length > 0);
    const result = this.deleteStored(type, existing, options.propagationPolicy as string | undefined, dryRun);
    const object = this.convert(type, result.object, apiVersion);
    if (result.pending) return { status: 202, body: object };
    if (type.custom) return { status: 200, body: object };
    return {
      status: 200,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: {
          name,
          kind: type.plural,
          uid: existing.metadata.uid,
          ...(type.group ? { group: type.group } : {}),
        },
      },
    };
  }

  /**
   * Deletes a stored object the way the registry does: with finalizers (or a Foreground/Orphan policy, which adds
   * one) it only gets a deletionTimestamp; otherwise it is removed.
   */
  private deleteStored(
    type: ResourceType,
    existing: StoredObject,
    policy: string | undefined,
    dryRun = false,
  ): { object: StoredObject; pending: boolean } {
    const key = storageKey(type);
    if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
      throw errors.badRequest(`propagationPolicy must be Background, Foreground or Orphan, not "${policy}"`);
    }
    const finalizers = [...((existing.metadata.finalizers as string[] | undefined) ?? [])];
    const addFinalizer = policy === 'Foreground' ? FOREGROUND : policy === 'Orphan' ? ORPHAN : undefined;
    if (addFinalizer && !finalizers.includes(addFinalizer)) finalizers.push(addFinalizer);
    if (key === CRD_KEY && !finalizers.includes(CRD_CLEANUP)) finalizers.push(CRD_CLEANUP);
    const pendingNamespace = key === NAMESPACE_KEY;
    if (existing.metadata.deletionTimestamp) {
      if (
        finalizers.length === ((existing.metadata.finalizers as string[] | undefined) ?? []).length ||
        dryRun
      ) {
        return { object: existing, pending: true };
      }
      const updated = this.store.put(key, { ...existing, metadata: { ...existing.metadata, finalizers } });
      this.scheduleGc();
      return { object: updated, pending: true };
    }
    if (finalizers.length === 0 && !pendingNamespace) {
      if (dryRun) return { object: existing, pending: false };
      const gone = this.store.remove(key, existing)!;
      return { object: gone, pending: false };
    }
    const metadata: Record<string, unknown> = {
      ...existing.metadata,
      deletionTimestamp: this.now(),
      deletionGracePeriodSeconds: 0,
    };
    if (finalizers.length > 0) metadata.finalizers = finalizers;
    const marked: StoredObject = { ...existing, metadata };
    if (pendingNamespace) marked.status = { ...(existing.status ?? {}), phase: 'Terminating' };
    if (dryRun) return { object: marked, pending: true };
    const updated = this.store.put(key, marked);
    return { object: updated, pending: true };
  }

  private deleteCollection(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    request: ApiRequest,
  ): ApiResponse {
    const filter = this.filterFrom(type, request.query);
    const options = this.deleteOptions(request);
    const items = this.store.list(storageKey(type), namespace).filter((o) => matchesFilter(filter, o));
    const deleted = items.map((o) =>
      this.convert(
        type,
        this.deleteStored(type, o, options.propagationPolicy as string | undefined).object,
        joinApiVersion(type.group, version),
      ),
    );
    return {
      status: 200,
      body: {
        apiVersion: joinApiVersion(type.group, version),
        kind: type.listKind,
        metadata: { resourceVersion: String(this.store.resourceVersion) },
        items: deleted,
      },
    };
  }

  private deleteOptions(request: ApiRequest): Record<string, unknown> {
    const fromBody = request.body && request.body.trim() !== '' ? parseJson(request.body) : {};
    if (!isPlainObject(fromBody)) throw errors.badRequest('DeleteOptions must be an object');
    const options: Record<string, unknown> = { ...fromBody };
    const policy = request.query.get('propagationPolicy');
    if (policy) options.propagationPolicy = policy;
    if (options.orphanDependents === true && options.propagationPolicy === undefined) {
      options.propagationPolicy = 'Orphan';
    }
    return options;
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private bodyObject(
    type: ResourceType,
    version: string,
    request: ApiRequest,
    namespace: string | undefined,
    name?: string,
  ): StoredObject {
    const body = parseJson(request.body);
    if (!isPlainObject(body)) throw errors.badRequest('the request body must be a JSON object');
    const apiVersion = joinApiVersion(type.group, version);
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
      throw errors.badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`,
      );
    }
    if (body.kind !== undefined && body.kind !== type.kind) {
      throw errors.badRequest(
        `the kind in the data (${String(body.kind)}) does not match the expected kind (${type.kind})`,
      );
    }
    const metadata = isPlainObject(body.metadata) ? { ...body.metadata } : {};
    if (type.namespaced) {
      if (metadata.namespace !== undefined && metadata.namespace !== '' && metadata.namespace !== namespace) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = namespace;
    }
    if (name !== undefined && metadata.name !== undefined && metadata.name !== name) {
      throw errors.badRequest(
        `the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`,
      );
    }
    if (name !== undefined) metadata.name = name;
    return { ...body, apiVersion, kind: type.kind, metadata } as StoredObject;
  }

  private generateName(key: string, namespace: string | undefined, prefix: string): string {
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += GENERATE_CHARS[Math.floor(Math.random() * GENERATE_CHARS.length)];
      const name = `${prefix}${suffix}`;
      if (!this.store.get(key, namespace, name)) return name;
    }
  }

  private now(): string {
    return this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  /** The object as `toApiVersion`. Same version: the stored (frozen) object itself; callers copy to change it. */
  private convert(type: ResourceType, object: StoredObject, toApiVersion: string): StoredObject {
    if (object.apiVersion === toApiVersion) return object;
    const converter = this.converters.get(`${type.group}/${type.kind}`);
    return converter ? converter(deepCopy(object), toApiVersion) : { ...object, apiVersion: toApiVersion };
  }

  private toStorage(type: ResourceType, object: StoredObject): StoredObject {
    return this.convert(type, object, joinApiVersion(type.group, storageVersion(type).name));
  }

  /** Creates an object without a request (bootstrap namespaces and preinstalled CRDs). */
  private internalCreate(key: string, object: StoredObject): StoredObject {
    const type = this.types.get(key)!;
    const version = storageVersion(type).name;
    return this.commit(type, version, undefined, object, {
      manager: 'simulated-apiserver',
      scope: 'main',
      fieldValidation: 'Strict',
      dryRun: false,
    }).object;
  }

  /** Writes through the common path on behalf of a built-in controller (no HTTP). */
  private controllerWrite(
    key: string,
    before: StoredObject,
    after: StoredObject,
    manager: string,
    scope: FieldScope = 'main',
  ): void {
    const type = this.types.get(key);
    if (!type) return;
    const version = splitApiVersion(before.apiVersion).version;
    try {
      this.commit(type, version, before, after, { manager, scope, fieldValidation: 'Ignore', dryRun: false });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }

  // ---------------------------------------------------------------------------------------------- controllers

  private onStoreEvent(event: StoreEvent): void {
    if (this.closed) return;
    if (event.key === CRD_KEY) this.onCrdEvent(event);
    this.trackForGc(event);
  }

  private onCrdEvent(event: StoreEvent): void {
    const crd = event.object;
    if (event.type === 'DELETED') {
      this.unregisterCrd(crd);
      return;
    }
    const specChanged = !event.previous || canonicalJson(event.previous.spec) !== canonicalJson(crd.spec);
    if (!specChanged || crd.metadata.deletionTimestamp) return;
    const delay = this.options.crdEstablishDelayMs ?? 0;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) this.establish(crd.metadata.name);
    }, delay);
    this.timers.add(timer);
  }

  /** Serves the CRD's kind and marks it NamesAccepted and Established. */
  private establish(name: string): void {
    const crd = this.store.get(CRD_KEY, undefined, name);
    if (!crd || crd.metadata.deletionTimestamp) return;
    const type = typeFromCrd(crd as unknown as CustomResourceDefinition);
    const existing = this.types.get(storageKey(type));
    if (existing && !existing.custom) return;
    this.types.set(storageKey(type), type);
    const time = this.now();
    const storageName = storageVersion(type).name;
    const stored = new Set<string>((crd.status?.storedVersions as string[] | undefined) ?? []);
    stored.add(storageName);
    const status = {
      acceptedNames: deepCopy(crd.spec.names),
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: time,
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: time,
        },
      ],
      storedVersions: [...stored],
    };
    const previous = crd.status?.conditions as { type: string; lastTransitionTime: string }[] | undefined;
    for (const c of status.conditions) {
      const old = previous?.find((p) => p.type === c.type);
      if (old) c.lastTransitionTime = old.lastTransitionTime;
    }
    this.controllerWrite(CRD_KEY, crd, { ...deepCopy(crd), status }, 'apiextensions-apiserver', 'status');
  }

  private unregisterCrd(crd: StoredObject): void {
    const key = `${crd.spec.group}/${crd.spec.names.plural}`;
    if (this.types.get(key)?.custom) {
      this.types.delete(key);
      this.store.dropType(key);
    }
  }

  private scheduleGc(): void {
    if (this.gcScheduled || this.closed) return;
    this.gcScheduled = true;
    this.gcTimer = setTimeout(() => {
      this.gcScheduled = false;
      if (!this.closed) this.collectGarbage(false);
    }, this.options.garbageCollectionDelayMs ?? 0);
  }

  /**
   * One pass of the garbage collector, the namespace controller and the CRD finalizer: dependents of deleted
   * owners go (Background), foreground owners wait for their blocking dependents, orphaning owners release theirs,
   * terminating namespaces and CRDs are emptied and then removed. Each write schedules another pass.
   */
  public collectGarbage(full = true): void {
    const gcEnabled = this.options.garbageCollection ?? true;
    if (full) for (const { object } of this.store.entries()) this.gcQueue.add(object.metadata.uid);
    const queue = [...this.gcQueue];
    this.gcQueue.clear();
    for (const uid of queue) {
      const entry = this.store.getByUid(uid);
      if (!entry) continue;
      const { key, object: current } = entry;
      const type = this.types.get(key);
      if (!type) continue;
      if (gcEnabled) this.collectDependent(key, type, current);
      const live = this.store.getByUid(uid)?.object;
      if (!live?.metadata.deletionTimestamp) continue;
      const finalizers = (live.metadata.finalizers ?? []) as string[];
      const dependents = [...(this.dependents.get(uid) ?? [])]
        .map((d) => this.store.getByUid(d))
        .filter((d): d is { key: string; object: StoredObject } => d !== undefined);
      if (gcEnabled && finalizers.includes(FOREGROUND)) this.foreground(key, live, dependents);
      else if (gcEnabled && finalizers.includes(ORPHAN)) this.orphan(key, live, dependents);
      if (key === NAMESPACE_KEY) this.finalizeNamespace(live);
      if (key === CRD_KEY && finalizers.includes(CRD_CLEANUP)) this.cleanupCrd(live);
    }
  }

  /**
   * Keeps the owner → dependents index current and queues the objects a change may concern: the object itself
   * (owner references, deletion), the dependents of a deleted object, the owners a deleted dependent may have
   * held up, and the terminating namespace or CRD it belonged to. Then schedules a collector pass.
   */
  private trackForGc(event: StoreEvent): void {
    const object = event.object;
    const uid = object.metadata.uid as string;
    for (const ref of (event.previous?.metadata.ownerReferences ?? []) as { uid: string }[]) {
      this.dependents.get(ref.uid)?.delete(uid);
    }
    const refs = (object.metadata.ownerReferences ?? []) as { uid: string }[];
    if (event.type === 'DELETED') {
      for (const dependent of this.dependents.get(uid) ?? []) this.gcQueue.add(dependent);
      for (const ref of refs) this.gcQueue.add(ref.uid);
      const namespace = object.metadata.namespace as string | undefined;
      const ns = namespace ? this.store.get(NAMESPACE_KEY, undefined, namespace) : undefined;
      if (ns?.metadata.deletionTimestamp) this.gcQueue.add(ns.metadata.uid);
      const type = this.types.get(event.key);
      const crd = type?.custom ? this.store.get(CRD_KEY, undefined, type.crdName!) : undefined;
      if (crd?.metadata.deletionTimestamp) this.gcQueue.add(crd.metadata.uid);
    } else {
      for (const ref of refs) {
        let set = this.dependents.get(ref.uid);
        if (!set) {
          set = new Set();
          this.dependents.set(ref.uid, set);
        }
        set.add(uid);
      }
      if (refs.length > 0 || object.metadata.deletionTimestamp) this.gcQueue.add(uid);
    }
    if (this.gcQueue.size > 0) this.scheduleGc();
  }

  /** Deletes an object all of whose owners are gone, and drops references to owners that are gone. */
  private collectDependent(key: string, type: ResourceType, object: StoredObject): void {
    const refs = (object.metadata.ownerReferences ?? []) as { uid: string; kind: string; name: string }[];
    if (refs.length === 0) return;
    const present = refs.filter((ref) => {
      const owner = this.store.getByUid(ref.uid);
      if (!owner || owner.object.kind !== ref.kind || owner.object.metadata.name !== ref.name) return false;
      const ownerNamespace = owner.object.metadata.namespace as string | undefined;
      return ownerNamespace === undefined || ownerNamespace === object.metadata.namespace;
    });
    if (present.length === 0) {
      if (!object.metadata.deletionTimestamp) this.deleteStored(type, object, 'Background');
      return;
    }
    if (present.length < refs.length) {
      this.controllerWrite(
        key,
        object,
        { ...deepCopy(object), metadata: { ...deepCopy(object.metadata), ownerReferences: present } },
        'generic-garbage-collector',
      );
    }
  }

  private foreground(
    key: string,
    owner: StoredObject,
    dependents: { key: string; object: StoredObject }[],
  ): void {
    let blocking = 0;
    for (const dep of dependents) {
      const ref = (
        (dep.object.metadata.ownerReferences ?? []) as { uid: string; blockOwnerDeletion?: boolean }[]
      ).find((r) => r.uid === owner.metadata.uid);
      const blocks = ref?.blockOwnerDeletion === true;
      if (blocks) blocking++;
      const depType = this.types.get(dep.key);
      const live = this.store.getByUid(dep.object.metadata.uid);
      if (depType && live && !live.object.metadata.deletionTimestamp) {
        this.deleteStored(depType, live.object, blocks ? 'Foreground' : 'Background');
      }
    }
    if (blocking === 0) this.removeFinalizer(key, owner, FOREGROUND);
  }

  private orphan(
    key: string,
    owner: StoredObject,
    dependents: { key: string; object: StoredObject }[],
  ): void {
    for (const dep of dependents) {
      const live = this.store.getByUid(dep.object.metadata.uid)?.object;
      if (!live) continue;
      const refs = ((live.metadata.ownerReferences ?? []) as { uid: string }[]).filter(
        (r) => r.uid !== owner.metadata.uid,
      );
      const metadata = { ...deepCopy(live.metadata), ownerReferences: refs };
      if (refs.length === 0) delete metadata.ownerReferences;
      this.controllerWrite(dep.key, live, { ...deepCopy(live), metadata }, 'generic-garbage-collector');
    }
    const fresh = this.store.getByUid(owner.metadata.uid)?.object;
    if (fresh) this.removeFinalizer(key, fresh, ORPHAN);
  }

  private removeFinalizer(key: string, object: StoredObject, finalizer: string): void {
    const finalizers = ((object.metadata.finalizers ?? []) as string[]).filter((f) => f !== finalizer);
    this.controllerWrite(
      key,
      object,
      { ...deepCopy(object), metadata: { ...deepCopy(object.metadata), finalizers } },
      'generic-garbage-collector',
    );
  }

  private finalizeNamespace(ns: StoredObject): void {
    const name = ns.metadata.name as string;
    let remaining = 0;
    for (const [key, type] of this.types) {
      if (!type.namespaced) continue;
      for (const object of this.store.list(key, name)) {
        remaining++;
        if (!object.metadata.deletionTimestamp) this.deleteStored(type, object, 'Background');
      }
    }
    if (remaining > 0) return;
    const finalState = { ...ns, spec: { ...(ns.spec ?? {}), finalizers: [] } };
    if (((ns.metadata.finalizers ?? []) as string[]).length === 0) {
      this.store.remove(NAMESPACE_KEY, ns, finalState);
    } else if ((ns.spec?.finalizers ?? []).length > 0) {
      this.store.put(NAMESPACE_KEY, finalState);
    }
  }

  private cleanupCrd(crd: StoredObject): void {
    const key = `${crd.spec.group}/${crd.spec.names.plural}`;
    const type = this.types.get(key);
    let remaining = 0;
    if (type?.custom) {
      for (const object of this.store.list(key)) {
        remaining++;
        if (!object.metadata.deletionTimestamp) this.deleteStored(type, object, 'Background');
      }
    }
    if (remaining === 0) this.removeFinalizer(CRD_KEY, crd, CRD_CLEANUP);
  }
}

/** Structural checks of a CustomResourceDefinition that real servers enforce before serving it. */
function crdRules(crd: StoredObject): StatusCause[] {
  const out: StatusCause[] = [];
  const spec = crd.spec;
  if (!isPlainObject(spec)) {
    return [{ reason: 'FieldValueRequired', field: 'spec', message: 'Required value' }];
  }
  const names = isPlainObject(spec.names) ? spec.names : {};
  if (typeof spec.group !== 'string' || spec.group === '') {
    out.push({ reason: 'FieldValueRequired', field: 'spec.group', message: 'Required value' });
  }
  if (typeof names.plural !== 'string' || names.plural === '') {
    out.push({ reason: 'FieldValueRequired', field: 'spec.names.plural', message: 'Required value' });
  }
  if (typeof names.kind !== 'string' || names.kind === '') {
    out.push({ reason: 'FieldValueRequired', field: 'spec.names.kind', message: 'Required value' });
  }
  if (
    typeof spec.group === 'string' &&
    typeof names.plural === 'string' &&
    crd.metadata.name !== `${names.plural}.${spec.group}`
  ) {
    out.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${crd.metadata.name}": must be spec.names.plural+"."+spec.group`,
    });
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    out.push({
      reason: 'FieldValueNotSupported',
      field: 'spec.scope',
      message: `Unsupported value: ${JSON.stringify(spec.scope)}: supported values: "Cluster", "Namespaced"`,
    });
  }
  const versions = Array.isArray(spec.versions) ? (spec.versions as Record<string, unknown>[]) : [];
  if (versions.length === 0) {
    out.push({
      reason: 'FieldValueRequired',
      field: 'spec.versions',
      message: 'Required value: must have at least one version',
    });
  }
  const storage = versions.filter((v) => v.storage === true).length;
  if (versions.length > 0 && storage !== 1) {
    out.push({
      reason: 'FieldValueInvalid',
      field: 'spec.versions',
      message: `Invalid value: must have exactly one version marked as storage version, found ${storage}`,
    });
  }
  versions.forEach((v, i) => {
    if (!isPlainObject(v.schema) || !isPlainObject((v.schema as Record<string, unknown>).openAPIV3Schema)) {
      out.push({
        reason: 'FieldValueRequired',
        field: `spec.versions[${i}].schema.openAPIV3Schema`,
        message: 'Required value: schemas are required',
      });
    }
  });
  return out;
}

function withoutVolatile(object: StoredObject): StoredObject {
  const metadata = { ...object.metadata };
  delete metadata.resourceVersion;
  if (Array.isArray(metadata.managedFields)) {
    metadata.managedFields = (metadata.managedFields as ManagedFieldsEntry[]).map(
      ({ time: _t, ...rest }) => rest,
    );
  }
  return { ...object, metadata };
}

function parseJson(body: string | undefined): unknown {
  if (body === undefined || body.trim() === '') throw errors.badRequest('the request needs a body');
  try {
    return JSON.parse(body);
  } catch (error) {
    throw errors.badRequest(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

function keyOf(object: StoredObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function encodeContinue(rv: number, after: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: after })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; after: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      rv: number;
      start: string;
    };
    if (typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') throw new Error('bad token');
    return { rv: parsed.rv, after: parsed.start };
  } catch {
    throw errors.badRequest('continue key is not valid: the token is malformed');
  }
}

/** kubectl and client-go name their manager after the program (`kubectl/v1.31 ...` → `kubectl`). */
function managerFromUserAgent(userAgent: string | undefined): string {
  const name = (userAgent ?? '').split('/')[0].trim();
  return name === '' ? 'unknown' : name;
}
