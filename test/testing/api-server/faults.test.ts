import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { CONFIGMAPS, RawWatch, raw, rawClient } from './raw-http';
import { LOOPBACK_TLS_CERTIFICATE, SimulatedApiServer, SimulatedController } from '../../../src/testing';

describe('simulated API server: authentication, request log, faults, controllers', () => {
  let server: SimulatedApiServer;
  let api: ReturnType<typeof rawClient>;
  beforeEach(async () => {
    server = await SimulatedApiServer.start({ name: 'mgmt' });
    api = rawClient(server);
  });
  afterEach(() => server.stop());

  const cm = (name: string): any => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

  test('the kubeconfig names the HTTPS server, its CA certificate and the token', () => {
    const config = YAML.parse(server.kubeconfig({ namespace: 'eksa-system' }));
    expect(config['current-context']).toBe('mgmt-admin@mgmt');
    expect(config.clusters).toEqual([
      {
        name: 'mgmt',
        cluster: {
          server: server.url,
          'certificate-authority-data': Buffer.from(LOOPBACK_TLS_CERTIFICATE).toString('base64'),
        },
      },
    ]);
    expect(config.users).toEqual([{ name: 'mgmt-admin', user: { token: server.token } }]);
    expect(config.contexts[0].context).toEqual({
      cluster: 'mgmt',
      user: 'mgmt-admin',
      namespace: 'eksa-system',
    });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('writeKubeconfig writes a 0600 file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-'));
    const file = path.join(dir, 'kubeconfig');
    server.writeKubeconfig(file);
    expect(fs.statSync(file).mode.toString(8).slice(-3)).toBe('600');
    expect(fs.readFileSync(file, 'utf8')).toBe(server.kubeconfig());
    fs.rmSync(dir, { recursive: true });
  });

  test('API requests without the bearer token answer 401; health and version do not need it', async () => {
    expect((await raw(server, 'GET', '/api/v1/namespaces', { token: null })).status).toBe(401);
    expect((await raw(server, 'GET', '/api/v1/namespaces', { token: 'wrong' })).status).toBe(401);
    expect((await raw(server, 'GET', '/healthz', { token: null })).text).toBe('ok');
    expect((await raw(server, 'GET', '/version', { token: null })).body.gitVersion).toMatch(/^v1\.\d+\.\d+/);
  });

  test('the request log records method, path, query, status and watch', async () => {
    await api.post(CONFIGMAPS, cm('a'));
    await api.get(`${CONFIGMAPS}/a`);
    await api.get(`${CONFIGMAPS}/missing`);
    const w = await RawWatch.open(server, `${CONFIGMAPS}?watch=1`);
    await w.waitFor(1);
    w.close();
    expect(server.requests.count({ method: 'POST', path: CONFIGMAPS })).toBe(1);
    expect(server.requests.count({ method: 'GET', status: 404 })).toBe(1);
    expect(server.requests.count({ watch: true })).toBe(1);
    expect(server.requests.entries({ path: /missing/ })[0]).toMatchObject({
      method: 'GET',
      path: `${CONFIGMAPS}/missing`,
      query: '',
      status: 404,
      watch: false,
    });
    expect(server.requests.entries({ watch: true })[0].query).toBe('?watch=1');
    server.requests.clear();
    expect(server.requests.count()).toBe(0);
  });

  test('a fault fails the Nth matching request only, with the Status it names', async () => {
    const fault = server.faults.add({
      method: 'POST',
      path: '/api/v1/namespaces/*/configmaps',
      nth: 2,
      status: 503,
      retryAfterSeconds: 2,
    });
    expect((await api.post(CONFIGMAPS, cm('a'))).status).toBe(201);
    const second = await api.post(CONFIGMAPS, cm('b'));
    expect(second.status).toBe(503);
    expect(second.headers['retry-after']).toBe('2');
    expect(second.body).toMatchObject({
      kind: 'Status',
      reason: 'ServiceUnavailable',
      code: 503,
      message: 'injected fault',
      details: { retryAfterSeconds: 2 },
    });
    expect((await api.post(CONFIGMAPS, cm('b'))).status).toBe(201);
    expect((await api.get(`${CONFIGMAPS}/a`)).status).toBe(200);
    expect(fault.matched).toBe(3);
    expect(fault.injected).toBe(1);
    expect(server.requests.count({ status: 503 })).toBe(1);
    expect(server.requests.entries({ status: 503 })[0].fault).toBe('status');
  });

  test('a fault can hit several consecutive requests, match by RegExp over path and query, and be removed', async () => {
    const fault = server.faults.add({
      path: /configmaps\?labelSelector/,
      times: 2,
      status: 500,
      message: 'etcdserver: leader changed',
    });
    expect((await api.get(`${CONFIGMAPS}?labelSelector=a`)).body.message).toBe('etcdserver: leader changed');
    expect((await api.get(`${CONFIGMAPS}?labelSelector=a`)).status).toBe(500);
    expect((await api.get(`${CONFIGMAPS}?labelSelector=a`)).status).toBe(200);
    expect((await api.get(CONFIGMAPS)).status).toBe(200);
    fault.remove();
    server.faults.add({ path: '/api/**', status: 429 });
    expect((await api.get(CONFIGMAPS)).status).toBe(429);
    server.faults.clear();
    expect((await api.get(CONFIGMAPS)).status).toBe(200);
  });

  test('a reset fault drops the connection without an answer', async () => {
    server.faults.add({ method: 'GET', path: `${CONFIGMAPS}/a`, reset: true });
    await expect(api.get(`${CONFIGMAPS}/a`)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await api.get(`${CONFIGMAPS}/a`)).status).toBe(404);
    expect(server.requests.entries({ path: `${CONFIGMAPS}/a` })[0]).toMatchObject({
      status: 0,
      fault: 'reset',
    });
  });

  test('a delay fault slows the request down and then serves it', async () => {
    server.faults.add({ method: 'POST', path: CONFIGMAPS, delayMs: 150 });
    const started = Date.now();
    expect((await api.post(CONFIGMAPS, cm('slow'))).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('faults can be limited to watch requests', async () => {
    server.faults.add({ path: CONFIGMAPS, watch: true, status: 500, times: Infinity });
    expect((await api.get(CONFIGMAPS)).status).toBe(200);
    const w = await RawWatch.open(server, `${CONFIGMAPS}?watch=1`);
    expect(w.status).toBe(500);
  });

  test('controllers are started, listed, stopped one by one, and stopped with the server', async () => {
    const log: string[] = [];
    const controller = (name: string): SimulatedController => ({
      name,
      start: (s) => {
        log.push(`start ${name} ${s.name}`);
      },
      stop: () => {
        log.push(`stop ${name}`);
      },
    });
    await server.addController(controller('capi'));
    await server.addController(controller('capd'));
    await expect(server.addController(controller('capi'))).rejects.toThrow('already running');
    expect(server.controllerNames).toEqual(['capi', 'capd']);
    await server.removeController('capd');
    expect(server.controllerNames).toEqual(['capi']);
    await server.stop();
    expect(log).toEqual(['start capi mgmt', 'start capd mgmt', 'stop capd', 'stop capi']);
  });

  test('onChange and call give in-process access to the same state', async () => {
    const seen: string[] = [];
    const off = server.onChange((e) => seen.push(`${e.type} ${e.key} ${e.object.metadata.name}`));
    const res = server.call({
      method: 'POST',
      path: CONFIGMAPS,
      body: cm('direct'),
      fieldManager: 'fixture',
    });
    expect(res.status).toBe(201);
    expect((await api.get(`${CONFIGMAPS}/direct`)).status).toBe(200);
    off();
    server.call({ method: 'DELETE', path: `${CONFIGMAPS}/direct` });
    expect(seen).toEqual(['ADDED /configmaps direct']);
    expect(server.engine.read('v1', 'ConfigMap', 'direct', 'default')).toBeUndefined();
  });
});
