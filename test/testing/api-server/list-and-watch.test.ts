import { CONFIGMAPS, RawWatch, WIDGETS, rawClient, sleep, widget, widgetCrd } from './raw-http';
import { CustomResourceDefinition, SimulatedApiServer } from '../../../src/testing';

describe('simulated API server: lists, selectors and paging', () => {
  let server: SimulatedApiServer;
  let api: ReturnType<typeof rawClient>;
  beforeEach(async () => {
    server = await SimulatedApiServer.start({ crds: [widgetCrd() as CustomResourceDefinition] });
    api = rawClient(server);
    await api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'other' },
    });
    const labels: Record<string, Record<string, string>> = {
      a: { app: 'web', tier: 'front' },
      b: { app: 'web', tier: 'back' },
      c: { app: 'db' },
      d: {},
    };
    for (const [name, l] of Object.entries(labels)) {
      await api.post(WIDGETS, widget(name, { size: 1 }, { labels: l }));
    }
    await api.post(
      '/apis/example.com/v1/namespaces/other/widgets',
      widget('e', { size: 1 }, { labels: { app: 'web' } }),
    );
  });
  afterEach(() => server.stop());

  const names = async (query: string, path = WIDGETS): Promise<string[]> => {
    const res = await api.get(`${path}?${query}`);
    expect(res.status).toBe(200);
    return res.body.items.map((i: any) => i.metadata.name);
  };

  test('lists are ordered by name and carry the list resourceVersion', async () => {
    const res = await api.get(WIDGETS);
    expect(res.body).toMatchObject({ apiVersion: 'example.com/v1', kind: 'WidgetList' });
    expect(res.body.items.map((i: any) => i.metadata.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(Number(res.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Math.max(...res.body.items.map((i: any) => Number(i.metadata.resourceVersion))),
    );
  });

  test('a list without a namespace spans all namespaces', async () => {
    expect(await names('', '/apis/example.com/v1/widgets')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('label selectors: equality, inequality, set membership, existence', async () => {
    expect(await names('labelSelector=app%3Dweb')).toEqual(['a', 'b']);
    expect(await names('labelSelector=app%3D%3Dweb,tier%3Dback')).toEqual(['b']);
    expect(await names('labelSelector=app!%3Dweb')).toEqual(['c', 'd']);
    expect(await names(`labelSelector=${encodeURIComponent('app in (db, web),tier notin (front)')}`)).toEqual(
      ['b', 'c'],
    );
    expect(await names('labelSelector=tier')).toEqual(['a', 'b']);
    expect(await names('labelSelector=!app')).toEqual(['d']);
    const bad = await api.get(`${WIDGETS}?labelSelector=${encodeURIComponent('app in web')}`);
    expect(bad.status).toBe(400);
  });

  test('field selectors on metadata.name and metadata.namespace; other fields answer 400', async () => {
    expect(await names('fieldSelector=metadata.name%3Db')).toEqual(['b']);
    expect(await names('fieldSelector=metadata.name!%3Db')).toEqual(['a', 'c', 'd']);
    expect(await names('fieldSelector=metadata.namespace%3Dother', '/apis/example.com/v1/widgets')).toEqual([
      'e',
    ]);
    const bad = await api.get(`${WIDGETS}?fieldSelector=spec.size%3D1`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('field label not supported: spec.size');
  });

  test('built-in kinds support their extra field selectors (Secret type)', async () => {
    const secrets = '/api/v1/namespaces/default/secrets';
    await api.post(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'x' },
      type: 'cluster.x-k8s.io/secret',
    });
    await api.post(secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'y' } });
    expect(
      await names(`fieldSelector=${encodeURIComponent('type=cluster.x-k8s.io/secret')}`, secrets),
    ).toEqual(['x']);
  });

  test('items of built-in lists omit apiVersion and kind, as typed lists do', async () => {
    await api.post(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const res = await api.get(CONFIGMAPS);
    expect(res.body.kind).toBe('ConfigMapList');
    expect(res.body.items[0].kind).toBeUndefined();
  });

  test('limit and continue page through the list; the last page has no continue token', async () => {
    const first = await api.get(`${WIDGETS}?limit=3`);
    expect(first.body.items.map((i: any) => i.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const token = first.body.metadata.continue;
    expect(typeof token).toBe('string');
    const second = await api.get(`${WIDGETS}?limit=3&continue=${encodeURIComponent(token)}`);
    expect(second.body.items.map((i: any) => i.metadata.name)).toEqual(['d']);
    expect(second.body.metadata.continue).toBeUndefined();
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const filtered = await api.get(`${WIDGETS}?limit=1&labelSelector=app%3Dweb`);
    expect(filtered.body.items.map((i: any) => i.metadata.name)).toEqual(['a']);
    expect(filtered.body.metadata.continue).toBeDefined();
  });

  test('a continue token older than the history answers 410 Expired; a malformed one 400', async () => {
    const first = await api.get(`${WIDGETS}?limit=2`);
    await api.post(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bump' } });
    server.compact();
    const expired = await api.get(
      `${WIDGETS}?limit=2&continue=${encodeURIComponent(first.body.metadata.continue)}`,
    );
    expect(expired.status).toBe(410);
    expect(expired.body.reason).toBe('Expired');
    expect((await api.get(`${WIDGETS}?continue=garbage`)).status).toBe(400);
  });
});

describe('simulated API server: watch', () => {
  let server: SimulatedApiServer;
  let api: ReturnType<typeof rawClient>;
  const watches: RawWatch[] = [];
  beforeEach(async () => {
    server = await SimulatedApiServer.start({
      crds: [widgetCrd() as CustomResourceDefinition],
      bookmarkIntervalMs: 50,
    });
    api = rawClient(server);
  });
  afterEach(async () => {
    for (const w of watches.splice(0)) w.close();
    await server.stop();
  });
  const open = async (query: string, path = WIDGETS): Promise<RawWatch> => {
    const w = await RawWatch.open(server, `${path}?watch=1&${query}`);
    watches.push(w);
    return w;
  };

  test('without a resourceVersion the watch starts with ADDED for every object, then streams changes', async () => {
    await api.post(WIDGETS, widget('a'));
    const w = await open('');
    await api.post(WIDGETS, widget('b'));
    await api.merge(`${WIDGETS}/a`, { spec: { size: 2 } });
    await api.del(`${WIDGETS}/b`);
    const events = await w.waitFor(4);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED a',
      'ADDED b',
      'MODIFIED a',
      'DELETED b',
    ]);
    expect(events[2].object.spec.size).toBe(2);
    expect(events[2].object.apiVersion).toBe('example.com/v1');
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
  });

  test('a watch from a resourceVersion replays exactly the later changes', async () => {
    const a = (await api.post(WIDGETS, widget('a'))).body;
    await api.post(WIDGETS, widget('b'));
    await api.merge(`${WIDGETS}/a`, { spec: { size: 3 } });
    const w = await open(`resourceVersion=${a.metadata.resourceVersion}`);
    const events = await w.waitFor(2);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'MODIFIED a']);
    expect(await w.settle()).toHaveLength(2);
  });

  test('a resourceVersion older than the history gets an ERROR event with a 410 Status and the stream ends', async () => {
    const a = (await api.post(WIDGETS, widget('a'))).body;
    await api.merge(`${WIDGETS}/a`, { spec: { size: 3 } });
    server.compact();
    const w = await open(`resourceVersion=${a.metadata.resourceVersion}`);
    await w.waitForEnd();
    expect(w.status).toBe(200);
    expect(w.events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: expect.stringMatching(/^too old resource version/),
        }),
      },
    ]);
  });

  test('the history is bounded: old resourceVersions expire by themselves', async () => {
    await server.stop();
    server = await SimulatedApiServer.start({
      crds: [widgetCrd() as CustomResourceDefinition],
      historySize: 5,
    });
    api = rawClient(server);
    const a = (await api.post(WIDGETS, widget('a'))).body;
    for (let i = 2; i < 10; i++) await api.merge(`${WIDGETS}/a`, { spec: { size: i } });
    const w = await open(`resourceVersion=${a.metadata.resourceVersion}`);
    await w.waitForEnd();
    expect(w.events[0].type).toBe('ERROR');
  });

  test('timeoutSeconds ends the stream without an error', async () => {
    const w = await open('timeoutSeconds=1');
    const started = Date.now();
    await w.waitForEnd(3000);
    expect(w.ended).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(w.events).toEqual([]);
  });

  test('selectors filter events; an object leaving the selection is DELETED for that watch, entering it ADDED', async () => {
    await api.post(WIDGETS, widget('a', { size: 1 }, { labels: { app: 'web' } }));
    const w = await open('labelSelector=app%3Dweb');
    await w.waitFor(1);
    await api.post(WIDGETS, widget('b', { size: 1 }, { labels: { app: 'db' } }));
    await api.merge(`${WIDGETS}/a`, { metadata: { labels: { app: 'db' } } });
    await api.merge(`${WIDGETS}/b`, { metadata: { labels: { app: 'web' } } });
    const events = await w.waitFor(3);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED a',
      'DELETED a',
      'ADDED b',
    ]);
  });

  test('a field selector on metadata.name watches one object', async () => {
    const w = await open('fieldSelector=metadata.name%3Db');
    await api.post(WIDGETS, widget('a'));
    await api.post(WIDGETS, widget('b'));
    const events = await w.waitFor(1);
    expect(await w.settle()).toHaveLength(1);
    expect(events[0].object.metadata.name).toBe('b');
  });

  test('watches are scoped to their namespace', async () => {
    await api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'other' },
    });
    const w = await open('');
    await api.post('/apis/example.com/v1/namespaces/other/widgets', widget('x'));
    await api.post(WIDGETS, widget('y'));
    await w.waitFor(1);
    expect((await w.settle()).map((e) => e.object.metadata.name)).toEqual(['y']);
  });

  test('bookmarks carry the current resourceVersion when asked for', async () => {
    const w = await open('allowWatchBookmarks=true');
    await api.post(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere' } });
    // A bookmark may already have gone out while the create was on its way: look at the first one sent after it.
    const seen = w.events.length;
    const events = await w.waitFor(seen + 1, 1000);
    const bookmark = events[seen];
    expect(events.every((e) => e.type === 'BOOKMARK')).toBe(true);
    expect(bookmark.object).toMatchObject({ apiVersion: 'example.com/v1', kind: 'Widget' });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBe(server.engine.store.resourceVersion);
    const plain = await open('');
    expect(await plain.settle(150)).toEqual([]);
  });

  test('expireWatches sends 410 to open watches and closes them; closeWatches just closes', async () => {
    const one = await open('');
    const two = await open('', CONFIGMAPS);
    await sleep(20);
    expect(server.openWatchCount).toBe(2);
    expect(server.expireWatches()).toBe(2);
    await one.waitForEnd();
    await two.waitForEnd();
    expect(one.events.map((e) => e.object.code)).toEqual([410]);
    const three = await open('');
    await sleep(20);
    expect(server.closeWatches()).toBe(1);
    await three.waitForEnd();
    expect(three.events).toEqual([]);
    expect(server.openWatchCount).toBe(0);
  });
});
