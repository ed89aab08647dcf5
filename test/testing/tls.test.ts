import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as YAML from 'yaml';
import { HttpKubeClient } from '../../src/kube';
import { LOOPBACK_TLS_CERTIFICATE, LOOPBACK_TLS_PRIVATE_KEY, SimulatedApiServer } from '../../src/testing';

describe('simulated API server over HTTPS', () => {
  const servers: SimulatedApiServer[] = [];
  const clients: HttpKubeClient[] = [];
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    for (const s of servers.splice(0)) await s.stop();
  });
  const start = async (options: Parameters<typeof SimulatedApiServer.start>[0] = {}) => {
    const server = await SimulatedApiServer.start(options);
    servers.push(server);
    return server;
  };
  const connect = async (yaml: string) => {
    const client = await HttpKubeClient.connect({
      kubeconfig: { yaml },
      retry: { read: { initialDelayMs: 1, factor: 1, steps: 1, jitter: 0 } },
    });
    clients.push(client);
    return client;
  };

  test('the loopback certificate names 127.0.0.1 and localhost, is its own CA, and is valid for decades', () => {
    const cert = new X509Certificate(LOOPBACK_TLS_CERTIFICATE);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.ca).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(new Date(cert.validFrom).getTime()).toBeLessThan(Date.parse('2001-01-01'));
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.parse('2099-01-01'));
    expect(cert.checkPrivateKey(createPrivateKey(LOOPBACK_TLS_PRIVATE_KEY))).toBe(true);
  });

  test('serves HTTPS by default; a client trusting the kubeconfig CA data talks to it', async () => {
    const server = await start({ name: 'kind-mgmt' });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const config = YAML.parse(server.kubeconfig());
    expect(config.clusters[0].cluster['certificate-authority-data']).toBe(
      Buffer.from(LOOPBACK_TLS_CERTIFICATE).toString('base64'),
    );
    expect(config.clusters[0].cluster['insecure-skip-tls-verify']).toBeUndefined();
    const client = await connect(server.kubeconfig());
    const namespaces = await client.list('v1', 'Namespace');
    expect(namespaces.map((n) => n.metadata.name)).toContain('kube-system');
  });

  test('a client that trusts neither the CA nor skips verification is refused by TLS', async () => {
    const server = await start();
    const config = YAML.parse(server.kubeconfig());
    delete config.clusters[0].cluster['certificate-authority-data'];
    const client = await connect(YAML.stringify(config));
    await expect(client.list('v1', 'Namespace')).rejects.toThrow(/self[- ]signed|certificate/i);
    expect(server.requests.count()).toBe(0);
  });

  test('kubeconfig options rename the entries, point elsewhere, or skip verification as EKS-A writes it', async () => {
    const server = await start({ name: 'mgmt' });
    const config = YAML.parse(
      server.kubeconfig({
        clusterName: 'kind-boot',
        userName: 'kind-boot',
        contextName: 'kind-boot',
        server: 'https://127.18.0.2:6443',
        insecureSkipTlsVerify: true,
      }),
    );
    expect(config['current-context']).toBe('kind-boot');
    expect(config.contexts[0]).toEqual({
      name: 'kind-boot',
      context: { cluster: 'kind-boot', user: 'kind-boot' },
    });
    expect(config.clusters[0]).toEqual({
      name: 'kind-boot',
      cluster: { server: 'https://127.18.0.2:6443', 'insecure-skip-tls-verify': true },
    });
    const rewritten = await connect(server.kubeconfig({ insecureSkipTlsVerify: true }));
    expect((await rewritten.list('v1', 'Namespace')).length).toBeGreaterThan(0);
  });

  test('tls: false serves plain HTTP with an insecure-skip-tls-verify kubeconfig', async () => {
    const server = await start({ tls: false });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.caCertificate).toBeUndefined();
    expect(YAML.parse(server.kubeconfig()).clusters[0].cluster['insecure-skip-tls-verify']).toBe(true);
    const client = await connect(server.kubeconfig());
    expect((await client.list('v1', 'Namespace')).length).toBeGreaterThan(0);
  });
});
