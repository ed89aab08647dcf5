import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { HttpKubeClient } from '../../../kube/client';
import { errorText } from '../../../tools/error-text';
import { SimulatedCluster } from '../simulated-cluster';
import { ProgramCall, ProgramExit } from '../simulated-runner';
import { SiteRuntime } from '../site-runtime';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

export interface ParsedFlags {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

/**
 * Parses a subcommand's flags strictly, failing as cobra-based programs do (`Error: unknown flag: --x`), so that a
 * wrapper passing a flag the real program does not know fails here too.
 */
export function parseFlags(args: readonly string[], flags: FlagSpec, errorPrefix = 'Error: '): ParsedFlags {
  try {
    const parsed = parseArgs({ args: [...args], options: flags, strict: true, allowPositionals: true });
    return { values: parsed.values as ParsedFlags['values'], positionals: parsed.positionals };
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new ProgramExit(`${errorPrefix}unknown flag: ${unknown[1]}`);
    const missing = /Option '(-\S+)/.exec(message);
    if (missing) {
      throw new ProgramExit(`${errorPrefix}flag needs an argument: ${missing[1].replace(/[,<].*$/, '')}`);
    }
    throw new ProgramExit(`${errorPrefix}${message}`);
  }
}

export function str(flags: ParsedFlags, name: string): string | undefined {
  const v = flags.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(flags: ParsedFlags, name: string): string[] {
  const v = flags.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function bool(flags: ParsedFlags, name: string): boolean {
  return flags.values[name] === true;
}

export function required(flags: ParsedFlags, name: string, prefix = 'Error: '): string {
  const v = str(flags, name);
  if (v === undefined || v === '') throw new ProgramExit(`${prefix}required flag(s) "${name}" not set`);
  return v;
}

/** A path from argv, resolved against the run's working directory. */
export function resolvePath(call: ProgramCall, p: string): string {
  return path.resolve(call.cwd, p);
}

export async function readFileOr(file: string, fail: (reason: string) => string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProgramExit(
      fail(code === 'ENOENT' ? `open ${file}: no such file or directory` : errorText(error)),
    );
  }
}

/** A connection a simulated program opens from a kubeconfig file, as the real program would. */
export interface ToolConnection {
  readonly client: HttpKubeClient;
  /** The simulated cluster the kubeconfig reaches. */
  readonly cluster: SimulatedCluster;
  close(): void;
}

/**
 * Connects to the cluster of a kubeconfig file with the library's own client (so the program's traffic is
 * ordinary HTTP the servers log and fault-inject), and checks that it answers. `describe` words the failure the
 * way the real program does.
 */
export async function connectTool(
  runtime: SiteRuntime,
  call: ProgramCall,
  kubeconfigPath: string,
  component: string,
  describe: (reason: string) => string,
): Promise<ToolConnection> {
  const file = resolvePath(call, kubeconfigPath);
  await readFileOr(file, describe);
  let client: HttpKubeClient;
  try {
    client = await HttpKubeClient.connect({
      kubeconfig: { file },
      userAgent: component,
      fieldManager: component,
      retry: {
        read: { initialDelayMs: 5, factor: 2, steps: 3, jitter: 0 },
        write: { initialDelayMs: 5, factor: 2, steps: 3, jitter: 0 },
      },
      requestTimeoutMs: 30_000,
    });
  } catch (error) {
    throw new ProgramExit(describe(errorText(error)));
  }
  try {
    await client.list('v1', 'Namespace', { limit: 1 });
  } catch (error) {
    client.close();
    throw new ProgramExit(describe(errorText(error)));
  }
  const cluster = runtime.clusterAtHostUrl(client.connection.server.toString());
  if (!cluster) {
    client.close();
    throw new ProgramExit(
      describe(`${client.connection.server.origin} is not a cluster of this simulated site`),
    );
  }
  return { client, cluster, close: () => client.close() };
}
