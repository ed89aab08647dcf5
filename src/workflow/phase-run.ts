import type { ClusterConnection, ConnectOptions, KubeconfigSource } from './cluster-connection';
import { collectDiagnostics } from './diagnostics';
import { WaitFailedError, WorkflowError } from './errors';
import type { ClusterInputs } from './inputs';
import type { PhaseName, StepOutcome } from './journal';
import { redactingLogger, SecretRegistry, type WorkflowLogger } from './logger';
import { clusterPaths, type ClusterPaths } from './paths';
import { clusterNameOf, prepareCluster, type PrepareOptions, type PreparedCluster } from './prepare';
import type { Site } from './site';
import { DEFAULT_TIMEOUTS, type WorkflowTimeouts } from './timeouts';
import { WaitTimeoutError } from '../kube/errors';
import { errorText } from '../tools/error-text';

/** What a step may say about how it ended (it ends `done` unless it says otherwise). */
export interface StepControl {
  /** Nothing needed doing. */
  skipped(detail: string): void;
  /** What the step makes was there already and is taken over. */
  adopted(detail: string): void;
  /** The step failed but the workflow goes on. */
  warning(detail: string): void;
  /** Adds a note to the journal entry. */
  note(detail: string): void;
}

/** The first step of every phase. */
export const VALIDATE_STEP = 'validate';

/** A cluster this phase talks to, kept for diagnostics. */
interface TrackedConnection {
  readonly label: string;
  readonly connection: ClusterConnection;
}

/**
 * One run of one phase: its logger (every line redacted and labelled), its steps (journaled, timed, failures turned
 * into a {@link WorkflowError} with diagnostics), and the clusters it connected to (closed at the end, and searched
 * for diagnostics when a step fails).
 */
export class PhaseRun {
  public readonly log: WorkflowLogger;
  private readonly connections: TrackedConnection[] = [];
  private diagnosticsWritten?: string;

  public constructor(
    public readonly site: Site,
    public readonly phase: PhaseName,
    public readonly clusterName: string,
    public readonly paths: ClusterPaths,
    public timeouts: WorkflowTimeouts,
    public readonly secrets: SecretRegistry = new SecretRegistry(),
  ) {
    this.log = redactingLogger(site.logger, secrets, `${phase} ${clusterName}`);
  }

  /** Registers a value that must never appear in logs, errors or non-secret files. */
  public secret(value: string | undefined): void {
    this.secrets.add(value);
  }

  /** Text with every registered secret removed. */
  public redact(text: string): string {
    return this.secrets.redact(text);
  }

  /**
   * Runs one step: logs its start, records it in the site's journal with its outcome and duration, and turns a
   * failure into a WorkflowError naming the phase, the step, what it waited for, and the diagnostics folder.
   */
  public async step<T>(name: string, run: (control: StepControl) => Promise<T>): Promise<T> {
    const started = this.site.clock.now();
    let outcome = 'done' as StepOutcome;
    const notes: string[] = [];
    const control: StepControl = {
      skipped: (d) => {
        outcome = 'skipped';
        notes.push(d);
      },
      adopted: (d) => {
        outcome = 'adopted';
        notes.push(d);
      },
      warning: (d) => {
        outcome = 'warning';
        notes.push(d);
      },
      note: (d) => notes.push(d),
    };
    this.log.debug?.(`step ${name}`);
    this.site.signal?.throwIfAborted();
    try {
      const result = await run(control);
      const detail = notes.length > 0 ? this.redact(notes.join('; ')) : undefined;
      this.journal(name, outcome, started, detail);
      if (outcome === 'warning') this.log.warn(`${name}: ${detail}`);
      else this.log.info(`${name}: ${outcome}${detail ? ` (${detail})` : ''}`);
      return result;
    } catch (error) {
      if (error instanceof WorkflowError) {
        this.journal(name, 'failed', started, error.failure.reason);
        throw error;
      }
      const failure = await this.fail(name, error);
      this.journal(name, 'failed', started, failure.failure.reason);
      throw failure;
    }
  }

  /** Connects to a cluster and keeps the connection for diagnostics and for closing at the end of the phase. */
  public async connect(
    label: string,
    source: KubeconfigSource,
    options?: ConnectOptions,
  ): Promise<ClusterConnection> {
    if ('yaml' in source) this.secret(source.yaml);
    const connection = await this.site.connect(source, options);
    this.connections.push({ label, connection });
    return connection;
  }

  /** Forgets (and closes) a connection, e.g. to a cluster about to be deleted. */
  public release(connection: ClusterConnection): void {
    const index = this.connections.findIndex((c) => c.connection === connection);
    if (index >= 0) this.connections.splice(index, 1);
    connection.close();
  }

  /** Closes every connection. */
  public close(): void {
    for (const { connection } of this.connections.splice(0)) connection.close();
  }

  /**
   * Runs a long operation (a program, a move), logging that it still runs at the progress interval, so that a
   * `kind create cluster` pulling images for minutes is not silence.
   */
  public async during<T>(what: string, operation: () => Promise<T>): Promise<T> {
    const started = this.site.clock.now();
    const timer = setInterval(() => {
      const seconds = Math.round((this.site.clock.now() - started) / 1000);
      this.log.info(`still running ${what} (${seconds}s elapsed)`);
    }, this.timeouts.progressIntervalMs);
    try {
      return await operation();
    } finally {
      clearInterval(timer);
    }
  }

  /** Options for kube waits: progress through the phase's logger at the configured interval, and the site's signal. */
  public waitOptions(description: string, timeoutMs: number) {
    return {
      timeoutMs,
      description,
      onProgress: (line: string) => this.log.info(line),
      progressIntervalMs: this.timeouts.progressIntervalMs,
      signal: this.site.signal,
    };
  }

  private journal(step: string, outcome: StepOutcome, started: number, detail?: string): void {
    this.site.journal.record({
      phase: this.phase,
      step,
      outcome,
      ...(detail ? { detail } : {}),
      durationMs: Math.round(this.site.clock.now() - started),
    });
  }

  private async fail(step: string, error: unknown): Promise<WorkflowError> {
    let waitedFor: string | undefined;
    let lastObserved: string | undefined;
    if (error instanceof WaitFailedError) {
      waitedFor = error.waitedFor;
      lastObserved = error.lastObserved;
    } else if (error instanceof WaitTimeoutError) {
      const match = /waiting for (.*?); last observed: (.*)$/s.exec(error.message);
      waitedFor = match?.[1];
      lastObserved = match?.[2];
    }
    let diagnosticsDir = this.diagnosticsWritten;
    // Nothing is written before validation passes, diagnostics included.
    if (!diagnosticsDir && step !== VALIDATE_STEP) {
      try {
        diagnosticsDir = await collectDiagnostics(this, this.connections, {
          failedStep: step,
          error: this.redact(errorText(error)),
        });
        this.diagnosticsWritten = diagnosticsDir;
      } catch (collectError) {
        this.log.warn(`collecting diagnostics failed: ${errorText(collectError)}`);
      }
    }
    const workflowError = new WorkflowError(
      {
        phase: this.phase,
        step,
        cluster: this.clusterName,
        reason: this.redact(errorText(error)),
        ...(waitedFor ? { waitedFor: this.redact(waitedFor) } : {}),
        ...(lastObserved ? { lastObserved: this.redact(lastObserved) } : {}),
        ...(diagnosticsDir ? { diagnosticsDir } : {}),
      },
      error,
    );
    this.log.error(workflowError.message);
    return workflowError;
  }
}

/** Options every phase takes besides its inputs. */
export interface PhaseOptions {
  /**
   * The cluster as an earlier phase of the same process validated it (`createCluster` validates once, with the
   * whole preflight, before the first phase). Not serializable: the Pulumi layer leaves it out.
   */
  readonly prepared?: PreparedCluster;
}

/**
 * Runs a phase: validation first (unless already done in this process), then `body`; connections are closed at the
 * end whatever happens.
 */
export async function runPhase<O>(
  site: Site,
  phase: PhaseName,
  inputs: ClusterInputs,
  options: PhaseOptions,
  prepareOptions: PrepareOptions,
  body: (run: PhaseRun, prepared: PreparedCluster) => Promise<O>,
): Promise<O> {
  const name = options.prepared?.clusterName ?? clusterNameOf(inputs);
  const run = new PhaseRun(
    site,
    phase,
    name,
    clusterPaths(name),
    options.prepared?.timeouts ?? DEFAULT_TIMEOUTS,
  );
  try {
    const prepared =
      options.prepared ?? (await run.step(VALIDATE_STEP, () => prepareCluster(run, inputs, prepareOptions)));
    run.timeouts = prepared.timeouts;
    return await body(run, prepared);
  } finally {
    run.close();
  }
}
