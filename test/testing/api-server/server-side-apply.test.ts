import { CONFIGMAPS, WIDGETS, raw, rawClient, widget, widgetCrd } from './raw-http';
import { CustomResourceDefinition, SimulatedApiServer, decodeFieldsV1 } from '../../../src/testing';

describe('simulated API server: server-side apply', () => {
  let server: SimulatedApiServer;
  let api: ReturnType<typeof rawClient>;
  beforeEach(async () => {
    server = await SimulatedApiServer.start({ crds: [widgetCrd() as CustomResourceDefinition] });
    api = rawClient(server);
  });
  afterEach(() => server.stop());

  const fieldsOf = (object: any, manager: string): string[] => {
    const entry = object.metadata.managedFields.find(
      (e: any) => e.manager === manager && e.operation === 'Apply',
    );
    return entry
      ? decodeFieldsV1(entry.fieldsV1)
          .toArray()
          .map((p) => p.join('.'))
          .sort()
      : [];
  };

  test('apply creates a missing object (201) and records the manager as owner of the applied fields', async () => {
    const res = await api.apply(
      `${WIDGETS}/w`,
      widget('w', { size: 2, tags: ['a'] }, { labels: { app: 'x' } }),
      'eksa-iac',
    );
    expect(res.status).toBe(201);
    expect(res.body.metadata.managedFields).toEqual([
      {
        manager: 'eksa-iac',
        operation: 'Apply',
        apiVersion: 'example.com/v1',
        time: expect.any(String),
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:size': {}, 'f:tags': {} } },
      },
    ]);
  });

  test('re-applying the same object is a no-op: no new resourceVersion or generation', async () => {
    const first = await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'eksa-iac');
    const second = await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'eksa-iac');
    expect(second.status).toBe(200);
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    expect(second.body.metadata.generation).toBe(1);
    expect(second.body.metadata.managedFields).toEqual(first.body.metadata.managedFields);
  });

  test('YAML bodies are accepted, as kubectl sends them', async () => {
    const yaml = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: y\nspec:\n  size: 4\n';
    const res = await raw(server, 'PATCH', `${WIDGETS}/y?fieldManager=kubectl`, {
      body: yaml,
      contentType: 'application/apply-patch+yaml',
    });
    expect(res.status).toBe(201);
    expect(res.body.spec.size).toBe(4);
  });

  test('fields another manager set are kept when the applier does not mention them', async () => {
    await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'eksa-iac');
    await api.merge(`${WIDGETS}/w?fieldManager=controller`, {
      metadata: { annotations: { touched: 'yes' } },
      spec: { tags: ['c'] },
    });
    const res = await api.apply(`${WIDGETS}/w`, widget('w', { size: 3 }), 'eksa-iac');
    expect(res.body.spec).toEqual({ size: 3, color: 'red', tags: ['c'] });
    expect(res.body.metadata.annotations).toEqual({ touched: 'yes' });
  });

  test('fields the applier set before and omits now are removed', async () => {
    await api.apply(
      `${WIDGETS}/w`,
      widget('w', { size: 2, tags: ['a'] }, { labels: { a: '1', b: '2' } }),
      'eksa-iac',
    );
    const res = await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }, { labels: { a: '1' } }), 'eksa-iac');
    expect(res.body.spec.tags).toBeUndefined();
    expect(res.body.metadata.labels).toEqual({ a: '1' });
    expect(fieldsOf(res.body, 'eksa-iac')).toEqual(['metadata.labels.a', 'spec.size']);
  });

  test('a field also owned by another manager survives when the applier drops it', async () => {
    await api.apply(`${WIDGETS}/w`, widget('w', { size: 2, tags: ['a'] }), 'one');
    await api.apply(`${WIDGETS}/w`, widget('w', { size: 2, tags: ['a'] }), 'two');
    const res = await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'one');
    expect(res.body.spec.tags).toEqual(['a']);
    expect(fieldsOf(res.body, 'two')).toEqual(['spec.size', 'spec.tags']);
  });

  test('a different value for a field another manager owns is a 409 conflict naming manager and field', async () => {
    await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'eksa-iac');
    const res = await api.apply(`${WIDGETS}/w`, widget('w', { size: 5 }), 'someone-else');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "eksa-iac" using example.com/v1: .spec.size',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "eksa-iac" using example.com/v1',
            field: '.spec.size',
          },
        ],
      },
    });
    expect((await api.get(`${WIDGETS}/w`)).body.spec.size).toBe(2);
  });

  test('the same value for a field another manager owns is shared ownership, not a conflict', async () => {
    await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'eksa-iac');
    const res = await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'other');
    expect(res.status).toBe(200);
    expect(fieldsOf(res.body, 'eksa-iac')).toEqual(['spec.size']);
    expect(fieldsOf(res.body, 'other')).toEqual(['spec.size']);
  });

  test('force takes ownership of conflicting fields', async () => {
    await api.apply(`${WIDGETS}/w`, widget('w', { size: 2, tags: ['a'] }), 'eksa-iac');
    const res = await api.apply(`${WIDGETS}/w`, widget('w', { size: 5 }), 'admin', true);
    expect(res.status).toBe(200);
    expect(res.body.spec.size).toBe(5);
    expect(fieldsOf(res.body, 'eksa-iac')).toEqual(['spec.tags']);
    expect(fieldsOf(res.body, 'admin')).toEqual(['spec.size']);
  });

  test('a conflicting update by a non-apply writer takes ownership without a conflict', async () => {
    await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'eksa-iac');
    const res = await api.merge(`${WIDGETS}/w?fieldManager=kubectl-edit`, { spec: { size: 7 } });
    expect(res.status).toBe(200);
    const updater = res.body.metadata.managedFields.find((e: any) => e.manager === 'kubectl-edit');
    expect(updater.operation).toBe('Update');
    expect(decodeFieldsV1(updater.fieldsV1).toArray()).toEqual([['spec', 'size']]);
    expect(fieldsOf(res.body, 'eksa-iac')).toEqual([]);
    const conflict = await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'eksa-iac');
    expect(conflict.status).toBe(409);
  });

  test('apply on the status subresource owns status fields, apart from the main resource', async () => {
    await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'eksa-iac');
    const status = await api.apply(
      `${WIDGETS}/w/status`,
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, status: { ready: true } },
      'controller',
    );
    expect(status.status).toBe(200);
    expect(status.body.status).toEqual({ ready: true });
    const entry = status.body.metadata.managedFields.find((e: any) => e.manager === 'controller');
    expect(entry.subresource).toBe('status');
    const again = await api.apply(
      `${WIDGETS}/w`,
      { ...widget('w', { size: 2 }), status: { ready: false } },
      'eksa-iac',
    );
    expect(again.body.status).toEqual({ ready: true });
    expect(again.body.metadata.resourceVersion).toBe(status.body.metadata.resourceVersion);
  });

  test('apply needs a fieldManager, a matching name and no managedFields', async () => {
    const noManager = await raw(server, 'PATCH', `${WIDGETS}/w`, {
      body: widget('w'),
      contentType: 'application/apply-patch+yaml',
    });
    expect(noManager.status).toBe(400);
    expect(noManager.body.message).toContain('fieldManager is required');
    expect((await api.apply(`${WIDGETS}/w`, widget('other'))).status).toBe(400);
    expect(
      (await api.apply(`${WIDGETS}/w`, { ...widget('w'), metadata: { name: 'w', managedFields: [] } }))
        .status,
    ).toBe(400);
    expect((await api.apply(`${WIDGETS}/w`, { ...widget('w'), kind: 'Gadget' })).status).toBe(400);
  });

  test('applied objects are validated like any write', async () => {
    const res = await api.apply(`${WIDGETS}/w`, widget('w', { size: 'big' }));
    expect(res.status).toBe(422);
    const unknown = await api.apply(`${WIDGETS}/w`, widget('w', { size: 1, nope: 1 }));
    expect(unknown.status).toBe(400);
  });

  test('built-in kinds track ownership per data key', async () => {
    await api.apply(
      `${CONFIGMAPS}/c`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } },
      'one',
    );
    await api.apply(
      `${CONFIGMAPS}/c`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { b: '2' } },
      'two',
    );
    const res = await api.apply(
      `${CONFIGMAPS}/c`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', c: '3' } },
      'one',
    );
    expect(res.body.data).toEqual({ a: '1', b: '2', c: '3' });
  });

  test('managedFields written by a client are kept as given (a move restores them)', async () => {
    const created = (await api.apply(`${WIDGETS}/w`, widget('w', { size: 2 }), 'eksa-iac')).body;
    const restored = [
      {
        manager: 'capi-controller',
        operation: 'Update',
        apiVersion: 'example.com/v1',
        time: '2020-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:size': {} } },
      },
    ];
    const res = await api.merge(`${WIDGETS}/w`, { metadata: { managedFields: restored } });
    expect(res.body.metadata.managedFields).toEqual(restored);
    expect(res.body.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
  });
});
