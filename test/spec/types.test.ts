import {
  ClusterConfig,
  ClusterConfigError,
  configObjects,
  EKSA_API_VERSION,
  formatIssue,
  isSelfManaged,
  providerOf,
} from '../../src/spec';

const dockerConfig: ClusterConfig = {
  cluster: {
    apiVersion: EKSA_API_VERSION,
    kind: 'Cluster',
    metadata: { name: 'dev' },
    spec: {
      kubernetesVersion: '1.30',
      controlPlaneConfiguration: { count: 1 },
      workerNodeGroupConfigurations: [{ name: 'md-0', count: 1 }],
      datacenterRef: { kind: 'DockerDatacenterConfig', name: 'dev' },
      clusterNetwork: {
        cniConfig: { cilium: {} },
        pods: { cidrBlocks: ['192.168.0.0/16'] },
        services: { cidrBlocks: ['10.96.0.0/12'] },
      },
    },
  },
  datacenter: {
    apiVersion: EKSA_API_VERSION,
    kind: 'DockerDatacenterConfig',
    metadata: { name: 'dev' },
    spec: {},
  },
};

describe('spec types', () => {
  test('provider follows the datacenter kind', () => {
    expect(providerOf(dockerConfig)).toBe('docker');
    expect(
      providerOf({
        datacenter: {
          apiVersion: EKSA_API_VERSION,
          kind: 'VSphereDatacenterConfig',
          metadata: { name: 'v' },
          spec: { datacenter: 'dc', network: 'net', server: 'vc' },
        },
      }),
    ).toBe('vsphere');
  });

  test('a cluster without managementCluster, or naming itself, is self-managed', () => {
    expect(isSelfManaged(dockerConfig.cluster)).toBe(true);
    const self = {
      ...dockerConfig.cluster,
      spec: { ...dockerConfig.cluster.spec, managementCluster: { name: 'dev' } },
    };
    expect(isSelfManaged(self)).toBe(true);
    const workload = { ...self, spec: { ...self.spec, managementCluster: { name: 'mgmt' } } };
    expect(isSelfManaged(workload)).toBe(false);
  });

  test('configObjects lists the Cluster first, then the datacenter', () => {
    expect(configObjects(dockerConfig).map((o) => o.kind)).toEqual(['Cluster', 'DockerDatacenterConfig']);
  });

  test('issues format as FILE: PATH: message. Fix: how, one per line in the error', () => {
    const issue = {
      severity: 'error' as const,
      file: 'c.yaml',
      path: 'spec.controlPlaneConfiguration.count',
      message: 'count must be positive',
      fix: 'set count to 1, 3 or 5',
    };
    expect(formatIssue(issue)).toBe(
      'c.yaml: spec.controlPlaneConfiguration.count: count must be positive. Fix: set count to 1, 3 or 5.',
    );
    expect(formatIssue({ ...issue, line: 4, column: 7 })).toMatch(/^c\.yaml:4:7: spec\./);
    const err = new ClusterConfigError([issue, { ...issue, severity: 'warning', path: 'spec.x' }]);
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('invalid cluster config: 1 error');
    expect(lines[2]).toBe('c.yaml: warning: spec.x: count must be positive. Fix: set count to 1, 3 or 5.');
    expect(err.errors).toHaveLength(1);
  });
});
