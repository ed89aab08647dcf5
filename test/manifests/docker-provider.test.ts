/**
 * Docker rendering rules of research/eksa.md c.1 that the oracle cases do not reach (their clusters are 1.19–1.24
 * without identity providers or kubelet configuration): version-gated kubelet flags, kubelet configuration patches,
 * identity providers, autoscaling, per-group Kubernetes versions, rollout strategies, MachineHealthChecks, mirrors.
 */
import * as path from 'node:path';
import { parse } from 'yaml';
import { auditPolicyV1, synthesizeCluster, type KubeObject } from '../../src/manifests';
import { REPO_ROOT } from '../helpers/cli-runner';
import { loadSynthInput, type SynthInput } from '../helpers/synth-fixtures';

const QUICKSTART = path.join(REPO_ROOT, 'examples/quickstart/cluster.yaml');
const FULL = path.join(REPO_ROOT, 'test/fixtures/spec/valid/docker-full.yaml');
const ENV = { REGISTRY_USERNAME: 'robot', REGISTRY_PASSWORD: 'pa55' };

let quickstart: SynthInput;
let full: SynthInput;
beforeAll(async () => {
  quickstart = await loadSynthInput(QUICKSTART);
  full = await loadSynthInput(FULL);
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered objects are read field by field
const find = (objects: readonly KubeObject[], kind: string, name?: string): Json => {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
};
const args = (list: { name: string; value: string }[]) => list.map((a) => `${a.name}=${a.value}`);

describe('kubelet flags by Kubernetes version (quickstart, 1.36)', () => {
  test('systemd cgroup driver and fail-cgroupv1=false from 1.31, after eviction-hard', () => {
    const kcp = find(synthesizeCluster(quickstart).capiObjects, 'KubeadmControlPlane');
    expect(
      args(kcp.spec.kubeadmConfigSpec.initConfiguration.nodeRegistration.kubeletExtraArgs),
    ).toStrictEqual([
      'eviction-hard=nodefs.available<0%,nodefs.inodesFree<0%,imagefs.available<0%',
      'cgroup-driver=systemd',
      'fail-cgroupv1=false',
      'tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    ]);
    // Workers exist and the control plane has no taints: kubeadm's default taint (no taints field).
    expect(kcp.spec.kubeadmConfigSpec.initConfiguration.nodeRegistration.taints).toBeUndefined();
  });

  test('the audit policy is audit.k8s.io/v1 from 1.24', () => {
    const kcp = find(synthesizeCluster(quickstart).capiObjects, 'KubeadmControlPlane');
    const audit = kcp.spec.kubeadmConfigSpec.files.find(
      (f: Json) => f.path === '/etc/kubernetes/audit-policy.yaml',
    );
    expect(audit.content).toBe(auditPolicyV1());
    expect(parse(audit.content).apiVersion).toBe('audit.k8s.io/v1');
  });
});

describe('control plane of a full config (1.33)', () => {
  test('API server flags: audit and profiling first, then sorted extras (OIDC, AWS IAM, TLS, pod IAM)', () => {
    const kcp = find(synthesizeCluster({ ...full, env: ENV }).capiObjects, 'KubeadmControlPlane');
    const apiServer = kcp.spec.kubeadmConfigSpec.clusterConfiguration.apiServer;
    expect(args(apiServer.extraArgs)).toStrictEqual([
      'audit-policy-file=/etc/kubernetes/audit-policy.yaml',
      'audit-log-path=/var/log/kubernetes/api-audit.log',
      'audit-log-maxage=30',
      'audit-log-maxbackup=10',
      'audit-log-maxsize=512',
      'profiling=false',
      'authentication-token-webhook-config-file=/etc/kubernetes/aws-iam-authenticator/kubeconfig.yaml',
      'oidc-client-id=eksa',
      'oidc-groups-claim=groups',
      'oidc-issuer-url=https://sso.example.com/realms/eksa',
      'oidc-required-claim=aud=eksa',
      'service-account-issuer=https://s3.us-west-2.amazonaws.com/my-issuer',
      'tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    ]);
    expect(apiServer.certSANs).toStrictEqual(['localhost', '127.0.0.1', 'api.example.com', '10.1.2.3']);
    expect(apiServer.extraEnvs).toStrictEqual([
      {
        name: 'EKS_PATCH_EXCLUSION_RULES_FILE',
        value: '/etc/kubernetes/admission-plugin-exclusion-rules.json',
      },
    ]);
    expect(apiServer.extraVolumes.map((v: Json) => v.name)).toStrictEqual([
      'audit-policy',
      'audit-log-dir',
      'admission-exclusion-rules',
      'authconfig',
      'awsiamcert',
    ]);
    expect(args(kcp.spec.kubeadmConfigSpec.clusterConfiguration.controllerManager.extraArgs)).toStrictEqual([
      'enable-hostpath-provisioner=true',
      'node-cidr-mask-size=24',
      'profiling=false',
      'tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    ]);
  });

  test('a kubelet configuration becomes a patch file (with EKS-A additions) instead of kubelet flags', () => {
    const kcp = find(synthesizeCluster({ ...full, env: ENV }).capiObjects, 'KubeadmControlPlane');
    const spec = kcp.spec.kubeadmConfigSpec;
    const patch = spec.files[0];
    expect(patch.path).toBe('/etc/kubernetes/patches/kubeletconfiguration0+strategic.yaml');
    expect(patch.permissions).toBe('0644');
    expect(parse(patch.content)).toStrictEqual({
      kind: 'KubeletConfiguration',
      maxPods: 110,
      tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      resolvConf: '/etc/my-resolv.conf',
      failCgroupV1: false,
    });
    expect(Object.keys(parse(patch.content))).toStrictEqual([
      'failCgroupV1',
      'kind',
      'maxPods',
      'resolvConf',
      'tlsCipherSuites',
    ]);
    expect(spec.initConfiguration.patches).toStrictEqual({ directory: '/etc/kubernetes/patches' });
    // Only the node labels stay kubelet flags.
    expect(args(spec.initConfiguration.nodeRegistration.kubeletExtraArgs)).toStrictEqual([
      'node-labels=example.com/role=control-plane',
    ]);
    // Workers exist and control plane taints are set: those taints.
    expect(spec.joinConfiguration.nodeRegistration.taints).toStrictEqual([
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
  });

  test('registry mirror: one hosts.toml per mirrored registry with the Basic auth header; etcd uses the core mirror', () => {
    const objects = synthesizeCluster({ ...full, env: ENV }).capiObjects;
    const files = find(objects, 'KubeadmControlPlane').spec.kubeadmConfigSpec.files;
    const hosts = files.filter((f: Json) => f.path.endsWith('hosts.toml'));
    expect(hosts.map((f: Json) => f.path)).toStrictEqual([
      '/etc/containerd/certs.d/registry.example.com:5000/hosts.toml',
      '/etc/containerd/certs.d/783794618700.dkr.ecr.us-west-2.amazonaws.com/hosts.toml',
      '/etc/containerd/certs.d/public.ecr.aws/hosts.toml',
    ]);
    const token = Buffer.from('robot:pa55').toString('base64');
    expect(hosts[2].content).toBe(
      [
        'server = "https://public.ecr.aws"',
        '',
        '[host."https://registry.example.com:5000/v2/eks-anywhere"]',
        '  capabilities = ["pull", "resolve"]',
        '  [host."https://registry.example.com:5000/v2/eks-anywhere".header]',
        `    authorization = "Basic ${token}"`,
        '',
      ].join('\n'),
    );
    // docker-full has stacked etcd: the kubeadm etcd is local and there is no EtcdadmCluster.
    expect(objects.some((o) => o.kind === 'EtcdadmCluster')).toBe(false);
    const withEtcd = {
      ...full.config,
      cluster: {
        ...full.config.cluster,
        spec: { ...full.config.cluster.spec, externalEtcdConfiguration: { count: 3 } },
      },
    };
    const etcd = find(
      synthesizeCluster({ ...full, config: withEtcd, env: ENV }).capiObjects,
      'EtcdadmCluster',
    );
    expect(etcd.spec.etcdadmConfigSpec.registryMirror).toStrictEqual({
      endpoint: 'registry.example.com:5000/v2/eks-anywhere',
    });
    expect(find(objects, 'Secret', 'registry-credentials').data).toStrictEqual({
      username: Buffer.from('robot').toString('base64'),
      password: Buffer.from('pa55').toString('base64'),
    });
    expect(synthesizeCluster({ ...full, env: ENV }).containsSecrets).toBe(true);
    expect(synthesizeCluster(quickstart).containsSecrets).toBe(false);
  });
});

describe('worker groups', () => {
  test('autoscaling: bounds as annotations and no replicas; rollout strategy rendered', () => {
    const md = find(synthesizeCluster(full).capiObjects, 'MachineDeployment', 'full-1-general');
    expect(md.metadata.annotations).toStrictEqual({
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '1',
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '5',
    });
    expect(md.spec.replicas).toBeUndefined();
    expect(md.spec.rollout).toStrictEqual({
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    expect(md.spec.selector).toStrictEqual({ matchLabels: {} });
  });

  test('v1beta1: strategy instead of rollout, empty selector', () => {
    const md = find(
      synthesizeCluster({ ...full, contract: 'v1beta1' }).capiObjects,
      'MachineDeployment',
      'full-1-general',
    );
    expect(md.apiVersion).toBe('cluster.x-k8s.io/v1beta1');
    expect(md.spec.strategy).toStrictEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(md.spec.selector).toStrictEqual({});
    expect(md.spec.template.spec.bootstrap.configRef).toStrictEqual({
      apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
      kind: 'KubeadmConfigTemplate',
      name: 'full-1-general-1',
      namespace: 'eksa-system',
    });
  });

  test("a group's own Kubernetes version picks its versions bundle (machine image and version)", () => {
    const objects = synthesizeCluster(full).capiObjects;
    const gpu = find(objects, 'MachineDeployment', 'full-1-gpu');
    expect(gpu.spec.replicas).toBe(0);
    expect(gpu.spec.template.spec.version).toBe('v1.32.13-eks-1-32-40');
    expect(find(objects, 'DockerMachineTemplate', 'full-1-gpu-1').spec.template.spec.customImage).toMatch(
      /node:v1\.32\./,
    );
    expect(find(objects, 'DockerMachineTemplate', 'full-1-general-1').spec.template.spec.customImage).toMatch(
      /node:v1\.33\./,
    );
    const kct = find(objects, 'KubeadmConfigTemplate', 'full-1-gpu-1');
    expect(kct.spec.template.spec.joinConfiguration.nodeRegistration.taints).toStrictEqual([
      { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' },
    ]);
  });

  test('MachineHealthChecks take the top-level values, overridden per control plane and group', () => {
    const v2 = synthesizeCluster(full).capiObjects;
    expect(find(v2, 'MachineHealthCheck', 'full-1-kcp-unhealthy').spec).toStrictEqual({
      clusterName: 'full-1',
      selector: { matchLabels: { 'cluster.x-k8s.io/control-plane': '' } },
      checks: {
        nodeStartupTimeoutSeconds: 900,
        unhealthyNodeConditions: [
          { type: 'Ready', status: 'Unknown', timeoutSeconds: 360 },
          { type: 'Ready', status: 'False', timeoutSeconds: 360 },
        ],
      },
      remediation: { triggerIf: { unhealthyLessThanOrEqualTo: 1 } },
    });
    const gpuV1 = find(
      synthesizeCluster({ ...full, contract: 'v1beta1' }).capiObjects,
      'MachineHealthCheck',
      'full-1-gpu-worker-unhealthy',
    );
    expect(gpuV1.spec).toStrictEqual({
      clusterName: 'full-1',
      selector: { matchLabels: { 'cluster.x-k8s.io/deployment-name': 'full-1-gpu' } },
      nodeStartupTimeout: '20m0s',
      unhealthyConditions: [
        { type: 'Ready', status: 'Unknown', timeout: '6m0s' },
        { type: 'Ready', status: 'False', timeout: '6m0s' },
      ],
      maxUnhealthy: '50%',
    });
  });
});

describe('external etcd', () => {
  test('etcdReleaseURL is set for EKS-A >= v0.19 (and unset versions) and left out before', () => {
    const url = (config: SynthInput['config']) =>
      find(synthesizeCluster({ ...quickstart, config }).capiObjects, 'EtcdadmCluster').spec.etcdadmConfigSpec
        .cloudInitConfig;
    const base = quickstart.config;
    const withVersion = (eksaVersion: string) => ({
      ...base,
      cluster: { ...base.cluster, spec: { ...base.cluster.spec, eksaVersion } },
    });
    expect(url(base).etcdReleaseURL).toMatch(/^https:\/\/.*etcd.*amd64/);
    expect(url(withVersion('v0.26.1')).etcdReleaseURL).toBe(url(base).etcdReleaseURL);
    expect(url(withVersion('v0.18.9')).etcdReleaseURL).toBeUndefined();
    expect(url(base).version).toBe(quickstart.bundles[0].kubeDistro.etcdVersion);
  });
});
