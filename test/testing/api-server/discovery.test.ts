import { eventually, raw, rawClient, widgetCrd } from './raw-http';
import { CustomResourceDefinition, SimulatedApiServer, compareKubeVersions } from '../../../src/testing';

describe('simulated API server: discovery', () => {
  let server: SimulatedApiServer;
  afterEach(() => server.stop());

  test('core versions, group list and resource lists describe the built-in kinds', async () => {
    server = await SimulatedApiServer.start();
    const api = rawClient(server);
    const versions = await api.get('/api');
    expect(versions.status).toBe(200);
    expect(versions.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });

    const core = await api.get('/api/v1');
    expect(core.body.kind).toBe('APIResourceList');
    const byName = Object.fromEntries(core.body.resources.map((r: any) => [r.name, r]));
    expect(byName.namespaces).toMatchObject({
      kind: 'Namespace',
      namespaced: false,
      singularName: 'namespace',
    });
    expect(byName.configmaps).toMatchObject({ kind: 'ConfigMap', namespaced: true });
    expect(byName['namespaces/status']).toMatchObject({
      kind: 'Namespace',
      verbs: ['get', 'patch', 'update'],
    });
    expect(byName.configmaps.verbs).toEqual(
      expect.arrayContaining(['create', 'get', 'list', 'watch', 'patch', 'update', 'delete']),
    );
    for (const name of ['secrets', 'nodes', 'events', 'pods']) expect(byName[name]).toBeDefined();

    const groups = await api.get('/apis');
    const names = groups.body.groups.map((g: any) => g.name);
    expect(names).toEqual(expect.arrayContaining(['apps', 'apiextensions.k8s.io']));
    expect(names).not.toContain('');
    const apps = await api.get('/apis/apps/v1');
    expect(apps.body.resources.find((r: any) => r.name === 'deployments')).toMatchObject({
      kind: 'Deployment',
      namespaced: true,
    });
  });

  test('an unknown group version and an unknown resource answer 404 with a Status', async () => {
    server = await SimulatedApiServer.start();
    const api = rawClient(server);
    for (const path of [
      '/apis/example.com/v1',
      '/apis/example.com',
      '/apis/example.com/v1/namespaces/default/widgets',
      '/api/v1/gizmos',
    ]) {
      const res = await api.get(path);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
    }
  });

  test('a CRD is served only once Established, and is listed with its status subresource', async () => {
    server = await SimulatedApiServer.start({ crdEstablishDelayMs: 1500 });
    const api = rawClient(server);
    const created = await api.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd());
    expect(created.status).toBe(201);
    expect((await api.get('/apis/example.com/v1')).status).toBe(404);
    expect((await api.get('/apis/example.com/v1/namespaces/default/widgets')).status).toBe(404);
    await eventually(async () => (await api.get('/apis/example.com/v1')).status === 200, 10_000);
    const crd = await api.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    const conditions = Object.fromEntries(crd.body.status.conditions.map((c: any) => [c.type, c.status]));
    expect(conditions).toEqual({ NamesAccepted: 'True', Established: 'True' });
    expect(crd.body.status.acceptedNames.plural).toBe('widgets');
    const list = await api.get('/apis/example.com/v1');
    expect(list.body.resources.map((r: any) => r.name)).toEqual(['widgets', 'widgets/status']);
    expect(list.body.resources[0]).toMatchObject({ kind: 'Widget', namespaced: true, shortNames: ['wd'] });
    expect((await api.get('/apis/example.com/v1/namespaces/default/widgets')).status).toBe(200);
  });

  test('a CRD whose name is not <plural>.<group>, or without a storage version, is rejected with 422', async () => {
    server = await SimulatedApiServer.start();
    const api = rawClient(server);
    const badName = { ...widgetCrd(), metadata: { name: 'gadgets.example.com' } };
    const res = await api.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', badName);
    expect(res.status).toBe(422);
    expect(res.body.details.causes.map((c: any) => c.field)).toEqual(['metadata.name']);
    const crd = widgetCrd();
    crd.spec.versions[0].storage = false;
    const noStorage = await api.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    expect(noStorage.status).toBe(422);
    expect(noStorage.body.message).toContain('exactly one version marked as storage version');
  });

  test('multi-version CRDs list versions by Kubernetes priority and prefer the best', async () => {
    const base = widgetCrd();
    const schema = base.spec.versions[0].schema;
    const crd = widgetCrd({
      versions: [
        { name: 'v1alpha1', served: true, storage: false, schema },
        { name: 'v1beta2', served: true, storage: true, schema },
        { name: 'v1beta1', served: true, storage: false, schema },
        { name: 'v1beta0', served: false, storage: false, schema },
      ],
    });
    server = await SimulatedApiServer.start({ crds: [crd as CustomResourceDefinition] });
    const group = await raw(server, 'GET', '/apis/example.com');
    expect(group.body.versions.map((v: any) => v.version)).toEqual(['v1beta2', 'v1beta1', 'v1alpha1']);
    expect(group.body.preferredVersion).toEqual({ groupVersion: 'example.com/v1beta2', version: 'v1beta2' });
    expect((await raw(server, 'GET', '/apis/example.com/v1beta0')).status).toBe(404);
  });

  test('Kubernetes version ordering', () => {
    const sorted = [
      'v1alpha1',
      'v11alpha2',
      'foo1',
      'v1',
      'v2',
      'v1beta1',
      'v10beta3',
      'v11beta2',
      'foo10',
      'v10',
      'v12alpha1',
      'v3beta1',
    ].sort(compareKubeVersions);
    expect(sorted).toEqual([
      'v10',
      'v2',
      'v1',
      'v11beta2',
      'v10beta3',
      'v3beta1',
      'v1beta1',
      'v12alpha1',
      'v11alpha2',
      'v1alpha1',
      'foo1',
      'foo10',
    ]);
  });

  test('deleting a CRD stops serving its kind and removes its objects', async () => {
    server = await SimulatedApiServer.start({ crds: [widgetCrd() as CustomResourceDefinition] });
    const api = rawClient(server);
    expect(
      (
        await api.post('/apis/example.com/v1/namespaces/default/widgets', {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
          spec: { size: 1 },
        })
      ).status,
    ).toBe(201);
    expect(
      (await api.del('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')).status,
    ).toBe(202);
    await eventually(
      async () =>
        (await api.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com'))
          .status === 404,
    );
    expect((await api.get('/apis/example.com/v1')).status).toBe(404);
    expect(server.engine.store.list('example.com/widgets')).toEqual([]);
  });
});
