import { KubeApiError, isKubeApiError } from './errors';

/** Exponential backoff: delay_n = initialDelayMs × factor^n, each with ± jitter, for at most `steps` attempts. */
export interface RetryPolicy {
  readonly initialDelayMs: number;
  readonly factor: number;
  /** Total attempts, the first included. 1 disables retries. */
  readonly steps: number;
  /** Fraction of each delay added at random (0.1 = up to 10 % longer). */
  readonly jitter: number;
  /** Upper bound of one delay. @default 30000 */
  readonly maxDelayMs?: number;
}

/** clusterctl's read backoff: 250 ms × 1.5, 9 attempts, ~15 s in all. */
export const READ_RETRY: RetryPolicy = { initialDelayMs: 250, factor: 1.5, steps: 9, jitter: 0.1 };
/** clusterctl's write backoff: 500 ms × 1.5, 13 attempts, ~2.5 min in all. */
export const WRITE_RETRY: RetryPolicy = { initialDelayMs: 500, factor: 1.5, steps: 13, jitter: 0.4 };
/** No retries. */
export const NO_RETRY: RetryPolicy = { initialDelayMs: 0, factor: 1, steps: 1, jitter: 0 };

/** The delay before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = policy.initialDelayMs * Math.pow(policy.factor, attempt - 1);
  const withJitter = base + base * policy.jitter * random();
  return Math.min(withJitter, policy.maxDelayMs ?? 30_000);
}

export interface RetryHooks {
  /** Called before each wait, with the error that caused it. */
  readonly onRetry?: (error: KubeApiError, attempt: number, delayMs: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * Runs `operation`, retrying transient KubeApiErrors (network failures, 429, 5xx, etcd leader changes) with
 * backoff; any other error is thrown at once. A 429's Retry-After is honoured when it is longer than the backoff.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  operation: () => Promise<T>,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isKubeApiError(error) || !error.transient) throw error;
      if (attempt >= policy.steps) throw policy.steps > 1 ? error.withAttempts(attempt) : error;
      let delay = backoffDelay(policy, attempt);
      if (error.retryAfterSeconds !== undefined) {
        delay = Math.max(delay, Math.min(error.retryAfterSeconds * 1000, 60_000));
      }
      hooks.onRetry?.(error, attempt, delay);
      await sleep(delay, hooks.signal);
    }
  }
}

/** Resolves after `ms`; rejects with the signal's reason when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
