import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** How a file is written. */
export interface WriteOptions {
  /** The content is secret (a kubeconfig, credentials): the file is made readable by its owner only (0600). */
  readonly secret?: boolean;
}

/**
 * The files of a run, under the working directory (EKS-A's writer root: `<c>/…` and `<c>/generated/…`). Paths are
 * relative to {@link FileStore.root}; a path that leaves the root is refused. Writes are atomic (a temporary file
 * renamed into place), so a crash never leaves half a kubeconfig behind.
 */
export interface FileStore {
  /** Absolute path of the working directory. */
  readonly root: string;
  /** The absolute path of a relative one. */
  resolve(relative: string): string;
  readText(relative: string): Promise<string | undefined>;
  /** Writes the file (creating its directory): 0600 when secret, else 0644. */
  writeText(relative: string, content: string, options?: WriteOptions): Promise<void>;
  exists(relative: string): Promise<boolean>;
  /** Moves a file; the target is replaced. A secret file stays 0600. */
  rename(from: string, to: string, options?: WriteOptions): Promise<void>;
  /** Removes a file or directory tree; a missing one is not an error. */
  remove(relative: string): Promise<void>;
  /** Names in a directory (empty when it does not exist). */
  list(relative: string): Promise<string[]>;
  /** The mode bits (e.g. 0o600) of a file, or undefined when it does not exist. */
  mode(relative: string): Promise<number | undefined>;
}

export const SECRET_FILE_MODE = 0o600;
export const PLAIN_FILE_MODE = 0o644;

/** Files on the local disk, rooted at `root`. */
export class LocalFileStore implements FileStore {
  public readonly root: string;

  public constructor(root: string) {
    this.root = path.resolve(root);
  }

  public resolve(relative: string): string {
    const absolute = path.resolve(this.root, relative);
    if (absolute !== this.root && !absolute.startsWith(this.root + path.sep)) {
      throw new Error(`file store: '${relative}' is outside the working directory ${this.root}`);
    }
    return absolute;
  }

  public async readText(relative: string): Promise<string | undefined> {
    try {
      return await fs.readFile(this.resolve(relative), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  public async writeText(relative: string, content: string, options: WriteOptions = {}): Promise<void> {
    const target = this.resolve(relative);
    const mode = options.secret ? SECRET_FILE_MODE : PLAIN_FILE_MODE;
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    // The mode is set at creation, so a secret is never readable by others, not even for a moment.
    await fs.writeFile(temporary, content, { mode });
    // …and again, because the umask may have taken bits away from the plain mode.
    await fs.chmod(temporary, mode);
    await fs.rename(temporary, target);
  }

  public async exists(relative: string): Promise<boolean> {
    try {
      await fs.stat(this.resolve(relative));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  public async rename(from: string, to: string, options: WriteOptions = {}): Promise<void> {
    const source = this.resolve(from);
    const target = this.resolve(to);
    if (options.secret) await fs.chmod(source, SECRET_FILE_MODE);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(source, target);
  }

  public async remove(relative: string): Promise<void> {
    await fs.rm(this.resolve(relative), { recursive: true, force: true });
  }

  public async list(relative: string): Promise<string[]> {
    try {
      return (await fs.readdir(this.resolve(relative))).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  public async mode(relative: string): Promise<number | undefined> {
    try {
      // The permission bits (the low nine): what `ls -l` shows.
      return (await fs.stat(this.resolve(relative))).mode % 0o1000;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}
