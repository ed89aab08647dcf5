/** The real site: real programs, HTTP clients from kubeconfig files, files under the working directory. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SimulatedApiServer } from '../../src/testing/api-server/server';
import { ClusterctlProgram } from '../../src/tools/clusterctl-cli';
import { KindProgram } from '../../src/tools/kind-cli';
import { preflight } from '../../src/tools/preflight';
import { LocalFileStore } from '../../src/workflow/file-store';
import { consoleLogger } from '../../src/workflow/logger';
import { createLocalSite } from '../../src/workflow/site';

let dir: string;
let server: SimulatedApiServer;
beforeAll(async () => {
  server = await SimulatedApiServer.start({ name: 'local' });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-local-site-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the real programs, the real preflight, files rooted at the working directory', () => {
  const site = createLocalSite({ workDir: dir });
  expect(site.tools.kind).toBeInstanceOf(KindProgram);
  expect(site.tools.clusterctl).toBeInstanceOf(ClusterctlProgram);
  expect(site.preflight).toBe(preflight);
  expect(site.files).toBeInstanceOf(LocalFileStore);
  expect(site.files.root).toBe(path.resolve(dir));
  expect(site.logger).toBe(consoleLogger);
  expect(site.env).toBe(process.env);
  expect(site.journal.entries).toEqual([]);
});

test('connections come from kubeconfig files relative to the working directory, or from text', async () => {
  const site = createLocalSite({ workDir: dir });
  fs.mkdirSync(path.join(dir, 'c/generated'), { recursive: true });
  server.writeKubeconfig(path.join(dir, 'c/generated/c.kind.kubeconfig'));
  const fromFile = await site.connect({ file: 'c/generated/c.kind.kubeconfig' });
  const fromText = await site.connect({ yaml: server.kubeconfig(), name: 'test kubeconfig' });
  try {
    const ns = await fromFile.client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' });
    expect(ns?.metadata.name).toBe('kube-system');
    expect((await fromText.client.list('v1', 'Namespace')).map((n) => n.metadata.name)).toContain('default');
    // The simulated server does not serve pod logs: no logs, no error.
    expect(await fromFile.podLogs('kube-system', 'nope')).toBeUndefined();
  } finally {
    fromFile.close();
    fromText.close();
  }
  await expect(site.connect({ file: 'missing.kubeconfig' })).rejects.toThrow(/file not found/);
});

test('manifests are read from paths and file:// URLs; http(s) through fetch', async () => {
  const calls: string[] = [];
  const site = createLocalSite({
    workDir: dir,
    fetch: async (url) => {
      calls.push(url);
      return {
        ok: url.endsWith('/ok.yaml'),
        status: 404,
        statusText: 'Not Found',
        text: async () => 'kind: X\n',
      };
    },
  });
  fs.writeFileSync(path.join(dir, 'm.yaml'), 'kind: Y\n');
  expect(await site.fetchText('m.yaml')).toBe('kind: Y\n');
  expect(await site.fetchText(`file://${path.join(dir, 'm.yaml')}`)).toBe('kind: Y\n');
  expect(await site.fetchText('https://example.invalid/ok.yaml')).toBe('kind: X\n');
  await expect(site.fetchText('https://example.invalid/missing.yaml')).rejects.toThrow(
    'GET https://example.invalid/missing.yaml: 404 Not Found',
  );
  expect(calls).toEqual(['https://example.invalid/ok.yaml', 'https://example.invalid/missing.yaml']);
});
