import {
  AWSIamConfig,
  Cluster,
  ClusterConfig,
  ClusterConfigError,
  ClusterSpec,
  EKSA_API_VERSION,
  FluxConfig,
  fluxConfigFromGitOps,
  GitOpsConfig,
  parseClusterConfig,
  setClusterDefaults,
  sourcePosition,
  VSphereDatacenterConfig,
  VSphereMachineConfig,
} from '../../src/spec';

// Expected values below are the ones research/eksa.md (d) states for EKS-A, written out rather than imported.

function docker(spec: Partial<ClusterSpec> = {}, name = 'dev'): ClusterConfig {
  const cluster: Cluster = {
    apiVersion: EKSA_API_VERSION,
    kind: 'Cluster',
    metadata: { name },
    spec: {
      kubernetesVersion: '1.33',
      controlPlaneConfiguration: { count: 1 },
      datacenterRef: { kind: 'DockerDatacenterConfig', name },
      clusterNetwork: { cniConfig: { cilium: {} } },
      workerNodeGroupConfigurations: [{ name: 'md-0', count: 1 }],
      ...spec,
    },
  };
  return {
    cluster,
    datacenter: {
      apiVersion: EKSA_API_VERSION,
      kind: 'DockerDatacenterConfig',
      metadata: { name },
      spec: {},
    },
  };
}

function vsphere(
  dc: Partial<VSphereDatacenterConfig['spec']>,
  mc: Partial<VSphereMachineConfig['spec']>,
): ClusterConfig {
  const base = docker({
    datacenterRef: { kind: 'VSphereDatacenterConfig', name: 'v' },
    controlPlaneConfiguration: { count: 1, machineGroupRef: { kind: 'VSphereMachineConfig', name: 'm' } },
  });
  return {
    ...base,
    datacenter: {
      apiVersion: EKSA_API_VERSION,
      kind: 'VSphereDatacenterConfig',
      metadata: { name: 'v' },
      spec: { datacenter: 'DC1', network: 'VM Network', server: 'vc', ...dc },
    },
    machineConfigs: {
      m: {
        apiVersion: EKSA_API_VERSION,
        kind: 'VSphereMachineConfig',
        metadata: { name: 'm' },
        spec: { datastore: 'ds', folder: 'f', resourcePool: 'rp', ...mc },
      },
    },
  };
}

describe('setClusterDefaults', () => {
  test('does not change its input', () => {
    const input = docker({ workerNodeGroupConfigurations: [{}] });
    const snapshot = JSON.stringify(input);
    setClusterDefaults(input);
    expect(JSON.stringify(input)).toBe(snapshot);
  });

  test('names the first worker group md-0, and only the first', () => {
    const out = setClusterDefaults(docker({ workerNodeGroupConfigurations: [{ count: 1 }, { count: 1 }] }));
    expect(out.cluster.spec.workerNodeGroupConfigurations!.map((g) => g.name)).toEqual(['md-0', undefined]);
  });

  test('worker count defaults to 1, or to autoscaling minCount', () => {
    const out = setClusterDefaults(
      docker({
        workerNodeGroupConfigurations: [
          { name: 'a' },
          { name: 'b', autoscalingConfiguration: { minCount: 2, maxCount: 5 } },
          { name: 'c', count: 0 },
        ],
      }),
    );
    expect(out.cluster.spec.workerNodeGroupConfigurations!.map((g) => g.count)).toEqual([1, 2, 0]);
  });

  test.each([
    ['cilium', { cilium: {} }],
    ['cilium-enterprise', { cilium: {} }],
    ['kindnetd', { kindnetd: {} }],
  ] as const)('deprecated cni %s becomes cniConfig and is cleared', (cni, expected) => {
    const out = setClusterDefaults(docker({ clusterNetwork: { cni } }));
    expect(out.cluster.spec.clusterNetwork).toEqual({ cniConfig: expected });
  });

  test('an existing cniConfig is kept as written (cni left for validation to reject)', () => {
    const out = setClusterDefaults(
      docker({ clusterNetwork: { cni: 'cilium', cniConfig: { kindnetd: {} } } }),
    );
    expect(out.cluster.spec.clusterNetwork).toEqual({ cni: 'cilium', cniConfig: { kindnetd: {} } });
  });

  test('registry mirror port defaults to 443; a set port is kept', () => {
    expect(
      setClusterDefaults(docker({ registryMirrorConfiguration: { endpoint: 'r' } })).cluster.spec
        .registryMirrorConfiguration,
    ).toEqual({
      endpoint: 'r',
      port: '443',
    });
    expect(
      setClusterDefaults(docker({ registryMirrorConfiguration: { endpoint: 'r', port: '5000' } })).cluster
        .spec.registryMirrorConfiguration!.port,
    ).toBe('5000');
  });

  test('caCertContent comes from the file named by EKSA_REGISTRY_MIRROR_CA when unset', () => {
    const read: string[] = [];
    const readFile = (p: string) => {
      read.push(p);
      return 'PEM';
    };
    const env = { EKSA_REGISTRY_MIRROR_CA: '/certs/ca.pem' };
    const out = setClusterDefaults(docker({ registryMirrorConfiguration: { endpoint: 'r' } }), {
      env,
      readFile,
    });
    expect(out.cluster.spec.registryMirrorConfiguration!.caCertContent).toBe('PEM');
    expect(read).toEqual(['/certs/ca.pem']);
    // A CA written in the config wins, and the file is not read.
    const kept = setClusterDefaults(
      docker({ registryMirrorConfiguration: { endpoint: 'r', caCertContent: 'MINE' } }),
      { env, readFile },
    );
    expect(kept.cluster.spec.registryMirrorConfiguration!.caCertContent).toBe('MINE');
    expect(read).toHaveLength(1);
    // Without the variable nothing is read.
    setClusterDefaults(docker({ registryMirrorConfiguration: { endpoint: 'r' } }), { env: {}, readFile });
    expect(read).toHaveLength(1);
  });

  test('an unreadable EKSA_REGISTRY_MIRROR_CA file is a ClusterConfigError naming the field', () => {
    const env = { EKSA_REGISTRY_MIRROR_CA: '/nonexistent/ca.pem' };
    expect(() =>
      setClusterDefaults(docker({ registryMirrorConfiguration: { endpoint: 'r' } }), { env }),
    ).toThrow(ClusterConfigError);
    expect(() =>
      setClusterDefaults(docker({ registryMirrorConfiguration: { endpoint: 'r' } }), { env }),
    ).toThrow(
      /spec\.registryMirrorConfiguration\.caCertContent: EKSA_REGISTRY_MIRROR_CA names \/nonexistent\/ca\.pem/,
    );
  });

  test('MachineHealthCheck: 10m startup, 5m unhealthy, 100% control plane and 40% workers, written into the spec', () => {
    const out = setClusterDefaults(docker({ workerNodeGroupConfigurations: [{ name: 'a' }, { name: 'b' }] }))
      .cluster.spec;
    expect(out.machineHealthCheck).toEqual({
      nodeStartupTimeout: '10m0s',
      unhealthyMachineTimeout: '5m0s',
      maxUnhealthy: '100%',
    });
    expect(out.controlPlaneConfiguration.machineHealthCheck).toEqual({ maxUnhealthy: '100%' });
    expect(out.workerNodeGroupConfigurations!.map((g) => g.machineHealthCheck)).toEqual([
      { maxUnhealthy: '40%' },
      { maxUnhealthy: '40%' },
    ]);
  });

  test('MachineHealthCheck overrides are kept; a top-level maxUnhealthy leaves the groups to inherit it', () => {
    const overrides = setClusterDefaults(
      docker({
        machineHealthCheck: { nodeStartupTimeout: '20m' },
        controlPlaneConfiguration: { count: 1, machineHealthCheck: { maxUnhealthy: 1 } },
        workerNodeGroupConfigurations: [
          { name: 'a', machineHealthCheck: { maxUnhealthy: '60%' } },
          { name: 'b' },
        ],
      }),
    ).cluster.spec;
    expect(overrides.machineHealthCheck).toEqual({
      nodeStartupTimeout: '20m',
      unhealthyMachineTimeout: '5m0s',
      maxUnhealthy: '100%',
    });
    expect(overrides.controlPlaneConfiguration.machineHealthCheck).toEqual({ maxUnhealthy: 1 });
    expect(overrides.workerNodeGroupConfigurations!.map((g) => g.machineHealthCheck?.maxUnhealthy)).toEqual([
      '60%',
      '40%',
    ]);

    const top = setClusterDefaults(docker({ machineHealthCheck: { maxUnhealthy: '70%' } })).cluster.spec;
    expect(top.machineHealthCheck!.maxUnhealthy).toBe('70%');
    expect(top.controlPlaneConfiguration.machineHealthCheck).toBeUndefined();
    expect(top.workerNodeGroupConfigurations![0].machineHealthCheck).toBeUndefined();
  });

  test('every object without a namespace gets "default"; a written namespace is kept', () => {
    const out = setClusterDefaults(docker());
    expect(out.cluster.metadata.namespace).toBe('default');
    expect(out.datacenter.metadata.namespace).toBe('default');
    const ns = docker();
    const kept = setClusterDefaults({
      ...ns,
      cluster: { ...ns.cluster, metadata: { name: 'dev', namespace: 'eksa' } },
    });
    expect(kept.cluster.metadata.namespace).toBe('eksa');
  });

  const flux = (spec: FluxConfig['spec'] = {}): FluxConfig => ({
    apiVersion: EKSA_API_VERSION,
    kind: 'FluxConfig',
    metadata: { name: 'f' },
    spec,
  });

  test('FluxConfig: flux-system, main and clusters/<cluster> for a management cluster', () => {
    const out = setClusterDefaults({
      ...docker({ gitOpsRef: { kind: 'FluxConfig', name: 'f' } }),
      fluxConfig: flux({ github: { owner: 'o', repository: 'r' } }),
    });
    expect(out.fluxConfig!.spec).toEqual({
      github: { owner: 'o', repository: 'r' },
      systemNamespace: 'flux-system',
      branch: 'main',
      clusterConfigPath: 'clusters/dev',
    });
    expect(out.fluxConfig!.metadata.namespace).toBe('default');
  });

  test('FluxConfig of a workload cluster uses the management cluster name in clusterConfigPath; set values are kept', () => {
    const workload = docker(
      { managementCluster: { name: 'mgmt' }, gitOpsRef: { kind: 'FluxConfig', name: 'f' } },
      'w1',
    );
    expect(setClusterDefaults({ ...workload, fluxConfig: flux() }).fluxConfig!.spec.clusterConfigPath).toBe(
      'clusters/mgmt',
    );
    const set = flux({ branch: 'dev', systemNamespace: 'gitops', clusterConfigPath: 'x/y' });
    expect(setClusterDefaults({ ...workload, fluxConfig: set }).fluxConfig!.spec).toEqual({
      branch: 'dev',
      systemNamespace: 'gitops',
      clusterConfigPath: 'x/y',
    });
  });

  test('GitOpsConfig: fluxSystemNamespace flux-system, branch main, clusterConfigPath clusters/<management cluster>', () => {
    const gitOps: GitOpsConfig = {
      apiVersion: EKSA_API_VERSION,
      kind: 'GitOpsConfig',
      metadata: { name: 'g' },
      spec: { flux: { github: { owner: 'o', repository: 'r' } } },
    };
    const out = setClusterDefaults({
      ...docker({ gitOpsRef: { kind: 'GitOpsConfig', name: 'g' } }),
      gitOpsConfig: gitOps,
    });
    expect(out.gitOpsConfig!.spec.flux.github).toEqual({
      owner: 'o',
      repository: 'r',
      fluxSystemNamespace: 'flux-system',
      branch: 'main',
      clusterConfigPath: 'clusters/dev',
    });
  });

  test('AWSIamConfig partition defaults to aws', () => {
    const iam: AWSIamConfig = {
      apiVersion: EKSA_API_VERSION,
      kind: 'AWSIamConfig',
      metadata: { name: 'i' },
      spec: { awsRegion: 'us-west-2', backendMode: ['EKSConfigMap'] },
    };
    const out = setClusterDefaults({ ...docker(), awsIamConfigs: { i: iam } });
    expect(out.awsIamConfigs!.i.spec.partition).toBe('aws');
    const cn = setClusterDefaults({
      ...docker(),
      awsIamConfigs: { i: { ...iam, spec: { ...iam.spec, partition: 'aws-cn' } } },
    });
    expect(cn.awsIamConfigs!.i.spec.partition).toBe('aws-cn');
  });

  test('VSphereMachineConfig: 8192 MiB, 2 CPUs, bottlerocket with user ec2-user', () => {
    const out = setClusterDefaults(vsphere({}, {})).machineConfigs!.m.spec;
    expect(out.memoryMiB).toBe(8192);
    expect(out.numCPUs).toBe(2);
    expect(out.osFamily).toBe('bottlerocket');
    expect(out.users).toEqual([{ name: 'ec2-user', sshAuthorizedKeys: [''] }]);
  });

  test('VSphereMachineConfig memory below 2048 MiB is raised to 2048; Ubuntu machines get user capv', () => {
    const out = setClusterDefaults(vsphere({}, { memoryMiB: 1024, osFamily: 'ubuntu', numCPUs: 8 }))
      .machineConfigs!.m.spec;
    expect(out.memoryMiB).toBe(2048);
    expect(out.numCPUs).toBe(8);
    expect(out.users![0].name).toBe('capv');
  });

  test('VSphereDatacenterConfig: a relative network becomes /<datacenter>/network/<network>', () => {
    expect(setClusterDefaults(vsphere({}, {})).datacenter.spec).toMatchObject({
      network: '/DC1/network/VM Network',
    });
    expect(setClusterDefaults(vsphere({ network: '/DC1/network/n1' }, {})).datacenter.spec).toMatchObject({
      network: '/DC1/network/n1',
    });
  });

  test('VSphereDatacenterConfig: insecure: true clears the thumbprint', () => {
    const insecure = setClusterDefaults(vsphere({ insecure: true, thumbprint: 'AB:CD' }, {}))
      .datacenter as VSphereDatacenterConfig;
    expect(insecure.spec.thumbprint).toBe('');
    const secure = setClusterDefaults(vsphere({ insecure: false, thumbprint: 'AB:CD' }, {}))
      .datacenter as VSphereDatacenterConfig;
    expect(secure.spec.thumbprint).toBe('AB:CD');
  });

  test('source positions of a parsed config carry over to the defaulted one', () => {
    const text = [
      'apiVersion: anywhere.eks.amazonaws.com/v1alpha1',
      'kind: Cluster',
      'metadata:',
      '  name: dev',
      'spec:',
      '  kubernetesVersion: "1.33"',
      '  controlPlaneConfiguration:',
      '    count: 1',
      '  datacenterRef: {kind: DockerDatacenterConfig, name: dev}',
      '  clusterNetwork: {cniConfig: {cilium: {}}}',
      '---',
      'apiVersion: anywhere.eks.amazonaws.com/v1alpha1',
      'kind: DockerDatacenterConfig',
      'metadata: {name: dev}',
      'spec: {}',
    ].join('\n');
    const parsed = parseClusterConfig(text);
    expect(sourcePosition(setClusterDefaults(parsed), 'spec.controlPlaneConfiguration.count')).toEqual({
      line: 8,
      column: 5,
    });
  });
});

describe('fluxConfigFromGitOps', () => {
  test('carries the GitHub repository, branch, path and namespace over to a FluxConfig of the same name', () => {
    const gitOps: GitOpsConfig = {
      apiVersion: EKSA_API_VERSION,
      kind: 'GitOpsConfig',
      metadata: { name: 'g', namespace: 'eksa' },
      spec: {
        flux: {
          github: {
            owner: 'o',
            repository: 'r',
            personal: true,
            branch: 'dev',
            clusterConfigPath: 'c/p',
            fluxSystemNamespace: 'gitops',
          },
        },
      },
    };
    expect(fluxConfigFromGitOps(gitOps)).toEqual({
      apiVersion: EKSA_API_VERSION,
      kind: 'FluxConfig',
      metadata: { name: 'g', namespace: 'eksa' },
      spec: {
        systemNamespace: 'gitops',
        branch: 'dev',
        clusterConfigPath: 'c/p',
        github: { owner: 'o', repository: 'r', personal: true },
      },
    });
  });

  test('defaulting the converted object gives what defaulting the GitOpsConfig gives', () => {
    const gitOps: GitOpsConfig = {
      apiVersion: EKSA_API_VERSION,
      kind: 'GitOpsConfig',
      metadata: { name: 'g' },
      spec: { flux: { github: { owner: 'o', repository: 'r' } } },
    };
    const base = docker({ gitOpsRef: { kind: 'FluxConfig', name: 'g' } });
    const viaFlux = setClusterDefaults({ ...base, fluxConfig: fluxConfigFromGitOps(gitOps) }).fluxConfig!
      .spec;
    const viaGitOps = setClusterDefaults({ ...base, gitOpsConfig: gitOps }).gitOpsConfig!.spec.flux.github;
    expect(viaFlux).toEqual({
      systemNamespace: viaGitOps.fluxSystemNamespace,
      branch: viaGitOps.branch,
      clusterConfigPath: viaGitOps.clusterConfigPath,
      github: { owner: 'o', repository: 'r' },
    });
  });
});
