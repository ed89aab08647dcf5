import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FetchFunction } from '../spec/bundles/versions-bundles';

/** Reads a manifest the versions bundle names: an http(s) URL, a `file://` URL or a path. */
export type TextFetcher = (uri: string, signal?: AbortSignal) => Promise<string>;

/** A fetcher over `fetch` for URLs and the disk for paths (relative to `cwd`). */
export function textFetcher(fetch: FetchFunction, cwd: string): TextFetcher {
  return async (uri, signal) => {
    if (/^https?:\/\//i.test(uri)) {
      const response = await fetch(uri, { signal });
      if (!response.ok) {
        throw new Error(`GET ${uri}: ${response.status} ${response.statusText}`);
      }
      return response.text();
    }
    const file = uri.startsWith('file://') ? fileURLToPath(uri) : path.resolve(cwd, uri);
    return fs.readFile(file, 'utf8');
  };
}
