import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { LogRecord } from './pulumi-engine-types';

type Level = LogRecord['level'];
type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';
const METHODS: Record<ConsoleMethod, Level> = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
};

/** Which resource's handler is running, so that console lines can be attributed to it. */
export const currentResource = new AsyncLocalStorage<string>();

/**
 * Captures console output while a run executes. Handlers reach the CLI only through the console (the dynamic
 * provider host forwards it), so this is what a user would see. Both the current realm's console and Node's own are
 * patched: under jest they differ, and handler code loaded by require-from-string runs in Node's realm.
 */
export function captureConsole(
  sink: (level: Level, message: string, urn?: string) => void,
  echo: boolean,
): () => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const consoles = new Set<Console>([globalThis.console, require('node:console') as Console]);
  const restore: Array<() => void> = [];
  for (const target of consoles) {
    for (const [method, level] of Object.entries(METHODS) as Array<[ConsoleMethod, Level]>) {
      const original = target[method];
      target[method] = (...args: unknown[]) => {
        sink(level, format(...args), currentResource.getStore());
        if (echo) original.apply(target, args);
      };
      restore.push(() => {
        target[method] = original;
      });
    }
  }
  return () => restore.forEach((undo) => undo());
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs one engine operation at a time in this process. The Pulumi SDK keeps its settings in process-wide state, so
 * two engines (or two runs of one) must not interleave.
 */
export function exclusive<T>(operation: () => Promise<T>): Promise<T> {
  const result = queue.then(operation, operation);
  queue = result.catch(() => undefined);
  return result;
}

interface StateModule {
  withLocalStorage?: <T>(callback: () => Promise<T>) => Promise<T>;
}

/**
 * Runs `callback` with a fresh Pulumi runtime store (settings, monitor, config, stack resource), as the Automation
 * API does for inline programs, so a run neither sees nor leaves behind the settings of other runs or of the
 * caller's own `setMocks`. Falls back to the global store on SDKs without it.
 */
export async function withFreshRuntimeStore<T>(callback: () => Promise<T>): Promise<T> {
  let state: StateModule = {};
  try {
    // An internal module of @pulumi/pulumi (runtime/state.js); present since the SDK moved to async local stores.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    state = require('@pulumi/pulumi/runtime/state') as StateModule;
  } catch {
    state = {};
  }
  const globals = globalThis as { stackResource?: unknown };
  const savedStack = globals.stackResource;
  try {
    return state.withLocalStorage ? await state.withLocalStorage(callback) : await callback();
  } finally {
    globals.stackResource = savedStack;
  }
}
