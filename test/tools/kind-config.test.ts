import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { backticked, research, section } from './research';
import {
  KindKubeDistroImages,
  RenderInputError,
  renderKindConfig,
  renderRegistryMirrorHosts,
} from '../../src/tools';

const EKSA = research('eksa');
const A1_STEP_2 = section(EKSA, '2. **bootstrap-cluster-init**', '3. **update-secrets-create**');
const DOCKER_TEMPLATES = section(EKSA, '### c.1 Docker provider', '### c.2');

/** The kube-distro images of an EKS-D release file of ../shared/bundles, derived the way its README says. */
function kubeDistroOf(file: string): KindKubeDistroImages {
  const release = parse(readFileSync(path.resolve(__dirname, '../../../shared/bundles', file), 'utf8')) as {
    status: { components: Array<{ assets?: Array<{ name: string; image?: { uri: string } }> }> };
  };
  const uri = (asset: string) => {
    const found = release.status.components.flatMap((c) => c.assets ?? []).find((a) => a.name === asset);
    return found!.image!.uri;
  };
  const split = (u: string, dropImageName: boolean) => {
    const [repo, tag] = [u.slice(0, u.lastIndexOf(':')), u.slice(u.lastIndexOf(':') + 1)];
    return { repository: dropImageName ? repo.slice(0, repo.lastIndexOf('/')) : repo, tag };
  };
  return {
    kubernetes: split(uri('kube-apiserver-image'), true),
    etcd: split(uri('etcd-image'), false),
    coreDns: split(uri('coredns-image'), false),
  };
}

interface KindConfig {
  networking: { podSubnet: string; serviceSubnet: string };
  kubeadmConfigPatches: string[];
  containerdConfigPatches?: string[];
  nodes: Array<{
    role: string;
    extraMounts?: Array<{ hostPath: string; containerPath: string; readOnly?: boolean }>;
  }>;
}

function patchOfKind(config: KindConfig, kind: string): Record<string, any> | undefined {
  return config.kubeadmConfigPatches.map((p) => parse(p) as Record<string, any>).find((p) => p.kind === kind);
}

const base = {
  podSubnet: '192.168.0.0/16',
  serviceSubnet: '10.96.0.0/12',
  images: kubeDistroOf('kubernetes-1-31-eks-47.yaml'),
};

describe('renderKindConfig', () => {
  test('pod and service subnets are the cluster CIDRs (A1 step 2)', () => {
    expect(A1_STEP_2).toContain('pod/service subnet = first CIDR of the spec');
    const config = parse(renderKindConfig(base)) as KindConfig;
    expect(config.networking).toEqual({ podSubnet: '192.168.0.0/16', serviceSubnet: '10.96.0.0/12' });
  });

  test('the kubeadm patch points etcd, CoreDNS and the Kubernetes images at the EKS-D repositories and tags', () => {
    expect(A1_STEP_2).toContain('kubeadm patches pointing etcd/coredns/k8s images at the EKS-D repos/tags');
    for (const file of ['kubernetes-1-30-eks-58.yaml', 'kubernetes-1-36-eks-6.yaml']) {
      const images = kubeDistroOf(file);
      const cc = patchOfKind(
        parse(renderKindConfig({ ...base, images })) as KindConfig,
        'ClusterConfiguration',
      )!;
      expect(cc.imageRepository).toBe(images.kubernetes.repository);
      expect(cc.kubernetesVersion).toBe(images.kubernetes.tag);
      expect(cc.etcd.local).toEqual({ imageRepository: images.etcd.repository, imageTag: images.etcd.tag });
      expect(cc.dns).toEqual({ imageRepository: images.coreDns.repository, imageTag: images.coreDns.tag });
      // Unversioned patch: kind applies it to whichever kubeadm API version it generates.
      expect(cc.apiVersion).toBeUndefined();
    }
  });

  test('the API server audit flags are those EKS-A sets, and their files are wired through', () => {
    // "fixed audit flags (`audit-policy-file /etc/…`, `audit-log-path /var/…`, maxage 30, maxbackup 10, maxsize 512)"
    const sentence = /fixed audit flags \(([^)]*)\)/.exec(DOCKER_TEMPLATES)![1];
    const expected: Record<string, string> = {};
    for (const [, name, value] of sentence.matchAll(/`([a-z-]+) ([^`]+)`/g)) {
      expected[name] = value;
    }
    for (const [, name, value] of sentence.matchAll(/\b(max\w+) (\d+)/g)) {
      expected[`audit-log-${name}`] = value;
    }
    expect(Object.keys(expected)).toHaveLength(5);

    const policy = '/home/u/mgmt/generated/kubernetes/audit-policy.yaml';
    const config = parse(renderKindConfig({ ...base, auditPolicyPath: policy })) as KindConfig;
    const apiServer = patchOfKind(config, 'ClusterConfiguration')!.apiServer;
    expect(apiServer.extraArgs).toEqual(expected);
    // The flag's file reaches the API server: host file → node mount → static-pod volume → flag.
    const mount = config.nodes[0].extraMounts!.find((m) => m.hostPath === policy)!;
    const volume = apiServer.extraVolumes.find((v: any) => v.hostPath === mount.containerPath);
    expect(volume.mountPath).toBe(expected['audit-policy-file']);
    expect(mount.readOnly).toBe(true);
    // The log directory is a volume too, or the log would stay inside the static pod.
    const logDir = path.posix.dirname(expected['audit-log-path']);
    expect(apiServer.extraVolumes.some((v: any) => v.mountPath === logDir)).toBe(true);
  });

  test('without an audit policy there are no audit flags pointing at a missing file', () => {
    const cc = patchOfKind(parse(renderKindConfig(base)) as KindConfig, 'ClusterConfiguration')!;
    expect(cc.apiServer).toBeUndefined();
  });

  test('fail-cgroupv1=false for the kubelet from Kubernetes 1.31 on, not before', () => {
    const [, flag, value, minor] = /`([a-z0-9-]+)=(\w+)` for ≥(\d+\.\d+)/.exec(A1_STEP_2)!;
    expect([flag, value, minor]).toEqual(['fail-cgroupv1', 'false', '1.31']);
    const kubeletArgs = (file: string) =>
      patchOfKind(
        parse(renderKindConfig({ ...base, images: kubeDistroOf(file) })) as KindConfig,
        'InitConfiguration',
      )?.nodeRegistration?.kubeletExtraArgs;
    expect(kubeletArgs('kubernetes-1-30-eks-58.yaml')).toBeUndefined();
    for (const file of [
      'kubernetes-1-31-eks-47.yaml',
      'kubernetes-1-35-eks-12.yaml',
      'kubernetes-1-36-eks-6.yaml',
    ]) {
      expect(kubeletArgs(file)).toEqual({ [flag]: value });
    }
  });

  test('the docker provider gets the Docker socket mounted', () => {
    expect(A1_STEP_2).toContain('docker.sock mount for the docker provider');
    const socket = /extraMounts` `([^`]+)`→same/.exec(DOCKER_TEMPLATES)![1];
    const withSocket = parse(renderKindConfig({ ...base, mountDockerSocket: true })) as KindConfig;
    expect(withSocket.nodes[0].extraMounts).toContainEqual({ hostPath: socket, containerPath: socket });
    const without = parse(renderKindConfig(base)) as KindConfig;
    expect((without.nodes[0].extraMounts ?? []).some((m) => m.hostPath === socket)).toBe(false);
    expect(without.nodes).toEqual([{ role: 'control-plane' }]);
  });

  test('a registry mirror sets containerd config_path and mounts the certs.d directory there', () => {
    const configPath = backticked(A1_STEP_2, 'config_path=').split('=')[1];
    expect(A1_STEP_2).toContain('`generated/certs.d/<registry>/hosts.toml`');
    const certsDir = '/home/u/mgmt/generated/certs.d';
    const config = parse(
      renderKindConfig({ ...base, registryMirror: { certsDirPath: certsDir } }),
    ) as KindConfig;
    expect(config.containerdConfigPatches).toHaveLength(1);
    expect(config.containerdConfigPatches![0]).toMatch(
      new RegExp(
        `^\\[plugins\\."io\\.containerd\\.grpc\\.v1\\.cri"\\.registry\\]\\s+config_path = "${configPath}"`,
      ),
    );
    expect(config.nodes[0].extraMounts).toContainEqual({
      hostPath: certsDir,
      containerPath: configPath,
      readOnly: true,
    });
    expect((parse(renderKindConfig(base)) as KindConfig).containerdConfigPatches).toBeUndefined();
  });

  test('the output is one YAML document of kind Cluster (kind.x-k8s.io/v1alpha4)', () => {
    const docs = parseAllDocuments(
      renderKindConfig({ ...base, mountDockerSocket: true, auditPolicyPath: '/a/p.yaml' }),
    );
    expect(docs).toHaveLength(1);
    expect(docs[0].errors).toEqual([]);
    expect(docs[0].toJS()).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
  });

  test('bad input is rejected with every problem and its field', () => {
    const attempt = () =>
      renderKindConfig({
        podSubnet: '192.168.0.0',
        serviceSubnet: '10.96.0.0/40',
        images: { ...base.images, etcd: { repository: '', tag: 'v3.5' } },
        auditPolicyPath: 'mgmt/generated/kubernetes/audit-policy.yaml',
        registryMirror: { certsDirPath: 'mgmt/generated/certs.d' },
      });
    expect(attempt).toThrow(RenderInputError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as RenderInputError).problems.join('\n');
      expect((error as RenderInputError).problems).toHaveLength(5);
      for (const field of [
        'podSubnet',
        'serviceSubnet',
        'images.etcd.repository',
        'auditPolicyPath',
        'registryMirror.certsDirPath',
      ]) {
        expect(problems).toContain(`${field}:`);
      }
    }
  });
});

/** A tiny reader for the hosts.toml files: `[table]` headers and `key = value` lines. */
function readToml(text: string): Record<string, Record<string, string>> {
  const tables: Record<string, Record<string, string>> = { '': {} };
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length === 0) {
      continue;
    }
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1];
      tables[current] = {};
      continue;
    }
    const [key, ...rest] = line.split('=');
    tables[current][key.trim()] = rest.join('=').trim();
  }
  return tables;
}

describe('renderRegistryMirrorHosts', () => {
  test('one hosts.toml per mirrored registry under certs.d/<registry>/, pointing at the mirror', () => {
    const files = renderRegistryMirrorHosts({
      endpoint: 'mirror.local:443',
      registries: [
        { registry: 'public.ecr.aws', namespace: 'eks-anywhere' },
        { registry: '783794618700.dkr.ecr.us-west-2.amazonaws.com', namespace: 'curated-packages' },
      ],
    });
    expect(files.map((f) => f.path)).toEqual([
      'public.ecr.aws/hosts.toml',
      '783794618700.dkr.ecr.us-west-2.amazonaws.com/hosts.toml',
      'mirror.local:443/hosts.toml',
    ]);
    const ecr = readToml(files[0].content);
    expect(ecr[''].server).toBe('"https://public.ecr.aws"');
    const host = ecr['host."https://mirror.local:443/v2/eks-anywhere"'];
    expect(host.capabilities).toBe('["pull", "resolve"]');
    expect(host.override_path).toBe('true');
    expect(files.every((f) => f.mode === 0o644 && !f.secret)).toBe(true);
  });

  test('the CA lands where the hosts files say, inside the directory mounted at containerd config_path', () => {
    const configPath = backticked(A1_STEP_2, 'config_path=').split('=')[1];
    const files = renderRegistryMirrorHosts({
      endpoint: 'mirror.local:443',
      caCert: '-----BEGIN CERTIFICATE-----\n',
    });
    const ca = files.find((f) => f.path.endsWith('ca.crt'))!;
    const host = readToml(files[0].content)['host."https://mirror.local:443/v2"'];
    expect(host.ca).toBe(`"${path.posix.join(configPath, ca.path)}"`);
    expect(ca.content).toBe('-----BEGIN CERTIFICATE-----\n');
  });

  test('credentials become a Basic authorization header, and the files are 0600 secrets', () => {
    const files = renderRegistryMirrorHosts({
      endpoint: 'mirror.local:443',
      insecureSkipVerify: true,
      auth: { username: 'robot', password: 's3cret' },
    });
    const header = readToml(files[0].content)['host."https://mirror.local:443/v2".header'];
    const value = /^"Basic (.+)"$/.exec(header.authorization)![1];
    expect(Buffer.from(value, 'base64').toString()).toBe('robot:s3cret');
    expect(readToml(files[0].content)['host."https://mirror.local:443/v2"'].skip_verify).toBe('true');
    expect(files.every((f) => f.mode === 0o600 && f.secret)).toBe(true);
  });

  test('a malformed endpoint is rejected', () => {
    expect(() => renderRegistryMirrorHosts({ endpoint: 'https://mirror.local' })).toThrow(
      /endpoint: 'https:\/\/mirror.local'/,
    );
  });
});
