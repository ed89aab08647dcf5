import { WIDGETS, raw, rawClient, widget, widgetCrd } from './raw-http';
import { CustomResourceDefinition, GENERATED_CRDS, SimulatedApiServer } from '../../../src/testing';

describe('simulated API server: generation and the status subresource', () => {
  let server: SimulatedApiServer;
  let api: ReturnType<typeof rawClient>;
  beforeEach(async () => {
    server = await SimulatedApiServer.start({ crds: [widgetCrd() as CustomResourceDefinition] });
    api = rawClient(server);
  });
  afterEach(() => server.stop());

  test('generation bumps on spec changes only, not on metadata or status changes', async () => {
    await api.post(WIDGETS, widget('w'));
    const labelled = await api.merge(`${WIDGETS}/w`, { metadata: { labels: { a: 'b' } } });
    expect(labelled.body.metadata.generation).toBe(1);
    const status = await api.merge(`${WIDGETS}/w/status`, { status: { ready: true } });
    expect(status.body.metadata.generation).toBe(1);
    const spec = await api.merge(`${WIDGETS}/w`, { spec: { size: 5 } });
    expect(spec.body.metadata.generation).toBe(2);
    const again = await api.merge(`${WIDGETS}/w`, { spec: { size: 5 } });
    expect(again.body.metadata.generation).toBe(2);
    expect(again.body.metadata.resourceVersion).toBe(spec.body.metadata.resourceVersion);
  });

  test('status in a create or main-resource write is ignored', async () => {
    const created = await api.post(WIDGETS, { ...widget('w'), status: { ready: true } });
    expect(created.body.status).toBeUndefined();
    await api.merge(`${WIDGETS}/w/status`, { status: { ready: true } });
    const main = await api.merge(`${WIDGETS}/w`, { spec: { size: 2 }, status: { ready: false } });
    expect(main.body.status).toEqual({ ready: true });
    expect(main.body.spec.size).toBe(2);
  });

  test('a status write changes status only', async () => {
    const created = (await api.post(WIDGETS, widget('w', { size: 1 }, { labels: { a: 'b' } }))).body;
    const res = await api.put(`${WIDGETS}/w/status`, {
      ...created,
      metadata: { ...created.metadata, labels: { changed: 'yes' } },
      spec: { size: 99 },
      status: { ready: true, observedGeneration: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toEqual({ ready: true, observedGeneration: 1 });
    expect(res.body.spec.size).toBe(1);
    expect(res.body.metadata.labels).toEqual({ a: 'b' });
  });

  test('a status write is validated against the schema too', async () => {
    await api.post(WIDGETS, widget('w'));
    const res = await api.merge(`${WIDGETS}/w/status`, { status: { ready: 'yes' } });
    expect(res.status).toBe(422);
    expect(res.body.details.causes[0].field).toBe('status.ready');
  });

  test('kinds without a status subresource have no /status path', async () => {
    await api.post('/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
    });
    expect((await api.get('/api/v1/namespaces/default/configmaps/c/status')).status).toBe(404);
  });

  test('Deployments track generation and keep status apart', async () => {
    const path = '/apis/apps/v1/namespaces/default/deployments';
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1 } };
    expect((await api.post(path, dep)).body.metadata.generation).toBe(1);
    await api.merge(`${path}/d/status`, { status: { readyReplicas: 1, observedGeneration: 1 } });
    const scaled = await api.merge(`${path}/d`, { spec: { replicas: 3 } });
    expect(scaled.body.metadata.generation).toBe(2);
    expect(scaled.body.status.observedGeneration).toBe(1);
  });
});

describe('simulated API server: CRD schema validation', () => {
  let server: SimulatedApiServer;
  let api: ReturnType<typeof rawClient>;
  beforeEach(async () => {
    server = await SimulatedApiServer.start({ crds: [widgetCrd() as CustomResourceDefinition] });
    api = rawClient(server);
  });
  afterEach(() => server.stop());

  test('an invalid object answers 422 Invalid with one cause per field, in the real Status format', async () => {
    const res = await api.post(WIDGETS, widget('w', { size: 0, color: 'green' }));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      details: { name: 'w', group: 'example.com', kind: 'Widget' },
    });
    expect(res.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.size',
        message: 'Invalid value: 0: should be greater than or equal to 1',
      },
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.color',
        message: 'Unsupported value: "green": supported values: "red", "blue"',
      },
    ]);
    expect(res.body.message).toMatch(
      /^Widget\.example\.com "w" is invalid: \[spec\.size: .*, spec\.color: .*\]$/,
    );
    expect((await api.get(`${WIDGETS}/w`)).status).toBe(404);
  });

  test('a missing required field is reported', async () => {
    const res = await api.post(WIDGETS, widget('w', {}));
    expect(res.body.details.causes).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.size', message: 'Required value' },
    ]);
  });

  test('unknown fields: Strict (the default here) rejects with 400, Warn drops them with a warning, Ignore drops them', async () => {
    const strict = await api.post(WIDGETS, widget('a', { size: 1, bogus: true }));
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('strict decoding error: unknown field "spec.bogus"');
    const warn = await raw(server, 'POST', `${WIDGETS}?fieldValidation=Warn`, {
      body: widget('b', { size: 1, bogus: true }),
    });
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"spec.bogus\\""');
    expect(warn.body.spec.bogus).toBeUndefined();
    const ignore = await raw(server, 'POST', `${WIDGETS}?fieldValidation=Ignore`, {
      body: widget('c', { size: 1, bogus: true }),
    });
    expect(ignore.status).toBe(201);
    expect(ignore.headers.warning).toBeUndefined();
    expect(ignore.body.spec.bogus).toBeUndefined();
  });

  test('the server default can be set to Warn, as real servers have it', async () => {
    await server.stop();
    server = await SimulatedApiServer.start({
      crds: [widgetCrd() as CustomResourceDefinition],
      defaultFieldValidation: 'Warn',
    });
    const res = await raw(server, 'POST', WIDGETS, { body: widget('a', { size: 1, bogus: true }) });
    expect(res.status).toBe(201);
  });

  test('preserved fields are kept; defaults are filled in; nulls of non-nullable fields are dropped', async () => {
    const res = await api.post(
      WIDGETS,
      widget('w', { size: 1, extra: { any: { thing: [1] } }, tags: null, note: null }),
    );
    expect(res.status).toBe(201);
    expect(res.body.spec).toEqual({ size: 1, color: 'red', extra: { any: { thing: [1] } }, note: null });
  });

  test('unknown metadata fields are rejected and invalid names refused', async () => {
    const meta = await api.post(WIDGETS, { ...widget('w'), metadata: { name: 'w', labelz: {} } });
    expect(meta.status).toBe(400);
    expect(meta.body.message).toContain('unknown field "metadata.labelz"');
    const name = await api.post(WIDGETS, widget('Not_Valid'));
    expect(name.status).toBe(422);
    expect(name.body.details.causes[0].field).toBe('metadata.name');
  });

  test('the generated CRD set validates CAPI objects', async () => {
    await server.stop();
    server = await SimulatedApiServer.start({
      crds: GENERATED_CRDS as unknown as CustomResourceDefinition[],
    });
    const path = '/apis/cluster.x-k8s.io/v1beta1/namespaces/default/machinedeployments';
    const md = {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'MachineDeployment',
      metadata: { name: 'md' },
      spec: {
        clusterName: 'c',
        selector: {},
        template: { spec: { clusterName: 'c', bootstrap: {}, infrastructureRef: {}, foo: 1 } },
      },
    };
    const res = await raw(server, 'POST', path, { body: md });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('strict decoding error: unknown field "spec.template.spec.foo"');
  });
});
