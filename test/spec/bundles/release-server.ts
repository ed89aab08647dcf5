import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { CURRENT, CURRENT_BUNDLES } from './paths';

/**
 * A loopback HTTP server standing in for anywhere-assets.eks.amazonaws.com and distro.eks.amazonaws.com, serving
 * shared/bundles (read by path). The Bundles manifest is served with its EKS-D URLs pointed at this server; the
 * release manifest lists it as release `version`/`number` (v0.18.0 / 1 match the file's cliMaxVersion and number).
 */
export class ReleaseServer {
  public readonly requests: string[] = [];
  /** Paths answered with 404. */
  public readonly missing = new Set<string>();
  public releaseNumber = 1;
  public readonly version = 'v0.18.0';
  private server?: Server;
  private port = 0;

  public get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  public get releaseManifestUrl(): string {
    return `${this.url}/releases/eks-a/manifest.yaml`;
  }

  /** The bytes served for a path, so tests can compute checksums themselves. */
  public body(urlPath: string): string | undefined {
    if (urlPath === '/releases/eks-a/manifest.yaml') {
      return [
        'apiVersion: anywhere.eks.amazonaws.com/v1alpha1',
        'kind: Release',
        'metadata:',
        '  name: release-manifest',
        'spec:',
        `  latestVersion: ${this.version}`,
        '  releases:',
        '  - version: v0.17.0',
        '    number: 0',
        '    date: "2023-01-01"',
        `    bundleManifestUrl: ${this.url}/releases/bundles/0/manifest.yaml`,
        `  - version: ${this.version}`,
        `    number: ${this.releaseNumber}`,
        '    date: "2023-10-01"',
        `    bundleManifestUrl: ${this.url}/releases/bundles/1/manifest.yaml`,
        '',
      ].join('\n');
    }
    if (urlPath === '/releases/bundles/1/manifest.yaml') {
      return readFileSync(CURRENT_BUNDLES, 'utf8').replaceAll(
        'https://distro.eks.amazonaws.com/',
        `${this.url}/distro/`,
      );
    }
    const eksd = /^\/distro\/kubernetes-1-\d+\/(kubernetes-1-\d+-eks-\d+\.yaml)$/.exec(urlPath);
    if (eksd) return readFileSync(path.join(CURRENT, eksd[1]), 'utf8');
    return undefined;
  }

  public async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
      this.requests.push(urlPath);
      const body = this.missing.has(urlPath) ? undefined : this.body(urlPath);
      if (body === undefined) {
        res.writeHead(404, 'Not Found').end();
      } else {
        res.writeHead(200, { 'content-type': 'application/yaml' }).end(body);
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  public async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }
}
