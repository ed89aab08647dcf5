import { errorText } from './error-text';
import { formatDuration } from './process-runner';

/** Time as the retry loop sees it; tests pass a fake one. */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** When and how long to retry a failing operation. */
export interface RetryPolicy {
  /** Names the operation in the give-up message. */
  readonly name: string;
  /** No new attempt starts after this much time since the first one. */
  readonly timeoutMs: number;
  /** Wait before the second attempt. */
  readonly initialDelayMs: number;
  /** Each further wait is the previous one times this. */
  readonly factor: number;
  /** Upper bound of a single wait. @default no bound */
  readonly maxDelayMs?: number;
  /** Only errors for which this is true are retried; any other error ends the loop at once. */
  readonly isRetryable: (error: unknown) => boolean;
}

export interface RetryOptions {
  /** @default systemClock */
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  /** Called before each wait, e.g. to log "retrying clusterctl move in 15s". */
  readonly onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  /** The attempt that just failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

/** A retryable operation that kept failing until the policy's time ran out. */
export class RetryExhaustedError extends Error {
  constructor(
    public readonly policy: string,
    public readonly attempts: number,
    public readonly elapsedMs: number,
    public readonly lastError: unknown,
  ) {
    super(
      `${policy}: gave up after ${attempts} attempt${attempts === 1 ? '' : 's'} over ${formatDuration(
        Math.round(elapsedMs),
      )}; last error: ${errorText(lastError)}`,
      { cause: lastError },
    );
    this.name = 'RetryExhaustedError';
  }
}

/**
 * Runs `operation` until it succeeds, a non-retryable error occurs, or the policy's time runs out. Waits grow as
 * `initialDelayMs × factorⁿ`; the last wait is shortened so that a final attempt happens at the deadline rather
 * than after it.
 */
export async function retryWithPolicy<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  let delay = policy.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!policy.isRetryable(error) || options.signal?.aborted) {
        throw error;
      }
      const elapsed = clock.now() - started;
      const remaining = policy.timeoutMs - elapsed;
      if (remaining <= 0) {
        throw new RetryExhaustedError(policy.name, attempt, elapsed, error);
      }
      const wait = Math.min(delay, remaining, policy.maxDelayMs ?? Infinity);
      options.onRetry?.({ attempt, delayMs: wait, error });
      await clock.sleep(wait, options.signal);
      delay *= policy.factor;
    }
  }
}

/** A predicate that retries errors whose text contains any of `fragments`. */
export function retryWhenMessageContains(...fragments: readonly string[]): (error: unknown) => boolean {
  return (error) => {
    const text = errorText(error);
    return fragments.some((f) => text.includes(f));
  };
}

/**
 * EKS-A's policy for `clusterctl move` between clusters: retry only "failed to connect to the management
 * cluster", 10 s × 1.5ⁿ, for up to 30 minutes (`DefaultClusterctlMoveTimeout`).
 */
export const CLUSTERCTL_MOVE_RETRY_POLICY: RetryPolicy = {
  name: 'clusterctl move',
  timeoutMs: 30 * 60_000,
  initialDelayMs: 10_000,
  factor: 1.5,
  isRetryable: retryWhenMessageContains('failed to connect to the management cluster'),
};

/**
 * EKS-A's policy for the CAPI backup (`clusterctl move --to-directory`): as for a move, and it also tolerates
 * "failed to check for provisioned infrastructure".
 */
export const CLUSTERCTL_BACKUP_RETRY_POLICY: RetryPolicy = {
  ...CLUSTERCTL_MOVE_RETRY_POLICY,
  name: 'clusterctl move --to-directory',
  isRetryable: retryWhenMessageContains(
    'failed to connect to the management cluster',
    'failed to check for provisioned infrastructure',
  ),
};
