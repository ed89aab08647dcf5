// The 23 graph cases clusterctl runs both detached and through discovery (G-SHARED, research/capi.md §3.1).
import {
  cluster,
  clusterClass,
  clusterExternalObject,
  clusterIdentity,
  clusterResourceSet,
  externalObject,
  secret,
} from './fixtures';
import { base } from './graph-expect';
import type { KubeObject } from '../../../src/kube/types';

/** The 23 shared cases: fixtures and the exact graph expected after soft ownership. */
export const SHARED_CASES: ReadonlyArray<readonly [string, () => KubeObject[], readonly string[]]> = [
  ['cluster', () => cluster('ns1', 'cluster1').list, base('ns1', 'cluster1')],
  [
    'cluster with a cloud-config secret',
    () => cluster('ns1', 'cluster1', { cloudConfigSecret: true }).list,
    [...base('ns1', 'cluster1'), 'S ns1/cluster1-cloud-config !forceMove'],
  ],
  [
    'two clusters',
    () => cluster('ns1', 'cluster2', {}, cluster('ns1', 'cluster1')).list,
    [...base('ns1', 'cluster1'), ...base('ns1', 'cluster2')],
  ],
  [
    'cluster with a machine',
    () => cluster('ns1', 'cluster1', { machines: ['m1'] }).list,
    [
      ...base('ns1', 'cluster1'),
      'M ns1/m1 > C ns1/cluster1',
      'GIM ns1/m1 > M ns1/m1',
      'GBC ns1/m1 > M ns1/m1',
      'S ns1/m1 > GBC ns1/m1',
      'S ns1/cluster1-sa > GBC ns1/m1',
    ],
  ],
  [
    'cluster with a machine set',
    () => cluster('ns1', 'cluster1', { machineSets: [{ name: 'ms1', machines: ['m1'] }] }).list,
    [
      ...base('ns1', 'cluster1'),
      'MS ns1/ms1 > C ns1/cluster1',
      'GIMT ns1/ms1 > C ns1/cluster1',
      'GBCT ns1/ms1 > C ns1/cluster1',
      'M ns1/m1 > MS ns1/ms1',
      'GIM ns1/m1 > M ns1/m1',
      'GBC ns1/m1 > M ns1/m1',
      'S ns1/m1 > GBC ns1/m1',
    ],
  ],
  [
    'cluster with a machine deployment',
    () =>
      cluster('ns1', 'cluster1', {
        machineDeployments: [{ name: 'md1', machineSets: [{ name: 'ms1', machines: ['m1'] }] }],
      }).list,
    [
      ...base('ns1', 'cluster1'),
      'MD ns1/md1 > C ns1/cluster1',
      'GIMT ns1/md1 > C ns1/cluster1',
      'GBCT ns1/md1 > C ns1/cluster1',
      'MS ns1/ms1 > MD ns1/md1',
      'M ns1/m1 > MS ns1/ms1',
      'GIM ns1/m1 > M ns1/m1',
      'GBC ns1/m1 > M ns1/m1',
      'S ns1/m1 > GBC ns1/m1',
    ],
  ],
  [
    'cluster with a machine deployment and a static bootstrap config on it',
    // Only the MachineDeployment is static: its Machine still has a bootstrap config.
    () =>
      cluster('ns1', 'cluster1', {
        machineDeployments: [
          {
            name: 'md1',
            staticBootstrap: true,
            machineSets: [{ name: 'ms1', machines: [{ name: 'm1', staticBootstrap: false }] }],
          },
        ],
      }).list,
    [
      ...base('ns1', 'cluster1'),
      'MD ns1/md1 > C ns1/cluster1',
      'GIMT ns1/md1 > C ns1/cluster1',
      'MS ns1/ms1 > MD ns1/md1',
      'M ns1/m1 > MS ns1/ms1',
      'GIM ns1/m1 > M ns1/m1',
      'GBC ns1/m1 > M ns1/m1',
      'S ns1/m1 > GBC ns1/m1',
    ],
  ],
  [
    'cluster with a control plane',
    () => cluster('ns1', 'cluster1', { controlPlane: { name: 'cp1', machines: ['m1'] } }).list,
    [
      'C ns1/cluster1',
      'GIC ns1/cluster1 > C ns1/cluster1',
      'S ns1/cluster1-ca ~ C ns1/cluster1',
      'GCP ns1/cp1 > C ns1/cluster1',
      'GIMT ns1/cp1 > C ns1/cluster1',
      'S ns1/cluster1-sa > GCP ns1/cp1',
      'S ns1/cluster1-kubeconfig > GCP ns1/cp1',
      'M ns1/m1 > GCP ns1/cp1',
      'GIM ns1/m1 > M ns1/m1',
      'GBC ns1/m1 > M ns1/m1',
      'S ns1/m1 > GBC ns1/m1',
    ],
  ],
  [
    'cluster with a machine pool',
    () => cluster('ns1', 'cluster1', { machinePools: [{ name: 'mp1' }] }).list,
    [
      ...base('ns1', 'cluster1'),
      'MP ns1/mp1 > C ns1/cluster1',
      'GIMT ns1/mp1 > C ns1/cluster1',
      'GBCT ns1/mp1 > C ns1/cluster1',
    ],
  ],
  [
    'two clusters sharing a machine template',
    () =>
      cluster(
        'ns1',
        'cluster2',
        { machineSets: [{ name: 'cluster2-ms1', sharedTemplate: 'shared', machines: ['cluster2-m1'] }] },
        cluster('ns1', 'cluster1', {
          machineSets: [{ name: 'cluster1-ms1', sharedTemplate: 'shared', machines: ['cluster1-m1'] }],
        }),
      ).list,
    [
      'GIMT ns1/shared > C ns1/cluster1 > C ns1/cluster2',
      ...['cluster1', 'cluster2'].flatMap((c) => [
        ...base('ns1', c),
        `MS ns1/${c}-ms1 > C ns1/${c}`,
        `GBCT ns1/${c}-ms1 > C ns1/${c}`,
        `M ns1/${c}-m1 > MS ns1/${c}-ms1`,
        `GIM ns1/${c}-m1 > M ns1/${c}-m1`,
        `GBC ns1/${c}-m1 > M ns1/${c}-m1`,
        `S ns1/${c}-m1 > GBC ns1/${c}-m1`,
      ]),
    ],
  ],
  [
    'cluster resource set applied to a cluster',
    () =>
      clusterResourceSet(
        'ns1',
        'crs1',
        { secrets: ['resource-s1'], configMaps: ['resource-c1'], clusters: ['cluster1'] },
        cluster('ns1', 'cluster1'),
      ).list,
    [
      ...base('ns1', 'cluster1'),
      'CRS ns1/crs1',
      'CRSB ns1/cluster1 > CRS ns1/crs1 ~ C ns1/cluster1',
      'S ns1/resource-s1 > CRS ns1/crs1',
      'CM ns1/resource-c1 > CRS ns1/crs1',
    ],
  ],
  [
    'cluster resource set applied to two clusters',
    () =>
      clusterResourceSet(
        'ns1',
        'crs1',
        { secrets: ['resource-s1'], configMaps: ['resource-c1'], clusters: ['cluster1', 'cluster2'] },
        cluster('ns1', 'cluster2', {}, cluster('ns1', 'cluster1')),
      ).list,
    [
      ...base('ns1', 'cluster1'),
      ...base('ns1', 'cluster2'),
      'CRS ns1/crs1',
      'CRSB ns1/cluster1 > CRS ns1/crs1 ~ C ns1/cluster1',
      'CRSB ns1/cluster2 > CRS ns1/crs1 ~ C ns1/cluster2',
      'S ns1/resource-s1 > CRS ns1/crs1',
      'CM ns1/resource-c1 > CRS ns1/crs1',
    ],
  ],
  ['external object', () => externalObject('ns1', 'external-object1').list, ['GEO ns1/external-object1']],
  [
    'cluster external object',
    () => clusterExternalObject('external-object1').list,
    ['GCEO /external-object1'],
  ],
  [
    'a lone secret in a provider namespace',
    () => [secret('infra-system', 'credentials')],
    ['S infra-system/credentials'],
  ],
  [
    'cluster with a credentials secret',
    () => cluster('ns1', 'cluster1', { credentialSecret: true }).list,
    [...base('ns1', 'cluster1'), 'S ns1/cluster1-credentials > C ns1/cluster1'],
  ],
  [
    'global identity with its secret',
    () => clusterIdentity('infra1-identity', 'infra1-system').list,
    // The root of a global hierarchy is part of it too (G-GLOBAL).
    [
      'GCII /infra1-identity !isGlobalHierarchy',
      'S infra1-system/infra1-identity-credentials > GCII /infra1-identity !isGlobalHierarchy',
    ],
  ],
  [
    'cluster class',
    () => clusterClass('ns1', 'clusterclass1').list,
    [
      'CC ns1/clusterclass1',
      'GICT ns1/clusterclass1 > CC ns1/clusterclass1',
      'GCPT ns1/clusterclass1 > CC ns1/clusterclass1',
    ],
  ],
  [
    'cluster class with a control-plane machine template',
    () =>
      clusterClass('ns1', 'clusterclass1', { controlPlaneMachineInfrastructure: 'inframachinetemplate1' })
        .list,
    [
      'CC ns1/clusterclass1',
      'GICT ns1/clusterclass1 > CC ns1/clusterclass1',
      'GCPT ns1/clusterclass1 > CC ns1/clusterclass1',
      'GIMT ns1/inframachinetemplate1 > CC ns1/clusterclass1',
    ],
  ],
  [
    'cluster class with a machine deployment class',
    () =>
      clusterClass('ns1', 'clusterclass1', {
        machineDeploymentClasses: [{ class: 'mdclass1', infrastructure: 'mdclass1', bootstrap: 'mdclass1' }],
      }).list,
    [
      'CC ns1/clusterclass1',
      'GICT ns1/clusterclass1 > CC ns1/clusterclass1',
      'GCPT ns1/clusterclass1 > CC ns1/clusterclass1',
      'GIMT ns1/mdclass1 > CC ns1/clusterclass1',
      'GBCT ns1/mdclass1 > CC ns1/clusterclass1',
    ],
  ],
  [
    'cluster class with two machine deployment classes sharing templates',
    () =>
      clusterClass('ns1', 'clusterclass1', {
        machineDeploymentClasses: [
          { class: 'mdclass1', infrastructure: 'infamachinetemplate1', bootstrap: 'bootstraptemplate1' },
          { class: 'mdclass2', infrastructure: 'infamachinetemplate1', bootstrap: 'bootstraptemplate1' },
        ],
      }).list,
    [
      'CC ns1/clusterclass1',
      'GICT ns1/clusterclass1 > CC ns1/clusterclass1',
      'GCPT ns1/clusterclass1 > CC ns1/clusterclass1',
      'GIMT ns1/infamachinetemplate1 > CC ns1/clusterclass1',
      'GBCT ns1/bootstraptemplate1 > CC ns1/clusterclass1',
    ],
  ],
  [
    'two cluster classes',
    () => clusterClass('ns1', 'clusterclass2', {}, clusterClass('ns1', 'clusterclass1')).list,
    ['clusterclass1', 'clusterclass2'].flatMap((c) => [
      `CC ns1/${c}`,
      `GICT ns1/${c} > CC ns1/${c}`,
      `GCPT ns1/${c} > CC ns1/${c}`,
    ]),
  ],
  [
    'two cluster classes sharing templates',
    () =>
      clusterClass(
        'ns1',
        'clusterclass2',
        {
          controlPlaneTemplate: 'controlplanetemplate1',
          machineDeploymentClasses: [
            { class: 'mdclass1', infrastructure: 'infamachinetemplate1', bootstrap: 'bootstraptemplate1' },
            { class: 'mdclass2', infrastructure: 'infamachinetemplate2', bootstrap: 'bootstraptemplate2' },
          ],
        },
        clusterClass('ns1', 'clusterclass1', {
          controlPlaneTemplate: 'controlplanetemplate1',
          machineDeploymentClasses: [
            { class: 'mdclass1', infrastructure: 'infamachinetemplate1', bootstrap: 'bootstraptemplate1' },
          ],
        }),
      ).list,
    [
      'CC ns1/clusterclass1',
      'CC ns1/clusterclass2',
      'GICT ns1/clusterclass1 > CC ns1/clusterclass1',
      'GICT ns1/clusterclass2 > CC ns1/clusterclass2',
      'GCPT ns1/controlplanetemplate1 > CC ns1/clusterclass1 > CC ns1/clusterclass2',
      'GIMT ns1/infamachinetemplate1 > CC ns1/clusterclass1 > CC ns1/clusterclass2',
      'GBCT ns1/bootstraptemplate1 > CC ns1/clusterclass1 > CC ns1/clusterclass2',
      'GIMT ns1/infamachinetemplate2 > CC ns1/clusterclass2',
      'GBCT ns1/bootstraptemplate2 > CC ns1/clusterclass2',
    ],
  ],
];
