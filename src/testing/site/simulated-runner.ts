import * as path from 'node:path';
import { InvocationLog, SimulatedProgram } from './invocation-log';
import { ToolFaults } from './tool-faults';
import {
  displayCommand,
  ProcessResult,
  ProcessRunner,
  ProcessSpec,
  ToolError,
} from '../../tools/process-runner';
import { isSecret, REDACTED, Redactor, revealed } from '../../tools/secret';

/** One run of a simulated program, as its handler sees it. */
export interface ProgramCall {
  /** argv after the program name, secrets revealed (the program needs them). */
  readonly args: readonly string[];
  /** The environment the caller set for this run (not the inherited one), secrets revealed. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin?: string;
  /** Working directory: relative paths in argv resolve against it. */
  readonly cwd: string;
  /** Aborts on the caller's signal or the run's timeout; long operations must honour it. */
  readonly signal: AbortSignal;
  /** Prints a progress line on stderr (streamed to the caller's listener, redacted). */
  readonly progress: (line: string) => void;
}

export interface ProgramOutput {
  readonly stdout?: string;
  readonly stderr?: string;
}

/** A simulated program's non-zero exit, with what it printed on stderr. */
export class ProgramExit extends Error {
  public constructor(
    public readonly stderr: string,
    public readonly exitCode = 1,
  ) {
    super(stderr);
    this.name = 'ProgramExit';
  }
}

export type ProgramHandler = (call: ProgramCall) => Promise<ProgramOutput>;

/** Lines of stderr quoted in a ToolError, as the real runner keeps them. */
const STDERR_TAIL_LINES = 40;

/**
 * A {@link ProcessRunner} that runs simulated programs in process instead of spawning real ones. The real
 * wrappers (KindProgram, ClusterctlProgram, …) build their argv as always and hand it here, so the simulated site
 * sees exactly what the real programs would, answers with their output and exit codes, and the wrappers' own
 * parsing and error handling run unchanged. Every run is recorded in the invocation log, secrets redacted.
 */
export function createSimulatedRunner(
  programs: Readonly<Record<SimulatedProgram, ProgramHandler>>,
  log: InvocationLog,
  faults: ToolFaults,
): ProcessRunner {
  return async (spec: ProcessSpec): Promise<ProcessResult> => {
    const program = path.basename(spec.program) as SimulatedProgram;
    const secrets = [
      ...spec.args.filter(isSecret).map(revealed),
      ...Object.values(spec.env ?? {})
        .filter((v) => v !== undefined && isSecret(v))
        .map((v) => revealed(v!)),
      ...(spec.secrets ?? []),
    ];
    const redactor = new Redactor(secrets);
    const command = displayCommand(program, spec.args, redactor);
    const shownArgs = spec.args.map((a) => (isSecret(a) ? REDACTED : redactor.redact(a)));
    const started = performance.now();
    const startedAt = new Date();
    const handler = Object.prototype.hasOwnProperty.call(programs, program) ? programs[program] : undefined;
    const fail = (details: Omit<ConstructorParameters<typeof ToolError>[0], 'program' | 'command'>) =>
      new ToolError({ program, command, executable: executableOf(program), ...details });
    if (!handler) {
      throw new ToolError({
        program,
        command,
        failure: 'not-found',
        stderrTail: '',
        searched: ['(simulated site)'],
      });
    }
    const record = (exitCode: number, stderr: string, faulted?: boolean): void => {
      log.add({
        program,
        args: shownArgs,
        command,
        env: Object.keys(spec.env ?? {}).filter((k) => spec.env![k] !== undefined),
        stdin: spec.stdin !== undefined,
        startedAt,
        durationMs: performance.now() - started,
        exitCode,
        stderr: redactor.redact(stderr),
        faulted,
      });
    };
    if (spec.signal?.aborted) {
      record(-1, '');
      throw fail({ failure: 'aborted', stderrTail: '', cause: spec.signal.reason });
    }

    const controller = new AbortController();
    const onAbort = (): void => controller.abort(spec.signal?.reason);
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer =
      spec.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            controller.abort(new Error('timeout'));
          }, spec.timeoutMs)
        : undefined;
    const stderrLines: string[] = [];
    const emit = (line: string): void => {
      const shown = redactor.redact(line);
      stderrLines.push(shown);
      spec.onOutput?.(shown, 'stderr');
    };
    const stopped = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(new AbortedRun()), { once: true });
    });
    stopped.catch(() => undefined);
    try {
      const hits = faults.strike(program, spec.args.map(revealed));
      for (const hit of hits) {
        if (!hit.delayMs) continue;
        let delay: NodeJS.Timeout | undefined;
        try {
          await Promise.race([new Promise((r) => (delay = setTimeout(r, hit.delayMs))), stopped]);
        } finally {
          clearTimeout(delay);
        }
      }
      const failing = hits.find((h) => h.stderr !== undefined || h.exitCode !== undefined);
      if (failing) {
        const stderr = failing.stderr ?? 'Error: injected fault';
        stderr.split('\n').forEach(emit);
        record(failing.exitCode ?? 1, stderr, true);
        throw fail({ failure: 'exit', exitCode: failing.exitCode ?? 1, stderrTail: tail(stderrLines) });
      }
      const output = await Promise.race([
        handler({
          args: spec.args.map(revealed),
          env: Object.fromEntries(
            Object.entries(spec.env ?? {}).map(([k, v]) => [k, v === undefined ? undefined : revealed(v)]),
          ),
          stdin: spec.stdin === undefined ? undefined : String(spec.stdin),
          cwd: spec.cwd ?? process.cwd(),
          signal: controller.signal,
          progress: emit,
        }),
        stopped,
      ]);
      for (const line of (output.stderr ?? '').split('\n')) if (line !== '') emit(line);
      const stdout = output.stdout ?? '';
      if (!spec.stdoutIsSecret && spec.onOutput) {
        for (const line of stdout.split('\n')) {
          if (line !== '') spec.onOutput(redactor.redact(line), 'stdout');
        }
      }
      record(0, stderrLines.join('\n'));
      return {
        stdout,
        stderr: stderrLines.join('\n'),
        executable: executableOf(program),
        durationMs: performance.now() - started,
      };
    } catch (error) {
      if (error instanceof ToolError) throw error;
      if (error instanceof AbortedRun || controller.signal.aborted) {
        record(-1, stderrLines.join('\n'));
        throw timedOut
          ? fail({
              failure: 'timeout',
              timeoutMs: spec.timeoutMs,
              stderrTail: tail(stderrLines),
              signal: 'SIGTERM',
            })
          : fail({ failure: 'aborted', stderrTail: tail(stderrLines), cause: spec.signal?.reason });
      }
      const exit =
        error instanceof ProgramExit
          ? error
          : new ProgramExit(`Error: ${error instanceof Error ? error.message : String(error)}`);
      exit.stderr.split('\n').forEach(emit);
      record(exit.exitCode, stderrLines.join('\n'));
      throw fail({ failure: 'exit', exitCode: exit.exitCode, stderrTail: tail(stderrLines), cause: error });
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
    }
  };
}

class AbortedRun extends Error {}

function tail(lines: readonly string[]): string {
  return lines.slice(-STDERR_TAIL_LINES).join('\n');
}

function executableOf(program: string): string {
  return `/simulated-site/bin/${program}`;
}
