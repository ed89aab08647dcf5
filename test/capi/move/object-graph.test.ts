// The object-graph cases of research/capi.md §3.1 (G-TYPES, G-ADD, G-SHARED detached, G-SOFT, G-TEN, G-CRS,
// G-GLOBAL, G-CYCLE), as table-driven tests over plain object lists.
import { cluster, clusterClass, clusterIdentity, clusterResourceSet, crd, object, secret } from './fixtures';
import { base, buildGraph, expectGraph, short, tenantsOf } from './graph-expect';
import { SHARED_CASES } from './shared-cases';
import { discoveryTypesFromCrds, typeKey } from '../../../src/capi/move/discovery-types';
import { ObjectGraph } from '../../../src/capi/move/object-graph';
import type { KubeObject } from '../../../src/kube/types';

describe('G-TYPES: discovery types from CRDs', () => {
  const flags = (crds: KubeObject[]) =>
    Object.fromEntries(
      discoveryTypesFromCrds(crds).map((t) => [
        typeKey(t.apiVersion, t.kind),
        {
          apiVersion: t.apiVersion,
          namespaced: t.namespaced,
          forceMove: t.forceMove,
          forceMoveHierarchy: t.forceMoveHierarchy,
        },
      ]),
    );
  const core = {
    'secrets.v1': { apiVersion: 'v1', namespaced: true, forceMove: false, forceMoveHierarchy: false },
    'configmaps.v1': { apiVersion: 'v1', namespaced: true, forceMove: false, forceMoveHierarchy: false },
  };

  test('only the storage version counts', () => {
    const bar = crd('foo/v2', 'Bar', 'Namespaced');
    const twoVersions = {
      ...bar,
      spec: {
        ...(bar.spec as object),
        versions: [
          { name: 'v1', served: true, storage: false },
          { name: 'v2', served: true, storage: true },
        ],
      },
    };
    expect(flags([twoVersions, crd('foo/v1', 'Baz', 'Namespaced')])).toEqual({
      'bars.foo': { apiVersion: 'foo/v2', namespaced: true, forceMove: false, forceMoveHierarchy: false },
      'bazs.foo': { apiVersion: 'foo/v1', namespaced: true, forceMove: false, forceMoveHierarchy: false },
      ...core,
    });
  });

  test('Cluster, ClusterClass and ClusterResourceSet are always hierarchy roots', () => {
    const crds = [
      crd('cluster.x-k8s.io/v1beta2', 'Cluster', 'Namespaced'),
      crd('cluster.x-k8s.io/v1beta2', 'ClusterClass', 'Namespaced'),
      crd('addons.cluster.x-k8s.io/v1beta2', 'ClusterResourceSet', 'Namespaced'),
    ];
    const root = { namespaced: true, forceMove: true, forceMoveHierarchy: true };
    expect(flags(crds)).toEqual({
      'clusters.cluster.x-k8s.io': { apiVersion: 'cluster.x-k8s.io/v1beta2', ...root },
      'clusterclasss.cluster.x-k8s.io': { apiVersion: 'cluster.x-k8s.io/v1beta2', ...root },
      'clusterresourcesets.addons.cluster.x-k8s.io': {
        apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
        ...root,
      },
      ...core,
    });
  });

  test.each([
    [
      'a cluster-scoped CRD without labels',
      'Cluster',
      {},
      { namespaced: false, forceMove: false, forceMoveHierarchy: false },
    ],
    [
      'the move label',
      'Namespaced',
      { 'clusterctl.cluster.x-k8s.io/move': '' },
      { namespaced: true, forceMove: true, forceMoveHierarchy: false },
    ],
    [
      'the move-hierarchy label',
      'Namespaced',
      { 'clusterctl.cluster.x-k8s.io/move-hierarchy': '' },
      { namespaced: true, forceMove: true, forceMoveHierarchy: true },
    ],
  ] as const)('%s', (_name, scope, labels, expected) => {
    const types = flags([
      crd('infrastructure.cluster.x-k8s.io/v1beta2', 'GenericClusterInfrastructureIdentity', scope, labels),
    ]);
    expect(types['genericclusterinfrastructureidentitys.infrastructure.cluster.x-k8s.io']).toEqual({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      ...expected,
    });
  });
});

describe('G-ADD: nodes and ownerReference edges', () => {
  const raw = (uid: string, owner?: string): KubeObject => ({
    apiVersion: 'a/v1',
    kind: 'A',
    metadata: {
      name: `obj${uid}`,
      namespace: 'ns',
      uid,
      ...(owner
        ? {
            ownerReferences: [
              { apiVersion: 'a/v1', kind: 'A', name: `obj${owner}`, uid: owner, controller: true },
            ],
          }
        : {}),
    },
  });
  const graphOf = (objects: KubeObject[]) => {
    const graph = new ObjectGraph([]);
    for (const o of objects) graph.addObject(o);
    return graph;
  };

  test('a single object becomes one observed node without owners', () => {
    const graph = graphOf([raw('1')]);
    expect(graph.nodes).toHaveLength(1);
    expect(graph.node('1')).toMatchObject({ virtual: false, name: 'obj1', namespace: 'ns' });
    expect(graph.node('1')!.owners.size).toBe(0);
  });

  test('an owner never added becomes a virtual node', () => {
    const graph = graphOf([raw('1', '2')]);
    expect(graph.nodes).toHaveLength(2);
    expect(graph.node('2')).toMatchObject({ virtual: true, name: 'obj2', namespace: undefined });
    expect([...graph.node('1')!.owners]).toEqual([
      [graph.node('2'), { controller: true, blockOwnerDeletion: undefined }],
    ]);
  });

  test.each([
    ['owner after dependent', ['1', '2']],
    ['owner before dependent', ['2', '1']],
  ])('%s: both observed, one edge', (_name, order) => {
    const objects = { '1': raw('1', '2'), '2': raw('2') } as Record<string, KubeObject>;
    const graph = graphOf(order.map((uid) => objects[uid]));
    expect(graph.nodes.map((n) => [n.uid, n.virtual]).sort()).toEqual([
      ['1', false],
      ['2', false],
    ]);
    expect([...graph.node('1')!.owners.keys()]).toEqual([graph.node('2')]);
    expect(graph.node('2')!.owners.size).toBe(0);
  });

  test('an object without a uid is refused with its name', () => {
    expect(() =>
      graphOf([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'ns' } }]),
    ).toThrow(/Secret ns\/x has no metadata.uid/);
  });
});

describe('G-SHARED (detached): graph after soft ownership', () => {
  test.each(SHARED_CASES.map(([name, objects, expected]) => [name, objects, expected] as const))(
    '%s',
    (_name, objects, expected) => {
      expectGraph(buildGraph(objects()), expected);
    },
  );

  test('adding the same objects in reverse order gives the same graph', () => {
    for (const [, objects, expected] of SHARED_CASES) expectGraph(buildGraph(objects().reverse()), expected);
  });
});

describe('G-SOFT: soft ownership', () => {
  test('the CA secret is soft-owned by its cluster; the kubeconfig, having a real owner, is not', () => {
    const graph = buildGraph(cluster('ns1', 'cluster1').list);
    const byShort = (s: string) => graph.nodes.find((n) => short(n) === s)!;
    expect([...byShort('S ns1/cluster1-ca').softOwners].map(short)).toEqual(['C ns1/cluster1']);
    expect(byShort('S ns1/cluster1-kubeconfig').softOwners.size).toBe(0);
  });

  test('a cluster is soft-owned by its class; an empty class namespace means the cluster namespace', () => {
    const objects = cluster(
      'ns1',
      'cluster1',
      { topologyClass: 'class1' },
      clusterClass('ns1', 'class1'),
    ).list;
    expectGraph(buildGraph(objects), [
      'CC ns1/class1',
      'GICT ns1/class1 > CC ns1/class1',
      'GCPT ns1/class1 > CC ns1/class1',
      ...base('ns1', 'cluster1', '~ CC ns1/class1'),
    ]);
  });

  test('the v1beta1 topology fields (class, classNamespace) name the class too', () => {
    const objects = clusterClass('ns2', 'class1').list;
    const c = cluster('ns1', 'cluster1').list.map((o) =>
      o.kind === 'Cluster'
        ? {
            ...o,
            apiVersion: 'cluster.x-k8s.io/v1beta1',
            spec: { topology: { class: 'class1', classNamespace: 'ns2', version: 'v1.30.0' } },
          }
        : o,
    );
    const graph = buildGraph([...objects, ...c]);
    expect([...graph.nodes.find((n) => short(n) === 'C ns1/cluster1')!.softOwners].map(short)).toEqual([
      'CC ns2/class1',
    ]);
  });

  test('a binding is soft-owned by the cluster it names', () => {
    const graph = buildGraph(
      clusterResourceSet('ns1', 'crs1', { clusters: ['cluster1'] }, cluster('ns1', 'cluster1')).list,
    );
    expect([...graph.nodes.find((n) => short(n) === 'CRSB ns1/cluster1')!.softOwners].map(short)).toEqual([
      'C ns1/cluster1',
    ]);
  });

  test.each([
    ['cluster1-etcd', true],
    ['cluster1-sa', true],
    ['cluster1-proxy', true],
    ['cluster1-kubeconfig', true],
    // The name is split at the last dash (suffix "client"), exactly as clusterctl does, so this one is not linked.
    ['cluster1-apiserver-etcd-client', false],
    ['cluster1-cloud-config', false],
    ['other-ca', false],
  ])('secret %s without owners soft-owned: %s', (name, linked) => {
    const objects = cluster('ns1', 'cluster1').list.filter((o) => o.metadata.name !== name);
    const graph = buildGraph([...objects, secret('ns1', name)]);
    expect([...graph.nodes.find((n) => short(n) === `S ns1/${name}`)!.softOwners].map(short)).toEqual(
      linked ? ['C ns1/cluster1'] : [],
    );
  });

  test('a secret named after a cluster of another namespace is not linked', () => {
    const graph = buildGraph([...cluster('ns1', 'cluster1').list, secret('ns2', 'cluster1-ca')]);
    expect(graph.nodes.find((n) => short(n) === 'S ns2/cluster1-ca')!.softOwners.size).toBe(0);
  });
});

describe('G-TEN: cluster tenants', () => {
  const set = (ns: string, c: string) => [
    `C ${ns}/${c}`,
    `GIC ${ns}/${c}`,
    `S ${ns}/${c}-ca`,
    `S ${ns}/${c}-kubeconfig`,
  ];

  test('one cluster', () => {
    expect(tenantsOf(buildGraph(cluster('ns1', 'foo').list), 'C ns1/foo')).toEqual(set('ns1', 'foo').sort());
  });

  test('an orphan template belongs to no tenant', () => {
    const graph = buildGraph([...cluster('ns1', 'foo').list, object('GIMT', 'ns1', 'orphan')]);
    expect(tenantsOf(graph, 'C ns1/foo')).toEqual(set('ns1', 'foo').sort());
    expect(graph.nodes.find((n) => n.name === 'orphan')!.tenants.size).toBe(0);
    expect(graph.moveNodes().map(short)).not.toContain('GIMT ns1/orphan');
  });

  test('two clusters each get their own set', () => {
    const graph = buildGraph(cluster('ns1', 'bar', {}, cluster('ns1', 'foo')).list);
    expect(tenantsOf(graph, 'C ns1/foo')).toEqual(set('ns1', 'foo').sort());
    expect(tenantsOf(graph, 'C ns1/bar')).toEqual(set('ns1', 'bar').sort());
  });

  test('a shared template is in both sets', () => {
    const graph = buildGraph(
      SHARED_CASES.find(([n]) => n === 'two clusters sharing a machine template')![1](),
    );
    for (const c of ['cluster1', 'cluster2']) {
      expect(tenantsOf(graph, `C ns1/${c}`)).toEqual(
        [
          ...set('ns1', c),
          'GIMT ns1/shared',
          `MS ns1/${c}-ms1`,
          `GBCT ns1/${c}-ms1`,
          `M ns1/${c}-m1`,
          `GIM ns1/${c}-m1`,
          `GBC ns1/${c}-m1`,
          `S ns1/${c}-m1`,
        ].sort(),
      );
    }
    expect(graph.nodes.some((n) => n.isGlobalHierarchy)).toBe(false);
  });

  test('a binding joins its cluster set through soft ownership; the set resources do not', () => {
    const graph = buildGraph(
      clusterResourceSet(
        'ns1',
        'crs1',
        { secrets: ['resource-s1'], configMaps: ['resource-c1'], clusters: ['cluster1'] },
        cluster('ns1', 'cluster1'),
      ).list,
    );
    expect(tenantsOf(graph, 'C ns1/cluster1')).toEqual(
      [...set('ns1', 'cluster1'), 'CRSB ns1/cluster1'].sort(),
    );
  });

  test('with two clusters each set holds its own binding', () => {
    const graph = buildGraph(
      clusterResourceSet(
        'ns1',
        'crs1',
        { clusters: ['cluster1', 'cluster2'] },
        cluster('ns1', 'cluster2', {}, cluster('ns1', 'cluster1')),
      ).list,
    );
    expect(tenantsOf(graph, 'C ns1/cluster1')).toEqual(
      [...set('ns1', 'cluster1'), 'CRSB ns1/cluster1'].sort(),
    );
    expect(tenantsOf(graph, 'C ns1/cluster2')).toEqual(
      [...set('ns1', 'cluster2'), 'CRSB ns1/cluster2'].sort(),
    );
  });
});

describe('G-CRS and G-GLOBAL: other hierarchy roots', () => {
  test('a cluster resource set holds its bindings and resources', () => {
    const one = buildGraph(
      clusterResourceSet(
        'ns1',
        'crs1',
        { secrets: ['resource-s1'], configMaps: ['resource-c1'], clusters: ['cluster1'] },
        cluster('ns1', 'cluster1'),
      ).list,
    );
    expect(tenantsOf(one, 'CRS ns1/crs1')).toEqual([
      'CM ns1/resource-c1',
      'CRS ns1/crs1',
      'CRSB ns1/cluster1',
      'S ns1/resource-s1',
    ]);
    const two = buildGraph(
      clusterResourceSet(
        'ns1',
        'crs1',
        { secrets: ['resource-s1'], configMaps: ['resource-c1'], clusters: ['cluster1', 'cluster2'] },
        cluster('ns1', 'cluster2', {}, cluster('ns1', 'cluster1')),
      ).list,
    );
    expect(tenantsOf(two, 'CRS ns1/crs1')).toEqual([
      'CM ns1/resource-c1',
      'CRS ns1/crs1',
      'CRSB ns1/cluster1',
      'CRSB ns1/cluster2',
      'S ns1/resource-s1',
    ]);
    expect(two.nodes.some((n) => n.isGlobalHierarchy)).toBe(false);
  });

  test('a global identity and its secret form a global hierarchy', () => {
    const graph = buildGraph(clusterIdentity('infra1-identity', 'infra1-system').list);
    expect(tenantsOf(graph, 'GCII /infra1-identity')).toEqual([
      'GCII /infra1-identity',
      'S infra1-system/infra1-identity-credentials',
    ]);
    expect(graph.nodes.every((n) => n.isGlobalHierarchy)).toBe(true);
    expect(graph.nodes.some((n) => n.deletable)).toBe(false);
  });
});

describe('G-CYCLE: ownerReference cycles', () => {
  // Root C; A is owned by C and by B; B is owned by A.
  const c = object('C', 'ns1', 'c');
  const a = object('GIM', 'ns1', 'a', { owners: [c, object('GBC', 'ns1', 'b')] });
  const b = object('GBC', 'ns1', 'b', { owners: [a] });

  test('tenants terminate and reach both nodes', () => {
    const graph = buildGraph([c, a, b]);
    expect(tenantsOf(graph, 'C ns1/c')).toEqual(['C ns1/c', 'GBC ns1/b', 'GIM ns1/a']);
  });

  test('should-not-delete marking terminates and reaches both nodes', () => {
    const graph = buildGraph([c, a, b]);
    graph.markShouldNotDelete(graph.node(c.metadata.uid!)!);
    expect(
      graph.nodes
        .filter((n) => n.shouldNotDelete)
        .map(short)
        .sort(),
    ).toEqual(['C ns1/c', 'GBC ns1/b', 'GIM ns1/a']);
  });
});
