import * as YAML from 'yaml';
import {
  AWSIamConfig,
  Cluster,
  EKSA_API_VERSION,
  FluxConfig,
  GitOpsConfig,
  OIDCConfig,
  readClusterConfig,
  VSphereDatacenterConfig,
  VSphereMachineConfig,
} from '../../src/spec';
import { EKSA_SPEC_SCHEMAS } from '../../src/spec/generated/schemas';
import type { SchemaNode } from '../../src/spec/schema-node';

// One object per kind that sets every field the CRD has. The TypeScript compiler checks each literal against the
// hand-written types (no field the types lack); the tests below check it against the generated CRD schemas (no
// CRD field the sample, hence the types, lack) and that the parser reads it back unchanged. A new CRD field makes
// this test fail until the types and the sample carry it.

const mhc = { nodeStartupTimeout: '10m0s', unhealthyMachineTimeout: '5m0s', maxUnhealthy: '40%' };
const ref = (name: string) => ({ kind: 'VSphereMachineConfig' as const, name });

const cluster: Cluster = {
  apiVersion: EKSA_API_VERSION,
  kind: 'Cluster',
  metadata: { name: 'all', namespace: 'default', labels: { a: 'b' }, annotations: { c: 'd' } },
  spec: {
    kubernetesVersion: '1.33',
    controlPlaneConfiguration: {
      count: 3,
      endpoint: { host: '10.0.0.10' },
      machineGroupRef: ref('cp'),
      taints: [{ key: 'k', value: 'v', effect: 'NoSchedule', timeAdded: '2024-01-01T00:00:00Z' }],
      labels: { role: 'cp' },
      upgradeRolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      skipLoadBalancerDeployment: true,
      certSans: ['api.example.com'],
      machineHealthCheck: mhc,
      apiServerExtraArgs: { 'audit-log-maxage': '7' },
      kubeletConfiguration: { maxPods: 20 },
      auditPolicyContent: 'kind: Policy\n',
      skipAdmissionForSystemResources: true,
    },
    workerNodeGroupConfigurations: [
      {
        name: 'md-0',
        count: 2,
        autoscalingConfiguration: { minCount: 1, maxCount: 3 },
        machineGroupRef: ref('wn'),
        taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule', timeAdded: '2024-01-01T00:00:00Z' }],
        labels: { role: 'wn' },
        upgradeRolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        kubernetesVersion: '1.32',
        machineHealthCheck: mhc,
        kubeletConfiguration: { maxPods: 30 },
        failureDomains: ['fd-1'],
      },
    ],
    datacenterRef: { kind: 'VSphereDatacenterConfig', name: 'dc' },
    identityProviderRefs: [
      { kind: 'OIDCConfig', name: 'sso' },
      { kind: 'AWSIamConfig', name: 'iam' },
    ],
    gitOpsRef: { kind: 'FluxConfig', name: 'flux' },
    clusterNetwork: {
      pods: { cidrBlocks: ['192.168.0.0/16'] },
      services: { cidrBlocks: ['10.96.0.0/12'] },
      cni: 'cilium',
      cniConfig: {
        cilium: {
          policyEnforcementMode: 'default',
          egressMasqueradeInterfaces: 'eth0',
          skipUpgrade: false,
          routingMode: 'direct',
          ipv4NativeRoutingCIDR: '192.168.0.0/16',
          ipv6NativeRoutingCIDR: 'fd00::/64',
          cniExclusive: true,
          helmValues: { debug: { enabled: true } },
        },
        kindnetd: {},
      },
      dns: { resolvConf: { path: '/etc/resolv.conf' } },
      nodes: { cidrMaskSize: 24 },
    },
    externalEtcdConfiguration: { count: 3, machineGroupRef: ref('etcd') },
    proxyConfiguration: { httpProxy: 'p:3128', httpsProxy: 'p:3128', noProxy: ['.local'] },
    registryMirrorConfiguration: {
      endpoint: 'r.example.com',
      port: '443',
      ociNamespaces: [{ registry: 'public.ecr.aws', namespace: 'eks-anywhere' }],
      caCertContent: 'PEM',
      authenticate: true,
      insecureSkipVerify: false,
    },
    managementCluster: { name: 'all' },
    podIamConfig: { serviceAccountIssuer: 'https://issuer.example.com' },
    packages: {
      disable: false,
      controller: {
        repository: 'r',
        tag: 't',
        digest: 'sha256:0',
        disableWebhooks: true,
        env: ['A=b'],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      },
      cronjob: { repository: 'r', tag: 't', digest: 'sha256:0', disable: true },
    },
    bundlesRef: { apiVersion: EKSA_API_VERSION, name: 'bundles-1', namespace: 'eksa-system' },
    eksaVersion: 'v0.26.1',
    machineHealthCheck: mhc,
    etcdEncryption: [
      {
        providers: [
          { kms: { name: 'kms', socketListenAddress: 'unix:///kms.sock', cachesize: 1000, timeout: '3s' } },
        ],
        resources: ['secrets'],
      },
    ],
    licenseToken: 'token',
  },
};

const datacenter: VSphereDatacenterConfig = {
  apiVersion: EKSA_API_VERSION,
  kind: 'VSphereDatacenterConfig',
  metadata: { name: 'dc', namespace: 'default' },
  spec: {
    datacenter: 'DC1',
    network: '/DC1/network/n',
    server: 'vc',
    thumbprint: 'AB',
    insecure: false,
    failureDomains: [
      {
        name: 'fd-1',
        computeCluster: 'c',
        resourcePool: 'rp',
        datastore: 'ds',
        folder: 'f',
        network: '/DC1/network/n',
      },
    ],
  },
};

const machine = (name: string): VSphereMachineConfig => ({
  apiVersion: EKSA_API_VERSION,
  kind: 'VSphereMachineConfig',
  metadata: { name, namespace: 'default' },
  spec: {
    diskGiB: 25,
    datastore: 'ds',
    folder: 'f',
    networks: ['/DC1/network/n'],
    numCPUs: 2,
    memoryMiB: 8192,
    osFamily: 'bottlerocket',
    resourcePool: 'rp',
    storagePolicyName: 'sp',
    template: 't',
    cloneMode: 'linkedClone',
    users: [{ name: 'ec2-user', sshAuthorizedKeys: ['ssh-rsa AAAA'] }],
    tags: ['urn:tag'],
    hostOSConfiguration: {
      ntpConfiguration: { servers: ['time.example.com'] },
      certBundles: [{ name: 'ca', data: 'PEM' }],
      bottlerocketConfiguration: {
        kernel: { sysctlSettings: { 'vm.max_map_count': '262144' } },
        boot: { bootKernelParameters: { console: ['tty0'] } },
        kubernetes: {
          allowedUnsafeSysctls: ['net.core.somaxconn'],
          clusterDNSIPs: ['10.96.0.10'],
          clusterDomain: 'cluster.local',
          containerLogMaxFiles: 5,
          containerLogMaxSize: '10Mi',
          cpuCFSQuota: true,
          cpuManagerPolicy: 'static',
          cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' },
          cpuManagerReconcilePeriod: '10s',
          eventBurst: 10,
          eventRecordQPS: 5,
          evictionHard: { 'memory.available': '100Mi' },
          evictionMaxPodGracePeriod: 30,
          evictionSoft: { 'memory.available': '200Mi' },
          evictionSoftGracePeriod: { 'memory.available': '30s' },
          imageGCHighThresholdPercent: 85,
          imageGCLowThresholdPercent: 80,
          kubeAPIBurst: 10,
          kubeAPIQPS: 5,
          kubeReserved: { cpu: '100m' },
          maxPods: 110,
          memoryManagerPolicy: 'None',
          podPidsLimit: 1024,
          providerID: 'x',
          registryBurst: 10,
          registryPullQPS: 5,
          shutdownGracePeriod: '30s',
          shutdownGracePeriodCriticalPods: '10s',
          systemReserved: { cpu: '100m' },
          topologyManagerPolicy: 'none',
          topologyManagerScope: 'container',
        },
      },
    },
  },
});

const oidc: OIDCConfig = {
  apiVersion: EKSA_API_VERSION,
  kind: 'OIDCConfig',
  metadata: { name: 'sso', namespace: 'default' },
  spec: {
    clientId: 'c',
    issuerUrl: 'https://sso',
    groupsClaim: 'groups',
    groupsPrefix: 'g:',
    requiredClaims: [{ claim: 'aud', value: 'x' }],
    usernameClaim: 'email',
    usernamePrefix: 'u:',
  },
};

const iam: AWSIamConfig = {
  apiVersion: EKSA_API_VERSION,
  kind: 'AWSIamConfig',
  metadata: { name: 'iam', namespace: 'default' },
  spec: {
    awsRegion: 'us-west-2',
    backendMode: ['EKSConfigMap'],
    mapRoles: [{ roleARN: 'arn:r', username: 'r', groups: ['g'] }],
    mapUsers: [{ userARN: 'arn:u', username: 'u', groups: ['g'] }],
    partition: 'aws',
  },
};

const flux: FluxConfig = {
  apiVersion: EKSA_API_VERSION,
  kind: 'FluxConfig',
  metadata: { name: 'flux', namespace: 'default' },
  spec: {
    systemNamespace: 'flux-system',
    branch: 'main',
    clusterConfigPath: 'clusters/all',
    github: { owner: 'o', repository: 'r', personal: true },
    git: { repositoryUrl: 'ssh://git@h/r.git', sshKeyAlgorithm: 'ecdsa' },
  },
};

const gitOps: GitOpsConfig = {
  apiVersion: EKSA_API_VERSION,
  kind: 'GitOpsConfig',
  metadata: { name: 'gitops', namespace: 'default' },
  spec: {
    flux: {
      github: {
        owner: 'o',
        repository: 'r',
        branch: 'main',
        clusterConfigPath: 'clusters/all',
        fluxSystemNamespace: 'flux-system',
        personal: false,
      },
    },
  },
};

const samples: Record<string, { spec: unknown }> = {
  Cluster: cluster,
  DockerDatacenterConfig: { spec: {} },
  VSphereDatacenterConfig: datacenter,
  VSphereMachineConfig: machine('cp'),
  OIDCConfig: oidc,
  AWSIamConfig: iam,
  FluxConfig: flux,
  GitOpsConfig: gitOps,
};

/** Schema property paths that the sample does not set. */
function missing(schema: SchemaNode, value: unknown, path: string, out: string[]): void {
  if (schema.properties) {
    const obj = (value ?? {}) as Record<string, unknown>;
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (obj[name] === undefined) out.push(`${path}.${name}`);
      else missing(sub, obj[name], `${path}.${name}`, out);
    }
  }
  if (schema.items && Array.isArray(value)) missing(schema.items, value[0], `${path}[0]`, out);
}

describe('types cover the CRD schemas', () => {
  test('the schema module holds exactly the kinds users write', () => {
    expect(Object.keys(EKSA_SPEC_SCHEMAS).sort()).toEqual(Object.keys(samples).sort());
  });

  test.each(Object.keys(samples))('the %s sample sets every field of its CRD', (kind) => {
    const out: string[] = [];
    missing(EKSA_SPEC_SCHEMAS[kind].properties!.spec, samples[kind].spec, 'spec', out);
    expect(out).toEqual([]);
  });

  test('the parser reads every sample back unchanged, in strict mode', () => {
    const objects = [cluster, datacenter, machine('cp'), machine('wn'), machine('etcd'), oidc, iam, flux];
    const text = objects.map((o) => YAML.stringify(o)).join('---\n');
    const result = readClusterConfig(text, { file: 'all.yaml' });
    expect(result.issues).toEqual([]);
    expect(result.config).toEqual({
      cluster,
      datacenter,
      machineConfigs: { cp: machine('cp'), wn: machine('wn'), etcd: machine('etcd') },
      oidcConfigs: { sso: oidc },
      awsIamConfigs: { iam },
      fluxConfig: flux,
      file: 'all.yaml',
    });

    const withGitOps = {
      ...cluster,
      spec: { ...cluster.spec, gitOpsRef: { kind: 'GitOpsConfig' as const, name: 'gitops' } },
    };
    const text2 = [withGitOps, datacenter, machine('cp'), machine('wn'), machine('etcd'), oidc, iam, gitOps]
      .map((o) => YAML.stringify(o))
      .join('---\n');
    expect(readClusterConfig(text2).config?.gitOpsConfig).toEqual(gitOps);
  });
});
