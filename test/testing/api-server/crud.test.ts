import { CONFIGMAPS, WIDGETS, raw, rawClient, widget, widgetCrd } from './raw-http';
import { CustomResourceDefinition, SimulatedApiServer } from '../../../src/testing';

describe('simulated API server: create, get, update, patch', () => {
  let server: SimulatedApiServer;
  let api: ReturnType<typeof rawClient>;
  beforeEach(async () => {
    server = await SimulatedApiServer.start({ crds: [widgetCrd() as CustomResourceDefinition] });
    api = rawClient(server);
  });
  afterEach(() => server.stop());

  const cm = (name: string, data: Record<string, string> = { a: '1' }): any => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name },
    data,
  });

  test('create assigns uid, creationTimestamp and a resourceVersion from one global counter', async () => {
    const a = await api.post(CONFIGMAPS, cm('a'));
    const b = await api.post(WIDGETS, widget('b'));
    expect(a.status).toBe(201);
    expect(a.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Number(b.body.metadata.resourceVersion)).toBeGreaterThan(Number(a.body.metadata.resourceVersion));
    expect(b.body.metadata.generation).toBe(1);
    expect(a.body.metadata.generation).toBeUndefined();
    const got = await api.get(`${CONFIGMAPS}/a`);
    expect(got.body).toEqual(a.body);
  });

  test('a uid in the create body is replaced; a resourceVersion is refused', async () => {
    const withUid = await api.post(CONFIGMAPS, { ...cm('a'), metadata: { name: 'a', uid: 'mine' } });
    expect(withUid.body.metadata.uid).not.toBe('mine');
    const withRv = await api.post(CONFIGMAPS, { ...cm('b'), metadata: { name: 'b', resourceVersion: '5' } });
    expect(withRv.status).toBe(400);
    expect(withRv.body.message).toBe('resourceVersion should not be set on objects to be created');
  });

  test('generateName creates a unique name from the prefix', async () => {
    const one = await api.post(CONFIGMAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { generateName: 'gen-' },
    });
    const two = await api.post(CONFIGMAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { generateName: 'gen-' },
    });
    expect(one.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(two.body.metadata.name).not.toBe(one.body.metadata.name);
  });

  test('creating an existing object answers 409 AlreadyExists; getting a missing one 404 NotFound', async () => {
    await api.post(WIDGETS, widget('w'));
    const again = await api.post(WIDGETS, widget('w'));
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'widgets.example.com "w" already exists',
      reason: 'AlreadyExists',
      details: { name: 'w', group: 'example.com', kind: 'widgets' },
      code: 409,
    });
    const missing = await api.get(`${CONFIGMAPS}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      reason: 'NotFound',
      message: 'configmaps "nope" not found',
      details: { name: 'nope', kind: 'configmaps' },
    });
  });

  test('objects in a namespace that does not exist cannot be created', async () => {
    const res = await api.post('/api/v1/namespaces/nowhere/configmaps', cm('a'));
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('namespaces "nowhere" not found');
  });

  test('a body whose namespace, kind or apiVersion disagrees with the URL is refused with 400', async () => {
    expect(
      (await api.post(CONFIGMAPS, { ...cm('a'), metadata: { name: 'a', namespace: 'kube-system' } })).status,
    ).toBe(400);
    expect((await api.post(CONFIGMAPS, { ...cm('a'), kind: 'Secret' })).status).toBe(400);
    expect((await api.post(CONFIGMAPS, { ...cm('a'), apiVersion: 'v2' })).status).toBe(400);
    expect((await api.post(CONFIGMAPS, '{not json')).status).toBe(400);
  });

  test('update with a stale resourceVersion answers 409 Conflict; with the current one it succeeds', async () => {
    const created = (await api.post(CONFIGMAPS, cm('a'))).body;
    const first = await api.put(`${CONFIGMAPS}/a`, { ...created, data: { a: '2' } });
    expect(first.status).toBe(200);
    expect(Number(first.body.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    const stale = await api.put(`${CONFIGMAPS}/a`, { ...created, data: { a: '3' } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((await api.get(`${CONFIGMAPS}/a`)).body.data).toEqual({ a: '2' });
  });

  test('built-in kinds accept unconditional updates; custom resources require a resourceVersion', async () => {
    await api.post(CONFIGMAPS, cm('a'));
    const unconditional = await api.put(`${CONFIGMAPS}/a`, cm('a', { a: '9' }));
    expect(unconditional.status).toBe(200);
    await api.post(WIDGETS, widget('w'));
    const custom = await api.put(`${WIDGETS}/w`, widget('w', { size: 2 }));
    expect(custom.status).toBe(422);
    expect(custom.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.resourceVersion',
        message: 'Invalid value: 0x0: must be specified for an update',
      },
    ]);
  });

  test('updating an object that does not exist answers 404', async () => {
    expect((await api.put(`${CONFIGMAPS}/ghost`, cm('ghost'))).status).toBe(404);
  });

  test('an update that changes nothing keeps the resourceVersion', async () => {
    const created = (await api.post(CONFIGMAPS, cm('a'))).body;
    const same = await api.put(`${CONFIGMAPS}/a`, created);
    expect(same.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  test('uid, creationTimestamp and generation cannot be changed by an update', async () => {
    const created = (await api.post(WIDGETS, widget('w'))).body;
    const res = await api.put(`${WIDGETS}/w`, {
      ...created,
      metadata: { ...created.metadata, creationTimestamp: '2000-01-01T00:00:00Z', generation: 42 },
    });
    expect(res.body.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
    expect(res.body.metadata.generation).toBe(1);
    const otherUid = await api.put(`${WIDGETS}/w`, {
      ...res.body,
      metadata: { ...res.body.metadata, uid: 'x' },
    });
    expect(otherUid.status).toBe(409);
    expect(otherUid.body.message).toContain('Precondition failed: UID in precondition: x');
  });

  test('merge patch merges objects, deletes with null and replaces lists', async () => {
    await api.post(
      WIDGETS,
      widget('w', { size: 1, tags: ['a', 'b'], note: 'n' }, { labels: { keep: 'yes', drop: 'yes' } }),
    );
    const res = await api.merge(`${WIDGETS}/w`, {
      metadata: { labels: { drop: null, add: 'new' } },
      spec: { tags: ['c'], note: null },
    });
    expect(res.status).toBe(200);
    expect(res.body.metadata.labels).toEqual({ keep: 'yes', add: 'new' });
    expect(res.body.spec).toEqual({ size: 1, color: 'red', tags: ['c'] });
  });

  test('merge patch with a stale resourceVersion answers 409', async () => {
    const created = (await api.post(CONFIGMAPS, cm('a'))).body;
    await api.merge(`${CONFIGMAPS}/a`, { data: { b: '2' } });
    const stale = await api.merge(`${CONFIGMAPS}/a`, {
      metadata: { resourceVersion: created.metadata.resourceVersion },
      data: { c: '3' },
    });
    expect(stale.status).toBe(409);
  });

  test('json patch applies operations in order and a failing test operation answers 422 without changes', async () => {
    await api.post(WIDGETS, widget('w', { size: 1 }, { finalizers: ['example.com/a', 'example.com/b'] }));
    const ok = await api.jsonPatch(`${WIDGETS}/w`, [
      { op: 'test', path: '/metadata/finalizers/0', value: 'example.com/a' },
      { op: 'remove', path: '/metadata/finalizers/0' },
      { op: 'add', path: '/spec/tags', value: ['x'] },
      { op: 'replace', path: '/spec/size', value: 3 },
    ]);
    expect(ok.status).toBe(200);
    expect(ok.body.metadata.finalizers).toEqual(['example.com/b']);
    expect(ok.body.spec).toMatchObject({ size: 3, tags: ['x'] });
    const failed = await api.jsonPatch(`${WIDGETS}/w`, [
      { op: 'test', path: '/spec/size', value: 1 },
      { op: 'replace', path: '/spec/size', value: 9 },
    ]);
    expect(failed.status).toBe(422);
    expect((await api.get(`${WIDGETS}/w`)).body.spec.size).toBe(3);
  });

  test('custom resources refuse strategic merge patch with 415; built-ins accept it', async () => {
    await api.post(WIDGETS, widget('w'));
    const res = await raw(server, 'PATCH', `${WIDGETS}/w`, {
      body: { spec: { size: 2 } },
      contentType: 'application/strategic-merge-patch+json',
    });
    expect(res.status).toBe(415);
    await api.post(CONFIGMAPS, cm('a'));
    const builtin = await raw(server, 'PATCH', `${CONFIGMAPS}/a`, {
      body: { data: { b: '2' } },
      contentType: 'application/strategic-merge-patch+json',
    });
    expect(builtin.status).toBe(200);
    expect(builtin.body.data).toEqual({ a: '1', b: '2' });
  });

  test('Secrets: stringData is encoded into data and dropped; data must be base64', async () => {
    const res = await api.post('/api/v1/namespaces/default/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: Buffer.from('x').toString('base64') },
      stringData: { b: 'plain' },
    });
    expect(res.status).toBe(201);
    expect(res.body.type).toBe('Opaque');
    expect(res.body.stringData).toBeUndefined();
    expect(Buffer.from(res.body.data.b, 'base64').toString()).toBe('plain');
    const bad = await api.post('/api/v1/namespaces/default/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 't' },
      data: { k: 'hunter2!' },
    });
    expect(bad.status).toBe(422);
    expect(bad.text).not.toContain('hunter2');
    expect(bad.body.details.causes[0].field).toBe('data[k]');
  });

  test('dryRun=All validates and answers without storing', async () => {
    const res = await raw(server, 'POST', `${CONFIGMAPS}?dryRun=All`, { body: cm('dry') });
    expect(res.status).toBe(201);
    expect((await api.get(`${CONFIGMAPS}/dry`)).status).toBe(404);
  });

  test('cluster-scoped kinds are addressed without a namespace and namespaced ones with one', async () => {
    const ns = await api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
    });
    expect(ns.status).toBe(201);
    expect(ns.body.status).toEqual({ phase: 'Active' });
    expect(ns.body.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team' });
    expect((await api.get('/api/v1/namespaces/team')).status).toBe(200);
    expect((await api.get('/api/v1/namespaces/team/nodes/x')).status).toBe(404);
    expect((await api.get('/api/v1/configmaps/a')).status).toBe(404);
    const bad = await api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'Bad.Name' },
    });
    expect(bad.status).toBe(422);
  });

  test('other versions of a multi-version kind read the same object with their apiVersion', async () => {
    const base = widgetCrd();
    const schema = base.spec.versions[0].schema;
    await server.stop();
    server = await SimulatedApiServer.start({
      crds: [
        widgetCrd({
          versions: [
            { name: 'v1', served: true, storage: true, schema, subresources: { status: {} } },
            { name: 'v1beta1', served: true, storage: false, schema, subresources: { status: {} } },
          ],
        }) as CustomResourceDefinition,
      ],
    });
    api = rawClient(server);
    await api.post('/apis/example.com/v1beta1/namespaces/default/widgets', {
      ...widget('w'),
      apiVersion: 'example.com/v1beta1',
    });
    const asV1 = await api.get(`${WIDGETS}/w`);
    expect(asV1.body.apiVersion).toBe('example.com/v1');
    expect(server.engine.store.get('example.com/widgets', 'default', 'w')!.apiVersion).toBe('example.com/v1');
    server.engine.setConverter('example.com', 'Widget', (o, to) => ({
      ...o,
      apiVersion: to,
      spec: { ...o.spec, converted: to },
    }));
    const converted = await api.get('/apis/example.com/v1beta1/namespaces/default/widgets/w');
    expect(converted.body.spec.converted).toBe('example.com/v1beta1');
  });
});
