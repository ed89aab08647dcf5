import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import * as YAML from 'yaml';
import { ApiEngine, ApiEngineOptions, ApiResponse, WatchRequest, WireWatchEvent } from './engine';
import { FaultInjector, FaultRule } from './faults';
import { RequestLog } from './request-log';
import { ApiError, reasonForCode } from './status';
import { StoreEvent } from './store';
import { LOOPBACK_TLS_CERTIFICATE, LOOPBACK_TLS_PRIVATE_KEY } from '../tls/loopback-certificate';

export interface SimulatedApiServerOptions extends ApiEngineOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** Cluster name used in the kubeconfig. @default "simulated" */
  readonly name?: string;
  /** Require the bearer token of the kubeconfig on API requests (401 otherwise). @default true */
  readonly authentication?: boolean;
  /** Upper bound of a watch's duration, whatever timeoutSeconds asks. @default 1800 */
  readonly maxWatchSeconds?: number;
  /** Interval of BOOKMARK events on watches that allow them. @default 10000 */
  readonly bookmarkIntervalMs?: number;
  /** Requests kept in the request log. @default 100000 */
  readonly requestLogSize?: number;
  /**
   * Serve HTTPS (as every real API server does) with this certificate and key, or with the public loopback test
   * certificate when `true`; `false` serves plain HTTP. @default true
   */
  readonly tls?: boolean | { readonly certificate: string; readonly privateKey: string };
}

/** How {@link SimulatedApiServer.kubeconfig} names and points its entries. */
export interface KubeconfigOptions {
  /** The context's default namespace. */
  readonly namespace?: string;
  /** Server URL to write instead of the server's own (e.g. an address only a simulated network reaches). */
  readonly server?: string;
  /** @default the server's name */
  readonly clusterName?: string;
  /** @default `<clusterName>-admin` */
  readonly userName?: string;
  /** @default `<userName>@<clusterName>` */
  readonly contextName?: string;
  /**
   * Write `insecure-skip-tls-verify: true` instead of `certificate-authority-data`. @default false (always true
   * for a plain-HTTP server)
   */
  readonly insecureSkipTlsVerify?: boolean;
}

/** Something that reacts to the simulated cluster (a simulated controller), started and stopped with it. */
export interface SimulatedController {
  readonly name: string;
  start(server: SimulatedApiServer): void | Promise<void>;
  stop(): void | Promise<void>;
}

interface OpenWatch {
  readonly response: http.ServerResponse;
  readonly request: WatchRequest;
  readonly send: (event: WireWatchEvent) => void;
  readonly close: () => void;
}

/** Largest request body accepted (etcd's limit on a real server is about 1.5 MiB per object). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * A Kubernetes API server simulator on loopback HTTP: the ApiEngine's semantics behind the real REST paths, with
 * bearer-token authentication, streaming watches with bookmarks and timeouts, a request log, fault injection,
 * watch expiry, and a registry of simulated controllers. Clients reach it through `kubeconfig()`.
 */
export class SimulatedApiServer {
  /** Starts a server on a free loopback port. */
  public static async start(options: SimulatedApiServerOptions = {}): Promise<SimulatedApiServer> {
    const server = new SimulatedApiServer(options);
    await server.listen();
    return server;
  }

  public readonly engine: ApiEngine;
  public readonly faults = new FaultInjector();
  public readonly requests: RequestLog;
  /** The bearer token the kubeconfig carries. */
  public readonly token: string;
  public readonly name: string;

  /** The PEM certificate clients must trust (the kubeconfig's CA data); undefined for plain HTTP. */
  public readonly caCertificate?: string;

  private readonly http: http.Server;
  private readonly options: SimulatedApiServerOptions;
  private readonly watches = new Set<OpenWatch>();
  private readonly controllers = new Map<string, SimulatedController>();
  private address?: AddressInfo;
  private stopped = false;

  private constructor(options: SimulatedApiServerOptions) {
    this.options = options;
    this.name = options.name ?? 'simulated';
    this.engine = new ApiEngine(options);
    this.requests = new RequestLog(options.requestLogSize);
    this.token = randomBytes(24).toString('base64url');
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => void this.serve(req, res);
    const tls = options.tls ?? true;
    if (tls === false) {
      this.http = http.createServer(handler);
    } else {
      const identity =
        tls === true ? { certificate: LOOPBACK_TLS_CERTIFICATE, privateKey: LOOPBACK_TLS_PRIVATE_KEY } : tls;
      this.caCertificate = identity.certificate;
      this.http = https.createServer({ cert: identity.certificate, key: identity.privateKey }, handler);
    }
    this.http.keepAliveTimeout = 30_000;
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.http.off('error', reject);
        this.address = this.http.address() as AddressInfo;
        resolve();
      });
    });
  }

  /** `https://127.0.0.1:<port>` (`http://…` when TLS is off). */
  public get url(): string {
    const host = this.address!.family === 'IPv6' ? `[${this.address!.address}]` : this.address!.address;
    return `${this.caCertificate === undefined ? 'http' : 'https'}://${host}:${this.address!.port}`;
  }

  public get port(): number {
    return this.address!.port;
  }

  /**
   * A kubeconfig for this server: cluster `<name>`, user `<name>-admin` with the bearer token, context
   * `<name>-admin@<name>` (current), as CAPI writes them; names, server and TLS mode can be overridden. The
   * cluster entry carries the server's CA certificate, or `insecure-skip-tls-verify` for plain HTTP.
   */
  public kubeconfig(options: KubeconfigOptions = {}): string {
    const cluster = options.clusterName ?? this.name;
    const user = options.userName ?? `${cluster}-admin`;
    const context = options.contextName ?? `${user}@${cluster}`;
    const insecure = options.insecureSkipTlsVerify === true || this.caCertificate === undefined;
    const clusterEntry: Record<string, unknown> = { server: options.server ?? this.url };
    if (insecure) clusterEntry['insecure-skip-tls-verify'] = true;
    else clusterEntry['certificate-authority-data'] = Buffer.from(this.caCertificate!).toString('base64');
    return YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: cluster, cluster: clusterEntry }],
      users: [{ name: user, user: { token: this.token } }],
      contexts: [
        {
          name: context,
          context: { cluster, user, ...(options.namespace ? { namespace: options.namespace } : {}) },
        },
      ],
      'current-context': context,
      preferences: {},
    });
  }

  /** Writes the kubeconfig to a file readable by its owner only (0600). */
  public writeKubeconfig(file: string, options: KubeconfigOptions = {}): void {
    fs.writeFileSync(file, this.kubeconfig(options), { mode: 0o600 });
    fs.chmodSync(file, 0o600);
  }

  /** Sends every open watch an ERROR event with a 410 Expired Status, and closes it. Returns how many. */
  public expireWatches(): number {
    const open = [...this.watches];
    for (const watch of open) {
      const gone = new ApiError(
        410,
        'Expired',
        'too old resource version (the watch was expired by the test)',
      );
      watch.send({ type: 'ERROR', object: gone.toStatus() });
      watch.close();
    }
    return open.length;
  }

  /** Ends every open watch stream without an error, as a server does when a watch times out. Returns how many. */
  public closeWatches(): number {
    const open = [...this.watches];
    for (const watch of open) watch.close();
    return open.length;
  }

  /** Open watch streams. */
  public get openWatchCount(): number {
    return this.watches.size;
  }

  /** Forgets the event history (etcd compaction): watches and continue tokens from before answer 410. */
  public compact(): void {
    this.engine.store.compact();
  }

  /** Calls a listener for every change, in process (for simulated controllers that do not use HTTP). */
  public onChange(listener: (event: StoreEvent) => void): () => void {
    return this.engine.store.subscribe(listener);
  }

  /** Starts a simulated controller; it is stopped with the server. */
  public async addController(controller: SimulatedController): Promise<void> {
    if (this.controllers.has(controller.name)) {
      throw new Error(`controller ${controller.name} is already running`);
    }
    this.controllers.set(controller.name, controller);
    await controller.start(this);
  }

  /** Stops one controller (a fault: "the controller died"). */
  public async removeController(name: string): Promise<void> {
    const controller = this.controllers.get(name);
    if (!controller) return;
    this.controllers.delete(name);
    await controller.stop();
  }

  public get controllerNames(): string[] {
    return [...this.controllers.keys()];
  }

  /**
   * Sends a request in process, through the same engine but without HTTP, authentication, faults or the request
   * log (fixtures use it to set up state quickly). Watches are not available this way.
   */
  public call(request: {
    method: string;
    path: string;
    body?: unknown;
    contentType?: string;
    fieldManager?: string;
  }): ApiResponse {
    const url = new URL(request.path, 'http://in-process');
    if (request.fieldManager) url.searchParams.set('fieldManager', request.fieldManager);
    const body =
      request.body === undefined
        ? undefined
        : typeof request.body === 'string'
          ? request.body
          : JSON.stringify(request.body);
    const result = this.engine.handle({
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      body,
      contentType: request.contentType ?? (body !== undefined ? 'application/json' : undefined),
      userAgent: 'in-process',
    });
    if ('watch' in result) throw new Error('watches are only served over HTTP');
    return { ...result, body: JSON.parse(JSON.stringify(result.body)) };
  }

  /** Stops controllers, closes watches and connections, and stops listening. */
  public async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const name of [...this.controllers.keys()]) await this.removeController(name);
    this.closeWatches();
    this.engine.close();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://simulated');
    const method = (req.method ?? 'GET').toUpperCase();
    const isWatch = method === 'GET' && ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
    const userAgent = req.headers['user-agent'];
    const record = (status: number, fault?: 'status' | 'reset' | 'delay'): void =>
      this.requests.add({
        method,
        path: url.pathname,
        query: url.search,
        status,
        watch: isWatch,
        durationMs: performance.now() - started,
        userAgent,
        fault,
      });

    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      const status = error instanceof ApiError ? error.code : 400;
      writeJson(
        res,
        status,
        (error instanceof ApiError ? error : new ApiError(400, 'BadRequest', String(error))).toStatus(),
      );
      record(status);
      return;
    }

    const hits = this.faults.strike(method, url.pathname, url.search, isWatch);
    let faultKind: 'status' | 'reset' | 'delay' | undefined;
    for (const hit of hits) {
      if (hit.delayMs) {
        faultKind = 'delay';
        await new Promise((resolve) => setTimeout(resolve, hit.delayMs));
      }
    }
    const failing: FaultRule | undefined = hits.find((h) => h.reset || h.status !== undefined);
    if (failing?.reset) {
      record(0, 'reset');
      req.socket.destroy();
      return;
    }
    if (failing?.status !== undefined) {
      const error = new ApiError(
        failing.status,
        failing.reason ?? reasonForCode(failing.status),
        failing.message ?? 'injected fault',
        failing.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: failing.retryAfterSeconds }
          : undefined,
      );
      const headers: Record<string, string> =
        failing.retryAfterSeconds !== undefined ? { 'Retry-After': String(failing.retryAfterSeconds) } : {};
      writeJson(res, failing.status, error.toStatus(), headers);
      record(failing.status, 'status');
      return;
    }

    const unauthenticated = ['/healthz', '/readyz', '/livez', '/version'].includes(url.pathname);
    if (
      (this.options.authentication ?? true) &&
      !unauthenticated &&
      req.headers.authorization !== `Bearer ${this.token}`
    ) {
      writeJson(res, 401, new ApiError(401, 'Unauthorized', 'Unauthorized').toStatus());
      record(401, faultKind);
      return;
    }

    const result = this.engine.handle({
      method,
      path: url.pathname,
      query: url.searchParams,
      contentType: req.headers['content-type'],
      userAgent,
      body,
      host: req.headers.host,
    });
    if ('watch' in result) {
      this.stream(result.watch, req, res);
      record(200, faultKind);
      return;
    }
    const headers: Record<string, string> = {};
    if (result.warnings && result.warnings.length > 0) {
      headers.Warning = result.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ');
    }
    if (typeof result.body === 'string') {
      res.writeHead(result.status, { 'Content-Type': 'text/plain', ...headers });
      res.end(result.body);
    } else {
      writeJson(res, result.status, result.body, headers);
    }
    record(result.status, faultKind);
  }

  private stream(request: WatchRequest, req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache',
    });
    res.flushHeaders();
    let closed = false;
    let stopWatch: () => void = () => undefined;
    const timers: NodeJS.Timeout[] = [];
    const send = (event: WireWatchEvent): void => {
      if (!closed) res.write(`${JSON.stringify(event)}\n`);
    };
    const close = (): void => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      stopWatch();
      this.watches.delete(watch);
      res.end();
    };
    const watch: OpenWatch = { response: res, request, send, close };
    this.watches.add(watch);
    req.on('close', close);
    res.on('close', close);
    const maxSeconds = this.options.maxWatchSeconds ?? 1800;
    const seconds = Math.min(request.timeoutSeconds ?? maxSeconds, maxSeconds);
    timers.push(setTimeout(close, seconds * 1000));
    if (request.bookmarks) {
      const interval = setInterval(
        () => send(this.engine.bookmark(request)),
        this.options.bookmarkIntervalMs ?? 10_000,
      );
      timers.push(interval as unknown as NodeJS.Timeout);
    }
    stopWatch = this.engine.openWatch(request, send, close);
    if (closed) stopWatch();
  }
}

function writeJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new ApiError(
            413,
            'RequestEntityTooLarge',
            `the request body is larger than ${MAX_BODY_BYTES} bytes`,
          ),
        );
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
