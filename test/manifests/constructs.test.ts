import * as path from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import {
  CapiCluster,
  ClusterApiObjects,
  DockerMachineTemplate,
  EtcdadmCluster,
  formatGoDuration,
  KubeadmConfigTemplate,
  KubeadmControlPlane,
  kubeadmConfigSpecV1Beta1,
  MachineDeployment,
  MachineHealthCheck,
  parseGoDurationSeconds,
  type InfrastructureProvider,
  type KubeadmConfigSpec,
  DockerProvider,
} from '../../src/manifests';
import { REPO_ROOT } from '../helpers/cli-runner';
import { loadSynthInput } from '../helpers/synth-fixtures';

const template = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
  kind: 'DockerMachineTemplate',
  name: 't-1',
  namespace: 'eksa-system',
};
const kubeadm: KubeadmConfigSpec = {
  clusterConfiguration: {
    apiServer: {
      extraArgs: [
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
        { name: 'b', value: 'x' },
      ],
    },
  },
  joinConfiguration: { nodeRegistration: { kubeletExtraArgs: [{ name: 'k', value: 'v' }], taints: [] } },
  initConfiguration: { nodeRegistration: { criSocket: '/run/c.sock' } },
};

describe('construct validation', () => {
  test.each([
    [
      () =>
        new KubeadmControlPlane(Testing.chart(), 'cp', {
          name: 'c',
          replicas: 0,
          version: 'v1',
          machineTemplate: template,
          kubeadmConfigSpec: {},
        }),
      /replicas must be a positive integer, got 0/,
    ],
    [
      () =>
        new KubeadmControlPlane(Testing.chart(), 'cp', {
          name: 'c',
          replicas: 1,
          version: 'v1',
          machineTemplate: template,
          kubeadmConfigSpec: {},
          maxSurge: 2,
        }),
      /maxSurge must be 0 or 1, got 2/,
    ],
    [
      () =>
        new EtcdadmCluster(Testing.chart(), 'e', {
          name: 'c-etcd',
          replicas: 2,
          machineTemplate: template,
          etcdadmConfigSpec: { etcdVersion: '3.5' },
        }),
      /positive odd integer, got 2/,
    ],
    [
      () =>
        new MachineDeployment(Testing.chart(), 'md', {
          name: 'c-md',
          clusterName: 'c',
          replicas: -1,
          version: 'v1',
          bootstrapTemplate: template,
          machineTemplate: template,
        }),
      /non-negative integer, got -1/,
    ],
    [
      () =>
        new MachineHealthCheck(Testing.chart(), 'mhc', {
          name: 'm',
          clusterName: 'c',
          matchLabels: {},
          nodeStartupTimeout: 'ten minutes',
        }),
      /nodeStartupTimeout 'ten minutes' is not a Go duration/,
    ],
    [
      () => new DockerMachineTemplate(Testing.chart(), 'dmt', { name: 't-1', customImage: '' }),
      /customImage must not be empty/,
    ],
    [
      () =>
        new CapiCluster(Testing.chart(), 'c', {
          name: 'c',
          podCidrBlocks: [],
          serviceCidrBlocks: ['10.96.0.0/12'],
          controlPlane: template,
          infrastructure: template,
        }),
      /CIDR blocks must not be empty/,
    ],
  ])('%#: bad props throw with the construct path', (build, message) => {
    expect(build).toThrow(message);
  });

  test('the chart refuses a provider that does not render the datacenter kind, and a missing bundle', async () => {
    const input = await loadSynthInput(path.join(REPO_ROOT, 'examples/quickstart/cluster.yaml'));
    const other: InfrastructureProvider = Object.assign(new DockerProvider(), {
      datacenterKind: 'VSphereDatacenterConfig',
      name: 'vsphere',
    });
    expect(() => new ClusterApiObjects(Testing.chart(), 'x', { ...input, provider: other })).toThrow(
      /provider 'vsphere' renders VSphereDatacenterConfig, but the cluster uses DockerDatacenterConfig/,
    );
    expect(
      () =>
        new ClusterApiObjects(Testing.chart(), 'x', {
          config: input.config,
          bundles: [],
          provider: new DockerProvider(),
        }),
    ).toThrow(/No resolved versions bundle for Kubernetes 1.36 \(resolved: none\)/);
  });
});

describe('contract rendering', () => {
  test('v1beta1 turns argument lists into maps (the later flag wins) and keeps empty taint lists', () => {
    const v1 = kubeadmConfigSpecV1Beta1(kubeadm);
    expect(v1.clusterConfiguration?.apiServer?.extraArgs).toStrictEqual({ a: '2', b: 'x' });
    expect(v1.joinConfiguration?.nodeRegistration?.kubeletExtraArgs).toStrictEqual({ k: 'v' });
    expect(v1.joinConfiguration?.nodeRegistration?.taints).toStrictEqual([]);
    expect(v1.initConfiguration?.nodeRegistration?.taints).toBeUndefined();
  });

  test('a taint with timeAdded renders its time as Kubernetes writes it (RFC 3339, UTC, seconds)', () => {
    const chart = Testing.chart();
    new KubeadmConfigTemplate(chart, 'kct', {
      name: 'c-md-0-1',
      kubeadmConfigSpec: {
        joinConfiguration: {
          nodeRegistration: {
            taints: [{ key: 'k', effect: 'NoSchedule', timeAdded: '2024-05-01T02:00:00.250+02:00' }],
          },
        },
      },
    });
    expect(
      Testing.synth(chart)[0].spec.template.spec.joinConfiguration.nodeRegistration.taints,
    ).toStrictEqual([{ effect: 'NoSchedule', key: 'k', timeAdded: '2024-05-01T00:00:00Z' }]);
  });

  test('the same KubeadmConfigTemplate in both contracts', () => {
    const render = (contract: 'v1beta1' | 'v1beta2') => {
      const chart = Testing.chart();
      new KubeadmConfigTemplate(chart, 'kct', { name: 'c-md-0-1', contract, kubeadmConfigSpec: kubeadm });
      return Testing.synth(chart)[0];
    };
    const v2 = render('v1beta2');
    expect(v2.apiVersion).toBe('bootstrap.cluster.x-k8s.io/v1beta2');
    expect(v2.spec.template.spec.joinConfiguration.nodeRegistration).toStrictEqual({
      kubeletExtraArgs: [{ name: 'k', value: 'v' }],
      taints: [],
    });
    const v1 = render('v1beta1');
    expect(v1.apiVersion).toBe('bootstrap.cluster.x-k8s.io/v1beta1');
    expect(v1.spec.template.spec.joinConfiguration.nodeRegistration).toStrictEqual({
      kubeletExtraArgs: { k: 'v' },
      taints: [],
    });
  });

  test('constructs are wired by passing one to another (references follow the contract)', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const dmt = new DockerMachineTemplate(chart, 'dmt', {
      name: 'c-control-plane-1',
      customImage: 'kind/node:v1',
    });
    const kcp = new KubeadmControlPlane(chart, 'kcp', {
      name: 'c',
      replicas: 1,
      version: 'v1.36.2',
      machineTemplate: dmt,
      kubeadmConfigSpec: {},
      contract: 'v1beta1',
    });
    const [, rendered] = Testing.synth(chart);
    expect(kcp.apiVersion).toBe('controlplane.cluster.x-k8s.io/v1beta1');
    expect(rendered.spec.machineTemplate.infrastructureRef).toStrictEqual({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'DockerMachineTemplate',
      name: 'c-control-plane-1',
      namespace: 'eksa-system',
    });
  });
});

describe('provider-shaped options', () => {
  test('a MachineDeployment without reference namespaces, with machine labels and a selector (as vSphere renders it)', () => {
    const chart = Testing.chart();
    new MachineDeployment(chart, 'md', {
      name: 'c-md-0',
      contract: 'v1beta1',
      clusterName: 'c',
      replicas: 3,
      version: 'v1.19.8',
      bootstrapTemplate: {
        apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
        kind: 'KubeadmConfigTemplate',
        name: 'c-md-0-1',
        namespace: 'eksa-system',
      },
      machineTemplate: template,
      labels: { 'cluster.x-k8s.io/cluster-name': 'c' },
      machineLabels: { 'cluster.x-k8s.io/cluster-name': 'c' },
      matchLabels: {},
      referenceNamespaces: false,
    });
    const [md] = Testing.synth(chart);
    expect(md.spec.selector).toStrictEqual({ matchLabels: {} });
    expect(md.spec.template.metadata).toStrictEqual({ labels: { 'cluster.x-k8s.io/cluster-name': 'c' } });
    expect(md.spec.template.spec.infrastructureRef).toStrictEqual({
      apiVersion: template.apiVersion,
      kind: template.kind,
      name: 't-1',
    });
    expect(md.spec.template.spec.bootstrap.configRef.namespace).toBeUndefined();
  });

  test('a v1beta1 Cluster without reference namespaces keeps it on managedExternalEtcdRef', () => {
    const chart = Testing.chart();
    const etcd = {
      apiVersion: 'etcdcluster.cluster.x-k8s.io/v1beta1',
      kind: 'EtcdadmCluster',
      name: 'c-etcd',
      namespace: 'eksa-system',
    };
    new CapiCluster(chart, 'c', {
      name: 'c',
      contract: 'v1beta1',
      podCidrBlocks: ['192.168.0.0/16'],
      serviceCidrBlocks: ['10.96.0.0/12'],
      controlPlane: { ...template, kind: 'KubeadmControlPlane', name: 'c' },
      infrastructure: { ...template, kind: 'VSphereCluster', name: 'c' },
      managedExternalEtcd: etcd,
      referenceNamespaces: false,
    });
    const [cluster] = Testing.synth(chart);
    expect(cluster.spec.controlPlaneRef.namespace).toBeUndefined();
    expect(cluster.spec.infrastructureRef.namespace).toBeUndefined();
    expect(cluster.spec.managedExternalEtcdRef).toStrictEqual(etcd);
    expect(cluster.spec.clusterNetwork.serviceDomain).toBeUndefined();
  });
});

describe('Go durations', () => {
  test.each([
    ['10m0s', 600],
    ['5m', 300],
    ['1h30m', 5400],
    ['90s', 90],
    ['1500ms', undefined],
    ['0', 0],
  ])('%s', (text, seconds) => {
    if (seconds === undefined) expect(() => parseGoDurationSeconds(text)).toThrow(/whole number of seconds/);
    else expect(parseGoDurationSeconds(text)).toBe(seconds);
  });

  test('formats like Go', () => {
    expect([600, 300, 3600, 5400, 45, 0].map(formatGoDuration)).toStrictEqual([
      '10m0s',
      '5m0s',
      '1h0m0s',
      '1h30m0s',
      '45s',
      '0s',
    ]);
  });
});
