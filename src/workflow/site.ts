import { httpConnector, type ClusterConnector } from './cluster-connection';
import { textFetcher, type TextFetcher } from './fetch-text';
import { LocalFileStore, type FileStore } from './file-store';
import { MemoryJournal, type StepJournal } from './journal';
import { consoleLogger, type WorkflowLogger } from './logger';
import type { FetchFunction } from '../spec/bundles/versions-bundles';
import { preflight as realPreflight, type Preflight } from '../tools/preflight';
import { systemClock } from '../tools/retry-policy';
import { createTools, type Tools, type ToolsOptions } from '../tools/tools';

/** Time as the workflow sees it. */
export interface WorkflowClock {
  /** Milliseconds on a monotonic scale (durations, deadlines). */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Wall-clock time (names of diagnostics folders). */
  date(): Date;
}

export const systemWorkflowClock: WorkflowClock = {
  now: () => systemClock.now(),
  sleep: (ms, signal) => systemClock.sleep(ms, signal),
  date: () => new Date(),
};

/**
 * Everything the workflow touches: the programs it runs, the clusters it talks to, the files it writes, time, the
 * environment and where it reports. The real site ({@link createLocalSite}) runs the real programs; tests pass the
 * simulated site's programs and preflight, and keep the rest (its clusters speak HTTP like real ones).
 */
export interface Site {
  readonly tools: Tools;
  /** Checks the programs a run needs before anything is created. */
  readonly preflight: Preflight;
  /** Opens a connection to a cluster from its kubeconfig. */
  readonly connect: ClusterConnector;
  /** The working directory: `<c>/…` and `<c>/generated/…` live under it. */
  readonly files: FileStore;
  /** For the versions bundles (Bundles and EKS-D release manifests). */
  readonly fetch: FetchFunction;
  /** Reads the manifests the versions bundle names (provider components, EKS-A components, CRDs). */
  readonly fetchText: TextFetcher;
  readonly clock: WorkflowClock;
  readonly logger: WorkflowLogger;
  /** Credentials and settings EKS-A reads from the environment (registry, GitOps, curated packages, providers). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The steps every phase ran, in order. */
  readonly journal: StepJournal;
  /** Stops the run: waits, programs and requests end with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Options of {@link createLocalSite}; every part can be replaced (tests replace tools and preflight). */
export interface LocalSiteOptions {
  /** @default process.cwd() */
  readonly workDir?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The real programs are made with these options when `tools` is not given. */
  readonly toolOptions?: Omit<ToolsOptions, 'cwd' | 'env'>;
  /** @default the real programs on PATH (createTools) */
  readonly tools?: Tools;
  /** @default the real preflight (tools/preflight) */
  readonly preflight?: Preflight;
  /** @default HttpKubeClient for each kubeconfig */
  readonly connect?: ClusterConnector;
  /** @default files under workDir */
  readonly files?: FileStore;
  /** @default globalThis.fetch */
  readonly fetch?: FetchFunction;
  readonly fetchText?: TextFetcher;
  /** @default the system clock */
  readonly clock?: WorkflowClock;
  /** @default console */
  readonly logger?: WorkflowLogger;
  /** @default a new in-memory journal */
  readonly journal?: StepJournal;
  readonly signal?: AbortSignal;
}

/** A site on this machine: the real programs, HTTP clients from kubeconfigs, files under the working directory. */
export function createLocalSite(options: LocalSiteOptions = {}): Site {
  const files = options.files ?? new LocalFileStore(options.workDir ?? process.cwd());
  const env = options.env ?? process.env;
  const fetch = options.fetch ?? (globalThis.fetch as unknown as FetchFunction);
  return {
    tools:
      options.tools ??
      createTools({
        ...options.toolOptions,
        cwd: files.root,
        // The programs inherit this process's environment; a site environment of its own is added on top.
        ...(options.env ? { env: definedEntries(options.env) } : {}),
      }),
    preflight: options.preflight ?? realPreflight,
    connect: options.connect ?? httpConnector((relative) => files.resolve(relative)),
    files,
    fetch,
    fetchText: options.fetchText ?? textFetcher(fetch, files.root),
    clock: options.clock ?? systemWorkflowClock,
    logger: options.logger ?? consoleLogger,
    env,
    journal: options.journal ?? new MemoryJournal(),
    signal: options.signal,
  };
}

function definedEntries(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
