import { HttpKubeClient } from '../../kube/client';
import { isConflict } from '../../kube/errors';
import { SimulatedApiServer, SimulatedController } from '../api-server/server';
import { SimulatedCluster } from '../site/simulated-cluster';
import { SiteEvent, SiteRuntime } from '../site/site-runtime';
import { StoppedError, TimerSet } from '../site/timers';

/** Changes this close together are handled by one pass (the simulated controllers' work queue). */
const COALESCE_MS = 3;
/** A pass starts at most this long after the first of a burst of changes. */
const MAX_COALESCE_MS = 25;

/** What makes a reconciler run a pass. */
export interface ReconcilerWatches {
  /** Store keys (`group/plural`, `/nodes` for the core group) in the reconciler's own cluster. */
  readonly local: readonly string[];
  /** Store keys in any other cluster of the site (CAPI watches Nodes of its workload clusters). */
  readonly remote?: readonly string[];
  /** Container changes of the simulated Docker engine. */
  readonly containers?: boolean;
}

/**
 * A simulated controller: an ordinary HTTP client of its cluster's API server (so the request log and fault
 * injection see its traffic), level-triggered like a controller-runtime manager. Any change it watches schedules
 * one reconcile pass after the site's reaction time; passes never overlap; a failed pass is logged in the site's
 * errors and retried after `speed.retryMs`. A pass may ask to run again after a delay (a timed step).
 *
 * Change notifications come from the server in process (the site's event bus) rather than from HTTP watches:
 * what the controller reads and writes goes over HTTP, what wakes it up does not.
 */
export abstract class Reconciler implements SimulatedController {
  protected client!: HttpKubeClient;
  protected readonly timers = new TimerSet();
  private unsubscribe?: () => void;
  private running?: Promise<void>;
  private dirty = false;
  private timer?: NodeJS.Timeout;
  private firstTriggerAt?: number;
  private stopped = false;
  private passCount = 0;

  protected constructor(
    public readonly name: string,
    protected readonly runtime: SiteRuntime,
    protected readonly cluster: SimulatedCluster,
    private readonly watches: ReconcilerWatches,
  ) {}

  /** Reconcile passes run so far. */
  public get passes(): number {
    return this.passCount;
  }

  public async start(_server: SimulatedApiServer): Promise<void> {
    this.client = await this.runtime.client(this.cluster, this.name);
    this.unsubscribe = this.runtime.subscribe((event) => {
      if (this.wants(event)) this.trigger();
    });
    this.trigger();
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    this.timers.close();
    await this.running?.catch(() => undefined);
  }

  /**
   * Schedules a pass. Changes arriving close together are handled by one pass: each one moves the pass to
   * `reactionMs` (at least {@link COALESCE_MS}) after it, but never later than {@link MAX_COALESCE_MS} after the
   * first. A longer `delayMs` (a timed step) schedules a pass at that time.
   */
  public trigger(delayMs?: number): void {
    if (this.stopped) return;
    if (delayMs !== undefined && delayMs > this.quietMs) {
      this.timers.after(delayMs, () => this.trigger());
      return;
    }
    if (this.running) {
      this.dirty = true;
      return;
    }
    const now = Date.now();
    this.firstTriggerAt ??= now;
    const at = Math.min(now + this.quietMs, this.firstTriggerAt + Math.max(MAX_COALESCE_MS, this.quietMs));
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.firstTriggerAt = undefined;
        this.run();
      },
      Math.max(0, at - now),
    );
  }

  private get quietMs(): number {
    return Math.max(COALESCE_MS, this.runtime.speed.reactionMs);
  }

  /** One level-triggered pass over everything this controller owns. Returns a delay to run again after, if any. */
  protected abstract reconcile(): Promise<number | undefined | void>;

  private wants(event: SiteEvent): boolean {
    if (event.type === 'container') return this.watches.containers === true;
    if (event.type === 'serving') return true;
    if (event.cluster === this.cluster) return this.watches.local.includes(event.event.key);
    return (this.watches.remote ?? []).includes(event.event.key);
  }

  private run(): void {
    if (this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.dirty = false;
    // A controller runs against its own cluster's API; while that does not answer (a workload cluster before
    // kubeadm init) it waits for the 'serving' event instead of failing.
    if (!this.cluster.serving) return;
    this.passCount++;
    this.running = (async () => {
      let again: number | undefined;
      try {
        again = (await this.reconcile()) ?? undefined;
      } catch (error) {
        if (this.stopped || error instanceof StoppedError) return;
        // A conflict is a concurrent writer: the next pass sees the newer object. Anything else is recorded.
        if (!isConflict(error)) this.runtime.recordError(this.name, error, this.cluster);
        again = this.runtime.speed.retryMs;
      }
      this.running = undefined;
      if (this.stopped) return;
      if (this.dirty) this.trigger();
      if (again !== undefined) this.trigger(Math.max(again, this.quietMs + 1));
    })();
  }
}
