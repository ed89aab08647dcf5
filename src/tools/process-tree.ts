import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';

/** One process, with the start time that tells it apart from a later process that reuses its PID. */
export interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  /** Clock ticks since boot (Linux `/proc/<pid>/stat` field 22); undefined where it cannot be read. */
  readonly startTime?: string;
}

/**
 * The process table, read from `/proc` on Linux and from `ps` elsewhere. Children we start stay in our process
 * group (so an interrupt of the host reaches them), which means we cannot signal "their" group without signalling
 * ourselves; instead we signal the tree below the child, found here.
 */
export async function readProcessTable(): Promise<ProcessEntry[]> {
  const fromProc = await readProcTable();
  if (fromProc !== undefined) {
    return fromProc;
  }
  return readPsTable();
}

/** The descendants of `root` (not `root` itself), parents before children. */
export function descendantsOf(root: number, table: readonly ProcessEntry[]): ProcessEntry[] {
  const byParent = new Map<number, ProcessEntry[]>();
  for (const entry of table) {
    const siblings = byParent.get(entry.ppid);
    if (siblings) {
      siblings.push(entry);
    } else {
      byParent.set(entry.ppid, [entry]);
    }
  }
  const out: ProcessEntry[] = [];
  const queue = [root];
  const seen = new Set<number>([root]);
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const child of byParent.get(parent) ?? []) {
      if (!seen.has(child.pid)) {
        seen.add(child.pid);
        out.push(child);
        queue.push(child.pid);
      }
    }
  }
  return out;
}

/** Whether `entry` still names the same live process (a zombie counts as gone). */
export async function isSameProcessAlive(entry: ProcessEntry): Promise<boolean> {
  const stat = await readStat(entry.pid);
  if (stat !== undefined) {
    return stat.state !== 'Z' && (entry.startTime === undefined || stat.startTime === entry.startTime);
  }
  try {
    process.kill(entry.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to a PID, ignoring processes that are already gone. */
export function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone already, or not ours to signal: nothing more we can do.
  }
}

interface StatFields {
  readonly ppid: number;
  readonly state: string;
  readonly startTime: string;
}

async function readStat(pid: number): Promise<StatFields | undefined> {
  try {
    return parseStat(await fs.readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Parses `/proc/<pid>/stat`; the command name may contain spaces and parentheses, so split after the last ')'. */
function parseStat(text: string): StatFields | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) {
    return undefined;
  }
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state), fields[1] field 4 (ppid), fields[19] field 22 (starttime).
  const ppid = Number(fields[1]);
  if (!Number.isInteger(ppid) || fields.length < 20) {
    return undefined;
  }
  return { state: fields[0], ppid, startTime: fields[19] };
}

async function readProcTable(): Promise<ProcessEntry[] | undefined> {
  let names: string[];
  try {
    names = await fs.readdir('/proc');
  } catch {
    return undefined;
  }
  const pids = names.filter((n) => /^\d+$/.test(n)).map(Number);
  if (pids.length === 0) {
    return undefined;
  }
  const entries = await Promise.all(
    pids.map(async (pid) => {
      const stat = await readStat(pid);
      return stat === undefined ? undefined : { pid, ppid: stat.ppid, startTime: stat.startTime };
    }),
  );
  return entries.filter((e): e is { pid: number; ppid: number; startTime: string } => e !== undefined);
}

function readPsTable(): Promise<ProcessEntry[]> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { timeout: 5_000 }, (error, stdout) => {
      if (error) {
        resolve([]);
        return;
      }
      const entries: ProcessEntry[] = [];
      for (const line of stdout.split('\n')) {
        const [pid, ppid] = line.trim().split(/\s+/).map(Number);
        if (Number.isInteger(pid) && Number.isInteger(ppid)) {
          entries.push({ pid, ppid });
        }
      }
      resolve(entries);
    });
  });
}
