import { Condition, conditionsOf, isObservedGenerationCurrent, summarizeConditions } from './conditions';
import { KubeApiError, WaitTimeoutError, isNotFound } from './errors';
import { sleep } from './retry';
import { ApiResource, KubeObject, ObjectRef, WaitOptions, WatchEvent } from './types';

/** What waitForObject needs from a client: discovery, one list page and a watch. */
export interface WaitSource<T extends KubeObject> {
  /** Namespace for refs that name none. */
  readonly defaultNamespace: string;
  resolve(apiVersion: string, kind: string): Promise<ApiResource>;
  invalidate(apiVersion: string): void;
  listPage(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; fieldSelector?: string },
  ): Promise<{ items: T[]; resourceVersion: string }>;
  watch(
    apiVersion: string,
    kind: string,
    options: {
      namespace?: string;
      fieldSelector?: string;
      resourceVersion?: string;
      timeoutSeconds?: number;
      signal?: AbortSignal;
    },
    onEvent: (event: WatchEvent<T>) => void,
  ): Promise<string | undefined>;
}

/** Delay before looking again when the kind is not served yet (its CRD may be on the way). */
const UNSERVED_RETRY_MS = 1000;
/** Backoff bounds for transient failures while waiting. */
const TRANSIENT_MIN_MS = 100;
const TRANSIENT_MAX_MS = 5000;

/**
 * Waits for one object to satisfy `predicate`, driven by a watch (so it reacts as soon as the server reports a
 * change). The predicate counts only when `status.observedGeneration` is current (unless disabled) and must then
 * hold for `holdFor` consecutive checks `holdIntervalMs` apart; any observation that breaks it starts the count
 * again. When the watch expires (410) the object is listed again; transient failures are retried with backoff.
 */
export function waitForObject<T extends KubeObject>(
  source: WaitSource<T>,
  ref: ObjectRef,
  predicate: (object: T | undefined) => boolean,
  options: WaitOptions,
): Promise<T | undefined> {
  const holdFor = Math.max(1, options.holdFor ?? 1);
  const holdIntervalMs = options.holdIntervalMs ?? 1000;
  const progressIntervalMs = options.progressIntervalMs ?? 30_000;
  const requireGeneration = options.requireObservedGeneration ?? true;
  const what = options.description ?? 'the condition';
  const label = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  const started = Date.now();
  const stop = new AbortController();

  return new Promise<T | undefined>((resolve, reject) => {
    let current: T | undefined;
    let observed = false;
    let held = 0;
    let holdTimer: NodeJS.Timeout | undefined;
    let finished = false;

    const finish = (error: unknown, value?: T): void => {
      if (finished) return;
      finished = true;
      clearTimeout(holdTimer);
      clearTimeout(deadline);
      clearInterval(progress);
      options.signal?.removeEventListener('abort', onAbort);
      stop.abort();
      if (error !== undefined) reject(error);
      else resolve(value);
    };

    const satisfied = (): boolean => {
      if (!observed) return false;
      if (requireGeneration && !isObservedGenerationCurrent(current)) return false;
      return predicate(current);
    };

    const tick = (): void => {
      holdTimer = undefined;
      if (finished) return;
      if (!satisfied()) {
        held = 0;
        return;
      }
      held++;
      if (held >= holdFor) finish(undefined, current);
      else holdTimer = setTimeout(tick, holdIntervalMs);
    };

    /** Called after every observation. Only the timed checks of `tick` count towards holdFor. */
    const observe = (): void => {
      if (finished) return;
      if (!satisfied()) {
        held = 0;
        clearTimeout(holdTimer);
        holdTimer = undefined;
        return;
      }
      if (held === 0 && holdTimer === undefined) tick();
    };

    const describeLast = (): string => {
      if (!observed) return 'nothing observed yet';
      if (!current) return 'the object does not exist';
      const generation = current.metadata.generation;
      const observedGeneration = (current.status as { observedGeneration?: number } | undefined)
        ?.observedGeneration;
      const gen =
        generation !== undefined && observedGeneration !== undefined
          ? `generation ${generation}, observedGeneration ${observedGeneration}; `
          : '';
      return `${gen}${summarizeConditions(conditionsOf(current))}`;
    };

    const elapsed = (): string => formatDuration(Date.now() - started);

    const deadline = setTimeout(() => {
      const conditions: Condition[] = conditionsOf(current);
      const holding = held > 0 ? ` (held ${held}/${holdFor})` : '';
      finish(
        new WaitTimeoutError(
          `timed out after ${formatDuration(options.timeoutMs)} waiting for ${what} on ${label}${holding}; last observed: ${describeLast()}`,
          current,
          conditions as unknown as Record<string, unknown>[],
        ),
      );
    }, options.timeoutMs);
    const progress = setInterval(() => {
      options.onProgress?.(`still waiting for ${what} on ${label} (${elapsed()} elapsed): ${describeLast()}`);
    }, progressIntervalMs);
    const onAbort = (): void => finish(options.signal?.reason ?? new Error('wait aborted'));
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const run = async (): Promise<void> => {
      let failures = 0;
      while (!finished) {
        try {
          const resource = await source.resolve(ref.apiVersion, ref.kind);
          const namespace = resource.namespaced ? ref.namespace || source.defaultNamespace : undefined;
          const fieldSelector = `metadata.name=${ref.name}`;
          const page = await source.listPage(ref.apiVersion, ref.kind, { namespace, fieldSelector });
          current = page.items.find((item) => item.metadata.name === ref.name);
          observed = true;
          failures = 0;
          observe();
          let resourceVersion: string | undefined = page.resourceVersion;
          while (!finished) {
            const remainingSeconds = Math.ceil((options.timeoutMs - (Date.now() - started)) / 1000) + 1;
            const opened = Date.now();
            resourceVersion = await source.watch(
              ref.apiVersion,
              ref.kind,
              {
                namespace,
                fieldSelector,
                resourceVersion,
                timeoutSeconds: Math.max(1, Math.min(remainingSeconds, 300)),
                signal: stop.signal,
              },
              (event) => {
                if (event.type === 'BOOKMARK') return;
                current = event.type === 'DELETED' ? undefined : event.object;
                observe();
              },
            );
            // A server that ends streams at once should not make us spin.
            if (Date.now() - opened < 50) await sleep(50, stop.signal);
          }
        } catch (error) {
          if (finished) return;
          if (error instanceof KubeApiError && error.statusCode === 410) continue; // expired: list again
          if (isNotFound(error)) {
            // The kind is not served (yet): the object cannot exist. Look again after a while.
            current = undefined;
            observed = true;
            observe();
            source.invalidate(ref.apiVersion);
            await sleep(UNSERVED_RETRY_MS, stop.signal).catch(() => undefined);
            continue;
          }
          if (error instanceof KubeApiError && error.transient) {
            failures++;
            const delay = Math.min(TRANSIENT_MAX_MS, TRANSIENT_MIN_MS * 2 ** (failures - 1));
            await sleep(delay, stop.signal).catch(() => undefined);
            continue;
          }
          finish(error);
        }
      }
    };
    run().catch((error) => finish(error));
  });
}

/** `1m30s`, `450ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes < 60) return rest ? `${minutes}m${rest}s` : `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
}
