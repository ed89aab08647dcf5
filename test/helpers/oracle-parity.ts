/**
 * Runs one case of an EKS-A oracle folder (../shared/oracle/<provider>) through the CLI's argv with exactly the
 * case's environment and compares the written CAPI file with EKS-A's golden file under the folder README's rules
 * (manifest-compare). Shared by the parity tests of every provider.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileMode, runCli, tempDir, type CliRun } from './cli-runner';
import {
  compareManifestTexts,
  type CompareResult,
  type CompareScope,
  type MatchMode,
} from './manifest-compare';

/** One entry of an oracle folder's cases.json. */
export interface OracleCase {
  readonly case: string;
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly expected: string;
  readonly match: MatchMode;
  readonly scope: CompareScope;
  readonly output: string;
  readonly contract: string;
}

/** What running a case produced. */
export interface OracleRun {
  readonly run: CliRun;
  /** The written CAPI file, when the command succeeded. */
  readonly generated?: string;
  /** Permission bits of the written CAPI file. */
  readonly mode?: number;
  readonly comparison?: CompareResult;
}

/** The cases of an oracle folder. */
export function oracleCases(folder: string): OracleCase[] {
  return JSON.parse(readFileSync(path.join(folder, 'cases.json'), 'utf8')) as OracleCase[];
}

/** Runs a case in `folder` (argv paths are relative to it; `OUT` is a fresh temporary folder). */
export async function runOracleCase(folder: string, c: OracleCase): Promise<OracleRun> {
  const out = tempDir('parity');
  try {
    const argv = c.argv.map((a) => (a === 'OUT' ? out.dir : a));
    // Nothing is written to the oracle folder: --out is the temporary folder.
    const run = await runCli(argv, { cwd: folder, env: c.env });
    if (run.code !== 0) return { run };
    const file = c.output.replace(/^OUT/, out.dir);
    const generated = readFileSync(file, 'utf8');
    const expected = readFileSync(path.join(folder, c.expected), 'utf8');
    const comparison = compareManifestTexts(expected, generated, { match: c.match, scope: c.scope });
    return { run, generated, mode: fileMode(file), comparison };
  } finally {
    out.remove();
  }
}
