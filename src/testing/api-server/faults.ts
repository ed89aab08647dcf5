/** A rule that makes matching requests fail, hang or lose their connection. */
export interface FaultRule {
  /** HTTP method(s) to match. @default any */
  readonly method?: string | readonly string[];
  /**
   * Path to match: a string is a glob over the URL path (`*` matches within a segment, `**` across segments,
   * e.g. `/api/v1/namespaces/* /configmaps/**` without the space); a RegExp is tested against path and query
   * (`/api/v1/namespaces?watch=1`).
   */
  readonly path: string | RegExp;
  /** Match only watch requests (true) or only other requests (false). @default both */
  readonly watch?: boolean;
  /** The first matching request (counting from 1) that the fault hits. @default 1 */
  readonly nth?: number;
  /** How many consecutive matching requests, from the nth, the fault hits. @default 1 (Infinity: all) */
  readonly times?: number;
  /** Answer with this HTTP status and a Status object (e.g. 429, 500, 503). */
  readonly status?: number;
  /** Status reason. @default the usual reason of `status` */
  readonly reason?: string;
  /** Status message. @default "injected fault" */
  readonly message?: string;
  /** Retry-After for 429/503 answers. */
  readonly retryAfterSeconds?: number;
  /** Destroy the connection without answering (the client sees ECONNRESET). */
  readonly reset?: boolean;
  /** Wait this long first; alone, the request then proceeds normally. */
  readonly delayMs?: number;
}

/** A registered fault: how often it matched and how often it struck. */
export interface FaultHandle {
  readonly rule: FaultRule;
  readonly matched: number;
  readonly injected: number;
  remove(): void;
}

class Fault implements FaultHandle {
  public matched = 0;
  public injected = 0;
  public constructor(
    public readonly rule: FaultRule,
    private readonly owner: FaultInjector,
  ) {}

  public remove(): void {
    this.owner.remove(this);
  }
}

/** Fault injection for the simulated API server: fail, delay or reset the Nth request matching a rule. */
export class FaultInjector {
  private readonly faults: Fault[] = [];

  public add(rule: FaultRule): FaultHandle {
    const fault = new Fault(rule, this);
    this.faults.push(fault);
    return fault;
  }

  /** Shorthand: the next `times` requests matching method and path fail with `status`. */
  public failNext(method: string, path: string | RegExp, status: number, times = 1): FaultHandle {
    return this.add({ method, path, status, times });
  }

  public remove(fault: FaultHandle): void {
    const index = this.faults.indexOf(fault as Fault);
    if (index >= 0) this.faults.splice(index, 1);
  }

  public clear(): void {
    this.faults.length = 0;
  }

  /** Counts the request against every rule it matches and returns the rules that strike it. */
  public strike(method: string, pathname: string, search: string, isWatch: boolean): FaultRule[] {
    const hits: FaultRule[] = [];
    for (const fault of this.faults) {
      if (!matches(fault.rule, method, pathname, search, isWatch)) continue;
      fault.matched++;
      const first = fault.rule.nth ?? 1;
      const times = fault.rule.times ?? 1;
      if (fault.matched >= first && fault.matched < first + times) {
        fault.injected++;
        hits.push(fault.rule);
      }
    }
    return hits;
  }
}

function matches(
  rule: FaultRule,
  method: string,
  pathname: string,
  search: string,
  isWatch: boolean,
): boolean {
  if (rule.method !== undefined) {
    const methods = typeof rule.method === 'string' ? [rule.method] : rule.method;
    if (!methods.some((m) => m.toUpperCase() === method.toUpperCase())) return false;
  }
  if (rule.watch !== undefined && rule.watch !== isWatch) return false;
  if (rule.path instanceof RegExp) return rule.path.test(pathname + search);
  return globToRegExp(rule.path).test(pathname);
}

const globCache = new Map<string, RegExp>();
function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .split('**')
      .map((part) =>
        part
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*'),
      )
      .join('.*');
    re = new RegExp(`^${body}$`);
    globCache.set(glob, re);
  }
  return re;
}
