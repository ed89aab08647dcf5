import * as http from 'node:http';
import * as https from 'node:https';
import { KubeApiError, KubeRequestInfo } from './errors';
import { KubeconfigConnection } from './kubeconfig';
import { KubeStatus } from './types';

export interface TransportRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API path with its query string, e.g. `/api/v1/namespaces?limit=5`. */
  readonly path: string;
  /** JSON-serializable body. */
  readonly body?: unknown;
  /** @default "application/json" when there is a body */
  readonly contentType?: string;
  /** Milliseconds without a complete response before the request fails with ETIMEDOUT. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface TransportResponse {
  readonly statusCode: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface TransportOptions {
  /** @default "eksa-iac" */
  readonly userAgent?: string;
  /** @default 60000 */
  readonly requestTimeoutMs?: number;
}

/**
 * JSON over HTTP(S) to one API server: authentication from the kubeconfig, kept-alive connections, Status
 * objects turned into KubeApiErrors, and newline-delimited watch streams. Bodies and headers are never logged or
 * put into errors.
 */
export class HttpTransport {
  private readonly userAgent: string;
  private readonly requestTimeoutMs: number;

  public constructor(
    public readonly connection: KubeconfigConnection,
    options: TransportOptions = {},
  ) {
    this.userAgent = options.userAgent ?? 'eksa-iac';
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  }

  /** Sends a request and returns the response, whatever its status. Network failures reject with statusCode 0. */
  public async request(req: TransportRequest): Promise<TransportResponse> {
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const { request, info } = await this.open(req, payload);
    return new Promise<TransportResponse>((resolve, reject) => {
      const timeout = req.timeoutMs ?? this.requestTimeoutMs;
      const timer = setTimeout(
        () => request.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })),
        timeout,
      );
      const onAbort = (): void => {
        request.destroy(Object.assign(new Error('request aborted'), { code: 'ABORT_ERR' }));
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      };
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          done();
          resolve({
            statusCode: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', (error) => {
          done();
          reject(networkError(error, info, req.signal));
        });
      });
      request.on('error', (error) => {
        done();
        reject(networkError(error, info, req.signal));
      });
      request.end(payload);
    });
  }

  /** Sends a request and parses the JSON answer; a non-2xx answer rejects with a KubeApiError. */
  public async json<T>(req: TransportRequest): Promise<T> {
    const response = await this.request(req);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw errorFromResponse(response, { method: req.method, path: req.path });
    }
    return (response.body === '' ? {} : JSON.parse(response.body)) as T;
  }

  /**
   * Opens a streaming GET (a watch) and calls `onLine` with each parsed JSON line until the server ends the
   * stream, the signal aborts, or the connection fails. Resolves when the stream ends; rejects on a non-200 answer
   * or a network error.
   */
  public async stream(path: string, onLine: (value: unknown) => void, signal?: AbortSignal): Promise<void> {
    const { request, info } = await this.open({ method: 'GET', path });
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        request.destroy();
        finish();
      };
      if (signal?.aborted) {
        request.destroy();
        resolve();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      let settled = false;
      const finish = (error?: unknown): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (error === undefined || signal?.aborted) resolve();
        else reject(error);
      };
      request.on('response', (response) => {
        if (response.statusCode !== 200) {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () =>
            finish(
              errorFromResponse(
                {
                  statusCode: response.statusCode ?? 0,
                  headers: response.headers,
                  body: Buffer.concat(chunks).toString('utf8'),
                },
                info,
              ),
            ),
          );
          return;
        }
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (line === '') continue;
            try {
              onLine(JSON.parse(line));
            } catch (error) {
              request.destroy();
              finish(error);
              return;
            }
          }
        });
        response.on('end', () => finish());
        response.on('close', () => {
          if (!response.complete) {
            finish(
              networkError(
                Object.assign(new Error('watch stream closed early'), { code: 'ECONNRESET' }),
                info,
                signal,
              ),
            );
          }
        });
        response.on('error', (error) => finish(networkError(error, info, signal)));
      });
      request.on('error', (error) => finish(networkError(error, info, signal)));
      request.end();
    });
  }

  private async open(
    req: TransportRequest,
    payload?: string,
  ): Promise<{ request: http.ClientRequest; info: KubeRequestInfo }> {
    const { headers, agent } = await this.connection.credentials();
    const server = this.connection.server;
    const basePath = server.pathname === '/' ? '' : server.pathname;
    const info: KubeRequestInfo = { method: req.method, path: req.path };
    const requestHeaders: Record<string, string> = {
      ...headers,
      Accept: 'application/json',
      'User-Agent': this.userAgent,
    };
    if (payload !== undefined) {
      requestHeaders['Content-Type'] = req.contentType ?? 'application/json';
      // Node frames DELETE bodies only when the length is given.
      requestHeaders['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const options: http.RequestOptions = {
      protocol: server.protocol,
      hostname: server.hostname.replace(/^\[|\]$/g, ''),
      port: server.port || (server.protocol === 'https:' ? 443 : 80),
      method: req.method,
      path: basePath + req.path,
      headers: requestHeaders,
      agent,
    };
    const request = server.protocol === 'https:' ? https.request(options) : http.request(options);
    return { request, info };
  }
}

function networkError(error: unknown, request: KubeRequestInfo, signal?: AbortSignal): KubeApiError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const aborted = signal?.aborted === true || code === 'ABORT_ERR';
  return new KubeApiError({
    statusCode: 0,
    reason: aborted ? 'Aborted' : 'NetworkError',
    message: (error as Error)?.message ?? String(error),
    request,
    code: aborted ? 'ABORT_ERR' : code,
    cause: error,
  });
}

const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Builds the KubeApiError for a non-2xx response, from its Status object when it carries one. */
export function errorFromResponse(response: TransportResponse, request: KubeRequestInfo): KubeApiError {
  let status: KubeStatus | undefined;
  try {
    const parsed = JSON.parse(response.body) as Partial<KubeStatus>;
    if (parsed && parsed.kind === 'Status') status = parsed as KubeStatus;
  } catch {
    // not JSON (a proxy's HTML error page, say)
  }
  const retryAfterHeader = response.headers['retry-after'];
  const retryAfterSeconds =
    status?.details?.retryAfterSeconds ??
    (typeof retryAfterHeader === 'string' ? Number(retryAfterHeader) || undefined : undefined);
  const message =
    status?.message ??
    (response.body.slice(0, 200).trim() || http.STATUS_CODES[response.statusCode] || 'error');
  return new KubeApiError({
    statusCode: response.statusCode,
    reason: status?.reason || REASON_BY_CODE[response.statusCode] || 'Unknown',
    message: redactForPath(request.path, message),
    request,
    status: status ? { ...status, message: redactForPath(request.path, status.message ?? '') } : undefined,
    retryAfterSeconds,
  });
}

/** Field errors quote the rejected value; for Secrets that value may be secret, so it is dropped. */
function redactForPath(path: string, message: string): string {
  if (!/\/secrets(\/|\?|$)/.test(path)) return message;
  return message.replace(/Invalid value: ("(?:[^"\\]|\\.)*"|\S+)/g, 'Invalid value: <redacted>');
}
