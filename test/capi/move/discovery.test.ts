// Discovery against a simulated API server (research/capi.md §3.1): G-SHARED in discovery mode (every namespace)
// and G-NS (one namespace: cross-namespace ClusterClasses, should-not-delete, provider-namespace Secrets).
import { cluster, clusterClass, externalObject, secret } from './fixtures';
import { base, expectGraph } from './graph-expect';
import { SHARED_CASES } from './shared-cases';
import { newSite, stopSites } from './site';
import { discover, readInventory } from '../../../src/capi/move/discovery';
import { READ_BACKOFF } from '../../../src/capi/move/retry';
import type { KubeObject } from '../../../src/kube/types';

afterEach(stopSites);

async function graphOf(objects: readonly KubeObject[], namespace: string, clusterName?: string) {
  const site = await newSite(objects);
  const inventory = await readInventory(site.from.client, READ_BACKOFF);
  const discovery = await discover(site.from.client, {
    namespace,
    clusterName,
    inventory,
    backoff: READ_BACKOFF,
  });
  return { ...discovery, site };
}

describe('G-SHARED (discovery, every namespace)', () => {
  test.each(SHARED_CASES.map(([name, objects, expected]) => [name, objects, expected] as const))(
    '%s',
    async (_name, objects, expected) => {
      const { graph } = await graphOf(objects(), '');
      expectGraph(graph, expected);
    },
  );
});

describe('G-NS: discovery of one namespace', () => {
  const twoNamespaces = () => [...cluster('ns1', 'cluster1').list, ...cluster('ns2', 'cluster1').list];

  test('every namespace', async () => {
    expectGraph((await graphOf(twoNamespaces(), '')).graph, [
      ...base('ns1', 'cluster1'),
      ...base('ns2', 'cluster1'),
    ]);
  });

  test('one namespace', async () => {
    expectGraph((await graphOf(twoNamespaces(), 'ns1')).graph, base('ns1', 'cluster1'));
  });

  const classSet = (ns: string, cc: string, flags = '') => [
    `CC ${ns}/${cc} ${flags}`,
    `GICT ${ns}/${cc} > CC ${ns}/${cc} ${flags}`,
    `GCPT ${ns}/${cc} > CC ${ns}/${cc} ${flags}`,
  ];

  test('a class of the namespace used by a cluster of another namespace stays in the source', async () => {
    const objects = [
      ...clusterClass('ns1', 'class2', {}, clusterClass('ns1', 'class1')).list,
      ...cluster('ns1', 'cluster1', { topologyClass: 'class1' }).list,
      ...cluster('ns2', 'cluster1', { topologyClass: 'class2', topologyClassNamespace: 'ns1' }).list,
    ];
    expectGraph((await graphOf(objects, 'ns1')).graph, [
      ...base('ns1', 'cluster1', '~ CC ns1/class1'),
      ...classSet('ns1', 'class1'),
      ...classSet('ns1', 'class2', '!shouldNotDelete'),
    ]);
  });

  test('classes used only within their namespace are deleted normally', async () => {
    const objects = [
      ...clusterClass('ns1', 'class1').list,
      ...clusterClass('ns2', 'class2').list,
      ...cluster('ns1', 'cluster1', { topologyClass: 'class1' }).list,
      ...cluster('ns2', 'cluster1', { topologyClass: 'class2' }).list,
    ];
    expectGraph((await graphOf(objects, 'ns1')).graph, [
      ...base('ns1', 'cluster1', '~ CC ns1/class1'),
      ...classSet('ns1', 'class1'),
    ]);
  });

  test('a class used in both namespaces is copied but kept, with its templates', async () => {
    const objects = [
      ...clusterClass('ns1', 'class1').list,
      ...cluster('ns1', 'cluster1', { topologyClass: 'class1' }).list,
      ...cluster('ns2', 'cluster1', { topologyClass: 'class1', topologyClassNamespace: 'ns1' }).list,
    ];
    expectGraph((await graphOf(objects, 'ns1')).graph, [
      ...base('ns1', 'cluster1', '~ CC ns1/class1'),
      ...classSet('ns1', 'class1', '!shouldNotDelete'),
    ]);
  });

  test('a class of another namespace is fetched across namespaces, copied and kept', async () => {
    const objects = [
      ...clusterClass('ns1', 'class1').list,
      ...cluster('ns2', 'cluster1', { topologyClass: 'class1', topologyClassNamespace: 'ns1' }).list,
      ...cluster('ns1', 'cluster1', { topologyClass: 'class1' }).list,
    ];
    const { graph, site } = await graphOf(objects, 'ns2');
    expectGraph(graph, [
      ...base('ns2', 'cluster1', '~ CC ns1/class1'),
      ...classSet('ns1', 'class1', '!shouldNotDelete'),
    ]);
    // The class and its three templates were read one by one.
    expect(
      site.from.requests.filter((r) => r.verb === 'get').map((r) => `${r.kind} ${r.namespace}/${r.name}`),
    ).toEqual([
      'ClusterClass ns1/class1',
      'GenericInfrastructureClusterTemplate ns1/class1',
      'GenericControlPlaneTemplate ns1/class1',
    ]);
  });

  test('a class of another namespace that is missing fails discovery, naming it', async () => {
    const objects = cluster('ns2', 'cluster1', { topologyClass: 'gone', topologyClassNamespace: 'ns1' }).list;
    await expect(graphOf(objects, 'ns2')).rejects.toThrow(
      /Failed to fetch ClusterClass references:\n {2}- ClusterClass ns1\/gone \(used by Cluster ns2\/cluster1\) not found/,
    );
  });

  test('an external object of the namespace is force-moved', async () => {
    expectGraph((await graphOf(externalObject('ns1', 'external-object1').list, 'ns1')).graph, [
      'GEO ns1/external-object1',
    ]);
  });

  test('Secrets of an infrastructure provider namespace are listed, and not moved unless something owns them', async () => {
    const { graph } = await graphOf([secret('infra1-system', 'infra1-credentials')], 'ns1');
    expectGraph(graph, ['S infra1-system/infra1-credentials']);
    expect(graph.moveNodes()).toEqual([]);
  });
});

describe('cluster filter through discovery', () => {
  test('an empty graph and clusterMissing when the cluster is not there', async () => {
    const { graph, clusterMissing } = await graphOf(cluster('ns1', 'cluster1').list, 'ns1', 'other');
    expect(clusterMissing).toBe(true);
    expect(graph.nodes).toEqual([]);
  });

  test('the same name in two namespaces is ambiguous when every namespace is searched', async () => {
    const objects = [...cluster('ns1', 'cluster1').list, ...cluster('ns2', 'cluster1').list];
    await expect(graphOf(objects, '', 'cluster1')).rejects.toThrow(/Cluster name 'cluster1' is ambiguous/);
  });
});
