// The cluster filter: EKS-A's --filter-cluster cases (patch 0011, research/capi.md §3.2 "EKS-A fork additions"),
// then the cases where we deliberately differ from the patch (see src/capi/move/cluster-filter.ts).
import { cluster, clusterClass, clusterIdentity, clusterResourceSet, externalObject } from './fixtures';
import { base, buildGraph, expectGraph, groupsOf, short } from './graph-expect';
import { filterCluster } from '../../../src/capi/move/cluster-filter';
import { MoveError } from '../../../src/capi/move/move-error';
import { moveSequence } from '../../../src/capi/move/move-sequence';
import type { KubeObject } from '../../../src/kube/types';

function filtered(objects: KubeObject[], name: string, namespace = 'ns1') {
  const graph = buildGraph(objects);
  const target = graph.clusters().find((c) => c.name === name && c.namespace === namespace)!;
  filterCluster(
    graph,
    target,
    objects.filter((o) => o.kind === 'Cluster'),
  );
  return graph;
}

describe('cluster filter: EKS-A semantics', () => {
  test('keeps only the filtered cluster of two in one namespace', () => {
    const objects = cluster('ns1', 'cluster2', {}, cluster('ns1', 'cluster1')).list;
    expectGraph(filtered(objects, 'cluster1'), base('ns1', 'cluster1'));
  });

  test('keeps force-moved objects that belong to no cluster, in any namespace', () => {
    const objects = externalObject(
      'ns2',
      'external-object2',
      externalObject('ns1', 'external-object1', cluster('ns1', 'cluster2', {}, cluster('ns1', 'cluster1'))),
    ).list;
    expectGraph(filtered(objects, 'cluster1'), [
      ...base('ns1', 'cluster1'),
      'GEO ns1/external-object1',
      'GEO ns2/external-object2',
    ]);
  });

  test('refuses an object that another cluster also depends on, naming it and both clusters', () => {
    const objects = cluster(
      'ns1',
      'cluster2',
      { machineSets: [{ name: 'cluster2-ms1', sharedTemplate: 'shared' }] },
      cluster('ns1', 'cluster1', { machineSets: [{ name: 'cluster1-ms1', sharedTemplate: 'shared' }] }),
    ).list;
    let error: unknown;
    try {
      filtered(objects, 'cluster1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MoveError);
    expect((error as MoveError).problems).toEqual([
      expect.stringMatching(
        /^GenericInfrastructureMachineTemplate ns1\/shared belongs to Clusters cluster1, cluster2/,
      ),
    ]);
  });
});

describe('cluster filter: where we differ from the patch', () => {
  test('a class the cluster uses moves with its templates; an unused class stays', () => {
    const objects = cluster(
      'ns1',
      'cluster1',
      { topologyClass: 'class1' },
      clusterClass('ns1', 'unused', {}, clusterClass('ns1', 'class1')),
    ).list;
    const graph = filtered(objects, 'cluster1');
    expectGraph(graph, [
      'CC ns1/class1',
      'GICT ns1/class1 > CC ns1/class1',
      'GCPT ns1/class1 > CC ns1/class1',
      ...base('ns1', 'cluster1', '~ CC ns1/class1'),
    ]);
    expect(groupsOf(moveSequence(graph).groups)).toEqual([
      ['CC ns1/class1'],
      ['C ns1/cluster1', 'GCPT ns1/class1', 'GICT ns1/class1'],
      ['GIC ns1/cluster1', 'S ns1/cluster1-ca', 'S ns1/cluster1-kubeconfig'],
    ]);
  });

  test('a class another cluster still uses is copied but kept in the source, the moved cluster is not held back', () => {
    const objects = cluster(
      'ns1',
      'cluster2',
      { topologyClass: 'class1' },
      cluster('ns1', 'cluster1', { topologyClass: 'class1' }, clusterClass('ns1', 'class1')),
    ).list;
    const graph = filtered(objects, 'cluster1');
    expect(
      graph
        .moveNodes()
        .filter((n) => n.shouldNotDelete)
        .map(short)
        .sort(),
    ).toEqual(['CC ns1/class1', 'GCPT ns1/class1', 'GICT ns1/class1']);
    expect(
      graph
        .moveNodes()
        .filter((n) => n.deletable)
        .map(short)
        .sort(),
    ).toEqual(
      ['C ns1/cluster1', 'GIC ns1/cluster1', 'S ns1/cluster1-ca', 'S ns1/cluster1-kubeconfig'].sort(),
    );
  });

  test('a class used by a cluster of another namespace is kept in the source too', () => {
    const objects = [
      ...cluster('ns1', 'cluster1', { topologyClass: 'class1' }, clusterClass('ns1', 'class1')).list,
    ];
    const elsewhere = cluster('ns2', 'other', {
      topologyClass: 'class1',
      topologyClassNamespace: 'ns1',
    }).list.filter((o) => o.kind === 'Cluster');
    const graph = buildGraph(objects);
    filterCluster(
      graph,
      graph.clusters()[0],
      [...objects, ...elsewhere].filter((o) => o.kind === 'Cluster'),
    );
    expect(graph.node(objects.find((o) => o.kind === 'ClusterClass')!.metadata.uid!)!.shouldNotDelete).toBe(
      true,
    );
  });

  test('a resource set bound to the cluster moves with its resources; bound to another too, it is kept in the source', () => {
    const objects = clusterResourceSet(
      'ns1',
      'crs1',
      { secrets: ['resource-s1'], configMaps: ['resource-c1'], clusters: ['cluster1', 'cluster2'] },
      cluster('ns1', 'cluster2', {}, cluster('ns1', 'cluster1')),
    ).list;
    const graph = filtered(objects, 'cluster1');
    expectGraph(graph, [
      ...base('ns1', 'cluster1'),
      'CRS ns1/crs1 !shouldNotDelete',
      'CRSB ns1/cluster1 > CRS ns1/crs1 ~ C ns1/cluster1',
      'S ns1/resource-s1 > CRS ns1/crs1 !shouldNotDelete',
      'CM ns1/resource-c1 > CRS ns1/crs1 !shouldNotDelete',
    ]);
  });

  test('a resource set bound only to other clusters stays', () => {
    const objects = clusterResourceSet(
      'ns1',
      'crs1',
      { secrets: ['resource-s1'], clusters: ['cluster2'] },
      cluster('ns1', 'cluster2', {}, cluster('ns1', 'cluster1')),
    ).list;
    expectGraph(filtered(objects, 'cluster1'), base('ns1', 'cluster1'));
  });

  test('a global identity keeps its secret', () => {
    const objects = clusterIdentity('identity', 'infra-system', cluster('ns1', 'cluster1')).list;
    expectGraph(filtered(objects, 'cluster1'), [
      ...base('ns1', 'cluster1'),
      'GCII /identity !isGlobalHierarchy',
      'S infra-system/identity-credentials > GCII /identity !isGlobalHierarchy',
    ]);
  });
});
