/** Backoff and retry for the move's API calls (clusterctl's presets, research/capi.md §2.17). */

/** Exponential backoff: attempt n waits initialMs × factor^(n-1), plus up to `jitter` of that at random. */
export interface Backoff {
  readonly initialMs: number;
  readonly factor: number;
  /** Total attempts, the first included; 1 disables retries. */
  readonly steps: number;
  readonly jitter: number;
}

/** Reads (lists, GETs): 250 ms × 1.5, 9 attempts, about 15 s. */
export const READ_BACKOFF: Backoff = { initialMs: 250, factor: 1.5, steps: 9, jitter: 0.1 };
/** Writes (create, update, patch, delete): 500 ms × 1.5, 13 attempts, about 2.5 min. */
export const WRITE_BACKOFF: Backoff = { initialMs: 500, factor: 1.5, steps: 13, jitter: 0.4 };
/** Waiting for the block-move annotation to clear: 5 s × 1.5, 10 attempts, about 2 min. */
export const BLOCK_MOVE_BACKOFF: Backoff = { initialMs: 5000, factor: 1.5, steps: 10, jitter: 0.1 };

/** One attempt: no retries at the move level. */
export const NO_RETRIES: Backoff = { initialMs: 0, factor: 1, steps: 1, jitter: 0 };

/**
 * Retries at the move level, on top of the KubeClient's own. The library's HttpKubeClient already retries transient
 * failures (network, 429, 5xx) with clusterctl's read and write backoffs, so by default the move adds none; give
 * READ_BACKOFF / WRITE_BACKOFF here when passing a KubeClient that does not retry. Update conflicts are always
 * retried (re-read first), a few times, whatever these say.
 */
export interface MoveRetryOptions {
  /** @default NO_RETRIES (the client retries) */
  readonly read?: Backoff;
  /** @default NO_RETRIES (the client retries) */
  readonly write?: Backoff;
  /** Waiting for the block-move annotation to clear. @default BLOCK_MOVE_BACKOFF (5 s × 1.5, 10 attempts) */
  readonly blockMove?: Backoff;
}

export interface ResolvedBackoffs {
  readonly read: Backoff;
  readonly write: Backoff;
  readonly blockMove: Backoff;
}

export function resolveBackoffs(options: MoveRetryOptions = {}): ResolvedBackoffs {
  return {
    read: options.read ?? NO_RETRIES,
    write: options.write ?? NO_RETRIES,
    blockMove: options.blockMove ?? BLOCK_MOVE_BACKOFF,
  };
}

interface ApiErrorShape {
  readonly statusCode?: number;
  readonly reason?: string;
  readonly code?: string | number;
}

/** The HTTP status of an API error (0 for a network error), or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as ApiErrorShape;
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.code === 'number') return e.code;
  return undefined;
}

export function reasonOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as ApiErrorShape).reason : undefined;
}

export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;
export const isAlreadyExists = (error: unknown): boolean =>
  statusOf(error) === 409 && reasonOf(error) === 'AlreadyExists';
export const isConflict = (error: unknown): boolean =>
  statusOf(error) === 409 && reasonOf(error) !== 'AlreadyExists';
export const isForbidden = (error: unknown): boolean => statusOf(error) === 403;

/**
 * Worth another attempt: no response at all (network), 429, 5xx (webhooks still starting answer 500). Validation and
 * permission errors are not: retrying them only delays the report.
 */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) {
    // Node network errors carry a string code; anything else (a bug, a MoveError) is final.
    const code = typeof error === 'object' && error !== null ? (error as ApiErrorShape).code : undefined;
    return typeof code === 'string' && /^E[A-Z]+$|^UND_ERR/.test(code);
  }
  return status === 0 || status === 429 || status >= 500;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function delayFor(backoff: Backoff, attempt: number): number {
  const base = backoff.initialMs * Math.pow(backoff.factor, attempt - 1);
  return base + base * backoff.jitter * Math.random();
}

/** Runs `operation` until it succeeds, a non-retryable error occurs, or the backoff's attempts run out. */
export async function retry<T>(backoff: Backoff, operation: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= backoff.steps || !isRetryable(error)) throw error;
      await sleep(delayFor(backoff, attempt));
    }
  }
}

/** Polls `check` with the backoff until it returns true; resolves false when the attempts run out. */
export async function pollUntil(backoff: Backoff, check: () => Promise<boolean>): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    if (await check()) return true;
    if (attempt >= backoff.steps) return false;
    await sleep(delayFor(backoff, attempt));
  }
}

/** Describes an API failure for a message. For Secrets only the status is given: a server message may quote data. */
export function describeFailure(error: unknown, options: { secret?: boolean } = {}): string {
  const status = statusOf(error);
  if (options.secret && status !== undefined) return `${status} ${reasonOf(error) ?? ''}`.trim();
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn` over `items` with at most `limit` at once; resolves with every rejection (empty when all succeeded). */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<unknown[]> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return errors;
}
