/**
 * Timers owned by one part of the site, cleared together when it stops, so that a closed site leaves no handle
 * behind (jest must be able to exit).
 */
export class TimerSet {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  private readonly waiters = new Set<() => void>();
  /** Runs `fn` after `ms` unless the set is closed first. */
  public after(ms: number, fn: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Resolves after `ms`; rejects with {@link StoppedError} if the set closes first. */
  public sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new StoppedError());
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.waiters.delete(onClose);
        resolve();
      }, ms);
      const onClose = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        reject(new StoppedError());
      };
      this.timers.add(timer);
      this.waiters.add(onClose);
    });
  }

  public get isClosed(): boolean {
    return this.closed;
  }

  public close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w();
  }
}

/** What a sleep of a stopped component rejects with. */
export class StoppedError extends Error {
  public constructor() {
    super('stopped');
    this.name = 'StoppedError';
  }
}
