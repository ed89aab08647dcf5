/**
 * The 22 move-sequence cases of research/capi.md §3.2 (M-SEQ), shared by the pure sequence test and the mover tests
 * against the simulated site: fixtures, the expected groups (unordered within a group) and whether a move must fail.
 */
import {
  cluster,
  clusterClass,
  clusterExternalObject,
  clusterIdentity,
  clusterResourceSet,
  externalObject,
} from './fixtures';
import type { KubeObject } from '../../../src/kube/types';

export interface SequenceCase {
  readonly name: string;
  readonly objects: () => KubeObject[];
  /** `Short ns/name` per object; global objects `Short /name`. */
  readonly groups: readonly (readonly string[])[];
  /** The move (and its dry run) must be refused. */
  readonly refused?: RegExp;
  /** Objects copied to the target but kept in the source (global ones). */
  readonly keptInSource?: readonly string[];
}

const clusterSet = (ns: string, c: string) => [
  `S ${ns}/${c}-ca`,
  `S ${ns}/${c}-kubeconfig`,
  `GIC ${ns}/${c}`,
];
const two = (kind: string, a: string, b: string) => [`${kind} ns1/${a}`, `${kind} ns1/${b}`];

const withClass: SequenceCase = {
  name: 'cluster with a cluster class',
  objects: () => cluster('ns1', 'foo', { topologyClass: 'class1' }, clusterClass('ns1', 'class1')).list,
  groups: [['CC ns1/class1'], ['GICT ns1/class1', 'GCPT ns1/class1', 'C ns1/foo'], clusterSet('ns1', 'foo')],
};

export const SEQUENCE_CASES: readonly SequenceCase[] = [
  withClass,
  {
    name: 'cluster',
    objects: () => cluster('ns1', 'foo').list,
    groups: [['C ns1/foo'], clusterSet('ns1', 'foo')],
  },
  {
    name: 'paused cluster',
    objects: () => cluster('ns1', 'foo', { paused: true }).list,
    groups: [['C ns1/foo'], clusterSet('ns1', 'foo')],
    refused: /Clusters are paused: ns1\/foo/,
  },
  {
    name: 'paused cluster class',
    objects: () => clusterClass('ns1', 'class1', { paused: true }).list,
    groups: [['CC ns1/class1'], ['GICT ns1/class1', 'GCPT ns1/class1']],
    refused: /ClusterClasses are paused: ns1\/class1/,
  },
  {
    name: 'cluster with a cloud-config secret',
    objects: () => cluster('ns1', 'foo', { cloudConfigSecret: true }).list,
    groups: [['C ns1/foo', 'S ns1/foo-cloud-config'], clusterSet('ns1', 'foo')],
  },
  {
    name: 'cluster with machines',
    objects: () => cluster('ns1', 'cluster1', { machines: ['m1', 'm2'] }).list,
    groups: [
      ['C ns1/cluster1'],
      [...clusterSet('ns1', 'cluster1'), ...two('M', 'm1', 'm2')],
      [...two('GBC', 'm1', 'm2'), ...two('GIM', 'm1', 'm2')],
      ['S ns1/cluster1-sa', ...two('S', 'm1', 'm2')],
    ],
  },
  {
    name: 'machine set',
    objects: () =>
      cluster('ns1', 'cluster1', { machineSets: [{ name: 'ms1', machines: ['m1', 'm2'] }] }).list,
    groups: [
      ['C ns1/cluster1'],
      [...clusterSet('ns1', 'cluster1'), 'GBCT ns1/ms1', 'MS ns1/ms1', 'GIMT ns1/ms1'],
      two('M', 'm1', 'm2'),
      [...two('GBC', 'm1', 'm2'), ...two('GIM', 'm1', 'm2')],
      two('S', 'm1', 'm2'),
    ],
  },
  {
    name: 'machine deployment',
    objects: () =>
      cluster('ns1', 'cluster1', {
        machineDeployments: [{ name: 'md1', machineSets: [{ name: 'ms1', machines: ['m1', 'm2'] }] }],
      }).list,
    groups: [
      ['C ns1/cluster1'],
      [...clusterSet('ns1', 'cluster1'), 'GBCT ns1/md1', 'MD ns1/md1', 'GIMT ns1/md1'],
      ['MS ns1/ms1'],
      two('M', 'm1', 'm2'),
      [...two('GBC', 'm1', 'm2'), ...two('GIM', 'm1', 'm2')],
      two('S', 'm1', 'm2'),
    ],
  },
  {
    name: 'machine deployment with static bootstrap',
    objects: () =>
      cluster('ns1', 'cluster1', {
        machineDeployments: [
          { name: 'md1', staticBootstrap: true, machineSets: [{ name: 'ms1', machines: ['m1', 'm2'] }] },
        ],
      }).list,
    groups: [
      ['C ns1/cluster1'],
      [...clusterSet('ns1', 'cluster1'), 'MD ns1/md1', 'GIMT ns1/md1'],
      ['MS ns1/ms1'],
      two('M', 'm1', 'm2'),
      two('GIM', 'm1', 'm2'),
    ],
  },
  {
    name: 'control plane',
    objects: () => cluster('ns1', 'cluster1', { controlPlane: { name: 'cp1', machines: ['m1', 'm2'] } }).list,
    groups: [
      ['C ns1/cluster1'],
      ['S ns1/cluster1-ca', 'GCP ns1/cp1', 'GIC ns1/cluster1', 'GIMT ns1/cp1'],
      ['S ns1/cluster1-kubeconfig', 'S ns1/cluster1-sa', ...two('M', 'm1', 'm2')],
      [...two('GBC', 'm1', 'm2'), ...two('GIM', 'm1', 'm2')],
      two('S', 'm1', 'm2'),
    ],
  },
  {
    name: 'machine pool',
    objects: () => cluster('ns1', 'cluster1', { machinePools: [{ name: 'mp1' }] }).list,
    groups: [
      ['C ns1/cluster1'],
      [...clusterSet('ns1', 'cluster1'), 'GBCT ns1/mp1', 'MP ns1/mp1', 'GIMT ns1/mp1'],
    ],
  },
  {
    name: 'two clusters',
    objects: () => cluster('ns1', 'bar', {}, cluster('ns1', 'foo')).list,
    groups: [two('C', 'foo', 'bar'), [...clusterSet('ns1', 'foo'), ...clusterSet('ns1', 'bar')]],
  },
  {
    name: 'two clusters sharing a machine template',
    objects: () =>
      cluster(
        'ns1',
        'cluster2',
        { machineSets: [{ name: 'cluster2-ms1', sharedTemplate: 'shared', machines: ['cluster2-m1'] }] },
        cluster('ns1', 'cluster1', {
          machineSets: [{ name: 'cluster1-ms1', sharedTemplate: 'shared', machines: ['cluster1-m1'] }],
        }),
      ).list,
    groups: [
      two('C', 'cluster1', 'cluster2'),
      [
        'GIMT ns1/shared',
        ...['cluster1', 'cluster2'].flatMap((c) => [
          ...clusterSet('ns1', c),
          `GBCT ns1/${c}-ms1`,
          `MS ns1/${c}-ms1`,
        ]),
      ],
      two('M', 'cluster1-m1', 'cluster2-m1'),
      [...two('GBC', 'cluster1-m1', 'cluster2-m1'), ...two('GIM', 'cluster1-m1', 'cluster2-m1')],
      two('S', 'cluster1-m1', 'cluster2-m1'),
    ],
  },
  {
    name: 'cluster resource set',
    objects: () =>
      clusterResourceSet(
        'ns1',
        'crs1',
        { secrets: ['resource-s1'], configMaps: ['resource-c1'], clusters: ['cluster1'] },
        cluster('ns1', 'cluster1'),
      ).list,
    groups: [
      ['C ns1/cluster1', 'CRS ns1/crs1'],
      [...clusterSet('ns1', 'cluster1'), 'S ns1/resource-s1', 'CM ns1/resource-c1', 'CRSB ns1/cluster1'],
    ],
  },
  // clusterctl's table lists this case twice.
  { ...withClass, name: 'cluster with a cluster class (again)' },
  {
    name: 'two clusters with two classes',
    objects: () =>
      cluster(
        'ns1',
        'foo2',
        { topologyClass: 'class2' },
        cluster(
          'ns1',
          'foo1',
          { topologyClass: 'class1' },
          clusterClass('ns1', 'class2', {}, clusterClass('ns1', 'class1')),
        ),
      ).list,
    groups: [
      two('CC', 'class1', 'class2'),
      [...two('GICT', 'class1', 'class2'), ...two('GCPT', 'class1', 'class2'), ...two('C', 'foo1', 'foo2')],
      [...clusterSet('ns1', 'foo1'), ...clusterSet('ns1', 'foo2')],
    ],
  },
  {
    name: 'two clusters sharing a class',
    objects: () =>
      cluster(
        'ns1',
        'foo2',
        { topologyClass: 'class1' },
        cluster('ns1', 'foo1', { topologyClass: 'class1' }, clusterClass('ns1', 'class1')),
      ).list,
    groups: [
      ['CC ns1/class1'],
      ['GICT ns1/class1', 'GCPT ns1/class1', ...two('C', 'foo1', 'foo2')],
      [...clusterSet('ns1', 'foo1'), ...clusterSet('ns1', 'foo2')],
    ],
  },
  {
    name: 'unused class and a cluster without topology',
    objects: () => cluster('ns1', 'foo1', {}, clusterClass('ns1', 'class1')).list,
    groups: [
      ['CC ns1/class1', 'C ns1/foo1'],
      ['GICT ns1/class1', 'GCPT ns1/class1', ...clusterSet('ns1', 'foo1')],
    ],
  },
  {
    name: 'external object',
    objects: () => externalObject('ns1', 'external-object1').list,
    groups: [['GEO ns1/external-object1']],
  },
  {
    name: 'cluster external object',
    objects: () => clusterExternalObject('external-object1').list,
    groups: [['GCEO /external-object1']],
    keptInSource: ['GCEO /external-object1'],
  },
  {
    name: 'cluster with a credentials secret',
    objects: () => cluster('ns1', 'foo', { credentialSecret: true }).list,
    groups: [['C ns1/foo'], [...clusterSet('ns1', 'foo'), 'S ns1/foo-credentials']],
  },
  {
    name: 'global identity with its secret',
    objects: () => clusterIdentity('infra1-identity', 'infra1-system').list,
    groups: [['GCII /infra1-identity'], ['S infra1-system/infra1-identity-credentials']],
    keptInSource: ['GCII /infra1-identity', 'S infra1-system/infra1-identity-credentials'],
  },
];
