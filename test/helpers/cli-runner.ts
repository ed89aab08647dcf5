import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

/** Repository root (tests read ../shared relative to it, as CI does). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared');
export const DOCKER_ORACLE = path.join(SHARED, 'oracle', 'eksa-docker');
export const VSPHERE_ORACLE = path.join(SHARED, 'oracle', 'eksa-vsphere');
export const CURRENT_BUNDLES = path.join(SHARED, 'bundles');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `eksa-iac` in-process with exactly `env` (nothing inherited) in `cwd`. */
export async function runCli(
  argv: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd: options.cwd,
    // Offline: the tests never reach a network; the cache is a fresh temporary folder per run.
    env: {
      EKSA_IAC_OFFLINE: '1',
      EKSA_IAC_CACHE_DIR: path.join(options.cwd, '.no-cache'),
      ...(options.env ?? {}),
    },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `eksa-iac-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under `dir` (relative paths), to assert that nothing was written. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Permission bits of a file (e.g. 0o600). */
export function fileMode(file: string): number {
  return statSync(file).mode % 0o1000;
}
