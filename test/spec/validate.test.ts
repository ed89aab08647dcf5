import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ClusterConfig,
  ClusterSpec,
  EKSA_API_VERSION,
  Issue,
  loadClusterConfigFile,
  OIDCConfig,
  parseClusterConfig,
  setClusterDefaults,
  validateClusterConfig,
  validateUpdate,
} from '../../src/spec';

const VALID = path.resolve(__dirname, '../fixtures/spec/valid');
const load = (f: string) => setClusterDefaults(loadClusterConfigFile(path.join(VALID, f)), { env: {} });

function withSpec(config: ClusterConfig, spec: Partial<ClusterSpec>): ClusterConfig {
  return { ...config, cluster: { ...config.cluster, spec: { ...config.cluster.spec, ...spec } } };
}

const errors = (issues: Issue[]) => issues.filter((i) => i.severity === 'error');
const rules = (issues: Issue[]) => issues.map((i) => i.rule);

describe('validateClusterConfig', () => {
  const docker = load('docker-typical.yaml');
  const vsphere = load('vsphere-typical.yaml');

  test('reports every problem at once, each with its own path', () => {
    const bad = withSpec(docker, {
      kubernetesVersion: 'v1.30',
      controlPlaneConfiguration: { count: 0 },
      clusterNetwork: {
        cniConfig: { cilium: {} },
        pods: { cidrBlocks: ['x'] },
        services: { cidrBlocks: ['10.96.0.0/12'] },
      },
    });
    const found = errors(validateClusterConfig(bad));
    expect(found.map((i) => [i.rule, i.path])).toEqual([
      ['kubernetes-version-format', 'spec.kubernetesVersion'],
      ['control-plane-count', 'spec.controlPlaneConfiguration.count'],
      ['pods-cidr-invalid', 'spec.clusterNetwork.pods.cidrBlocks[0]'],
    ]);
  });

  test('issues of a parsed config carry the file and the line of the field', () => {
    const text = fs
      .readFileSync(path.join(VALID, 'docker-typical.yaml'), 'utf8')
      .replace(
        '  externalEtcdConfiguration:\n    count: 1\n',
        '  externalEtcdConfiguration:\n    count: 2\n',
      );
    const config = setClusterDefaults(parseClusterConfig(text, { file: 'dev.yaml' }));
    const [issue] = errors(validateClusterConfig(config));
    expect(issue).toMatchObject({
      rule: 'etcd-count-odd',
      file: 'dev.yaml',
      path: 'spec.externalEtcdConfiguration.count',
      line: 22,
      column: 5,
    });
  });

  test('Kubernetes versions are only checked against the bundle when a list is given', () => {
    const old = withSpec(docker, { kubernetesVersion: '1.19' });
    expect(validateClusterConfig(old)).toEqual([]);
    expect(rules(validateClusterConfig(old, { supportedKubernetesVersions: ['1.33'] }))).toEqual([
      'kubernetes-version-unsupported',
    ]);
  });

  test('apiServerExtraArgs pass with the feature flag; OIDC flags still conflict with an OIDCConfig', () => {
    const args = withSpec(docker, {
      controlPlaneConfiguration: {
        count: 1,
        apiServerExtraArgs: { 'oidc-client-id': 'x', 'audit-log-maxage': '7' },
      },
    });
    expect(rules(validateClusterConfig(args, { featureFlags: ['API_SERVER_EXTRA_ARGS_ENABLED'] }))).toEqual(
      [],
    );
    const oidc: OIDCConfig = {
      apiVersion: EKSA_API_VERSION,
      kind: 'OIDCConfig',
      metadata: { name: 'sso', namespace: 'default' },
      spec: { clientId: 'c', issuerUrl: 'https://sso.example.com' },
    };
    const withOidc = {
      ...withSpec(args, { identityProviderRefs: [{ kind: 'OIDCConfig', name: 'sso' }] }),
      oidcConfigs: { sso: oidc },
    };
    const found = validateClusterConfig(withOidc, { featureFlags: ['API_SERVER_EXTRA_ARGS_ENABLED'] });
    expect(found.map((i) => [i.rule, i.path])).toEqual([
      ['api-server-extra-args-oidc', 'spec.controlPlaneConfiguration.apiServerExtraArgs.oidc-client-id'],
    ]);
  });

  test('InPlace control plane upgrades on vSphere need VSPHERE_IN_PLACE_UPGRADE and stacked etcd', () => {
    const inPlace = withSpec(vsphere, {
      controlPlaneConfiguration: {
        ...vsphere.cluster.spec.controlPlaneConfiguration,
        upgradeRolloutStrategy: { type: 'InPlace' },
      },
    });
    expect(errors(validateClusterConfig(inPlace)).map((i) => i.message)).toEqual([
      expect.stringContaining('VSPHERE_IN_PLACE_UPGRADE'),
    ]);
    expect(
      errors(validateClusterConfig(inPlace, { featureFlags: ['VSPHERE_IN_PLACE_UPGRADE'] })).map(
        (i) => i.message,
      ),
    ).toEqual(['InPlace upgrades need stacked etcd']);
  });

  test('etcdEncryption is refused at create and accepted for an upgrade', () => {
    const enc = withSpec(docker, {
      etcdEncryption: [
        {
          resources: ['secrets'],
          providers: [{ kms: { name: 'k', socketListenAddress: 'unix:///k.sock' } }],
        },
      ],
    });
    expect(rules(validateClusterConfig(enc))).toEqual(['etcd-encryption-create']);
    expect(validateClusterConfig(enc, { operation: 'upgrade' })).toEqual([]);
  });

  test('warnings: control plane of 1 on vSphere, the deprecated cni field, IAM without mappings', () => {
    const single = withSpec(vsphere, {
      controlPlaneConfiguration: { ...vsphere.cluster.spec.controlPlaneConfiguration, count: 1 },
      externalEtcdConfiguration: undefined,
    });
    const found = validateClusterConfig(single);
    expect(found.map((i) => [i.severity, i.rule])).toEqual([['warning', 'control-plane-count-recommended']]);
    // docker is exempt from the recommendation
    expect(validateClusterConfig(withSpec(docker, { externalEtcdConfiguration: undefined }))).toEqual([]);
    const deprecated = withSpec(docker, {
      clusterNetwork: { ...docker.cluster.spec.clusterNetwork, cniConfig: undefined, cni: 'cilium' },
    });
    expect(validateClusterConfig(deprecated).map((i) => [i.severity, i.rule])).toEqual([
      ['warning', 'cni-deprecated'],
    ]);
  });

  test('a config built in code is checked for references the parser would have resolved', () => {
    const missing = { ...vsphere, machineConfigs: { 'prod-cp': vsphere.machineConfigs!['prod-cp'] } };
    const found = errors(validateClusterConfig(missing));
    expect(found.map((i) => [i.rule, i.path])).toEqual([
      ['reference-missing', 'spec.externalEtcdConfiguration.machineGroupRef.name'],
      ['reference-missing', 'spec.workerNodeGroupConfigurations[0].machineGroupRef.name'],
    ]);
    const wrongDc = withSpec(docker, { datacenterRef: { kind: 'DockerDatacenterConfig', name: 'other' } });
    expect(rules(validateClusterConfig(wrongDc))).toEqual(['reference-missing']);
  });

  test('an unnamed first worker group is md-0 and a group without count is 1 (the defaults), before defaulting', () => {
    const raw = withSpec(docker, { workerNodeGroupConfigurations: [{}, { name: 'md-0' }] });
    expect(errors(validateClusterConfig(raw)).map((i) => [i.rule, i.path])).toEqual([
      ['worker-group-name-unique', 'spec.workerNodeGroupConfigurations[1].name'],
    ]);
  });

  test('control plane taints need worker groups to run pods', () => {
    const cp = { count: 1, taints: [{ key: 'k', effect: 'NoSchedule' as const }] };
    const found = errors(
      validateClusterConfig(
        withSpec(docker, { controlPlaneConfiguration: cp, workerNodeGroupConfigurations: [] }),
      ),
    );
    expect(found.map((i) => [i.rule, i.path])).toEqual([
      ['control-plane-taints-need-workers', 'spec.controlPlaneConfiguration.taints'],
      ['worker-groups-required', 'spec.workerNodeGroupConfigurations'],
    ]);
    expect(validateClusterConfig(withSpec(docker, { controlPlaneConfiguration: cp }))).toEqual([]);
  });

  test('a workload cluster may have all worker groups tainted; a management cluster may not', () => {
    const tainted = [{ name: 'md-0', count: 1, taints: [{ key: 'k', effect: 'NoExecute' as const }] }];
    expect(
      rules(validateClusterConfig(withSpec(docker, { workerNodeGroupConfigurations: tainted }))),
    ).toEqual(['schedulable-worker-group-required']);
    const workload = withSpec(docker, {
      workerNodeGroupConfigurations: tainted,
      managementCluster: { name: 'mgmt' },
    });
    expect(validateClusterConfig(workload)).toEqual([]);
  });
});

describe('validateUpdate', () => {
  const docker = load('docker-typical.yaml');
  const vsphere = load('vsphere-typical.yaml');

  test('an unchanged config has no issues', () => {
    expect(validateUpdate(docker, docker)).toEqual([]);
    expect(validateUpdate(vsphere, load('vsphere-typical.yaml'))).toEqual([]);
  });

  test('scaling and labels are ordinary updates', () => {
    const next = withSpec(docker, {
      workerNodeGroupConfigurations: [{ name: 'md-0', count: 5, labels: { a: 'b' } }],
    });
    expect(validateUpdate(docker, next)).toEqual([]);
  });

  test.each([
    [
      'spec.clusterNetwork.pods.cidrBlocks',
      { clusterNetwork: { ...docker.cluster.spec.clusterNetwork, pods: { cidrBlocks: ['10.200.0.0/16'] } } },
    ],
    [
      'spec.clusterNetwork.services.cidrBlocks',
      {
        clusterNetwork: {
          ...docker.cluster.spec.clusterNetwork,
          services: { cidrBlocks: ['10.100.0.0/16'] },
        },
      },
    ],
    [
      'spec.clusterNetwork.dns',
      { clusterNetwork: { ...docker.cluster.spec.clusterNetwork, dns: { resolvConf: { path: '/etc/r' } } } },
    ],
    [
      'spec.clusterNetwork.nodes',
      { clusterNetwork: { ...docker.cluster.spec.clusterNetwork, nodes: { cidrMaskSize: 25 } } },
    ],
    ['spec.managementCluster.name', { managementCluster: { name: 'other' } }],
    ['spec.datacenterRef', { datacenterRef: { kind: 'DockerDatacenterConfig' as const, name: 'dc2' } }],
    ['spec.proxyConfiguration', { proxyConfiguration: { httpProxy: 'p:1', httpsProxy: 'p:1' } }],
    ['spec.externalEtcdConfiguration', { externalEtcdConfiguration: undefined }],
    ['spec.identityProviderRefs', { identityProviderRefs: [{ kind: 'AWSIamConfig' as const, name: 'iam' }] }],
  ])('changing %s forces replacement', (field, spec) => {
    const issues = validateUpdate(docker, withSpec(docker, spec as Partial<ClusterSpec>));
    expect(issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        rule: 'immutable-field',
        path: field,
        forcesReplacement: true,
      }),
    ]);
    expect(issues[0].fix).toContain('replace the cluster');
  });

  test('the control plane endpoint and the vCenter server are immutable', () => {
    const next: ClusterConfig = {
      ...withSpec(vsphere, {
        controlPlaneConfiguration: {
          ...vsphere.cluster.spec.controlPlaneConfiguration,
          endpoint: { host: '10.0.0.11' },
        },
      }),
      datacenter: {
        ...vsphere.datacenter,
        spec: { ...vsphere.datacenter.spec, server: 'vc2.example.com' },
      } as ClusterConfig['datacenter'],
    };
    const issues = validateUpdate(vsphere, next, { file: 'prod.yaml' });
    expect(issues.map((i) => [i.path, i.forcesReplacement, i.file])).toEqual([
      ['spec.controlPlaneConfiguration.endpoint.host', true, 'prod.yaml'],
      ['VSphereDatacenterConfig/prod.spec.server', true, 'prod.yaml'],
    ]);
    expect(issues[0].message).toBe(
      'the control plane endpoint cannot change on an existing cluster ("10.0.0.10" → "10.0.0.11")',
    );
  });

  test('gitOpsRef is immutable for workload clusters only', () => {
    const mgmt = withSpec(docker, { gitOpsRef: { kind: 'FluxConfig', name: 'f2' } });
    expect(validateUpdate(docker, mgmt).map((i) => i.path)).toEqual([]);
    const workload = withSpec(docker, { managementCluster: { name: 'm' } });
    const workloadNext = withSpec(workload, { gitOpsRef: { kind: 'FluxConfig', name: 'f2' } });
    expect(validateUpdate(workload, workloadNext).map((i) => i.path)).toEqual(['spec.gitOpsRef']);
  });

  test('Kubernetes: +1 minor is an upgrade, +2 and downgrades are refused (not replacements)', () => {
    expect(validateUpdate(docker, withSpec(docker, { kubernetesVersion: '1.34' }))).toEqual([]);
    const skip = validateUpdate(docker, withSpec(docker, { kubernetesVersion: '1.35' }));
    expect(skip.map((i) => [i.rule, i.path, i.forcesReplacement])).toEqual([
      ['kubernetes-version-skew', 'spec.kubernetesVersion', false],
      ['kubernetes-version-skew', 'spec.workerNodeGroupConfigurations[0].kubernetesVersion', false],
    ]);
    const down = validateUpdate(docker, withSpec(docker, { kubernetesVersion: '1.32' }));
    expect(down.map((i) => i.rule)).toEqual(['kubernetes-version-downgrade', 'kubernetes-version-downgrade']);
  });

  test('workers may stay behind the control plane by at most 2 minors', () => {
    const pinned = withSpec(docker, {
      workerNodeGroupConfigurations: [{ name: 'md-0', count: 1, kubernetesVersion: '1.33' }],
    });
    const cpUp = withSpec(pinned, { kubernetesVersion: '1.34' });
    expect(validateUpdate(pinned, cpUp)).toEqual([]);
    const prev = withSpec(pinned, {
      kubernetesVersion: '1.35',
      workerNodeGroupConfigurations: [{ name: 'md-0', count: 1, kubernetesVersion: '1.33' }],
    });
    const next = withSpec(prev, { kubernetesVersion: '1.36' });
    expect(validateUpdate(prev, next).map((i) => [i.rule, i.path])).toEqual([
      ['worker-kubernetes-version-skew', 'spec.workerNodeGroupConfigurations[0].kubernetesVersion'],
    ]);
  });

  test('eksaVersion moves one minor at a time and never back', () => {
    const v = (eksaVersion: string) => withSpec(docker, { eksaVersion });
    expect(validateUpdate(v('v0.25.3'), v('v0.26.0'))).toEqual([]);
    expect(validateUpdate(v('v0.26.0'), v('v0.26.1'))).toEqual([]);
    expect(validateUpdate(v('v0.24.0'), v('v0.26.0')).map((i) => [i.rule, i.forcesReplacement])).toEqual([
      ['eksa-version-skew', false],
    ]);
    expect(validateUpdate(v('v0.26.1'), v('v0.26.0')).map((i) => i.rule)).toEqual(['eksa-version-downgrade']);
    expect(validateUpdate(v('v0.26.0'), v('v0.25.9')).map((i) => i.rule)).toEqual(['eksa-version-downgrade']);
  });
});
