import { isConditionTrue } from './conditions';
import { Discovery, resourcePath } from './discovery';
import { KubeApiError, isNotFound } from './errors';
import { KubeconfigConnection, KubeconfigSource } from './kubeconfig';
import { READ_RETRY, RetryPolicy, WRITE_RETRY, withRetries } from './retry';
import { HttpTransport, TransportRequest } from './transport';
import {
  ApiResource,
  ApplyOptions,
  DeleteOptions,
  KubeClient,
  KubeObject,
  KubeStatus,
  ListOptions,
  ObjectRef,
  WaitOptions,
  WatchEvent,
} from './types';
import { waitForObject } from './wait';

/** The field manager eksa-iac writes with (server-side apply and ordinary writes alike). */
export const FIELD_MANAGER = 'eksa-iac';

export interface KubeClientOptions {
  readonly kubeconfig: KubeconfigSource;
  /** @default "eksa-iac" */
  readonly fieldManager?: string;
  /** Backoff for transient failures. @default clusterctl's presets: READ_RETRY and WRITE_RETRY */
  readonly retry?: { readonly read?: RetryPolicy; readonly write?: RetryPolicy };
  /** @default 60000 */
  readonly requestTimeoutMs?: number;
  /**
   * How the server treats fields the schema does not know: `Strict` rejects the write (400), `Warn` and `Ignore`
   * drop them. @default "Strict"
   */
  readonly fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Receives one line per request (method, path, status, duration) and per retry. Never bodies or headers. */
  readonly log?: (line: string) => void;
  /** @default "eksa-iac" */
  readonly userAgent?: string;
}

/** One page of a list, with the resourceVersion to start a watch from. */
export interface ListPage<T extends KubeObject = KubeObject> {
  readonly items: T[];
  readonly resourceVersion: string;
  readonly continue?: string;
}

export interface WatchOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Start after this resourceVersion; omitted, the server first sends ADDED for every existing object. */
  readonly resourceVersion?: string;
  /** Server-side limit of the stream. @default 300 */
  readonly timeoutSeconds?: number;
  /** @default true */
  readonly allowBookmarks?: boolean;
  readonly signal?: AbortSignal;
}

export interface CreateOptions {
  /** Validate and default on the server without persisting. */
  readonly dryRun?: boolean;
}

export interface ExtendedDeleteOptions extends DeleteOptions {
  /** Delete only if the object still has this UID / resourceVersion (409 otherwise). */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

interface ListBody<T> {
  readonly items?: T[];
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
}

/**
 * The Kubernetes client of eksa-iac: kubeconfig loading and authentication from @kubernetes/client-node, and a
 * thin typed REST layer (discovery, server-side apply, CRUD, watch-based waits, retries) over node:http(s).
 */
export class HttpKubeClient implements KubeClient {
  /** Loads the kubeconfig and returns a client for its context. No request is sent until the first call. */
  public static async connect(options: KubeClientOptions): Promise<HttpKubeClient> {
    const connection = await KubeconfigConnection.load(options.kubeconfig);
    return new HttpKubeClient(connection, options);
  }

  public readonly connection: KubeconfigConnection;
  public readonly fieldManager: string;
  private readonly transport: HttpTransport;
  private readonly discovery: Discovery;
  private readonly readRetry: RetryPolicy;
  private readonly writeRetry: RetryPolicy;
  private readonly fieldValidation: string;
  private readonly log?: (line: string) => void;

  private constructor(connection: KubeconfigConnection, options: KubeClientOptions) {
    this.connection = connection;
    this.fieldManager = options.fieldManager ?? FIELD_MANAGER;
    this.transport = new HttpTransport(connection, {
      userAgent: options.userAgent,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    this.readRetry = options.retry?.read ?? READ_RETRY;
    this.writeRetry = options.retry?.write ?? WRITE_RETRY;
    this.fieldValidation = options.fieldValidation ?? 'Strict';
    this.log = options.log;
    this.discovery = new Discovery((path) => this.send({ method: 'GET', path }, this.readRetry));
  }

  public toString(): string {
    return `HttpKubeClient(${this.connection})`;
  }

  public async resource(apiVersion: string, kind: string): Promise<ApiResource> {
    return this.discovery.resolve(apiVersion, kind);
  }

  /** Forgets discovery results (all, or one apiVersion), e.g. after installing CRDs. */
  public invalidateDiscovery(apiVersion?: string): void {
    this.discovery.invalidate(apiVersion);
  }

  public async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    const resource = await this.resource(ref.apiVersion, ref.kind);
    try {
      return await this.send<T>(
        { method: 'GET', path: resourcePath(resource, this.namespaceOf(resource, ref.namespace), ref.name) },
        this.readRetry,
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  public async list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options: ListOptions = {},
  ): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    for (;;) {
      let page: ListPage<T>;
      try {
        page = await this.listPage<T>(apiVersion, kind, { ...options, continue: token });
      } catch (error) {
        // A continue token outlives the server's history: start over without paging, as client-go's pager does.
        if (token !== undefined && error instanceof KubeApiError && error.statusCode === 410) {
          return (await this.listPage<T>(apiVersion, kind, { ...options, limit: undefined })).items;
        }
        throw error;
      }
      items.push(...page.items);
      if (!page.continue) return items;
      token = page.continue;
    }
  }

  /** One page of a list. Items get apiVersion and kind filled in (the server leaves them out of list items). */
  public async listPage<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options: ListOptions & { readonly continue?: string } = {},
  ): Promise<ListPage<T>> {
    const resource = await this.resource(apiVersion, kind);
    const query = new URLSearchParams();
    if (options.labelSelector) query.set('labelSelector', options.labelSelector);
    if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.continue) query.set('continue', options.continue);
    const path = withQuery(
      resourcePath(resource, resource.namespaced ? options.namespace : undefined),
      query,
    );
    const body = await this.send<ListBody<T>>({ method: 'GET', path }, this.readRetry);
    const items = (body.items ?? []).map((item) => ({ ...item, apiVersion, kind }) as T);
    return {
      items,
      resourceVersion: body.metadata?.resourceVersion ?? '',
      continue: body.metadata?.continue || undefined,
    };
  }

  public async create<T extends KubeObject = KubeObject>(
    object: KubeObject,
    options: CreateOptions = {},
  ): Promise<T> {
    const resource = await this.resource(object.apiVersion, object.kind);
    const query = this.writeQuery(options.dryRun);
    const path = withQuery(
      resourcePath(resource, this.namespaceOf(resource, object.metadata.namespace)),
      query,
    );
    return this.send<T>({ method: 'POST', path, body: object }, this.writeRetry);
  }

  public async update<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T> {
    return this.put<T>(object);
  }

  public async updateStatus<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T> {
    return this.put<T>(object, 'status');
  }

  private async put<T extends KubeObject>(object: KubeObject, subresource?: string): Promise<T> {
    const resource = await this.resource(object.apiVersion, object.kind);
    const name = requireName(object);
    const path = withQuery(
      resourcePath(resource, this.namespaceOf(resource, object.metadata.namespace), name, subresource),
      this.writeQuery(),
    );
    return this.send<T>({ method: 'PUT', path, body: object }, this.writeRetry);
  }

  /**
   * Server-side apply as field manager `eksa-iac` (or `options.fieldManager`). `force` (default true) takes over
   * fields another manager owns instead of failing with 409. `managedFields` is stripped from the applied object.
   */
  public async apply<T extends KubeObject = KubeObject>(
    object: KubeObject,
    options: ApplyOptions & { readonly subresource?: 'status'; readonly dryRun?: boolean } = {},
  ): Promise<T> {
    const resource = await this.resource(object.apiVersion, object.kind);
    const name = requireName(object);
    const query = new URLSearchParams({ fieldManager: options.fieldManager ?? this.fieldManager });
    if (options.force ?? true) query.set('force', 'true');
    query.set('fieldValidation', this.fieldValidation);
    if (options.dryRun) query.set('dryRun', 'All');
    const { managedFields: _dropped, ...metadata } = object.metadata;
    const body = { ...object, metadata };
    const path = withQuery(
      resourcePath(
        resource,
        this.namespaceOf(resource, object.metadata.namespace),
        name,
        options.subresource,
      ),
      query,
    );
    return this.send<T>(
      { method: 'PATCH', path, body, contentType: 'application/apply-patch+yaml' },
      this.writeRetry,
    );
  }

  public async mergePatch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    options: { status?: boolean } = {},
  ): Promise<T> {
    return this.patch<T>(ref, patch, 'application/merge-patch+json', options.status);
  }

  /** JSON patch (RFC 6902), e.g. to remove one finalizer with a `test` guard. */
  public async jsonPatch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    operations: readonly JsonPatchOperation[],
    options: { status?: boolean } = {},
  ): Promise<T> {
    return this.patch<T>(ref, operations, 'application/json-patch+json', options.status);
  }

  private async patch<T extends KubeObject>(
    ref: ObjectRef,
    body: unknown,
    contentType: string,
    status?: boolean,
  ): Promise<T> {
    const resource = await this.resource(ref.apiVersion, ref.kind);
    const path = withQuery(
      resourcePath(
        resource,
        this.namespaceOf(resource, ref.namespace),
        ref.name,
        status ? 'status' : undefined,
      ),
      this.writeQuery(),
    );
    return this.send<T>({ method: 'PATCH', path, body, contentType }, this.writeRetry);
  }

  public async delete(ref: ObjectRef, options: ExtendedDeleteOptions = {}): Promise<boolean> {
    const resource = await this.resource(ref.apiVersion, ref.kind);
    const body: Record<string, unknown> = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: options.propagationPolicy ?? 'Background',
    };
    if (options.preconditions) body.preconditions = options.preconditions;
    const path = resourcePath(resource, this.namespaceOf(resource, ref.namespace), ref.name);
    try {
      await this.send({ method: 'DELETE', path, body }, this.writeRetry);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /**
   * Streams watch events until the server ends the stream (timeout) or the signal aborts, and resolves with the
   * last resourceVersion seen (from events and bookmarks) so the caller can resume. An expired resourceVersion
   * rejects with a 410 KubeApiError: list again, then watch from the list's resourceVersion.
   */
  public async watch<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void,
  ): Promise<string | undefined> {
    const resource = await this.resource(apiVersion, kind);
    const query = new URLSearchParams({ watch: '1', timeoutSeconds: String(options.timeoutSeconds ?? 300) });
    if (options.allowBookmarks ?? true) query.set('allowWatchBookmarks', 'true');
    if (options.resourceVersion) query.set('resourceVersion', options.resourceVersion);
    if (options.labelSelector) query.set('labelSelector', options.labelSelector);
    if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
    const path = withQuery(
      resourcePath(resource, resource.namespaced ? options.namespace : undefined),
      query,
    );
    let lastResourceVersion = options.resourceVersion;
    let failure: KubeApiError | undefined;
    const started = Date.now();
    await this.transport
      .stream(
        path,
        (line) => {
          const event = line as { type?: string; object?: KubeObject | KubeStatus };
          if (event.type === 'ERROR') {
            const status = event.object as KubeStatus;
            failure = new KubeApiError({
              statusCode: status.code ?? 500,
              reason: status.reason ?? 'InternalError',
              message: status.message ?? 'watch error',
              request: { method: 'GET', path },
              status,
            });
            throw failure;
          }
          const object = event.object as KubeObject;
          const rv = object?.metadata?.resourceVersion;
          if (rv) lastResourceVersion = rv;
          if (event.type === 'BOOKMARK') {
            onEvent({ type: 'BOOKMARK', object: object as T });
            return;
          }
          onEvent({ type: event.type as WatchEvent['type'], object: { ...object, apiVersion, kind } as T });
        },
        options.signal,
      )
      .catch((error) => {
        throw error === failure ? failure : error;
      });
    this.log?.(`WATCH ${path} ended after ${Date.now() - started}ms`);
    return lastResourceVersion;
  }

  public async waitFor<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    predicate: (object: T | undefined) => boolean,
    options: WaitOptions,
  ): Promise<T | undefined> {
    return waitForObject<T>(
      {
        resolve: (apiVersion, kind) => this.resource(apiVersion, kind),
        invalidate: (apiVersion) => this.discovery.invalidate(apiVersion),
        listPage: (apiVersion, kind, opts) => this.listPage<T>(apiVersion, kind, opts),
        watch: (apiVersion, kind, opts, onEvent) => this.watch<T>(apiVersion, kind, opts, onEvent),
        defaultNamespace: this.connection.namespace,
      },
      ref,
      predicate,
      // Progress goes to the client's log unless the caller takes it.
      options.onProgress || !this.log ? options : { ...options, onProgress: this.log },
    );
  }

  /**
   * Waits until each CRD reports Established=True, then forgets cached discovery for its group versions, so
   * that its kinds resolve right away.
   */
  public async waitForCrdsEstablished(
    names: readonly string[],
    options: Omit<WaitOptions, 'holdFor'>,
  ): Promise<void> {
    await Promise.all(
      names.map(async (name) => {
        const crd = await this.waitFor(
          { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name },
          (object) => isConditionTrue(object, 'Established'),
          { requireObservedGeneration: false, description: `CRD ${name} to be Established`, ...options },
        );
        const spec = crd?.spec as { group?: string; versions?: { name: string }[] } | undefined;
        for (const version of spec?.versions ?? []) {
          this.discovery.invalidate(`${spec!.group}/${version.name}`);
        }
      }),
    );
  }

  /** Waits until the object is gone (resolves at once when it does not exist). */
  public async waitForDeletion(ref: ObjectRef, options: Omit<WaitOptions, 'holdFor'>): Promise<void> {
    await this.waitFor(ref, (object) => object === undefined, {
      requireObservedGeneration: false,
      ...options,
    });
  }

  /** Closes kept-alive connections. */
  public close(): void {
    this.connection.close();
  }

  private namespaceOf(resource: ApiResource, namespace: string | undefined): string | undefined {
    return resource.namespaced ? namespace || this.connection.namespace : undefined;
  }

  private writeQuery(dryRun?: boolean): URLSearchParams {
    const query = new URLSearchParams({
      fieldManager: this.fieldManager,
      fieldValidation: this.fieldValidation,
    });
    if (dryRun) query.set('dryRun', 'All');
    return query;
  }

  private async send<T>(request: TransportRequest, policy: RetryPolicy): Promise<T> {
    return withRetries(
      policy,
      async () => {
        const started = Date.now();
        try {
          const result = await this.transport.json<T>(request);
          this.log?.(`${request.method} ${request.path} ok in ${Date.now() - started}ms`);
          return result;
        } catch (error) {
          if (error instanceof KubeApiError) {
            this.log?.(
              `${request.method} ${request.path} failed in ${Date.now() - started}ms: ${error.statusCode || error.code} ${error.reason}`,
            );
          }
          throw error;
        }
      },
      {
        onRetry: (error, attempt, delayMs) =>
          this.log?.(
            `retrying ${request.method} ${request.path} in ${Math.round(delayMs)}ms (attempt ${attempt + 1}/${policy.steps}): ${error.reason}`,
          ),
        signal: request.signal,
      },
    );
  }
}

function requireName(object: KubeObject): string {
  const name = object.metadata?.name;
  if (!name) throw new Error(`${object.kind}: metadata.name is required for this operation`);
  return name;
}

function withQuery(path: string, query: URLSearchParams): string {
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Loads a kubeconfig and returns a client for it (shorthand for HttpKubeClient.connect). */
export function connectKube(options: KubeClientOptions): Promise<HttpKubeClient> {
  return HttpKubeClient.connect(options);
}
