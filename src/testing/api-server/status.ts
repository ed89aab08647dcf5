import type { KubeStatus } from '../../kube/types';

export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/** What a Status names: the object's group, kind (plural resource, as the server writes it) and name. */
export interface StatusSubject {
  readonly group?: string;
  /** The resource plural (`configmaps`), as real servers put it in `details.kind`. */
  readonly kind?: string;
  readonly name?: string;
  readonly uid?: string;
}

/** An API error the simulated server answers with a Status object, exactly as a real API server does. */
export class ApiError extends Error {
  public constructor(
    public readonly code: number,
    public readonly reason: string,
    message: string,
    public readonly details?: StatusSubject & { causes?: StatusCause[]; retryAfterSeconds?: number },
  ) {
    super(message);
    this.name = 'ApiError';
  }

  public toStatus(): KubeStatus {
    const status: KubeStatus = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    return this.details ? { ...status, details: stripUndefined(this.details) } : status;
  }
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `configmaps "x"` or `clusters.cluster.x-k8s.io "x"`: how the server names an object in messages. */
export function qualifiedName(group: string, plural: string, name: string): string {
  return `${group ? `${plural}.${group}` : plural} "${name}"`;
}

export const errors = {
  notFound(group: string, plural: string, name: string): ApiError {
    return new ApiError(404, 'NotFound', `${qualifiedName(group, plural, name)} not found`, {
      name,
      group: group || undefined,
      kind: plural,
    });
  },
  alreadyExists(group: string, plural: string, name: string): ApiError {
    return new ApiError(409, 'AlreadyExists', `${qualifiedName(group, plural, name)} already exists`, {
      name,
      group: group || undefined,
      kind: plural,
    });
  },
  conflict(group: string, plural: string, name: string, why: string): ApiError {
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedName(group, plural, name)}: ${why}`,
      {
        name,
        group: group || undefined,
        kind: plural,
      },
    );
  },
  invalid(group: string, kind: string, name: string, causes: StatusCause[]): ApiError {
    const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : (c.message ?? ''))).join(', ');
    const subject = group ? `${kind}.${group}` : kind;
    return new ApiError(
      422,
      'Invalid',
      `${subject} "${name}" is invalid: ${causes.length > 1 ? `[${list}]` : list}`,
      {
        name,
        group: group || undefined,
        kind,
        causes,
      },
    );
  },
  /** A JSON patch that cannot be applied: real servers answer 422 with reason Invalid. */
  invalidPatch(message: string): ApiError {
    return new ApiError(422, 'Invalid', message);
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  },
  forbidden(message: string, subject?: StatusSubject): ApiError {
    return new ApiError(403, 'Forbidden', message, subject);
  },
  methodNotAllowed(message: string): ApiError {
    return new ApiError(405, 'MethodNotAllowed', message);
  },
  unsupportedMediaType(contentType: string): ApiError {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/json-patch+json, application/apply-patch+yaml (got ${contentType})`,
    );
  },
  gone(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
  },
  unauthorized(): ApiError {
    return new ApiError(401, 'Unauthorized', 'Unauthorized');
  },
  internal(message: string): ApiError {
    return new ApiError(500, 'InternalError', message);
  },
};

/** The default reason of an HTTP status, for injected faults. */
export function reasonForCode(code: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    410: 'Expired',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? 'Unknown';
}
