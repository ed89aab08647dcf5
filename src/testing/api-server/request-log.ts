/** One request the simulated API server answered. */
export interface RequestRecord {
  readonly method: string;
  /** URL path without the query. */
  readonly path: string;
  /** The query string, with its leading `?` (empty when none). */
  readonly query: string;
  /** HTTP status sent (0 when the connection was reset by a fault). */
  readonly status: number;
  readonly watch: boolean;
  /** Milliseconds to the response head (watches) or the full response. */
  readonly durationMs: number;
  readonly userAgent?: string;
  /** The fault that struck it, if any. */
  readonly fault?: 'status' | 'reset' | 'delay';
}

export interface RequestFilter {
  readonly method?: string;
  /** Exact path, or a RegExp tested against path and query. */
  readonly path?: string | RegExp;
  readonly status?: number;
  readonly watch?: boolean;
}

/** The requests a simulated server answered, for tests and benchmarks to count. */
export class RequestLog {
  private readonly records: RequestRecord[] = [];

  public constructor(private readonly limit = 100_000) {}

  public add(record: RequestRecord): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }

  public entries(filter: RequestFilter = {}): RequestRecord[] {
    return this.records.filter((r) => {
      if (filter.method !== undefined && r.method !== filter.method.toUpperCase()) return false;
      if (filter.status !== undefined && r.status !== filter.status) return false;
      if (filter.watch !== undefined && r.watch !== filter.watch) return false;
      if (filter.path instanceof RegExp) return filter.path.test(r.path + r.query);
      if (filter.path !== undefined) return r.path === filter.path;
      return true;
    });
  }

  public count(filter: RequestFilter = {}): number {
    return this.entries(filter).length;
  }

  public clear(): void {
    this.records.length = 0;
  }
}
