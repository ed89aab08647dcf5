import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VersionsBundlesError } from './errors';
import type { FetchFunction } from './versions-bundles';

/** Downloads give up after this long; release files are small. */
export const DOWNLOAD_TIMEOUT_MS = 60_000;

export function isHttpUrl(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}

/** `scheme://…` (a Windows drive path such as `C:\x` has no `//` and is a file). */
export function urlScheme(ref: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(ref)?.[1]?.toLowerCase();
}

/**
 * The file name a manifest URL or path ends in, used to match it against given files:
 * `embed:///testdata/kubernetes-1-21-eks-4.yaml` and `https://…/kubernetes-1-21-eks-4.yaml?x=1` both give
 * `kubernetes-1-21-eks-4.yaml`.
 */
export function manifestFileName(ref: string): string {
  const withoutQuery = urlScheme(ref) ? ref.replace(/[?#].*$/, '') : ref;
  return path.posix.basename(withoutQuery.replace(/\\/g, '/'));
}

export function resolveFetch(fetch: FetchFunction | undefined): FetchFunction {
  if (fetch) return fetch;
  if (typeof globalThis.fetch !== 'function') {
    throw new VersionsBundlesError('no fetch implementation is available (Node.js 18 or newer provides one)');
  }
  return (url, init) => globalThis.fetch(url, init);
}

/** Downloads a text file over http(s); failures name the URL and what it was for. */
export async function downloadText(url: string, what: string, fetch: FetchFunction): Promise<string> {
  let response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw new VersionsBundlesError(`could not download ${what} from ${url}: ${describeNetworkError(error)}`);
  }
  if (!response.ok) {
    throw new VersionsBundlesError(
      `could not download ${what} from ${url}: HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
  return response.text();
}

/** The message of an error and of its cause (fetch reports "fetch failed" and puts the reason in `cause`). */
function describeNetworkError(error: unknown): string {
  // Duck-typed: errors thrown by the runtime's fetch may come from another realm (e.g. under jest).
  const message = errorMessage(error);
  const cause = (error as { cause?: { message?: unknown; code?: unknown } } | undefined)?.cause;
  const detail = typeof cause?.message === 'string' && cause.message ? cause.message : cause?.code;
  return typeof detail === 'string' && !message.includes(detail) ? `${message} (${detail})` : message;
}

/** `error.message` for anything thrown, whatever realm it comes from. */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

export interface ReadOptions {
  readonly cwd: string;
  readonly fetch: FetchFunction;
  readonly offline: boolean;
}

/** Reads a file path, `file://` URL or (unless offline) http(s) URL; `what` names the content in errors. */
export async function readSource(ref: string, what: string, options: ReadOptions): Promise<string> {
  const scheme = urlScheme(ref);
  if (scheme === 'http' || scheme === 'https') {
    if (options.offline) {
      throw new VersionsBundlesError(
        `cannot download ${what} from ${ref}: offline. Download it on a connected machine and pass the file path.`,
      );
    }
    return downloadText(ref, what, options.fetch);
  }
  if (scheme !== undefined && scheme !== 'file') {
    throw new VersionsBundlesError(
      `cannot read ${what} from ${ref}: "${scheme}://" URLs cannot be downloaded (only http, https and file paths)`,
    );
  }
  return readLocalFile(scheme === 'file' ? fileURLToPath(ref) : path.resolve(options.cwd, ref), what, ref);
}

export function readLocalFile(file: string, what: string, shownAs: string = file): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(error);
    throw new VersionsBundlesError(`cannot read ${what} ${shownAs}: ${reason}`);
  }
}
