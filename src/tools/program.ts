import { OutputListener, ProcessResult, ProcessRunner, runProcess } from './process-runner';
import { MaybeSecret } from './secret';

/**
 * Per-call options every tool interface accepts. They say nothing about processes, so a simulated tool can honour
 * `signal` and ignore the rest.
 */
export interface OperationOptions {
  /** Stops the operation (and the program running it). */
  readonly signal?: AbortSignal;
  /** A ceiling for this call. @default the wrapper's default for the operation */
  readonly timeoutMs?: number;
  /** Receives progress lines (secrets redacted). */
  readonly onOutput?: OutputListener;
}

/** How a real wrapper finds and starts its program. */
export interface ProgramOptions {
  /** Name on PATH or path of the executable. @default the program's usual name, e.g. `kind` */
  readonly path?: string;
  /** Environment added to every call (proxy settings, DOCKER_HOST, …). */
  readonly env?: Readonly<Record<string, MaybeSecret | undefined>>;
  /** Working directory for every call. @default process.cwd() */
  readonly cwd?: string;
  /** Receives the output lines of every call, in addition to a call's own listener. */
  readonly onOutput?: OutputListener;
  /** How long SIGTERM may take before SIGKILL. @default 5000 */
  readonly killGraceMs?: number;
  /** Starts the processes. @default runProcess */
  readonly runner?: ProcessRunner;
}

/** What one call adds to the program's options. */
export interface CallSpec {
  readonly env?: Readonly<Record<string, MaybeSecret | undefined>>;
  readonly stdin?: string;
  readonly stdoutIsSecret?: boolean;
  readonly defaultTimeoutMs: number;
}

/** The shared plumbing of the real wrappers: one external program, run with argv through the runner. */
export abstract class Program {
  protected readonly executable: string;
  private readonly options: ProgramOptions;

  protected constructor(defaultName: string, options: ProgramOptions = {}) {
    this.executable = options.path ?? defaultName;
    this.options = options;
  }

  protected async exec(
    args: readonly MaybeSecret[],
    call: CallSpec,
    op: OperationOptions = {},
  ): Promise<ProcessResult> {
    const listeners = [this.options.onOutput, op.onOutput].filter(
      (l): l is OutputListener => l !== undefined,
    );
    return (this.options.runner ?? runProcess)({
      program: this.executable,
      args,
      env: { ...this.options.env, ...call.env },
      cwd: this.options.cwd,
      stdin: call.stdin,
      stdoutIsSecret: call.stdoutIsSecret,
      timeoutMs: op.timeoutMs ?? call.defaultTimeoutMs,
      signal: op.signal,
      killGraceMs: this.options.killGraceMs,
      onOutput:
        listeners.length === 0 ? undefined : (line, stream) => listeners.forEach((l) => l(line, stream)),
    });
  }
}

export const MINUTE = 60_000;
