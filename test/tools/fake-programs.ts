import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What a fake program does when its argv starts with `match` (the first matching rule wins). */
export interface FakeRule {
  readonly match?: readonly string[];
  readonly stdout?: string;
  readonly stderr?: string;
  /** Print this many bytes of `x` on stdout. */
  readonly stdoutBytes?: number;
  readonly exitCode?: number;
  readonly sleepMs?: number;
  /** Keep running after SIGTERM. */
  readonly ignoreTerm?: boolean;
  /** Start a long-running grandchild (which inherits stdout) and record its PID. */
  readonly grandchild?: { readonly ignoreTerm?: boolean };
  /** Echo stdin back on stdout. */
  readonly echoStdin?: boolean;
  /** Per-call behaviour: the n-th matching call uses entry n (the last entry repeats). */
  readonly sequence?: readonly Omit<FakeRule, 'match' | 'sequence'>[];
}

/** One recorded invocation of a fake program. */
export interface FakeCall {
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly stdin: string;
  readonly cwd: string;
  readonly pid: number;
  readonly pgid: number;
}

// The fake itself: a plain Node script with a shebang, so the runner starts it like any real executable.
const FAKE_SOURCE = `#!${process.execPath}
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const name = path.basename(__filename);
const dir = __dirname;
const argv = process.argv.slice(2);
let stdin = '';
try { stdin = fs.readFileSync(0, 'utf8'); } catch (e) {}
const pgidOf = (pid) => {
  try { return Number(fs.readFileSync('/proc/' + pid + '/stat', 'utf8').split(')').pop().trim().split(/\\s+/)[2]); }
  catch (e) { return -1; } // no /proc (macOS): the process-group tests are skipped there
};
fs.appendFileSync(path.join(dir, name + '.calls.jsonl'), JSON.stringify({
  argv, env: process.env, stdin, cwd: process.cwd(), pid: process.pid, pgid: pgidOf(process.pid),
}) + '\\n');
const rules = JSON.parse(fs.readFileSync(path.join(dir, name + '.rules.json'), 'utf8'));
let rule = rules.find((r) => !r.match || r.match.every((m, i) => argv[i] === m)) || {};
if (rule.sequence) {
  const counter = path.join(dir, name + '.' + rules.indexOf(rule) + '.count');
  const n = fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0;
  fs.writeFileSync(counter, String(n + 1));
  rule = rule.sequence[Math.min(n, rule.sequence.length - 1)];
}
if (rule.ignoreTerm) process.on('SIGTERM', () => {});
if (rule.grandchild) {
  const code = (rule.grandchild.ignoreTerm ? 'process.on("SIGTERM", () => {});' : '') + 'setInterval(() => {}, 1000);';
  const gc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit'] });
  fs.writeFileSync(path.join(dir, name + '.grandchild.pid'), String(gc.pid));
}
if (rule.stdout) process.stdout.write(rule.stdout);
if (rule.stdoutBytes) process.stdout.write('x'.repeat(rule.stdoutBytes));
if (rule.echoStdin) process.stdout.write(stdin);
if (rule.stderr) process.stderr.write(rule.stderr);
fs.writeFileSync(path.join(dir, name + '.ready'), '1');
setTimeout(() => process.exit(rule.exitCode || 0), rule.sleepMs || 0);
`;

/** A temporary directory of fake executables, put first on PATH by {@link FakePrograms.env}. */
export class FakePrograms {
  static async create(): Promise<FakePrograms> {
    return new FakePrograms(await fs.mkdtemp(path.join(os.tmpdir(), 'eksa-iac-fake-')));
  }

  private constructor(public readonly dir: string) {}

  /** Installs (or re-programs) a fake named `name`; returns its path. */
  async install(name: string, rules: readonly FakeRule[]): Promise<string> {
    const file = path.join(this.dir, name);
    await fs.writeFile(file, FAKE_SOURCE, { mode: 0o755 });
    await fs.writeFile(path.join(this.dir, `${name}.rules.json`), JSON.stringify(rules));
    await fs.rm(path.join(this.dir, `${name}.calls.jsonl`), { force: true });
    for (const entry of await fs.readdir(this.dir)) {
      if (entry.startsWith(`${name}.`) && entry.endsWith('.count')) {
        await fs.rm(path.join(this.dir, entry), { force: true });
      }
    }
    return file;
  }

  async calls(name: string): Promise<FakeCall[]> {
    let text: string;
    try {
      text = await fs.readFile(path.join(this.dir, `${name}.calls.jsonl`), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as FakeCall);
  }

  /** Argv of every call, in order. */
  async argvs(name: string): Promise<string[][]> {
    return (await this.calls(name)).map((c) => c.argv);
  }

  async grandchildPid(name: string): Promise<number> {
    return Number(await fs.readFile(path.join(this.dir, `${name}.grandchild.pid`), 'utf8'));
  }

  /** Environment overrides that put the fakes first on PATH. */
  env(): Record<string, string> {
    return { PATH: `${this.dir}${path.delimiter}${process.env.PATH ?? ''}` };
  }

  async cleanup(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** Whether a PID names a live process (zombies count as dead: nobody may reap them in a container). */
export function isAlive(pid: number): boolean {
  if (process.platform !== 'linux') {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.split(')').pop()!.trim().split(/\s+/)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Process-group assertions read /proc, which only Linux has. */
export const linuxOnlyTest = process.platform === 'linux' ? test : test.skip;

/** The process group of this (test) process. */
export function ownProcessGroup(): number {
  return Number(readFileSync('/proc/self/stat', 'utf8').split(')').pop()!.trim().split(/\s+/)[2]);
}

/** Polls until `predicate` holds or `timeoutMs` passes. */
export async function eventually(predicate: () => boolean, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) {
      return true;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return predicate();
}
