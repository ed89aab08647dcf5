import { KubeStatus } from './types';

/** The request an error came from (never its body or headers, which may hold secrets). */
export interface KubeRequestInfo {
  readonly method: string;
  /** Path and query, e.g. `/api/v1/namespaces/default/configmaps?limit=10`. */
  readonly path: string;
  /** Attempts made, when the request was retried. */
  readonly attempts?: number;
}

/** Network failures that mean "try again" (the server restarted, a load balancer dropped the connection, ...). */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * An API request that failed: an HTTP status from the server (with its Status object), or a network error
 * (statusCode 0, `code` such as ECONNREFUSED).
 */
export class KubeApiError extends Error {
  /** HTTP status, or 0 when no response arrived. */
  public readonly statusCode: number;
  /** Status reason (`NotFound`, `Conflict`, `AlreadyExists`, `Invalid`, ...) or `NetworkError`. */
  public readonly reason: string;
  /** The server's Status object, when it sent one. */
  public readonly status?: KubeStatus;
  public readonly request: KubeRequestInfo;
  /** Node's error code for network errors (ECONNRESET, ...). */
  public readonly code?: string;
  /** Seconds the server asked to wait (Retry-After), if any. */
  public readonly retryAfterSeconds?: number;

  public constructor(props: {
    statusCode: number;
    reason: string;
    message: string;
    request: KubeRequestInfo;
    status?: KubeStatus;
    code?: string;
    retryAfterSeconds?: number;
    cause?: unknown;
  }) {
    super(
      `${props.request.method} ${props.request.path}: ${describeStatus(props.statusCode, props.reason)}: ${props.message}`,
      {
        cause: props.cause,
      },
    );
    this.name = 'KubeApiError';
    this.statusCode = props.statusCode;
    this.reason = props.reason;
    this.status = props.status;
    this.request = props.request;
    this.code = props.code;
    this.retryAfterSeconds = props.retryAfterSeconds;
  }

  /** The server's message alone (the Status message), without the request line. */
  public get serverMessage(): string {
    return this.status?.message ?? this.message;
  }

  /** Field errors of an Invalid (422) response. */
  public get causes(): readonly { reason?: string; message?: string; field?: string }[] {
    return this.status?.details?.causes ?? [];
  }

  /** True for errors worth retrying: network failures, 429, 5xx and etcd leader changes. */
  public get transient(): boolean {
    if (this.statusCode === 0) return this.code === undefined || TRANSIENT_NETWORK_CODES.has(this.code);
    if (this.statusCode === 429) return true;
    if (this.statusCode >= 500) return true;
    return /etcdserver: (leader changed|request timed out|too many requests)/.test(this.serverMessage);
  }

  /** The same error with the number of attempts recorded. */
  public withAttempts(attempts: number): KubeApiError {
    return new KubeApiError({
      statusCode: this.statusCode,
      reason: this.reason,
      message: `${this.serverMessage} (after ${attempts} attempts)`,
      request: { ...this.request, attempts },
      status: this.status,
      code: this.code,
      retryAfterSeconds: this.retryAfterSeconds,
      cause: this.cause,
    });
  }
}

function describeStatus(statusCode: number, reason: string): string {
  return statusCode === 0 ? reason : `${statusCode} ${reason}`;
}

export function isKubeApiError(error: unknown): error is KubeApiError {
  return error instanceof KubeApiError;
}

export function isNotFound(error: unknown): boolean {
  return isKubeApiError(error) && error.statusCode === 404;
}

export function isConflict(error: unknown): boolean {
  return isKubeApiError(error) && error.statusCode === 409 && error.reason !== 'AlreadyExists';
}

export function isAlreadyExists(error: unknown): boolean {
  return isKubeApiError(error) && error.statusCode === 409 && error.reason === 'AlreadyExists';
}

export function isInvalid(error: unknown): boolean {
  return isKubeApiError(error) && error.statusCode === 422;
}

export function isGone(error: unknown): boolean {
  return isKubeApiError(error) && error.statusCode === 410;
}

/** True when retrying `error` may succeed (see KubeApiError.transient). */
export function isTransient(error: unknown): boolean {
  return isKubeApiError(error) && error.transient;
}

/** A wait that ran out of time; carries what was last seen so the caller can say why. */
export class WaitTimeoutError extends Error {
  /** The object as last observed (undefined when it never existed or was deleted). */
  public readonly lastObject?: unknown;
  /** `status.conditions` of the last observation. */
  public readonly lastConditions: readonly Record<string, unknown>[];

  public constructor(
    message: string,
    lastObject: unknown,
    lastConditions: readonly Record<string, unknown>[],
  ) {
    super(message);
    this.name = 'WaitTimeoutError';
    this.lastObject = lastObject;
    this.lastConditions = lastConditions;
  }
}
