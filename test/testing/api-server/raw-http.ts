import * as http from 'node:http';
import * as https from 'node:https';
import { SimulatedApiServer } from '../../../src/testing';

/** http.request or https.request (trusting the server's CA), whichever the server speaks. */
function request(
  server: SimulatedApiServer,
  url: string,
  options: http.RequestOptions,
  onResponse: (res: http.IncomingMessage) => void,
): http.ClientRequest {
  return server.caCertificate === undefined
    ? http.request(url, options, onResponse)
    : https.request(url, { ...options, ca: server.caCertificate }, onResponse);
}

/** Raw HTTP against a simulated server, independent of the library's client. */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
  readonly text: string;
}

export interface RawOptions {
  readonly body?: unknown;
  readonly contentType?: string;
  readonly token?: string | null;
  readonly userAgent?: string;
}

export function raw(
  server: SimulatedApiServer,
  method: string,
  path: string,
  options: RawOptions = {},
): Promise<RawResponse> {
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token !== null) headers.Authorization = `Bearer ${options.token ?? server.token}`;
  if (body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    // Node sends DELETE bodies without framing unless the length is given.
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  if (options.userAgent) headers['User-Agent'] = options.userAgent;
  return new Promise((resolve, reject) => {
    const req = request(server, `${server.url}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // plain text
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Shorthands for the common verbs. */
export function rawClient(server: SimulatedApiServer) {
  return {
    get: (path: string) => raw(server, 'GET', path),
    post: (path: string, body: unknown) => raw(server, 'POST', path, { body }),
    put: (path: string, body: unknown) => raw(server, 'PUT', path, { body }),
    merge: (path: string, body: unknown) =>
      raw(server, 'PATCH', path, { body, contentType: 'application/merge-patch+json' }),
    jsonPatch: (path: string, body: unknown) =>
      raw(server, 'PATCH', path, { body, contentType: 'application/json-patch+json' }),
    apply: (path: string, body: unknown, manager = 'tester', force = false) =>
      raw(server, 'PATCH', `${path}?fieldManager=${manager}${force ? '&force=true' : ''}`, {
        body,
        contentType: 'application/apply-patch+yaml',
      }),
    del: (path: string, body?: unknown) => raw(server, 'DELETE', path, { body }),
  };
}

/** An open watch stream: events arrive in `events`; `next()` waits for the next one. */
export class RawWatch {
  public static open(server: SimulatedApiServer, path: string): Promise<RawWatch> {
    const watch = new RawWatch();
    return new Promise((resolve, reject) => {
      const req = request(
        server,
        `${server.url}${path}`,
        { headers: { Authorization: `Bearer ${server.token}` }, agent: false },
        (res) => {
          watch.status = res.statusCode ?? 0;
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let nl: number;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, nl);
              buffer = buffer.slice(nl + 1);
              if (line.trim()) watch.push(JSON.parse(line));
            }
          });
          res.on('end', () => watch.finish());
          res.on('close', () => watch.finish());
          resolve(watch);
        },
      );
      watch.request = req;
      req.on('error', (e) => {
        watch.finish();
        reject(e);
      });
      req.end();
    });
  }

  public readonly events: { type: string; object: any }[] = [];
  public ended = false;
  public status = 0;
  private waiters: (() => void)[] = [];
  private request?: http.ClientRequest;

  private push(event: { type: string; object: any }): void {
    this.events.push(event);
    this.wake();
  }

  private finish(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Waits until `count` events have arrived (or the stream ended), up to `timeoutMs`. */
  public async waitFor(count: number, timeoutMs = 2000): Promise<{ type: string; object: any }[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count && !this.ended && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events;
  }

  /** Waits for the stream to end. */
  public async waitForEnd(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  /** Waits a little and returns the events (for asserting that nothing more arrives). */
  public async settle(ms = 100): Promise<{ type: string; object: any }[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.events;
  }

  public close(): void {
    this.request?.destroy();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns true, up to `timeoutMs` (for asynchronous controllers such as the GC). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(5);
  }
}

/** A minimal CRD (namespaced Widget in example.com) with a status subresource and a small schema. */
export function widgetCrd(overrides: { scope?: 'Namespaced' | 'Cluster'; versions?: any[] } = {}): any {
  const schema = {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          required: ['size'],
          properties: {
            size: { type: 'integer', minimum: 1 },
            color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
            tags: { type: 'array', items: { type: 'string' } },
            extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            note: { type: 'string', nullable: true },
          },
        },
        status: {
          type: 'object',
          properties: {
            ready: { type: 'boolean' },
            observedGeneration: { type: 'integer' },
            conditions: {
              type: 'array',
              items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: {
        kind: 'Widget',
        listKind: 'WidgetList',
        plural: 'widgets',
        singular: 'widget',
        shortNames: ['wd'],
      },
      scope: overrides.scope ?? 'Namespaced',
      versions: overrides.versions ?? [
        { name: 'v1', served: true, storage: true, schema, subresources: { status: {} } },
      ],
    },
  };
}

export function widget(
  name: string,
  spec: Record<string, unknown> = { size: 1 },
  metadata: Record<string, unknown> = {},
): any {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, ...metadata }, spec };
}

export const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
export const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
