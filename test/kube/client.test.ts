import { FAST_RETRY, Site, startSite, stopSite, widgetObject, widgetRef } from './fixtures';
import {
  HttpKubeClient,
  KubeApiError,
  KubeObject,
  isAlreadyExists,
  isConflict,
  isInvalid,
} from '../../src/kube';
import { RawWatch } from '../testing/api-server/raw-http';

describe('HttpKubeClient against the simulated API server (over HTTP)', () => {
  let site: Site;
  let client: HttpKubeClient;
  beforeEach(async () => {
    site = await startSite();
    client = site.client;
  });
  afterEach(() => stopSite(site));

  const cm = (
    name: string,
    data: Record<string, string> = {},
    labels?: Record<string, string>,
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    data,
  });

  test('resource() finds plurals and scope through discovery, and caches them', async () => {
    expect(await client.resource('example.com/v1', 'Widget')).toEqual({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      namespaced: true,
      subresources: ['status'],
    });
    expect(await client.resource('v1', 'Namespace')).toMatchObject({
      group: '',
      plural: 'namespaces',
      namespaced: false,
    });
    await client.resource('example.com/v1', 'Widget');
    expect(site.server.requests.count({ path: '/apis/example.com/v1' })).toBe(1);
  });

  test('an unknown kind is a 404 KubeApiError that says what is missing', async () => {
    const error = (await client.resource('example.com/v1', 'Gadget').catch((e) => e)) as KubeApiError;
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.statusCode).toBe(404);
    expect(error.message).toContain('no resource for kind Gadget in example.com/v1');
    const group = (await client.resource('nothing.example/v1', 'X').catch((e) => e)) as KubeApiError;
    expect(group.message).toContain('does not serve nothing.example/v1');
  });

  test('discovery is refreshed once a new CRD is Established', async () => {
    await expect(client.resource('other.example/v1', 'Thing')).rejects.toThrow(/does not serve/);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.other.example' },
      spec: {
        group: 'other.example',
        names: { kind: 'Thing', plural: 'things' },
        scope: 'Cluster',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    await client.apply(crd);
    await client.waitForCrdsEstablished(['things.other.example'], { timeoutMs: 5000 });
    expect(await client.resource('other.example/v1', 'Thing')).toMatchObject({
      plural: 'things',
      namespaced: false,
    });
    const thing = await client.create({
      apiVersion: 'other.example/v1',
      kind: 'Thing',
      metadata: { name: 't' },
    });
    expect(thing.metadata.uid).toBeDefined();
  });

  test('a kind another client installed resolves right after a miss (no stale "not served")', async () => {
    await expect(client.resource('late.example/v1', 'Late')).rejects.toThrow(/does not serve/);
    // Another program (clusterctl) installs the CRD; this client never sees that write.
    const installer = await HttpKubeClient.connect({ kubeconfig: { yaml: site.server.kubeconfig() } });
    try {
      await installer.apply({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'lates.late.example' },
        spec: {
          group: 'late.example',
          names: { kind: 'Late', plural: 'lates' },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      });
      await installer.waitForCrdsEstablished(['lates.late.example'], { timeoutMs: 5000 });
    } finally {
      installer.close();
    }
    expect(await client.resource('late.example/v1', 'Late')).toMatchObject({
      plural: 'lates',
      namespaced: true,
    });
    expect(await client.list('late.example/v1', 'Late', { namespace: 'default' })).toEqual([]);
  });

  test('get returns the object, or undefined when it does not exist', async () => {
    await client.create(widgetObject('w'));
    expect((await client.get(widgetRef('w')))?.spec).toEqual({ size: 1, color: 'red' });
    expect(await client.get(widgetRef('missing'))).toBeUndefined();
  });

  test('objects without a namespace go to the kubeconfig context namespace', async () => {
    await stopSite(site);
    site = await startSite({}, {});
    const withNs = await HttpKubeClient.connect({
      kubeconfig: { yaml: site.server.kubeconfig({ namespace: 'kube-system' }) },
    });
    const created = await withNs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'here' } });
    expect(created.metadata.namespace).toBe('kube-system');
    withNs.close();
    client = site.client;
  });

  test('list follows continue tokens, filters by label and field, and fills in apiVersion and kind', async () => {
    for (let i = 0; i < 5; i++) await client.create(cm(`c${i}`, {}, { group: i % 2 === 0 ? 'even' : 'odd' }));
    const all = await client.list('v1', 'ConfigMap', { namespace: 'default', limit: 2 });
    expect(all.map((o) => o.metadata.name)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(all.every((o) => o.apiVersion === 'v1' && o.kind === 'ConfigMap')).toBe(true);
    expect(site.server.requests.count({ method: 'GET', path: '/api/v1/namespaces/default/configmaps' })).toBe(
      3,
    );
    expect(
      (await client.list('v1', 'ConfigMap', { namespace: 'default', labelSelector: 'group=even' })).map(
        (o) => o.metadata.name,
      ),
    ).toEqual(['c0', 'c2', 'c4']);
    expect(
      (await client.list('v1', 'ConfigMap', { fieldSelector: 'metadata.name=c3' })).map(
        (o) => o.metadata.namespace,
      ),
    ).toEqual(['default']);
  });

  test('list starts over without paging when a continue token has expired (410)', async () => {
    for (let i = 0; i < 4; i++) await client.create(cm(`c${i}`));
    site.server.faults.add({
      method: 'GET',
      path: /configmaps\?.*continue=/,
      status: 410,
      reason: 'Expired',
    });
    const all = await client.list('v1', 'ConfigMap', { namespace: 'default', limit: 2 });
    expect(all.map((o) => o.metadata.name)).toEqual(['c0', 'c1', 'c2', 'c3']);
  });

  test('create, update with conflict detection, updateStatus, merge patch, JSON patch', async () => {
    const created = await client.create(widgetObject('w'));
    expect(isAlreadyExists(await client.create(widgetObject('w')).catch((e) => e))).toBe(true);
    const updated = await client.update({ ...created, spec: { size: 2 } });
    expect(updated.metadata.generation).toBe(2);
    const stale = await client.update({ ...created, spec: { size: 3 } }).catch((e) => e);
    expect(isConflict(stale)).toBe(true);
    expect(stale.statusCode).toBe(409);
    const status = await client.updateStatus({ ...updated, status: { ready: true, observedGeneration: 2 } });
    expect(status.status).toEqual({ ready: true, observedGeneration: 2 });
    const patched = await client.mergePatch(widgetRef('w'), {
      metadata: { labels: { a: 'b' } },
      spec: { tags: ['x'] },
    });
    expect(patched.metadata.labels).toEqual({ a: 'b' });
    const statusPatched = await client.mergePatch(
      widgetRef('w'),
      { status: { ready: false } },
      { status: true },
    );
    expect(statusPatched.status).toEqual({ ready: false, observedGeneration: 2 });
    const json = await client.jsonPatch(widgetRef('w'), [{ op: 'replace', path: '/spec/size', value: 9 }]);
    expect((json.spec as { size: number }).size).toBe(9);
  });

  test('server-side apply as eksa-iac: re-applying is a no-op, force takes over, force:false reports the conflict', async () => {
    const first = await client.apply(widgetObject('w', { size: 2 }));
    expect(first.metadata.managedFields?.[0]).toMatchObject({ manager: 'eksa-iac', operation: 'Apply' });
    const again = await client.apply(widgetObject('w', { size: 2 }));
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    await client.apply(widgetObject('w', { size: 5 }), { fieldManager: 'someone' });
    const refused = (await client
      .apply(widgetObject('w', { size: 2 }), { force: false })
      .catch((e) => e)) as KubeApiError;
    expect(refused.statusCode).toBe(409);
    expect(refused.causes).toEqual([
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "someone" using example.com/v1',
        field: '.spec.size',
      },
    ]);
    const forced = await client.apply(widgetObject('w', { size: 2 }));
    expect((forced.spec as { size: number }).size).toBe(2);
    const applyRequests = site.server.requests.entries({ method: 'PATCH' });
    expect(
      applyRequests.every(
        (r) => r.query.includes('fieldManager=eksa-iac') || r.query.includes('fieldManager=someone'),
      ),
    ).toBe(true);
  });

  test('apply drops managedFields from the object, so an object read back can be applied', async () => {
    const first = await client.apply(widgetObject('w'));
    // The read-back object also holds the defaulted spec.color, which this apply claims: a real change.
    const claimed = await client.apply(first);
    expect(claimed.metadata.managedFields?.find((e) => e.manager === 'eksa-iac')).toMatchObject({
      fieldsV1: { 'f:spec': { 'f:size': {}, 'f:color': {} } },
    });
    const again = await client.apply(claimed);
    expect(again.metadata.resourceVersion).toBe(claimed.metadata.resourceVersion);
  });

  test('invalid objects fail with 422 and the field causes; unknown fields with 400 (Strict)', async () => {
    const invalid = (await client.create(widgetObject('w', { size: 0 })).catch((e) => e)) as KubeApiError;
    expect(isInvalid(invalid)).toBe(true);
    expect(invalid.causes[0].field).toBe('spec.size');
    expect(invalid.request.method).toBe('POST');
    expect(invalid.request.path).toContain('/apis/example.com/v1/namespaces/default/widgets');
    const unknown = (await client
      .create(widgetObject('w', { size: 1, bogus: 1 }))
      .catch((e) => e)) as KubeApiError;
    expect(unknown.statusCode).toBe(400);
    expect(unknown.serverMessage).toBe('strict decoding error: unknown field "spec.bogus"');
  });

  test('delete: true when deleted, false when already gone, with the propagation policy sent', async () => {
    await client.create(widgetObject('w'));
    expect(await client.delete(widgetRef('w'))).toBe(true);
    expect(await client.delete(widgetRef('w'))).toBe(false);
    const owner = await client.create(widgetObject('owner'));
    const ref = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      name: 'owner',
      uid: owner.metadata.uid!,
      blockOwnerDeletion: true,
    };
    await client.create(
      widgetObject('child', { size: 1 }, { ownerReferences: [ref], finalizers: ['example.com/hold'] }),
    );
    expect(await client.delete(widgetRef('owner'), { propagationPolicy: 'Foreground' })).toBe(true);
    const pending = await client.get(widgetRef('owner'));
    expect(pending?.metadata.deletionTimestamp).toBeDefined();
    expect(pending?.metadata.finalizers).toEqual(['foregroundDeletion']);
  });

  test('watch streams typed events and resolves with the last resourceVersion when the server ends it', async () => {
    const seen: string[] = [];
    const done = client.watch('example.com/v1', 'Widget', { namespace: 'default', timeoutSeconds: 1 }, (e) =>
      seen.push(`${e.type} ${e.object.metadata.name}`),
    );
    await new Promise((r) => setTimeout(r, 50));
    const created = await client.create(widgetObject('w'));
    const rv = await done;
    expect(seen).toEqual(['ADDED w']);
    expect(Number(rv)).toBeGreaterThanOrEqual(Number(created.metadata.resourceVersion));
  });

  test('watch rejects with 410 when its resourceVersion is too old', async () => {
    const created = await client.create(widgetObject('w'));
    await client.mergePatch(widgetRef('w'), { spec: { size: 2 } });
    site.server.compact();
    const error = (await client
      .watch(
        'example.com/v1',
        'Widget',
        { namespace: 'default', resourceVersion: created.metadata.resourceVersion },
        () => undefined,
      )
      .catch((e) => e)) as KubeApiError;
    expect(error.statusCode).toBe(410);
    expect(error.reason).toBe('Expired');
  });
});

describe('HttpKubeClient retries', () => {
  let site: Site;
  afterEach(() => stopSite(site));

  test('transient failures (503, 500 leader changed, 429, connection reset) are retried until success', async () => {
    site = await startSite();
    const { server, client } = site;
    server.faults.add({ method: 'GET', path: '/api/v1/namespaces/default', status: 503 });
    expect((await client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' }))?.metadata.name).toBe(
      'default',
    );
    server.faults.add({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      status: 500,
      message: 'etcdserver: leader changed',
    });
    server.faults.add({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      nth: 2,
      status: 429,
      retryAfterSeconds: 0,
    });
    server.faults.add({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', nth: 3, reset: true });
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default' },
    });
    expect(server.requests.count({ method: 'POST', path: '/api/v1/namespaces/default/configmaps' })).toBe(4);
    expect(site.log.filter((l) => l.startsWith('retrying POST'))).toHaveLength(3);
  });

  test('validation errors and conflicts are never retried', async () => {
    site = await startSite();
    const { server, client } = site;
    await client.create(widgetObject('w', { size: 0 })).catch(() => undefined);
    server.faults.add({ method: 'PUT', path: '/api/**', status: 409 });
    await client
      .update({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })
      .catch(() => undefined);
    server.faults.add({ method: 'GET', path: '/api/v1/namespaces/default', status: 403 });
    await expect(client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })).rejects.toMatchObject({
      statusCode: 403,
    });
    expect(server.requests.count({ method: 'POST' })).toBe(1);
    expect(server.requests.count({ method: 'PUT' })).toBe(1);
    expect(server.requests.count({ method: 'GET', path: '/api/v1/namespaces/default' })).toBe(1);
  });

  test('after the last attempt the error says how many were made', async () => {
    site = await startSite();
    site.server.faults.add({
      method: 'GET',
      path: '/api/v1/namespaces/default',
      status: 503,
      times: Infinity,
    });
    const error = (await site.client
      .get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })
      .catch((e) => e)) as KubeApiError;
    expect(error.statusCode).toBe(503);
    expect(error.request.attempts).toBe(FAST_RETRY.steps);
    expect(error.message).toContain(`(after ${FAST_RETRY.steps} attempts)`);
  });

  test('a server that is down is retried, then reported as a network error', async () => {
    site = await startSite();
    const kubeconfig = site.server.kubeconfig();
    await site.server.stop();
    const client = await HttpKubeClient.connect({
      kubeconfig: { yaml: kubeconfig },
      retry: { read: FAST_RETRY },
    });
    const error = (await client
      .get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })
      .catch((e) => e)) as KubeApiError;
    expect(error.statusCode).toBe(0);
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.transient).toBe(true);
    client.close();
  });
});

describe('HttpKubeClient keeps secrets out of logs and errors', () => {
  let site: Site;
  afterEach(() => stopSite(site));

  test('neither the token nor Secret data reach the log or error messages', async () => {
    site = await startSite();
    const { client, server, log } = site;
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      stringData: { password: 'hunter2' },
    };
    await client.apply(secret);
    await client.get({ apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'default' });
    const bad = await client
      .create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 't', namespace: 'default' },
        data: { key: 'hunter2-not-base64!' },
      })
      .catch((e) => e);
    expect(bad.statusCode).toBe(422);
    const everything = [...log, String(bad), bad.serverMessage, JSON.stringify(bad.causes)].join('\n');
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain(Buffer.from('hunter2').toString('base64'));
    expect(everything).not.toContain(server.token);
    expect(log.some((l) => l.startsWith('PATCH /api/v1/namespaces/default/secrets/s'))).toBe(true);
  });

  test('watch events of the client carry no credentials either (the stream is opened with the token)', async () => {
    site = await startSite();
    const raw = await RawWatch.open(site.server, '/api/v1/namespaces/default/configmaps?watch=1');
    raw.close();
    expect(
      site.server.requests.entries({ watch: true }).every((r) => !r.query.includes(site.server.token)),
    ).toBe(true);
  });
});
