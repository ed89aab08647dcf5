import type { PhaseName } from './journal';

/** A wait that ran out of time, with what it waited for and what it saw last. */
export class WaitFailedError extends Error {
  public constructor(
    /** e.g. `Cluster eksa-system/dev: ControlPlaneInitialized` */
    public readonly waitedFor: string,
    /** One line: the last observed state (conditions, counts), or why nothing was observed. */
    public readonly lastObserved: string,
    public readonly timeoutMs: number,
  ) {
    super(`timed out after ${formatMs(timeoutMs)} waiting for ${waitedFor}; last observed: ${lastObserved}`);
    this.name = 'WaitFailedError';
  }
}

/** What a failed step reports. */
export interface StepFailure {
  readonly phase: PhaseName;
  readonly step: string;
  readonly cluster: string;
  /** Set when the step was waiting for something. */
  readonly waitedFor?: string;
  readonly lastObserved?: string;
  /** Where the diagnostics were written (relative to the working directory), when they were. */
  readonly diagnosticsDir?: string;
  /** The underlying error's message, secrets redacted. */
  readonly reason: string;
}

/**
 * A step of the workflow failed. The message names the phase and the step, what was awaited and last observed,
 * and where the diagnostics are; it never holds secrets. Re-running the phase continues from where it stopped.
 */
export class WorkflowError extends Error {
  public readonly failure: StepFailure;

  public constructor(failure: StepFailure, cause?: unknown) {
    super(formatFailure(failure), cause === undefined ? undefined : { cause });
    this.name = 'WorkflowError';
    this.failure = failure;
  }

  public get phase(): PhaseName {
    return this.failure.phase;
  }

  public get step(): string {
    return this.failure.step;
  }

  public get diagnosticsDir(): string | undefined {
    return this.failure.diagnosticsDir;
  }
}

function formatFailure(f: StepFailure): string {
  const lines = [`${f.phase} of cluster ${f.cluster}: step ${f.step} failed: ${f.reason}`];
  if (f.waitedFor) lines.push(`  waited for: ${f.waitedFor}`);
  if (f.lastObserved) lines.push(`  last observed: ${f.lastObserved}`);
  if (f.diagnosticsDir) lines.push(`  diagnostics: ${f.diagnosticsDir}`);
  lines.push('  Fix the cause and run again: completed steps are kept, the failed one is retried.');
  return lines.join('\n');
}

/** `1h`, `30m`, `1m30s`, `450ms`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('') || '0s';
}
