/**
 * The vSphere provider beyond the oracle cases: Bottlerocket, proxy, registry mirror, failure domains, worker
 * networks, taints and labels, kubelet configurations, NTP, version gates, the two contracts, credentials, the
 * provider's setup defaults, validation, and what it tells the workflow (tool environment, bootstrap cluster).
 * Expected values are written out from research/eksa.md (c.2), EKS-A's templates and the shared bundle files.
 */
import { parseAllDocuments } from 'yaml';
import {
  bottlerocketEverything,
  byKind,
  loadDocs,
  machines,
  SSH_KEY_STRIPPED,
  typicalDocs,
  ubuntuEverything,
} from './vsphere-fixtures';
import { synthesizeCluster, VSphereProvider, type KubeObject } from '../../src/manifests';
import { LOOPBACK_TLS_CERTIFICATE } from '../../src/testing';

const CREDENTIALS = { EKSA_VSPHERE_USERNAME: 'admin@vsphere.local', EKSA_VSPHERE_PASSWORD: 's3cret!' };
const HOSTNAME_COMMANDS = [
  'hostname "{{ ds.meta_data.hostname }}"',
  'echo "::1         ipv6-localhost ipv6-loopback" >/etc/hosts',
  'echo "127.0.0.1   localhost" >>/etc/hosts',
  'echo "127.0.0.1   {{ ds.meta_data.hostname }}" >>/etc/hosts',
  'echo "{{ ds.meta_data.hostname }}" >/etc/hostname',
];
const b64 = (s: string) => Buffer.from(s).toString('base64');

type Docs = ReturnType<typeof typicalDocs>;
async function synth(
  docs: Docs,
  contract: 'v1beta1' | 'v1beta2' = 'v1beta2',
  env: Record<string, string> = CREDENTIALS,
) {
  return synthesizeCluster({ ...(await loadDocs(docs)), contract, env }).capiObjects;
}
function find(objects: readonly KubeObject[], kind: string, name?: string): any {
  const o = objects.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!o) {
    throw new Error(
      `no ${kind} ${name ?? ''} among ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`,
    );
  }
  return o;
}
const args = (list: { name: string; value: string }[]) => list.map((a) => `${a.name}=${a.value}`);

describe('Ubuntu with proxy, registry mirror, failure domains and kubelet configurations', () => {
  let objects: readonly KubeObject[];
  beforeAll(async () => {
    objects = await synth(ubuntuEverything());
  });

  test('control plane files: kubelet patch, kube-vip, audit policy, containerd proxy drop-in, mirror CA and hosts', () => {
    const files = find(objects, 'KubeadmControlPlane').spec.kubeadmConfigSpec.files as {
      path: string;
      content: string;
    }[];
    expect(files.map((f) => f.path)).toStrictEqual([
      '/etc/kubernetes/patches/kubeletconfiguration0+strategic.yaml',
      '/etc/kubernetes/manifests/kube-vip.yaml',
      '/etc/kubernetes/audit-policy.yaml',
      '/etc/systemd/system/containerd.service.d/http-proxy.conf',
      '/etc/containerd/certs.d/mirror.example.com:5000/ca.crt',
      '/etc/containerd/config_append.toml',
      '/etc/containerd/certs.d/mirror.example.com:5000/hosts.toml',
      '/etc/containerd/certs.d/public.ecr.aws/hosts.toml',
    ]);
    // NO_PROXY: pod and service CIDRs, the user's list, the defaults, vCenter and the control plane address.
    expect(files[3].content).toBe(
      [
        '[Service]',
        'Environment="HTTP_PROXY=http://proxy.example.com:3128"',
        'Environment="HTTPS_PROXY=http://proxy.example.com:3128"',
        'Environment="NO_PROXY=192.168.0.0/16,10.96.0.0/12,10.0.0.0/8,.corp.example.com,localhost,127.0.0.1,.svc,vcenter.example.com,10.0.0.10"',
        '',
      ].join('\n'),
    );
  });

  test('kube-vip announces the control plane address with the bundle image', () => {
    const files = find(objects, 'KubeadmControlPlane').spec.kubeadmConfigSpec.files as {
      path: string;
      content: string;
    }[];
    const pod = parseAllDocuments(files[1].content)[0].toJS();
    const container = pod.spec.containers[0];
    // vSphere.kubeVip of the 1.31 versions bundle in ../shared/bundles/main-bundle-release.yaml.
    expect(container.image).toBe(
      'public.ecr.aws/release-container-registry/kube-vip/kube-vip:v1.2.0-eks-a-v0.0.0-dev-build.1',
    );
    expect(container.env).toContainEqual({ name: 'address', value: '10.0.0.10' });
    expect(container.env).toContainEqual({ name: 'port', value: '6443' });
    expect(pod.spec.volumes).toStrictEqual([
      { hostPath: { path: '/etc/kubernetes/admin.conf' }, name: 'kubeconfig' },
    ]);
  });

  test('containerd picks up proxy and mirror before kubeadm; then the hostname commands', () => {
    const cp = find(objects, 'KubeadmControlPlane').spec.kubeadmConfigSpec;
    const md = find(objects, 'KubeadmConfigTemplate').spec.template.spec;
    const expected = [
      'cat /etc/containerd/config_append.toml >> /etc/containerd/config.toml',
      'sudo systemctl daemon-reload',
      'sudo systemctl restart containerd',
      ...HOSTNAME_COMMANDS,
    ];
    expect(cp.preKubeadmCommands).toStrictEqual(expected);
    expect(md.preKubeadmCommands).toStrictEqual(expected);
  });

  test('control plane: patch replaces kubelet flags, labels stay, configured taints, cert SANs, version gates', () => {
    const cc = find(objects, 'KubeadmControlPlane').spec.kubeadmConfigSpec;
    for (const node of [cc.initConfiguration, cc.joinConfiguration]) {
      expect(args(node.nodeRegistration.kubeletExtraArgs)).toStrictEqual([
        'cloud-provider=external',
        'node-labels=tier=control',
      ]);
      expect(node.nodeRegistration.taints).toStrictEqual([
        { key: 'dedicated', value: 'cp', effect: 'NoSchedule' },
      ]);
      expect(node.nodeRegistration.name).toBe('{{ ds.meta_data.hostname }}');
      expect(node.patches).toStrictEqual({ directory: '/etc/kubernetes/patches' });
    }
    const c = cc.clusterConfiguration;
    expect(c.apiServer.certSANs).toStrictEqual(['api.example.com']);
    expect(args(c.apiServer.extraArgs)[0]).toBe('cloud-provider=external');
    expect(args(c.controllerManager.extraArgs)).toStrictEqual([
      'cloud-provider=external',
      'profiling=false',
      'node-cidr-mask-size=24',
      'tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    ]);
    // Kubernetes 1.31: kubeadm etcd learner mode off.
    expect(c.featureGates).toStrictEqual({ EtcdLearnerMode: false });
    expect(cc.users).toStrictEqual([
      { name: 'capv', sshAuthorizedKeys: [SSH_KEY_STRIPPED], sudo: 'ALL=(ALL) NOPASSWD:ALL' },
    ]);
    expect(cc.ntp).toStrictEqual({ enabled: true, servers: ['time.example.com', '10.0.0.123'] });
    expect(cc.format).toBe('cloud-config');
  });

  test('the cloud provider tolerates the control plane taints', () => {
    const text = find(objects, 'ConfigMap', 'prod-cpi-manifests').data.data as string;
    const daemonSet = parseAllDocuments(text)
      .map((d) => d.toJS())
      .find((o) => o.kind === 'DaemonSet');
    expect(daemonSet.spec.template.spec.tolerations.at(-1)).toStrictEqual({
      key: 'dedicated',
      value: 'cp',
      effect: 'NoSchedule',
    });
    expect(daemonSet.spec.template.spec.containers[0].image).toBe(
      'public.ecr.aws/release-container-registry/kubernetes/cloud-provider-vsphere/cpi/manager:v1.31.1-eks-d-1-31-eks-a-v0.0.0-dev-build.1',
    );
  });

  test('workers: taints, labels, kubelet patch, two networks, failure domain', () => {
    const kct = find(objects, 'KubeadmConfigTemplate').spec.template.spec;
    expect(kct.joinConfiguration.nodeRegistration.taints).toStrictEqual([
      { key: 'gpu', value: 'true', effect: 'NoExecute' },
    ]);
    expect(args(kct.joinConfiguration.nodeRegistration.kubeletExtraArgs)).toStrictEqual([
      'cloud-provider=external',
      'node-labels=pool=general',
    ]);
    expect(kct.files[0].path).toBe('/etc/kubernetes/patches/kubeletconfiguration0+strategic.yaml');
    expect(kct.files[0].content).toContain('maxPods: 110');
    const md = find(objects, 'MachineDeployment');
    expect(md.metadata.labels).toStrictEqual({ 'cluster.x-k8s.io/cluster-name': 'prod' });
    expect(md.spec.template.metadata.labels).toStrictEqual({ 'cluster.x-k8s.io/cluster-name': 'prod' });
    expect(md.spec.template.spec.failureDomain).toBe('prod-prod-fd-a');
    const worker = find(objects, 'VSphereMachineTemplate', 'prod-md-0-1').spec.template.spec;
    expect(worker.network.devices).toStrictEqual([
      { dhcp4: true, networkName: '/DC1/network/a' },
      { dhcp4: true, networkName: '/DC1/network/b' },
    ]);
    expect(worker.tagIDs).toStrictEqual(['urn:vmomi:InventoryServiceTag:1234:GLOBAL']);
    // The control plane keeps the datacenter network.
    const cp = find(objects, 'VSphereMachineTemplate', 'prod-control-plane-1').spec.template.spec;
    expect(cp.network.devices).toStrictEqual([{ dhcp4: true, networkName: '/DC1/network/VM Network' }]);
  });

  test('failure domains: a VSphereFailureDomain and VSphereDeploymentZone per domain, cluster-scoped', () => {
    const domains = objects.filter((o) => o.kind === 'VSphereFailureDomain');
    expect(domains.map((d) => d.metadata.name)).toStrictEqual(['prod-prod-fd-a', 'prod-prod-fd-b']);
    expect(domains[0].metadata.namespace).toBeUndefined();
    expect(domains[0].spec).toStrictEqual({
      region: { name: 'DC1', type: 'Datacenter', tagCategory: 'k8s-region' },
      zone: { name: '/DC1/host/Cluster1', type: 'ComputeCluster', tagCategory: 'k8s-zone' },
      topology: {
        datacenter: 'DC1',
        computeCluster: '/DC1/host/Cluster1',
        datastore: '/DC1/datastore/ds1',
        networks: ['/DC1/network/fd-a'],
      },
    });
    const zone = find(objects, 'VSphereDeploymentZone', 'prod-prod-fd-b');
    expect(zone.metadata.labels).toStrictEqual({ cluster: 'prod', 'vsphere-datacenter-name': 'prod' });
    expect(zone.spec).toStrictEqual({
      server: 'vcenter.example.com',
      failureDomain: 'prod-prod-fd-b',
      placementConstraint: { resourcePool: '/DC1/host/Cluster2/Resources', folder: '/DC1/vm/fd-b' },
    });
  });

  test('external etcd: proxy, registry mirror, NTP, install dir and release URL', () => {
    const spec = find(objects, 'EtcdadmCluster').spec.etcdadmConfigSpec;
    expect(spec.format).toBe('cloud-config');
    expect(spec.cloudInitConfig.installDir).toBe('/usr/bin');
    expect(spec.cloudInitConfig.etcdReleaseURL).toMatch(/^https:\/\/.*etcd-linux-amd64-v3\.5\.\d+\.tar\.gz$/);
    expect(spec.proxy).toStrictEqual({
      httpProxy: 'http://proxy.example.com:3128',
      httpsProxy: 'http://proxy.example.com:3128',
      noProxy: [
        '192.168.0.0/16',
        '10.96.0.0/12',
        '10.0.0.0/8',
        '.corp.example.com',
        'localhost',
        '127.0.0.1',
        '.svc',
        'vcenter.example.com',
        '10.0.0.10',
      ],
    });
    expect(spec.registryMirror).toStrictEqual({
      endpoint: 'mirror.example.com:5000/v2/eks-anywhere',
      caCert: LOOPBACK_TLS_CERTIFICATE,
    });
    expect(spec.ntp).toStrictEqual({ enabled: true, servers: ['time.example.com', '10.0.0.123'] });
    expect(spec.preEtcdadmCommands).toStrictEqual(HOSTNAME_COMMANDS);
    expect(spec.cipherSuites).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
  });
});

describe('Bottlerocket', () => {
  let objects: readonly KubeObject[];
  beforeAll(async () => {
    objects = await synth(bottlerocketEverything());
  });
  const PAUSE = {
    imageRepository: 'public.ecr.aws/eks-distro/kubernetes/pause',
    imageTag: 'v1.30.14-eks-1-30-58',
  };
  const BOOTSTRAP = {
    imageRepository: 'public.ecr.aws/release-container-registry/bottlerocket-bootstrap',
    imageTag: 'v1-30-58-eks-a-v0.0.0-dev-build.1',
  };

  test('control plane: pause and bootstrap images, host settings, proxy, mirror, CA bundles, /var/lib/kubeadm', () => {
    const spec = find(objects, 'KubeadmControlPlane').spec.kubeadmConfigSpec;
    const cc = spec.clusterConfiguration;
    const host = {
      pause: PAUSE,
      bottlerocketBootstrap: BOOTSTRAP,
      // The control plane's kubelet configuration becomes settings.kubernetes.
      bottlerocket: {
        kubernetes: { maxPods: 60, clusterDNSIPs: ['10.96.0.10'] },
        kernel: { sysctlSettings: { 'vm.max_map_count': '262144' } },
        boot: { bootKernelParameters: { console: ['tty0', 'ttyS0,115200n8'] } },
      },
      proxy: {
        httpsProxy: 'http://proxy.example.com:3129',
        noProxy: [
          '192.168.0.0/16',
          '10.96.0.0/12',
          '.corp.example.com',
          'localhost',
          '127.0.0.1',
          '.svc',
          'vcenter.example.com',
          '10.0.0.10',
        ],
      },
      registryMirror: { endpoint: 'mirror.example.com:443', caCert: LOOPBACK_TLS_CERTIFICATE },
      certBundles: [{ name: 'corp-ca', data: LOOPBACK_TLS_CERTIFICATE }],
    };
    for (const [k, v] of Object.entries(host)) {
      expect(cc[k]).toStrictEqual(v);
      expect(spec.joinConfiguration[k]).toStrictEqual(v);
    }
    expect(cc.certificatesDir).toBe('/var/lib/kubeadm/pki');
    expect(cc.etcd.external).toStrictEqual({
      endpoints: ['https://placeholder:2379'],
      caFile: '/var/lib/kubeadm/pki/etcd/ca.crt',
      certFile: '/var/lib/kubeadm/pki/server-etcd-client.crt',
      keyFile: '/var/lib/kubeadm/pki/apiserver-etcd-client.key',
    });
    expect(cc.apiServer.extraVolumes[0].hostPath).toBe('/var/lib/kubeadm/audit-policy.yaml');
    expect(cc.controllerManager.extraVolumes).toStrictEqual([
      {
        hostPath: '/var/lib/kubeadm/controller-manager.conf',
        mountPath: '/etc/kubernetes/controller-manager.conf',
        name: 'kubeconfig',
        pathType: 'File',
        readOnly: true,
      },
    ]);
    expect(cc.scheduler.extraVolumes[0].hostPath).toBe('/var/lib/kubeadm/scheduler.conf');
    expect(spec.format).toBe('bottlerocket');
    // No containerd files or commands: Bottlerocket takes proxy and mirror as settings.
    expect(spec.files.map((f: { path: string }) => f.path)).toStrictEqual([
      '/etc/kubernetes/manifests/kube-vip.yaml',
      '/etc/kubernetes/audit-policy.yaml',
    ]);
    expect(parseAllDocuments(spec.files[0].content)[0].toJS().spec.volumes[0].hostPath.path).toBe(
      '/var/lib/kubeadm/admin.conf',
    );
    expect(spec.preKubeadmCommands).toStrictEqual(HOSTNAME_COMMANDS);
    // The kubelet configuration is not a patch here, so the flags stay.
    expect(args(spec.initConfiguration.nodeRegistration.kubeletExtraArgs)).toStrictEqual([
      'cloud-provider=external',
      'read-only-port=0',
      'anonymous-auth=false',
      'tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    ]);
    expect(spec.initConfiguration.patches).toBeUndefined();
    expect(spec.users[0].name).toBe('ec2-user');
  });

  test('workers take the machine config settings when the group has no kubelet configuration', () => {
    const join = find(objects, 'KubeadmConfigTemplate').spec.template.spec.joinConfiguration;
    expect(join.pause).toStrictEqual(PAUSE);
    expect(join.bottlerocket.kubernetes).toStrictEqual({
      maxPods: 90,
      allowedUnsafeSysctls: ['net.core.somaxconn'],
    });
  });

  test('etcd runs from images: no cloud-init install', () => {
    const spec = find(objects, 'EtcdadmCluster').spec.etcdadmConfigSpec;
    expect(spec.format).toBe('bottlerocket');
    expect(spec.cloudInitConfig).toBeUndefined();
    expect(spec.preEtcdadmCommands).toBeUndefined();
    expect(spec.bottlerocketConfig).toStrictEqual({
      etcdImage: 'public.ecr.aws/eks-distro/etcd-io/etcd:v3.5.12-eks-1-30-58',
      bootstrapImage:
        'public.ecr.aws/release-container-registry/bottlerocket-bootstrap:v1-30-58-eks-a-v0.0.0-dev-build.1',
      pauseImage: 'public.ecr.aws/eks-distro/kubernetes/pause:v1.30.14-eks-1-30-58',
      kernel: { sysctlSettings: { 'vm.max_map_count': '262144' } },
      boot: { bootKernelParameters: { console: ['tty0', 'ttyS0,115200n8'] } },
    });
    expect(spec.certBundles).toStrictEqual([{ name: 'corp-ca', data: LOOPBACK_TLS_CERTIFICATE }]);
    expect(spec.ntp).toStrictEqual({ enabled: true, servers: ['time.example.com'] });
  });
});

describe('contracts: v1beta1 reproduces EKS-A before v0.25, v1beta2 the current release', () => {
  test('references name the namespace only where EKS-A vSphere templates do', async () => {
    const old = await synth(typicalDocs(), 'v1beta1');
    const cluster = find(old, 'Cluster');
    expect(cluster.spec.controlPlaneRef).toStrictEqual({
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
      kind: 'KubeadmControlPlane',
      name: 'prod',
    });
    expect(cluster.spec.infrastructureRef).toStrictEqual({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
      kind: 'VSphereCluster',
      name: 'prod',
    });
    expect(cluster.spec.managedExternalEtcdRef.namespace).toBe('eksa-system');
    expect(find(old, 'KubeadmControlPlane').spec.machineTemplate.infrastructureRef.namespace).toBe(
      'eksa-system',
    );
    expect(find(old, 'EtcdadmCluster').spec.infrastructureTemplate.namespace).toBeUndefined();
    const md = find(old, 'MachineDeployment').spec;
    expect(md.template.spec.bootstrap.configRef.namespace).toBeUndefined();
    expect(md.template.spec.infrastructureRef.namespace).toBeUndefined();
    expect(md.selector).toStrictEqual({ matchLabels: {} });
  });

  test('the default control plane taint and role label are written out only under v1beta2', async () => {
    const [old, current] = [await synth(typicalDocs(), 'v1beta1'), await synth(typicalDocs(), 'v1beta2')];
    const taints = (objects: readonly KubeObject[]) =>
      find(objects, 'KubeadmControlPlane').spec.kubeadmConfigSpec.initConfiguration.nodeRegistration.taints;
    expect(taints(old)).toBeUndefined();
    expect(taints(current)).toStrictEqual([
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
    expect(find(current, 'KubeadmControlPlane').spec.machineTemplate.metadata.labels).toStrictEqual({
      'node-role.kubernetes.io/control-plane': '',
    });
    expect(find(old, 'KubeadmControlPlane').spec.machineTemplate.metadata).toBeUndefined();
    expect(find(current, 'ClusterResourceSet').apiVersion).toBe('addons.cluster.x-k8s.io/v1beta2');
    expect(find(old, 'ClusterResourceSet').apiVersion).toBe('addons.cluster.x-k8s.io/v1beta1');
    for (const objects of [old, current]) {
      expect(find(objects, 'VSphereCluster').apiVersion).toBe('infrastructure.cluster.x-k8s.io/v1beta1');
      expect(find(objects, 'EtcdadmCluster').apiVersion).toBe('etcdcluster.cluster.x-k8s.io/v1beta1');
    }
  });

  test('Kubernetes 1.33: the API server has no cloud-provider flag; the controller manager keeps it', async () => {
    const objects = await synth(typicalDocs());
    const cc = find(objects, 'KubeadmControlPlane').spec.kubeadmConfigSpec.clusterConfiguration;
    expect(args(cc.apiServer.extraArgs).some((a) => a.startsWith('cloud-provider='))).toBe(false);
    expect(args(cc.controllerManager.extraArgs)[0]).toBe('cloud-provider=external');
    expect(cc.featureGates).toBeUndefined();
  });
});

describe('credentials', () => {
  const credentialsText = (objects: readonly KubeObject[]) =>
    find(objects, 'Secret', 'prod-cloud-provider-vsphere-credentials').stringData.data as string;

  test('CAPV and the cloud provider get EKSA_VSPHERE_USERNAME / PASSWORD, base64', async () => {
    const objects = await synth(typicalDocs());
    const secret = find(objects, 'Secret', 'prod-vsphere-credentials');
    expect(secret.metadata.labels).toStrictEqual({ 'clusterctl.cluster.x-k8s.io/move': 'true' });
    expect(secret.data).toStrictEqual({ username: b64('admin@vsphere.local'), password: b64('s3cret!') });
    expect(find(objects, 'VSphereCluster').spec.identityRef).toStrictEqual({
      kind: 'Secret',
      name: 'prod-vsphere-credentials',
    });
    expect(credentialsText(objects)).toContain(
      `  vcenter.example.com.username: ${b64('admin@vsphere.local')}\n`,
    );
    expect(credentialsText(objects)).toContain(`  vcenter.example.com.password: ${b64('s3cret!')}\n`);
  });

  test('the cloud provider uses the CP user only when EKSA_VSPHERE_CP_USERNAME is not empty', async () => {
    const withCp = await synth(typicalDocs(), 'v1beta2', {
      ...CREDENTIALS,
      EKSA_VSPHERE_CP_USERNAME: 'cpi@vsphere.local',
      EKSA_VSPHERE_CP_PASSWORD: 'cpi-pass',
    });
    expect(credentialsText(withCp)).toContain(`.username: ${b64('cpi@vsphere.local')}\n`);
    expect(credentialsText(withCp)).toContain(`.password: ${b64('cpi-pass')}\n`);
    // CAPV keeps its own user.
    expect(find(withCp, 'Secret', 'prod-vsphere-credentials').data.username).toBe(b64('admin@vsphere.local'));
    const emptyCp = await synth(typicalDocs(), 'v1beta2', {
      ...CREDENTIALS,
      EKSA_VSPHERE_CP_USERNAME: '',
      EKSA_VSPHERE_CP_PASSWORD: 'ignored',
    });
    expect(credentialsText(emptyCp)).toContain(`.password: ${b64('s3cret!')}\n`);
  });

  test('without credentials the Secrets carry no values', async () => {
    const objects = await synth(typicalDocs(), 'v1beta2', {});
    expect(find(objects, 'Secret', 'prod-vsphere-credentials').data ?? {}).toStrictEqual({});
    expect(credentialsText(objects)).toContain('  vcenter.example.com.password: \n');
  });
});

describe('provider contract', () => {
  const provider = new VSphereProvider();

  test('setup defaults raise etcd machines to 8192 MiB and change nothing else', async () => {
    const { config } = await loadDocs(typicalDocs());
    const out = provider.setupDefaults(config);
    expect(out.machineConfigs!['prod-etcd'].spec.memoryMiB).toBe(8192);
    expect(config.machineConfigs!['prod-etcd'].spec.memoryMiB).toBe(4096);
    expect(out.machineConfigs!['prod-wn']).toBe(config.machineConfigs!['prod-wn']);
    const big = typicalDocs();
    byKind(big, 'VSphereMachineConfig', 'prod-etcd').spec.memoryMiB = 16384;
    const { config: bigConfig } = await loadDocs(big);
    expect(provider.setupDefaults(bigConfig)).toBe(bigConfig);
  });

  test('tool environment: clusterctl gets the vCenter user (secret), server and the ClusterResourceSet feature', async () => {
    const { config } = await loadDocs(typicalDocs());
    expect(provider.toolEnvironment(config, CREDENTIALS)).toStrictEqual([
      { name: 'VSPHERE_USERNAME', value: 'admin@vsphere.local', secret: true },
      { name: 'VSPHERE_PASSWORD', value: 's3cret!', secret: true },
      { name: 'VSPHERE_SERVER', value: 'vcenter.example.com', secret: false },
      { name: 'EXP_CLUSTER_RESOURCE_SET', value: 'true', secret: false },
    ]);
    expect(provider.environmentIssues(config, CREDENTIALS)).toStrictEqual([]);
    const missing = provider.environmentIssues(config, { EKSA_VSPHERE_USERNAME: 'u' });
    expect(missing.map((i) => i.path)).toStrictEqual(['env.EKSA_VSPHERE_PASSWORD']);
    expect(missing[0].fix).toMatch(/export EKSA_VSPHERE_PASSWORD/);
  });

  test('bootstrap cluster: no host mounts; proxy environment with vCenter and the endpoint as NO_PROXY', async () => {
    const { config } = await loadDocs(ubuntuEverything());
    const context = { config } as Parameters<VSphereProvider['bootstrapClusterOptions']>[0];
    expect(provider.bootstrapClusterOptions(context)).toStrictEqual({
      extraMounts: [],
      env: {
        HTTP_PROXY: 'http://proxy.example.com:3128',
        HTTPS_PROXY: 'http://proxy.example.com:3128',
        NO_PROXY: 'vcenter.example.com,10.0.0.10,10.0.0.0/8,.corp.example.com',
      },
    });
  });

  test('rendering problems are reported with the field path, all at once', async () => {
    const docs = bottlerocketEverything();
    byKind(docs, 'VSphereMachineConfig', 'prod-wn').spec.users[0].sshAuthorizedKeys = ['not-a-key'];
    byKind(docs, 'Cluster').spec.controlPlaneConfiguration.kubeletConfiguration = {
      maxPods: 10,
      featureGates: { A: true },
    };
    const input = await loadDocs(docs);
    expect(() => synthesizeCluster({ ...input, env: CREDENTIALS })).toThrow(
      /spec\.controlPlaneConfiguration\.kubeletConfiguration\.featureGates: Bottlerocket machines cannot set kubelet field "featureGates"[\s\S]*VSphereMachineConfig\/prod-wn\.spec\.users\[0\]\.sshAuthorizedKeys\[0\]: is not an SSH public key/,
    );
  });

  test('a bundle without the kube-vip image is a rendering problem, not a broken manifest', async () => {
    const input = await loadDocs(typicalDocs());
    const bundles = input.bundles.map((b) => ({
      ...b,
      bundle: { ...b.bundle, vSphere: { ...b.bundle.vSphere!, kubeVip: undefined } },
    })) as unknown as typeof input.bundles;
    expect(() => synthesizeCluster({ config: input.config, bundles, env: CREDENTIALS })).toThrow(
      /has no vSphere\.kubeVip image/,
    );
  });
});

test('every machine config of the variants is used', () => {
  // Guards the fixtures: a variant that dropped a machine config would test less than it says.
  expect(machines(ubuntuEverything()).map((m) => m.metadata.name)).toStrictEqual([
    'prod-cp',
    'prod-etcd',
    'prod-wn',
  ]);
});
