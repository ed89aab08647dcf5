import { InvocationFilter, matchesInvocation, SimulatedProgram } from './invocation-log';

/** A rule that makes matching runs of a simulated program fail (or hang) instead of doing their work. */
export interface ToolFaultRule extends InvocationFilter {
  readonly program: SimulatedProgram;
  /** The first matching run (counting from 1) that fails. @default 1 */
  readonly nth?: number;
  /** How many consecutive matching runs, from the nth, fail. @default 1 (Infinity: all) */
  readonly times?: number;
  /** What the program prints on stderr, e.g. `Error: failed to connect to the management cluster: …`. */
  readonly stderr?: string;
  /** @default 1 */
  readonly exitCode?: number;
  /** Wait this long first (a slow program); alone, the run then proceeds normally. */
  readonly delayMs?: number;
}

/** A registered tool fault and how often it struck. */
export interface ToolFaultHandle {
  readonly rule: ToolFaultRule;
  readonly matched: number;
  readonly injected: number;
  remove(): void;
}

class ToolFault implements ToolFaultHandle {
  public matched = 0;
  public injected = 0;
  public constructor(
    public readonly rule: ToolFaultRule,
    private readonly owner: ToolFaults,
  ) {}

  public remove(): void {
    this.owner.remove(this);
  }
}

/** Fault injection for the simulated programs (the API servers have their own, per server). */
export class ToolFaults {
  private readonly faults: ToolFault[] = [];

  public add(rule: ToolFaultRule): ToolFaultHandle {
    const fault = new ToolFault(rule, this);
    this.faults.push(fault);
    return fault;
  }

  public remove(fault: ToolFaultHandle): void {
    const i = this.faults.indexOf(fault as ToolFault);
    if (i >= 0) this.faults.splice(i, 1);
  }

  public clear(): void {
    this.faults.length = 0;
  }

  /** Counts a run against every rule and returns the rules that strike it. */
  public strike(program: SimulatedProgram, args: readonly string[]): ToolFaultRule[] {
    const hits: ToolFaultRule[] = [];
    for (const fault of this.faults) {
      if (!matchesInvocation({ program, args }, fault.rule)) continue;
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
