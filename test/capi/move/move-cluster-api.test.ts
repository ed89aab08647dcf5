// The mover cases of research/capi.md §3.2 (M-SEQ move and dry run, M-PROV, M-PROVIDERS, M-NS, M-CREATE,
// M-DELETE, M-BLOCK, client-level options) and what we do beyond clusterctl, end to end over two clusters.
import {
  KINDS,
  type Short,
  cluster,
  clusterClass,
  clusterIdentity,
  condition,
  crd,
  externalObject,
  fixtureCrds,
  object,
  secret,
} from './fixtures';
import { SEQUENCE_CASES } from './sequence-cases';
import { FAST, type Site, keys, newSite, stopSites } from './site';

afterEach(stopSites);
import { PAUSED_BY_MOVE_ANNOTATION, SOURCE_UID_ANNOTATION } from '../../../src/capi/move/constants';
import { moveClusterApi, type MoveClusterApiOptions } from '../../../src/capi/move/move-cluster-api';
import { MoveError } from '../../../src/capi/move/move-error';
import type { KubeObject, KubeClient } from '../../../src/kube/types';

/** `C ns1/foo` → `Cluster ns1/foo`; `GCEO /x` → `GenericClusterExternalObject x`. */
function key(abbr: string): string {
  const [s, path] = abbr.split(' ');
  const [ns, name] = path.split('/');
  const kind = KINDS[s as Short][1];
  return ns ? `${kind} ${ns}/${name}` : `${kind} ${name}`;
}

function move(site: Site, options: Partial<MoveClusterApiOptions> = {}) {
  return moveClusterApi({
    from: site.from.client,
    to: site.to.client,
    namespace: '',
    retry: FAST,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<MoveError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MoveError) return error;
    throw error;
  }
  throw new Error('expected the move to fail');
}

/** Every ownerReference of every target object names a target object of that kind, name and UID. */
function expectOwnersResolved(objects: readonly KubeObject[]) {
  const byUid = new Map(objects.map((o) => [o.metadata.uid, o]));
  for (const o of objects) {
    for (const ref of o.metadata.ownerReferences ?? []) {
      const owner = byUid.get(ref.uid);
      expect({
        of: `${o.kind} ${o.metadata.name}`,
        owner: owner && `${owner.kind} ${owner.metadata.name}`,
      }).toEqual({
        of: `${o.kind} ${o.metadata.name}`,
        owner: `${ref.kind} ${ref.name}`,
      });
    }
  }
}

/** No Cluster or ClusterClass left paused. */
function expectUnpaused(objects: readonly KubeObject[]) {
  for (const o of objects.filter((x) => x.kind === 'Cluster' || x.kind === 'ClusterClass')) {
    expect({
      name: o.metadata.name,
      paused: (o.spec as { paused?: boolean }).paused,
      annotations: o.metadata.annotations ?? {},
    }).toEqual({
      name: o.metadata.name,
      paused: undefined,
      annotations: expect.not.objectContaining({
        [PAUSED_BY_MOVE_ANNOTATION]: expect.anything(),
        'cluster.x-k8s.io/paused': expect.anything(),
      }),
    });
  }
}

const writes = (site: Site) =>
  [...site.from.requests, ...site.to.requests].filter((r) => !['get', 'list', 'discovery'].includes(r.verb));

describe('M-SEQ: move', () => {
  test.each(SEQUENCE_CASES.filter((c) => !c.refused).map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      const site = await newSite(c.objects());
      const result = await move(site);

      const planned = c.groups.flat().map(key).sort();
      expect(
        result.plan.layers.map((l) =>
          l
            .map((o) =>
              key(
                `${Object.entries(KINDS).find(([, [, k]]) => k === o.kind)![0]} ${o.namespace ?? ''}/${o.name}`,
              ),
            )
            .sort(),
        ),
      ).toEqual(c.groups.map((g) => g.map(key).sort()));
      const target = site.to.objects();
      expect(keys(target)).toEqual(planned);
      expect(keys(site.from.objects())).toEqual((c.keptInSource ?? []).map(key).sort());
      expectOwnersResolved(target);
      expectUnpaused(target);
      expectUnpaused(site.from.objects());
      const sourceUids = new Map(
        c
          .objects()
          .map((o) => [
            `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`,
            site.from.uidOf(o.metadata.uid!),
          ]),
      );
      for (const o of target) {
        expect(o.metadata.annotations?.[SOURCE_UID_ANNOTATION]).toBe(
          sourceUids.get(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`),
        );
        expect((o as { status?: unknown }).status).toBeUndefined();
      }
      expect(result.objects.every((o) => o.target === 'created')).toBe(true);
    },
  );

  test.each(SEQUENCE_CASES.filter((c) => c.refused).map((c) => [c.name, c] as const))(
    '%s: move and dry run refused, nothing written',
    async (_name, c) => {
      const site = await newSite(c.objects());
      const before = site.from.objects();
      expect((await failure(move(site))).message).toMatch(c.refused!);
      expect((await failure(move(site, { dryRun: true }))).message).toMatch(c.refused!);
      expect(writes(site)).toEqual([]);
      expect(site.from.objects()).toEqual(before);
      expect(site.to.objects()).toEqual([]);
    },
  );
});

describe('M-SEQ: dry run', () => {
  test.each(SEQUENCE_CASES.filter((c) => !c.refused).map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      const site = await newSite(c.objects());
      const before = site.from.objects();
      const lines: string[] = [];
      const result = await moveClusterApi({
        from: site.from.client,
        namespace: '',
        dryRun: true,
        onProgress: (l) => lines.push(l),
      });
      expect(result.dryRun).toBe(true);
      expect(result.plan.layers.map((l) => l.length)).toEqual(c.groups.map((g) => g.length));
      expect(writes(site)).toEqual([]);
      expect(site.to.requests).toEqual([]);
      expect(site.from.objects()).toEqual(before);
      expect(lines.some((l) => l.startsWith('  layer 1: '))).toBe(true);
    },
  );
});

describe('M-PROV: provisioning must be finished', () => {
  const withStatus = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
    cluster('ns1', 'foo').list.map((o) =>
      o.kind === 'Cluster' ? { ...o, spec: { ...(o.spec as object), ...spec }, status } : o,
    );
  const initialized = [condition('ControlPlaneInitialized', 'True')];

  test.each([
    [
      'infrastructure not provisioned',
      withStatus({ initialization: { infrastructureProvisioned: false }, conditions: initialized }),
      /still provisioning the infrastructure/,
    ],
    [
      'no conditions',
      withStatus({ initialization: { infrastructureProvisioned: true } }),
      /control plane is not yet initialized/,
    ],
    [
      'ControlPlaneInitialized False',
      withStatus({
        initialization: { infrastructureProvisioned: true },
        conditions: [condition('ControlPlaneInitialized', 'False')],
      }),
      /control plane is not yet initialized/,
    ],
    [
      'control plane ref but control plane not initialized',
      withStatus(
        { initialization: { infrastructureProvisioned: true }, conditions: initialized },
        {
          controlPlaneRef: {
            apiGroup: 'controlplane.cluster.x-k8s.io',
            kind: 'GenericControlPlane',
            name: 'cp1',
          },
        },
      ),
      /control plane is not yet initialized/,
    ],
    [
      'a machine without nodeRef',
      cluster('ns1', 'foo', { machines: [{ name: 'machine1', noNodeRef: true }] }).list,
      /Machine ns1\/machine1 is still provisioning the node/,
    ],
  ])('%s → refused, nothing written', async (_name, objects, message) => {
    const site = await newSite(objects);
    expect((await failure(move(site))).problems).toEqual([expect.stringMatching(message)]);
    expect(writes(site)).toEqual([]);
  });

  test('provisioned cluster with a control plane and a machine with a nodeRef → moves', async () => {
    const site = await newSite(
      cluster('ns1', 'foo', { controlPlane: { name: 'cp1', machines: ['machine1'] } }).list,
    );
    await expect(move(site)).resolves.toMatchObject({ dryRun: false });
  });

  test('etcd machines without a node are not waited for (EKS-A)', async () => {
    const site = await newSite(
      cluster('ns1', 'foo', {
        machines: [
          { name: 'etcd1', noNodeRef: true, labels: { 'cluster.x-k8s.io/etcd-cluster': 'foo-etcd' } },
        ],
      }).list,
    );
    await expect(move(site)).resolves.toMatchObject({ dryRun: false });
  });

  test('all problems are reported at once', async () => {
    const site = await newSite([
      ...cluster('ns1', 'foo', { unprovisioned: true }).list,
      ...cluster('ns1', 'bar', {
        machines: [
          { name: 'm1', noNodeRef: true },
          { name: 'm2', noNodeRef: true },
        ],
      }).list,
    ]);
    expect((await failure(move(site))).problems).toHaveLength(3);
  });

  test('a dry run does not check provisioning', async () => {
    const site = await newSite(cluster('ns1', 'foo', { unprovisioned: true }).list);
    await expect(
      moveClusterApi({ from: site.from.client, namespace: 'ns1', dryRun: true }),
    ).resolves.toMatchObject({ dryRun: true });
  });
});

describe('M-PROVIDERS: target providers', () => {
  const p = (providerName: string, type: string, version: string, namespace = `${providerName}-system`) => ({
    name: providerName,
    namespace,
    providerName,
    type,
    version,
  });
  const three = (v: string) => [
    p('capi', 'CoreProvider', v),
    p('kubeadm', 'BootstrapProvider', v),
    p('capa', 'InfrastructureProvider', v),
  ];

  test.each([
    ['the same providers and versions', three('v1.0.0'), three('v1.0.0'), undefined],
    [
      'a newer target',
      [p('capi', 'CoreProvider', 'v2.0.0')],
      [p('capi', 'CoreProvider', 'v2.1.0')],
      undefined,
    ],
    [
      'an empty target inventory',
      [p('capi', 'CoreProvider', 'v2.0.0')],
      [],
      /provider CoreProvider capi v2.0.0 not found in the target/,
    ],
    [
      'an older target in another namespace',
      [p('capi', 'CoreProvider', 'v2.0.0')],
      [p('capi', 'CoreProvider', 'v1.0.0', 'elsewhere')],
      /older in the target/,
    ],
    [
      'no inventory at all in the target',
      [p('capi', 'CoreProvider', 'v2.0.0')],
      null,
      /target: no Provider inventory/,
    ],
    [
      'a version that does not parse',
      [p('capi', 'CoreProvider', 'latest')],
      [p('capi', 'CoreProvider', 'v1.0.0')],
      /'latest' is not a semantic version/,
    ],
  ])('%s', async (_name, sourceProviders, targetProviders, message) => {
    const site = await newSite(cluster('ns1', 'foo').list, { sourceProviders, targetProviders });
    if (message) {
      expect((await failure(move(site))).problems).toEqual([expect.stringMatching(message)]);
      expect(writes(site)).toEqual([]);
    } else {
      await expect(move(site)).resolves.toMatchObject({ dryRun: false });
    }
  });

  test('problems of several providers come together', async () => {
    const site = await newSite(cluster('ns1', 'foo').list, {
      sourceProviders: three('v2.0.0'),
      targetProviders: [p('capi', 'CoreProvider', 'v1.0.0')],
    });
    expect((await failure(move(site))).problems).toHaveLength(3);
  });

  test('a target with another Cluster API contract is refused', async () => {
    const targetCrds = [
      ...fixtureCrds().filter((c) => c.metadata.name !== 'clusters.cluster.x-k8s.io'),
      crd('cluster.x-k8s.io/v1beta1', 'Cluster', 'Namespaced'),
    ];
    const site = await newSite(cluster('ns1', 'foo').list, { targetCrds });
    expect((await failure(move(site))).problems).toEqual([
      expect.stringMatching(/target stores Clusters as v1beta1 but the source as v1beta2/),
    ]);
  });
});

describe('M-NS: namespaces in the target', () => {
  test.each([
    ['one namespace', cluster('namespace-1', 'cluster-1').list, [], ['namespace-1']],
    [
      'two namespaces',
      [...cluster('namespace-1', 'cluster-1').list, ...cluster('namespace-2', 'cluster-2').list],
      [],
      ['namespace-1', 'namespace-2'],
    ],
    [
      'a class in another namespace',
      [
        ...cluster('namespace-1', 'cluster-3', {
          topologyClass: 'cluster-class-1',
          topologyClassNamespace: 'namespace-2',
        }).list,
        ...clusterClass('namespace-2', 'cluster-class-1').list,
      ],
      [],
      ['namespace-1', 'namespace-2'],
    ],
    [
      'a namespace already there',
      cluster('namespace-2', 'cluster-2').list,
      ['namespace-1'],
      ['namespace-1', 'namespace-2'],
    ],
    ['only a global object', [object('GCEO', undefined, 'x', { body: { spec: {} } })], [], []],
  ])('%s', async (_name, objects, existing, expected) => {
    const site = await newSite(objects);
    for (const name of existing) {
      await site.to.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    const names = async () => (await site.to.client.list('v1', 'Namespace')).map((n) => n.metadata.name!);
    const before = await names();
    await move(site);
    expect((await names()).sort()).toEqual([...new Set([...before, ...expected])].sort());
  });
});

describe('M-CREATE: objects already in the target', () => {
  test('a same-named object not from a move is replaced with the source content (clusterctl)', async () => {
    const objects = cluster('ns1', 'foo').list;
    const stale = {
      ...objects.find((o) => o.kind === 'Cluster')!,
      metadata: { name: 'foo', namespace: 'ns1', annotations: { foo: 'bar' } },
    };
    const site = await newSite(objects, { targetObjects: [stale] });
    const result = await move(site);
    const copy = site.to.objects().find((o) => o.kind === 'Cluster')!;
    expect(copy.metadata.annotations).toEqual({
      [SOURCE_UID_ANNOTATION]: site.from.uidOf(objects[0].metadata.uid!),
    });
    expect(result.objects.find((o) => o.kind === 'Cluster')!.target).toBe('replaced');
  });

  test('a global object already in the target is left untouched, and its children point at it', async () => {
    const objects = clusterIdentity('foo', 'infra1-system').list;
    const [identity, credentials] = objects;
    const theirs = (o: KubeObject) => ({
      ...o,
      metadata: { ...o.metadata, annotations: { foo: 'bar' } },
    });
    const site = await newSite(objects, { targetObjects: [theirs(identity), theirs(credentials)] });
    const result = await move(site);
    for (const o of site.to.objects()) expect(o.metadata.annotations).toEqual({ foo: 'bar' });
    expect(result.objects.map((o) => o.target)).toEqual(['kept-existing', 'kept-existing']);
    // Global objects are never deleted from the source (clusterctl's own test checks the wrong kind here).
    expect(keys(site.from.objects())).toEqual(keys(objects));
  });

  test('ownerReference controller and blockOwnerDeletion flags are kept', async () => {
    const objects = cluster('ns1', 'foo', { controlPlane: { name: 'cp1' } }).list.map((o) =>
      o.metadata.name === 'foo-kubeconfig'
        ? {
            ...o,
            metadata: {
              ...o.metadata,
              ownerReferences: [{ ...o.metadata.ownerReferences![0], blockOwnerDeletion: true }],
            },
          }
        : o,
    );
    const site = await newSite(objects);
    await move(site);
    const kubeconfig = site.to.objects().find((o) => o.metadata.name === 'foo-kubeconfig')!;
    const cp = site.to.objects().find((o) => o.kind === 'GenericControlPlane')!;
    expect(kubeconfig.metadata.ownerReferences).toEqual([
      {
        apiVersion: cp.apiVersion,
        kind: 'GenericControlPlane',
        name: 'cp1',
        uid: cp.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  test('Secret data is copied', async () => {
    const site = await newSite(cluster('ns1', 'foo').list);
    await move(site);
    const ca = site.to.objects().find((o) => o.metadata.name === 'foo-ca') as KubeObject & {
      data: Record<string, string>;
    };
    expect(Buffer.from(ca.data.value, 'base64').toString()).toBe('secret-foo-ca');
  });
});

describe('M-DELETE: deleting from the source', () => {
  test('objects with finalizers are deleted, marked delete-for-move first', async () => {
    const objects = cluster('ns1', 'foo').list.map((o) => ({
      ...o,
      metadata: { ...o.metadata, finalizers: ['example.com/protect'] },
    }));
    const site = await newSite(objects);
    const patches: Record<string, unknown>[] = [];
    const original = site.from.client.mergePatch.bind(site.from.client);
    (site.from.client as { mergePatch: KubeClient['mergePatch'] }).mergePatch = ((ref, patch, opts) => {
      if (JSON.stringify(patch).includes('delete-for-move')) patches.push(patch);
      return original(ref, patch, opts);
    }) as KubeClient['mergePatch'];
    await move(site);
    expect(site.from.objects()).toEqual([]);
    expect(patches).toHaveLength(4);
    expect(patches[0]).toEqual({
      metadata: { annotations: { 'clusterctl.cluster.x-k8s.io/delete-for-move': '' }, finalizers: null },
    });
  });

  test('provider objects are marked delete-for-move before the DELETE; plain Secrets are just deleted', async () => {
    const site = await newSite(cluster('ns1', 'foo').list);
    await move(site);
    const deletes = site.from.requests.filter((r) => r.verb === 'patch' || r.verb === 'delete');
    const byKind = (kind: string) => deletes.filter((r) => r.kind === kind).map((r) => r.verb);
    // The Cluster: pause, then delete-for-move patch, then DELETE.
    expect(byKind('Cluster')).toEqual(['patch', 'patch', 'delete']);
    expect(byKind('GenericInfrastructureCluster')).toEqual(['patch', 'delete']);
    expect(byKind('Secret')).toEqual(['delete', 'delete']);
  });

  test('a finalizer re-added before the DELETE (cluster-api#11812) is stripped afterwards', async () => {
    const objects = cluster('ns1', 'foo').list.map((o) =>
      o.kind === 'Cluster'
        ? { ...o, metadata: { ...o.metadata, finalizers: ['cluster.cluster.x-k8s.io'] } }
        : o,
    );
    const site = await newSite(objects);
    // A controller that re-adds its finalizer whenever the Cluster is patched, paused or not.
    const original = site.from.client.mergePatch.bind(site.from.client);
    (site.from.client as { mergePatch: KubeClient['mergePatch'] }).mergePatch = (async (ref, patch, opts) => {
      const result = await original(ref, patch, opts);
      if (
        ref.kind === 'Cluster' &&
        !result.metadata.deletionTimestamp &&
        JSON.stringify(patch).includes('delete-for-move')
      ) {
        return original(ref, { metadata: { finalizers: ['cluster.cluster.x-k8s.io'] } });
      }
      return result;
    }) as KubeClient['mergePatch'];
    await move(site);
    expect(site.from.objects()).toEqual([]);
  });
});

describe('M-BLOCK: block-move annotation', () => {
  const blocked = () =>
    cluster('ns1', 'foo', { annotations: { 'clusterctl.cluster.x-k8s.io/block-move': 'provider busy' } })
      .list;

  test('an annotation that stays blocks the move, and the source is unpaused again', async () => {
    const site = await newSite(blocked());
    expect((await failure(move(site))).problems).toEqual([
      expect.stringMatching(
        /Cluster ns1\/foo still has the clusterctl.cluster.x-k8s.io\/block-move annotation/,
      ),
    ]);
    expect(site.to.objects()).toEqual([]);
    expectUnpaused(site.from.objects());
  });

  test('no annotation → moves', async () => {
    const site = await newSite(cluster('ns1', 'foo').list);
    await expect(move(site)).resolves.toMatchObject({ dryRun: false });
  });

  test('an annotation removed while waiting → moves', async () => {
    const site = await newSite(blocked());
    const timer = setTimeout(() => {
      void site.from.client.mergePatch(
        { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', namespace: 'ns1', name: 'foo' },
        { metadata: { annotations: { 'clusterctl.cluster.x-k8s.io/block-move': null } } },
      );
    }, 20);
    await expect(move(site)).resolves.toMatchObject({ dryRun: false });
    clearTimeout(timer);
    expect(keys(site.to.objects())).toContain('Cluster ns1/foo');
  });
});

describe('options (client-level)', () => {
  test.each([
    [
      'no target without a dry run',
      (s: Site) => ({ from: s.from.client, namespace: 'ns1' }),
      /'to': the target KubeClient is required/,
    ],
    [
      'the same client twice',
      (s: Site) => ({ from: s.from.client, to: s.from.client, namespace: 'ns1' }),
      /same client/,
    ],
    [
      'a bad namespace',
      (s: Site) => ({ from: s.from.client, to: s.to.client, namespace: 'Not_A_Namespace' }),
      /not a valid namespace name/,
    ],
    [
      'a bad cluster name',
      (s: Site) => ({ from: s.from.client, to: s.to.client, namespace: 'ns1', clusterName: 'Bad Name' }),
      /not a valid Cluster name/,
    ],
  ])('%s → refused before any request', async (_name, options, message) => {
    const site = await newSite(cluster('ns1', 'foo').list);
    expect((await failure(moveClusterApi(options(site) as MoveClusterApiOptions))).message).toMatch(message);
    expect([...site.from.requests, ...site.to.requests]).toEqual([]);
  });

  test('a dry run needs no target', async () => {
    const site = await newSite(cluster('ns1', 'foo').list);
    await expect(
      moveClusterApi({ from: site.from.client, namespace: 'ns1', dryRun: true }),
    ).resolves.toMatchObject({ dryRun: true });
  });
});

describe('one namespace, one cluster', () => {
  test('a namespace moves alone; the other namespace stays', async () => {
    const site = await newSite([...cluster('ns1', 'cluster1').list, ...cluster('ns2', 'cluster1').list]);
    await move(site, { namespace: 'ns1' });
    expect(keys(site.to.objects())).toEqual(keys(cluster('ns1', 'cluster1').list));
    expect(keys(site.from.objects())).toEqual(keys(cluster('ns2', 'cluster1').list));
  });

  test('clusterName moves one cluster and its force-moved neighbours; the other cluster stays, unpaused', async () => {
    const site = await newSite([
      ...cluster('ns1', 'cluster1').list,
      ...cluster('ns1', 'cluster2').list,
      ...externalObject('ns1', 'ext').list,
    ]);
    const result = await move(site, { namespace: 'ns1', clusterName: 'cluster1' });
    expect(keys(site.to.objects())).toEqual(
      keys([...cluster('ns1', 'cluster1').list, ...externalObject('ns1', 'ext').list]),
    );
    expect(keys(site.from.objects())).toEqual(keys(cluster('ns1', 'cluster2').list));
    expectUnpaused(site.from.objects());
    expect(result.plan.clusterName).toBe('cluster1');
  });

  test('a cluster name found nowhere is refused', async () => {
    const site = await newSite(cluster('ns1', 'cluster1').list);
    expect((await failure(move(site, { namespace: 'ns1', clusterName: 'nope' }))).problems).toEqual([
      'Cluster ns1/nope not found in the source',
    ]);
  });

  test('an object being deleted is refused (clusterctl does not check)', async () => {
    const objects = cluster('ns1', 'foo').list.map((o) =>
      o.kind === 'GenericInfrastructureCluster'
        ? { ...o, metadata: { ...o.metadata, finalizers: ['example.com/x'] } }
        : o,
    );
    const site = await newSite(objects);
    const gic = objects.find((o) => o.kind === 'GenericInfrastructureCluster')!;
    await site.from.client.delete({
      apiVersion: gic.apiVersion,
      kind: gic.kind,
      namespace: 'ns1',
      name: 'foo',
    });
    const before = site.from.requests.length;
    expect((await failure(move(site))).problems).toEqual([
      expect.stringMatching(/GenericInfrastructureCluster ns1\/foo is being deleted/),
    ]);
    expect(
      site.from.requests.slice(before).filter((r) => !['get', 'list', 'discovery'].includes(r.verb)),
    ).toEqual([]);
  });
});

describe('beyond clusterctl', () => {
  test('progress: one line per layer with counts, and a summary', async () => {
    const site = await newSite(cluster('ns1', 'foo', { machines: ['m1'] }).list);
    const lines: string[] = [];
    await move(site, { onProgress: (l) => lines.push(l) });
    expect(lines.filter((l) => / in the target \(/.test(l))).toEqual([
      'Layer 1/4: created 1 in the target (Cluster 1)',
      'Layer 2/4: created 4 in the target (GenericInfrastructureCluster 1, Machine 1, Secret 2)',
      'Layer 3/4: created 2 in the target (GenericBootstrapConfig 1, GenericInfrastructureMachine 1)',
      'Layer 4/4: created 2 in the target (Secret 2)',
    ]);
    expect(lines.at(-1)).toBe('Moved 9 objects, copied 0 that stay in the source too');
  });

  test('progress never carries Secret data', async () => {
    const site = await newSite(cluster('ns1', 'foo').list);
    const lines: string[] = [];
    await move(site, { onProgress: (l) => lines.push(l) });
    expect(lines.join('\n')).not.toMatch(/c2VjcmV0|secret-foo/);
  });

  test('an object with an owner outside the move is reported loudly, not dropped silently', async () => {
    // A kind whose CRD clusterctl did not label: never listed, so its objects are virtual owners.
    const unlisted = {
      ...crd('example.com/v1', 'Unlisted', 'Namespaced'),
      metadata: { name: 'unlisteds.example.com' },
    };
    const owner: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Unlisted',
      metadata: { name: 'u', namespace: 'ns1', uid: 'u-1' },
    };
    const objects = [
      ...cluster('ns1', 'foo').list,
      owner,
      secret('ns1', 'orphaned', { owners: [object('GIC', 'ns1', 'foo'), owner] }),
    ];
    const site = await newSite(objects, { extraCrds: [unlisted] });
    const lines: string[] = [];
    const result = await move(site, { onProgress: (l) => lines.push(l) });
    expect(result.plan.excluded.map((e) => e.name)).toEqual(['orphaned']);
    expect(lines).toContainEqual(expect.stringMatching(/^WARNING: Secret ns1\/orphaned will NOT be moved/));
    expect(keys(site.from.objects())).toEqual(['Secret ns1/orphaned', 'Unlisted ns1/u']);
  });

  test('a failure after pausing unpauses the source (cluster-api#7407), and a re-run completes', async () => {
    const objects = cluster('ns1', 'foo', { machines: ['m1'] }).list;
    const site = await newSite(objects);
    site.to.fail({ method: 'POST', path: '/apis/cluster.x-k8s.io/*/namespaces/*/machines', times: Infinity });
    const error = await failure(move(site));
    expect(error.message).toMatch(
      /the source was unpaused; \d+ objects already copied to the target stay there, paused/,
    );
    expectUnpaused(site.from.objects());
    expect(keys(site.from.objects())).toEqual(keys(objects));
    site.to.clearFaults();
    const result = await move(site);
    expect(keys(site.to.objects())).toEqual(keys(objects));
    expect(site.from.objects()).toEqual([]);
    expectUnpaused(site.to.objects());
    expect(
      result.objects
        .filter((o) => o.target === 'adopted')
        .map((o) => o.kind)
        .sort(),
    ).toEqual(['Cluster', 'GenericInfrastructureCluster', 'Secret', 'Secret']);
  });
});
