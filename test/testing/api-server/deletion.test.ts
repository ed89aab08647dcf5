import { CONFIGMAPS, RawWatch, WIDGETS, eventually, rawClient, sleep, widget, widgetCrd } from './raw-http';
import { CustomResourceDefinition, SimulatedApiServer } from '../../../src/testing';

describe('simulated API server: deletion, finalizers and garbage collection', () => {
  let server: SimulatedApiServer;
  let api: ReturnType<typeof rawClient>;
  beforeEach(async () => {
    server = await SimulatedApiServer.start({ crds: [widgetCrd() as CustomResourceDefinition] });
    api = rawClient(server);
  });
  afterEach(() => server.stop());

  const exists = async (path: string): Promise<boolean> => (await api.get(path)).status === 200;
  const ownerRef = (owner: any, extra: Record<string, unknown> = {}): any => ({
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    ...extra,
  });

  test('an object without finalizers is removed at once; a custom resource answers with the object, a built-in with a Status', async () => {
    await api.post(WIDGETS, widget('w'));
    const res = await api.del(`${WIDGETS}/w`);
    expect(res.status).toBe(200);
    expect(res.body.metadata.name).toBe('w');
    expect(await exists(`${WIDGETS}/w`)).toBe(false);
    await api.post(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const cm = await api.del(`${CONFIGMAPS}/c`);
    expect(cm.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'c', kind: 'configmaps' },
    });
    expect((await api.del(`${CONFIGMAPS}/c`)).status).toBe(404);
  });

  test('finalizers hold the object with a deletionTimestamp until the last one is removed', async () => {
    await api.post(WIDGETS, widget('w', { size: 1 }, { finalizers: ['example.com/a', 'example.com/b'] }));
    const w = await RawWatch.open(server, `${WIDGETS}?watch=1&fieldSelector=metadata.name%3Dw`);
    await w.waitFor(1);
    const res = await api.del(`${WIDGETS}/w`);
    expect(res.status).toBe(202);
    expect(res.body.metadata.deletionTimestamp).toBeDefined();
    expect(res.body.metadata.deletionGracePeriodSeconds).toBe(0);
    expect((await api.get(`${WIDGETS}/w`)).body.metadata.finalizers).toEqual([
      'example.com/a',
      'example.com/b',
    ]);
    const again = await api.del(`${WIDGETS}/w`);
    expect(again.status).toBe(202);
    expect(again.body.metadata.deletionTimestamp).toBe(res.body.metadata.deletionTimestamp);
    await api.merge(`${WIDGETS}/w`, { metadata: { finalizers: ['example.com/b'] } });
    expect(await exists(`${WIDGETS}/w`)).toBe(true);
    const last = await api.merge(`${WIDGETS}/w`, { metadata: { finalizers: null } });
    expect(last.status).toBe(200);
    expect(await exists(`${WIDGETS}/w`)).toBe(false);
    const events = await w.waitFor(4);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    expect(events[3].object.metadata.finalizers).toBeUndefined();
    w.close();
  });

  test('no new finalizers can be added to an object being deleted', async () => {
    await api.post(WIDGETS, widget('w', { size: 1 }, { finalizers: ['example.com/a'] }));
    await api.del(`${WIDGETS}/w`);
    const res = await api.merge(`${WIDGETS}/w`, {
      metadata: { finalizers: ['example.com/a', 'example.com/new'] },
    });
    expect(res.status).toBe(422);
    expect(res.body.details.causes[0]).toMatchObject({
      reason: 'FieldValueForbidden',
      field: 'metadata.finalizers',
    });
  });

  test('delete preconditions on uid and resourceVersion answer 409 when stale', async () => {
    const created = (await api.post(WIDGETS, widget('w'))).body;
    expect((await api.del(`${WIDGETS}/w`, { preconditions: { uid: 'other' } })).status).toBe(409);
    await api.merge(`${WIDGETS}/w`, { spec: { size: 2 } });
    expect(
      (
        await api.del(`${WIDGETS}/w`, {
          preconditions: { resourceVersion: created.metadata.resourceVersion },
        })
      ).status,
    ).toBe(409);
    expect((await api.del(`${WIDGETS}/w`, { preconditions: { uid: created.metadata.uid } })).status).toBe(
      200,
    );
  });

  test('background deletion removes the owner now and its dependents (and theirs) soon after', async () => {
    const owner = (await api.post(WIDGETS, widget('owner'))).body;
    const child = (
      await api.post(WIDGETS, widget('child', { size: 1 }, { ownerReferences: [ownerRef(owner)] }))
    ).body;
    await api.post(CONFIGMAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'grandchild', ownerReferences: [ownerRef(child)] },
    });
    await api.post(WIDGETS, widget('unrelated'));
    expect((await api.del(`${WIDGETS}/owner`, { propagationPolicy: 'Background' })).status).toBe(200);
    expect(await exists(`${WIDGETS}/owner`)).toBe(false);
    await eventually(async () => !(await exists(`${CONFIGMAPS}/grandchild`)));
    expect(await exists(`${WIDGETS}/child`)).toBe(false);
    expect(await exists(`${WIDGETS}/unrelated`)).toBe(true);
  });

  test('a dependent with another live owner stays, and loses the reference to the deleted one', async () => {
    const a = (await api.post(WIDGETS, widget('a'))).body;
    const b = (await api.post(WIDGETS, widget('b'))).body;
    await api.post(WIDGETS, widget('shared', { size: 1 }, { ownerReferences: [ownerRef(a), ownerRef(b)] }));
    await api.del(`${WIDGETS}/a`);
    await eventually(
      async () => (await api.get(`${WIDGETS}/shared`)).body.metadata.ownerReferences.length === 1,
    );
    expect((await api.get(`${WIDGETS}/shared`)).body.metadata.ownerReferences[0].name).toBe('b');
  });

  test('an owner reference to an object that does not exist (or has another uid) makes the dependent garbage', async () => {
    const a = (await api.post(WIDGETS, widget('a'))).body;
    await api.post(
      WIDGETS,
      widget(
        'dangling',
        { size: 1 },
        { ownerReferences: [{ ...ownerRef(a), uid: '00000000-0000-0000-0000-000000000000' }] },
      ),
    );
    await eventually(async () => !(await exists(`${WIDGETS}/dangling`)));
    expect(await exists(`${WIDGETS}/a`)).toBe(true);
  });

  test('foreground deletion keeps the owner until dependents that block owner deletion are gone', async () => {
    const owner = (await api.post(WIDGETS, widget('owner'))).body;
    await api.post(
      WIDGETS,
      widget(
        'blocker',
        { size: 1 },
        {
          ownerReferences: [ownerRef(owner, { blockOwnerDeletion: true })],
          finalizers: ['example.com/hold'],
        },
      ),
    );
    await api.post(WIDGETS, widget('loose', { size: 1 }, { ownerReferences: [ownerRef(owner)] }));
    const res = await api.del(`${WIDGETS}/owner`, { propagationPolicy: 'Foreground' });
    expect(res.status).toBe(202);
    expect(res.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    await eventually(async () => !(await exists(`${WIDGETS}/loose`)));
    await eventually(
      async () => (await api.get(`${WIDGETS}/blocker`)).body.metadata.deletionTimestamp !== undefined,
    );
    await sleep(50);
    expect(await exists(`${WIDGETS}/owner`)).toBe(true);
    await api.merge(`${WIDGETS}/blocker`, { metadata: { finalizers: null } });
    await eventually(async () => !(await exists(`${WIDGETS}/owner`)));
  });

  test('orphan deletion removes the owner and leaves dependents without the reference', async () => {
    const owner = (await api.post(WIDGETS, widget('owner'))).body;
    await api.post(WIDGETS, widget('child', { size: 1 }, { ownerReferences: [ownerRef(owner)] }));
    expect((await api.del(`${WIDGETS}/owner`, { propagationPolicy: 'Orphan' })).status).toBe(202);
    await eventually(async () => !(await exists(`${WIDGETS}/owner`)));
    const child = await api.get(`${WIDGETS}/child`);
    expect(child.status).toBe(200);
    expect(child.body.metadata.ownerReferences).toBeUndefined();
  });

  test('the garbage collector can be turned off', async () => {
    await server.stop();
    server = await SimulatedApiServer.start({
      crds: [widgetCrd() as CustomResourceDefinition],
      garbageCollection: false,
    });
    api = rawClient(server);
    const owner = (await api.post(WIDGETS, widget('owner'))).body;
    await api.post(WIDGETS, widget('child', { size: 1 }, { ownerReferences: [ownerRef(owner)] }));
    await api.del(`${WIDGETS}/owner`);
    await sleep(50);
    expect(await exists(`${WIDGETS}/child`)).toBe(true);
  });

  test('deleting a namespace marks it Terminating, refuses new content, deletes its objects and then itself', async () => {
    await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const path = '/apis/example.com/v1/namespaces/team/widgets';
    await api.post(path, widget('held', { size: 1 }, { finalizers: ['example.com/hold'] }));
    await api.post(path, widget('free'));
    await api.post('/api/v1/namespaces/team/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
    });
    const res = await api.del('/api/v1/namespaces/team');
    expect(res.status).toBe(202);
    expect(res.body.status.phase).toBe('Terminating');
    const refused = await api.post(path, widget('late'));
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(
      'unable to create new content in namespace team because it is being terminated',
    );
    await eventually(
      async () => !(await exists(`${path}/free`)) && !(await exists('/api/v1/namespaces/team/configmaps/c')),
    );
    expect(await exists('/api/v1/namespaces/team')).toBe(true);
    await api.merge(`${path}/held`, { metadata: { finalizers: null } });
    await eventually(async () => !(await exists('/api/v1/namespaces/team')));
  });

  test('deletecollection deletes the selected objects', async () => {
    await api.post(WIDGETS, widget('a', { size: 1 }, { labels: { app: 'x' } }));
    await api.post(WIDGETS, widget('b', { size: 1 }, { labels: { app: 'y' } }));
    const res = await api.del(`${WIDGETS}?labelSelector=app%3Dx`);
    expect(res.status).toBe(200);
    expect(await exists(`${WIDGETS}/a`)).toBe(false);
    expect(await exists(`${WIDGETS}/b`)).toBe(true);
  });
});
