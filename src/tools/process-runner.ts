import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { findExecutable } from './executable-path';
import { descendantsOf, isSameProcessAlive, ProcessEntry, readProcessTable, signalPid } from './process-tree';
import { isSecret, MaybeSecret, REDACTED, Redactor, revealed } from './secret';

export type OutputStream = 'stdout' | 'stderr';

/** Receives each complete line a program prints, with secrets already redacted. */
export type OutputListener = (line: string, stream: OutputStream) => void;

/** One run of an external program. */
export interface ProcessSpec {
  /** A bare name looked up on `PATH` (of the effective environment), or a path. */
  readonly program: string;
  /** Arguments, passed as an argv array (never through a shell). */
  readonly args: readonly MaybeSecret[];
  /**
   * Environment entries to set (or, with `undefined`, to remove) on top of the inherited environment. Secret
   * values are redacted from everything the runner reports.
   */
  readonly env?: Readonly<Record<string, MaybeSecret | undefined>>;
  /** Start from this process's environment. @default true */
  readonly inheritEnv?: boolean;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** Written to the program's stdin, which is then closed. Without it stdin reads as empty. Never reported. */
  readonly stdin?: string | Buffer;
  /** Kill the program (and its descendants) after this long. @default no limit */
  readonly timeoutMs?: number;
  /** Kill the program (and its descendants) when this signal aborts. */
  readonly signal?: AbortSignal;
  /** How long SIGTERM may take before SIGKILL follows. @default 5000 (what the Pulumi engine allows a plugin) */
  readonly killGraceMs?: number;
  /** Called for each line of output. */
  readonly onOutput?: OutputListener;
  /** The program prints a secret on stdout (a kubeconfig): never stream or report it. @default false */
  readonly stdoutIsSecret?: boolean;
  /** Fail rather than hold more stdout than this. @default 64 MiB */
  readonly maxStdoutBytes?: number;
  /** More values to redact, beyond the secret args and env values. */
  readonly secrets?: readonly string[];
}

export interface ProcessResult {
  /** Everything the program printed on stdout. */
  readonly stdout: string;
  /** The last part of stderr (bounded), secrets redacted. */
  readonly stderr: string;
  /** Absolute path of the program that ran. */
  readonly executable: string;
  readonly durationMs: number;
}

/** Runs a program; `runProcess` is the real one. Wrappers accept another for special hosts. */
export type ProcessRunner = (spec: ProcessSpec) => Promise<ProcessResult>;

/** Why a run failed. */
export type ToolFailure =
  /** The program is not on PATH / not at the configured path. */
  | 'not-found'
  /** The operating system refused to start it. */
  | 'spawn-failed'
  /** It exited with a non-zero code. */
  | 'exit'
  /** A signal we did not send ended it (for example the host's interrupt). */
  | 'signal'
  | 'timeout'
  | 'aborted'
  /** It printed more stdout than allowed. */
  | 'output-limit';

export interface ToolErrorDetails {
  readonly program: string;
  readonly failure: ToolFailure;
  /** The command as it would be typed, secrets redacted. */
  readonly command: string;
  readonly executable?: string;
  readonly exitCode?: number;
  readonly signal?: NodeJS.Signals;
  readonly timeoutMs?: number;
  /** The end of stderr, secrets redacted. */
  readonly stderrTail: string;
  /** What was searched for a `not-found` failure. */
  readonly searched?: readonly string[];
  /** What the user can do about it, when the wrapper knows. */
  readonly hint?: string;
  readonly cause?: unknown;
}

/** A failed run of an external program, with what is needed to diagnose it and nothing secret. */
export class ToolError extends Error {
  public readonly program: string;
  public readonly failure: ToolFailure;
  public readonly command: string;
  public readonly executable?: string;
  public readonly exitCode?: number;
  public readonly signal?: NodeJS.Signals;
  public readonly stderrTail: string;
  public readonly hint?: string;
  /** Everything the error was built from. */
  public readonly details: ToolErrorDetails;

  constructor(details: ToolErrorDetails) {
    super(formatToolError(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ToolError';
    this.program = details.program;
    this.failure = details.failure;
    this.command = details.command;
    this.executable = details.executable;
    this.exitCode = details.exitCode;
    this.signal = details.signal;
    this.stderrTail = details.stderrTail;
    this.hint = details.hint;
    this.details = details;
  }

  /** The same failure, with advice added to the message. */
  withHint(hint: string): ToolError {
    return new ToolError({ ...this.details, hint, cause: this.details.cause });
  }
}

const DEFAULT_KILL_GRACE_MS = 5_000;
const DEFAULT_MAX_STDOUT_BYTES = 64 * 1024 * 1024;
/** stderr kept in memory for diagnostics. */
const STDERR_KEEP_BYTES = 256 * 1024;
/** stderr quoted in an error message. */
const STDERR_TAIL_LINES = 40;
const STDERR_TAIL_CHARS = 8 * 1024;
/** After the program exits, how long a descendant holding its pipes may keep them open. */
const DRAIN_AFTER_EXIT_MS = 2_000;

/**
 * Runs an external program. The child stays in this process's process group, so when the Pulumi engine
 * interrupts the plugin's group (SIGINT, then SIGKILL after 5 s) the child and everything it started are
 * interrupted too. On our own timeout or abort we send SIGTERM to the child and every descendant, then SIGKILL to
 * whatever is left after the grace period. A non-zero exit, a timeout or an abort rejects with a {@link ToolError}.
 */
export async function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  const redactor = new Redactor(collectSecrets(spec));
  const program = path.basename(spec.program);
  const command = displayCommand(program, spec.args, redactor);
  const fail = (details: Omit<ToolErrorDetails, 'program' | 'command'>) =>
    new ToolError({ program, command, ...details });

  if (spec.signal?.aborted) {
    throw fail({ failure: 'aborted', stderrTail: '', cause: spec.signal.reason });
  }

  const env = effectiveEnv(spec);
  const cwd = spec.cwd ?? process.cwd();
  const lookup = await findExecutable(spec.program, { pathEnv: env.PATH, cwd });
  if (lookup.path === undefined) {
    return Promise.reject(
      fail({ failure: 'not-found', stderrTail: '', searched: lookup.searched.map((p) => path.dirname(p)) }),
    );
  }
  const executable = lookup.path;

  return new Promise<ProcessResult>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(executable, spec.args.map(revealed), {
      cwd,
      env,
      stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      // Not detached: the child shares our process group, so the host's interrupt reaches it.
      detached: false,
      windowsHide: true,
    });
    // Both are pipes by construction.
    const stdout = child.stdout!;
    const stderr = child.stderr!;

    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    const stderrTail = new TailBuffer(STDERR_KEEP_BYTES);
    const emit = (line: string, stream: OutputStream) => {
      if (!spec.onOutput) {
        return;
      }
      try {
        spec.onOutput(redactor.redact(line), stream);
      } catch {
        // A failing progress listener must not break the run.
      }
    };
    const stdoutLines = new LineSplitter((line) => emit(line, 'stdout'));
    const stderrLines = new LineSplitter((line) => emit(line, 'stderr'));

    let termination: { failure: ToolFailure; cause?: unknown } | undefined;
    let killing: Promise<void> | undefined;
    let spawnError: Error | undefined;
    let exited = false;
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;

    const terminate = (failure: ToolFailure, cause?: unknown) => {
      if (termination !== undefined || exited) {
        return;
      }
      termination = { failure, cause };
      killing = killTree(child.pid, () => exited, spec.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    };

    const timer =
      spec.timeoutMs !== undefined
        ? setTimeout(() => terminate('timeout'), Math.max(0, spec.timeoutMs))
        : undefined;
    const onAbort = () => terminate('aborted', spec.signal?.reason);
    spec.signal?.addEventListener('abort', onAbort, { once: true });

    stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > (spec.maxStdoutBytes ?? DEFAULT_MAX_STDOUT_BYTES)) {
        terminate('output-limit');
        return;
      }
      stdoutChunks.push(chunk);
      if (!spec.stdoutIsSecret) {
        stdoutLines.push(chunk);
      }
    });
    stderr.on('data', (chunk: Buffer) => {
      stderrTail.push(chunk);
      stderrLines.push(chunk);
    });
    if (child.stdin) {
      // The program may exit without reading its input; that is its business, not an error of ours.
      child.stdin.on('error', () => undefined);
      child.stdin.end(spec.stdin);
    }

    const finish = async () => {
      if (settled) {
        return;
      }
      settled = true;
      if (timer) {
        clearTimeout(timer);
      }
      if (drainTimer) {
        clearTimeout(drainTimer);
      }
      spec.signal?.removeEventListener('abort', onAbort);
      stdoutLines.end();
      stderrLines.end();
      if (killing) {
        // Settle only once every descendant we signalled is gone, so callers never race a dying tree.
        await killing;
      }
      const stderrText = redactor.redact(stderrTail.text());
      const details = { executable, stderrTail: tailOf(stderrText) };
      if (spawnError) {
        reject(fail({ ...details, failure: 'spawn-failed', cause: spawnError }));
      } else if (termination) {
        reject(
          fail({
            ...details,
            failure: termination.failure,
            cause: termination.cause,
            timeoutMs: spec.timeoutMs,
            exitCode: exitCode ?? undefined,
            signal: exitSignal ?? undefined,
          }),
        );
      } else if (exitSignal !== null) {
        reject(fail({ ...details, failure: 'signal', signal: exitSignal }));
      } else if (exitCode !== 0) {
        reject(fail({ ...details, failure: 'exit', exitCode: exitCode ?? undefined }));
      } else {
        resolve({
          stdout: Buffer.concat(stdoutChunks).toString('utf8'),
          stderr: stderrText,
          executable,
          durationMs: performance.now() - started,
        });
      }
    };

    child.on('error', (error) => {
      // Emitted when the spawn itself fails (EACCES, ENOEXEC, …); 'close' may or may not follow.
      spawnError = error;
      exited = true;
      void finish();
    });
    child.on('exit', (code, signal) => {
      exited = true;
      exitCode = code;
      exitSignal = signal;
      // A descendant that inherited our pipes can hold them open after the child is gone; do not wait forever.
      drainTimer = setTimeout(() => {
        stdout.destroy();
        stderr.destroy();
        void finish();
      }, DRAIN_AFTER_EXIT_MS);
    });
    child.on('close', () => void finish());
  });
}

/**
 * SIGTERM to the child and every descendant, then SIGKILL to whatever of them still lives after `graceMs`.
 * The tree is captured before signalling, because a descendant whose parent dies is re-parented and would no longer
 * be found under the child.
 */
async function killTree(
  rootPid: number | undefined,
  rootExited: () => boolean,
  graceMs: number,
): Promise<void> {
  if (rootPid === undefined) {
    return;
  }
  const captured = descendantsOf(rootPid, await readProcessTable());
  signalPid(rootPid, 'SIGTERM');
  for (const entry of captured) {
    signalPid(entry.pid, 'SIGTERM');
  }
  const deadline = performance.now() + graceMs;
  for (;;) {
    const alive = await aliveOf(captured);
    if (rootExited() && alive.length === 0) {
      return;
    }
    const remaining = deadline - performance.now();
    if (remaining <= 0) {
      break;
    }
    await sleep(Math.min(50, remaining));
  }
  // Anything started during the grace period by a survivor is caught by re-reading the table.
  const table = await readProcessTable();
  const survivors = await aliveOf(captured);
  const late = [rootPid, ...survivors.map((s) => s.pid)].flatMap((pid) => descendantsOf(pid, table));
  if (!rootExited()) {
    signalPid(rootPid, 'SIGKILL');
  }
  for (const entry of [...survivors, ...late]) {
    signalPid(entry.pid, 'SIGKILL');
  }
}

async function aliveOf(entries: readonly ProcessEntry[]): Promise<ProcessEntry[]> {
  const flags = await Promise.all(entries.map((e) => isSameProcessAlive(e)));
  return entries.filter((_, i) => flags[i]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function collectSecrets(spec: ProcessSpec): string[] {
  const values: string[] = [...(spec.secrets ?? [])];
  for (const arg of spec.args) {
    if (isSecret(arg)) {
      values.push(arg.secret);
    }
  }
  for (const value of Object.values(spec.env ?? {})) {
    if (value !== undefined && isSecret(value)) {
      values.push(value.secret);
    }
  }
  return values;
}

function effectiveEnv(spec: ProcessSpec): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = spec.inheritEnv === false ? {} : { ...process.env };
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    if (value === undefined) {
      delete env[name];
    } else {
      env[name] = revealed(value);
    }
  }
  return env;
}

/** The command line as a user would type it in a POSIX shell, with secrets replaced. */
export function displayCommand(program: string, args: readonly MaybeSecret[], redactor?: Redactor): string {
  const shown = args.map((arg) =>
    isSecret(arg) ? REDACTED : shellQuote(redactor ? redactor.redact(arg) : arg),
  );
  return [shellQuote(program), ...shown].join(' ');
}

function shellQuote(word: string): string {
  if (word.length > 0 && /^[A-Za-z0-9_\-./:=@%+,]+$/.test(word)) {
    return word;
  }
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function tailOf(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  let tail = lines.slice(-STDERR_TAIL_LINES).join('\n');
  if (tail.length > STDERR_TAIL_CHARS) {
    tail = '…' + tail.slice(tail.length - STDERR_TAIL_CHARS);
  }
  return tail;
}

function formatToolError(d: ToolErrorDetails): string {
  let head: string;
  switch (d.failure) {
    case 'not-found':
      head = `${d.program}: not found${d.searched && d.searched.length > 0 ? ` (searched ${d.searched.join(', ')})` : ''}`;
      break;
    case 'spawn-failed':
      head = `${d.command}: could not be started: ${d.cause instanceof Error ? d.cause.message : String(d.cause)}`;
      break;
    case 'exit':
      head = `${d.command}: exited with code ${d.exitCode}`;
      break;
    case 'signal':
      head = `${d.command}: killed by ${d.signal}`;
      break;
    case 'timeout':
      head = `${d.command}: timed out after ${formatDuration(d.timeoutMs ?? 0)} and was stopped`;
      break;
    case 'aborted':
      head = `${d.command}: cancelled and stopped`;
      break;
    case 'output-limit':
      head = `${d.command}: printed more output than allowed and was stopped`;
      break;
  }
  const parts = [head];
  if (d.stderrTail.trim().length > 0) {
    parts.push(
      `stderr (last lines):\n${d.stderrTail
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n')}`,
    );
  }
  if (d.hint) {
    parts.push(`hint: ${d.hint}`);
  }
  return parts.join('\n');
}

/** `90000` → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${ms}ms`;
  }
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''].join('');
}

/** Keeps the last `limit` bytes written to it. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

/** Turns a byte stream into lines (UTF-8 safe across chunk boundaries). */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    this.pending += this.decoder.write(chunk);
    let newline = this.pending.indexOf('\n');
    while (newline >= 0) {
      this.onLine(this.pending.slice(0, newline).replace(/\r$/, ''));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf('\n');
    }
  }

  end(): void {
    this.pending += this.decoder.end();
    if (this.pending.length > 0) {
      this.onLine(this.pending);
      this.pending = '';
    }
  }
}
