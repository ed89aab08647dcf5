import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { HttpKubeClient, KubeconfigConnection } from '../../src/kube';
import { SimulatedApiServer } from '../../src/testing';

describe('kubeconfig loading', () => {
  let server: SimulatedApiServer;
  let dir: string;
  beforeAll(async () => {
    server = await SimulatedApiServer.start({ name: 'mgmt' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Two contexts: the server's own, and one pointing at a port nothing listens on. */
  function twoContexts(): string {
    const config = YAML.parse(server.kubeconfig());
    config.clusters.push({
      name: 'dead',
      cluster: { server: 'http://127.0.0.1:1', 'insecure-skip-tls-verify': true },
    });
    config.contexts.push({
      name: 'dead-ctx',
      context: { cluster: 'dead', user: 'mgmt-admin', namespace: 'eksa-system' },
    });
    config['current-context'] = 'dead-ctx';
    return YAML.stringify(config);
  }

  test('from a string: the current context, its server and default namespace', async () => {
    const connection = await KubeconfigConnection.load({
      yaml: server.kubeconfig({ namespace: 'eksa-system' }),
    });
    expect(connection.server.href).toBe(`${server.url}/`);
    expect(connection.contextName).toBe('mgmt-admin@mgmt');
    expect(connection.namespace).toBe('eksa-system');
    const { headers } = await connection.credentials();
    expect(headers.Authorization).toBe(`Bearer ${server.token}`);
    connection.close();
  });

  test('from a file, with a context other than the current one', async () => {
    const file = path.join(dir, 'two');
    fs.writeFileSync(file, twoContexts(), { mode: 0o600 });
    const fromFile = await KubeconfigConnection.load({ file });
    expect(fromFile.contextName).toBe('dead-ctx');
    const chosen = await KubeconfigConnection.load({ file, context: 'mgmt-admin@mgmt' });
    expect(chosen.server.origin).toBe(server.url);
    const client = await HttpKubeClient.connect({ kubeconfig: { file, context: 'mgmt-admin@mgmt' } });
    expect((await client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' }))?.metadata.name).toBe(
      'default',
    );
    client.close();
  });

  test('a context that does not exist is named, with the ones that do', async () => {
    await expect(KubeconfigConnection.load({ yaml: twoContexts(), context: 'nope' })).rejects.toThrow(
      'kubeconfig kubeconfig string: context "nope" not found (contexts: mgmt-admin@mgmt, dead-ctx)',
    );
  });

  test('a missing file, a missing current-context and an undefined user are clear errors', async () => {
    await expect(KubeconfigConnection.load({ file: path.join(dir, 'absent') })).rejects.toThrow(
      /absent: file not found/,
    );
    const config = YAML.parse(server.kubeconfig());
    delete config['current-context'];
    await expect(KubeconfigConnection.load({ yaml: YAML.stringify(config) })).rejects.toThrow(
      'no current-context set',
    );
    const noUser = YAML.parse(server.kubeconfig());
    noUser.users = [];
    await expect(KubeconfigConnection.load({ yaml: YAML.stringify(noUser) })).rejects.toThrow(
      'refers to user "mgmt-admin", which is not defined',
    );
  });

  test('errors, toString and JSON never carry the token or the kubeconfig contents', async () => {
    const secretish = server.kubeconfig().replace('kind: Config', 'kind: Config\n  : : broken');
    const error = await KubeconfigConnection.load({ yaml: secretish, name: 'my.kubeconfig' }).catch(
      (e: Error) => e,
    );
    expect(String(error)).toContain('my.kubeconfig: cannot be loaded');
    expect(String(error)).not.toContain(server.token);
    const connection = await KubeconfigConnection.load({ yaml: server.kubeconfig() });
    expect(String(connection)).toBe(
      `kubeconfig kubeconfig string (context mgmt-admin@mgmt, server ${server.url})`,
    );
    expect(JSON.stringify({ connection })).not.toContain(server.token);
    const client = await HttpKubeClient.connect({ kubeconfig: { yaml: server.kubeconfig() } });
    expect(String(client)).not.toContain(server.token);
    client.close();
  });

  test('a plain-HTTP server works without insecure-skip-tls-verify too, as with kubectl', async () => {
    const plain = await SimulatedApiServer.start({ tls: false });
    const config = YAML.parse(plain.kubeconfig());
    expect(config.clusters[0].cluster.server).toMatch(/^http:\/\//);
    delete config.clusters[0].cluster['insecure-skip-tls-verify'];
    const client = await HttpKubeClient.connect({ kubeconfig: { yaml: YAML.stringify(config) } });
    expect(await client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' })).toBeDefined();
    client.close();
    await plain.stop();
  });

  test('an HTTPS server is trusted through the kubeconfig CA data, and refused without it', async () => {
    expect(server.url).toMatch(/^https:\/\//);
    const client = await HttpKubeClient.connect({ kubeconfig: { yaml: server.kubeconfig() } });
    expect(await client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })).toBeDefined();
    client.close();
    const config = YAML.parse(server.kubeconfig());
    delete config.clusters[0].cluster['certificate-authority-data'];
    const untrusting = await HttpKubeClient.connect({
      kubeconfig: { yaml: YAML.stringify(config) },
      retry: { read: { initialDelayMs: 1, factor: 1, steps: 1, jitter: 0 } },
    });
    const error = await untrusting
      .get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })
      .catch((e) => e);
    expect(error.statusCode).toBe(0);
    expect(error.transient).toBe(false);
    untrusting.close();
  });
});
