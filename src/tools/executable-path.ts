import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Where a program was looked for, and what was found. */
export interface ExecutableLookup {
  /** Absolute path of the executable, when one was found. */
  readonly path?: string;
  /** The places that were searched, in order (for "not found" messages). */
  readonly searched: readonly string[];
}

/**
 * Finds a program the way a shell would: a name with a slash is taken as a path (relative to `cwd`), a bare name
 * is looked up in each directory of `PATH`. Only regular files the current user may execute count.
 */
export async function findExecutable(
  program: string,
  options: { readonly pathEnv?: string; readonly cwd?: string } = {},
): Promise<ExecutableLookup> {
  const cwd = options.cwd ?? process.cwd();
  if (program.includes('/')) {
    const candidate = path.resolve(cwd, program);
    return { path: (await isExecutableFile(candidate)) ? candidate : undefined, searched: [candidate] };
  }
  const dirs = (options.pathEnv ?? process.env.PATH ?? '').split(path.delimiter).filter((d) => d.length > 0);
  const searched: string[] = [];
  for (const dir of dirs) {
    const candidate = path.resolve(cwd, dir, program);
    searched.push(candidate);
    if (await isExecutableFile(candidate)) {
      return { path: candidate, searched };
    }
  }
  return { searched };
}

async function isExecutableFile(candidate: string): Promise<boolean> {
  try {
    const stat = await fs.stat(candidate);
    if (!stat.isFile()) {
      return false;
    }
    await fs.access(candidate, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
