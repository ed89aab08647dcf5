import { REDACTED } from '../../tools/secret';

/** The programs the simulated site stands in for. */
export type SimulatedProgram = 'kind' | 'clusterctl' | 'helm' | 'flux' | 'docker';

/** One run of a simulated program, as the real one would have been started. */
export interface ToolInvocation {
  /** Position in the site's log, from 1. */
  readonly seq: number;
  readonly program: SimulatedProgram;
  /** argv after the program name; secret values are `***`. */
  readonly args: readonly string[];
  /** `program arg …`, shell-quoted, secrets redacted (as ToolError and progress lines show it). */
  readonly command: string;
  /** Names of the environment variables the call set (values are never kept). */
  readonly env: readonly string[];
  /** Whether something was written to the program's stdin (helm values). */
  readonly stdin: boolean;
  readonly startedAt: Date;
  readonly durationMs: number;
  /** 0 for success. */
  readonly exitCode: number;
  /** What the program printed on stderr (secrets redacted). Empty for most successes. */
  readonly stderr: string;
  /** Set when an injected tool fault decided the outcome. */
  readonly faulted?: boolean;
}

export interface InvocationFilter {
  readonly program?: SimulatedProgram;
  /** Matched against `args.join(' ')`: a prefix string, or a RegExp. */
  readonly args?: string | RegExp;
}

/** Every simulated program run, in order, for tests to assert the sequence of operations. */
export class InvocationLog {
  private readonly records: ToolInvocation[] = [];

  public add(record: Omit<ToolInvocation, 'seq'>): ToolInvocation {
    const full = { ...record, seq: this.records.length + 1 };
    this.records.push(full);
    return full;
  }

  public all(filter: InvocationFilter = {}): ToolInvocation[] {
    return this.records.filter((r) => matchesInvocation(r, filter));
  }

  /** `program subcommand …` lines, e.g. `['kind create cluster --name …', 'clusterctl init …']`. */
  public commands(filter: InvocationFilter = {}): string[] {
    return this.all(filter).map((r) => r.command);
  }

  public count(filter: InvocationFilter = {}): number {
    return this.all(filter).length;
  }

  public clear(): void {
    this.records.length = 0;
  }
}

export function matchesInvocation(
  record: Pick<ToolInvocation, 'program' | 'args'>,
  filter: InvocationFilter,
): boolean {
  if (filter.program !== undefined && record.program !== filter.program) return false;
  if (filter.args === undefined) return true;
  const text = record.args.join(' ');
  return typeof filter.args === 'string' ? text.startsWith(filter.args) : filter.args.test(text);
}

export { REDACTED };
