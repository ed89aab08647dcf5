import * as path from 'node:path';
import { stringify } from 'yaml';
import { RenderInputError } from './render-input-error';
import { parseToolVersion } from './version';

/** An image repository and tag. */
export interface RepositoryTag {
  readonly repository: string;
  readonly tag: string;
}

/**
 * The EKS-D images kubeadm inside kind must use: the root versions bundle's kube-distro (a spec `KubeDistro`
 * fits as it is).
 */
export interface KindKubeDistroImages {
  /** From `kube-apiserver-image`: repository e.g. `public.ecr.aws/eks-distro/kubernetes`, tag the kubeadm
   * `kubernetesVersion` e.g. `v1.31.2-eks-1-31-10`. */
  readonly kubernetes: RepositoryTag;
  readonly etcd: RepositoryTag;
  readonly coreDns: RepositoryTag;
}

/** A file or directory of the host mounted into the kind node. */
export interface KindMount {
  /** Absolute path on the host. */
  readonly hostPath: string;
  readonly containerPath: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** Everything the bootstrap cluster's kind config depends on, as plain values. */
export interface KindConfigInput {
  /** The cluster's pods CIDR (first entry of `clusterNetwork.pods.cidrBlocks`). */
  readonly podSubnet: string;
  /** The cluster's services CIDR (first entry of `clusterNetwork.services.cidrBlocks`). */
  readonly serviceSubnet: string;
  readonly images: KindKubeDistroImages;
  /**
   * Absolute host path of the API server audit policy (EKS-A writes `<c>/generated/kubernetes/audit-policy.yaml`).
   * When set, it is mounted into the node and the API server's audit flags point at it.
   */
  readonly auditPolicyPath?: string;
  /** Mount the host's Docker socket into the node: the docker provider (CAPD) runs in kind and drives it. */
  readonly mountDockerSocket?: boolean;
  /**
   * A registry mirror: the absolute host path of the `certs.d` directory holding `<registry>/hosts.toml`
   * ({@link renderRegistryMirrorHosts}; EKS-A: `<c>/generated/certs.d`). It becomes containerd's `config_path`.
   */
  readonly registryMirror?: { readonly certsDirPath: string };
  /** Further mounts. */
  readonly extraMounts?: readonly KindMount[];
}

/** Where things live inside the kind node. */
export const KIND_NODE_PATHS = {
  auditPolicy: '/etc/kubernetes/audit-policy.yaml',
  auditLogDir: '/var/log/kubernetes',
  auditLog: '/var/log/kubernetes/api-audit.log',
  dockerSocket: '/var/run/docker.sock',
  containerdCertsDir: '/etc/containerd/certs.d',
} as const;

/**
 * Renders the kind config EKS-A writes to `<c>/generated/kind_tmp.yaml` before `kind create cluster`:
 * the cluster's pod and service subnets; a kubeadm patch pointing etcd, CoreDNS and the Kubernetes images at the
 * EKS-D repositories and tags; API server audit flags and volumes; `fail-cgroupv1=false` for the kubelet on
 * Kubernetes ≥ 1.31; the Docker socket mount for the docker provider; containerd's `config_path` and the mounted
 * `certs.d` directory for a registry mirror.
 *
 * The kubeadm patches carry no `apiVersion`: kind applies such patches to whichever kubeadm config version it
 * generates, and kind ≥ 0.32 (which uses kubeadm v1beta4 for Kubernetes ≥ 1.36) converts their `extraArgs` maps
 * to v1beta4's lists.
 */
export function renderKindConfig(input: KindConfigInput): string {
  const problems = validateKindConfigInput(input);
  if (problems.length > 0) {
    throw new RenderInputError('kind config input', problems);
  }
  const { kubernetes, etcd, coreDns } = input.images;
  const minor = parseToolVersion(kubernetes.tag)!;
  const audit = input.auditPolicyPath !== undefined;

  const clusterConfiguration: Record<string, unknown> = {
    kind: 'ClusterConfiguration',
    imageRepository: kubernetes.repository,
    kubernetesVersion: kubernetes.tag,
    dns: { imageRepository: coreDns.repository, imageTag: coreDns.tag },
    etcd: { local: { imageRepository: etcd.repository, imageTag: etcd.tag } },
  };
  if (audit) {
    clusterConfiguration.apiServer = {
      extraArgs: {
        'audit-policy-file': KIND_NODE_PATHS.auditPolicy,
        'audit-log-path': KIND_NODE_PATHS.auditLog,
        'audit-log-maxage': '30',
        'audit-log-maxbackup': '10',
        'audit-log-maxsize': '512',
      },
      extraVolumes: [
        {
          name: 'audit-policy',
          hostPath: KIND_NODE_PATHS.auditPolicy,
          mountPath: KIND_NODE_PATHS.auditPolicy,
          readOnly: true,
          pathType: 'File',
        },
        {
          name: 'audit-log-dir',
          hostPath: KIND_NODE_PATHS.auditLogDir,
          mountPath: KIND_NODE_PATHS.auditLogDir,
          pathType: 'DirectoryOrCreate',
        },
      ],
    };
  }
  const patches = [stringify(clusterConfiguration)];
  if (minor.major > 1 || (minor.major === 1 && minor.minor >= 31)) {
    // Kubernetes 1.31 made the kubelet refuse cgroup v1 hosts unless told otherwise; EKS-A opts out.
    patches.push(
      stringify({
        kind: 'InitConfiguration',
        nodeRegistration: { kubeletExtraArgs: { 'fail-cgroupv1': 'false' } },
      }),
    );
  }

  const mounts: KindMount[] = [];
  if (audit) {
    mounts.push({
      hostPath: input.auditPolicyPath!,
      containerPath: KIND_NODE_PATHS.auditPolicy,
      readOnly: true,
    });
  }
  if (input.mountDockerSocket) {
    mounts.push({ hostPath: KIND_NODE_PATHS.dockerSocket, containerPath: KIND_NODE_PATHS.dockerSocket });
  }
  if (input.registryMirror) {
    mounts.push({
      hostPath: input.registryMirror.certsDirPath,
      containerPath: KIND_NODE_PATHS.containerdCertsDir,
      readOnly: true,
    });
  }
  mounts.push(...(input.extraMounts ?? []));

  const config: Record<string, unknown> = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    networking: { podSubnet: input.podSubnet, serviceSubnet: input.serviceSubnet },
    kubeadmConfigPatches: patches,
  };
  if (input.registryMirror) {
    config.containerdConfigPatches = [
      `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${KIND_NODE_PATHS.containerdCertsDir}"\n`,
    ];
  }
  config.nodes = [
    {
      role: 'control-plane',
      ...(mounts.length > 0
        ? {
            extraMounts: mounts.map((m) => ({
              hostPath: m.hostPath,
              containerPath: m.containerPath,
              ...(m.readOnly ? { readOnly: true } : {}),
            })),
          }
        : {}),
    },
  ];
  return stringify(config, { lineWidth: 0 });
}

function validateKindConfigInput(input: KindConfigInput): string[] {
  const problems: string[] = [];
  for (const [field, value] of [
    ['podSubnet', input.podSubnet],
    ['serviceSubnet', input.serviceSubnet],
  ] as const) {
    if (!isCidr(value)) {
      problems.push(`${field}: '${value}' is not a CIDR (expected e.g. 192.168.0.0/16)`);
    }
  }
  for (const key of ['kubernetes', 'etcd', 'coreDns'] as const) {
    for (const part of ['repository', 'tag'] as const) {
      const value = input.images?.[key]?.[part];
      if (typeof value !== 'string' || value.trim().length === 0) {
        problems.push(`images.${key}.${part}: must be set (from the versions bundle's kube-distro)`);
      }
    }
  }
  const tag = input.images?.kubernetes?.tag;
  if (tag && !parseToolVersion(tag)) {
    problems.push(`images.kubernetes.tag: '${tag}' does not start with a version (v1.xx.y…)`);
  }
  const paths: Array<[string, string | undefined]> = [
    ['auditPolicyPath', input.auditPolicyPath],
    ['registryMirror.certsDirPath', input.registryMirror?.certsDirPath],
    ...(input.extraMounts ?? []).map((m, i): [string, string] => [`extraMounts[${i}].hostPath`, m.hostPath]),
  ];
  for (const [field, value] of paths) {
    if (value !== undefined && !path.isAbsolute(value)) {
      problems.push(
        `${field}: '${value}' must be an absolute path (kind resolves relative ones against its own cwd)`,
      );
    }
  }
  return problems;
}

function isCidr(value: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (v4) {
    return v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32;
  }
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
  return v6 !== null && v6[1].includes(':') && Number(v6[2]) <= 128;
}

/** A registry whose pulls are redirected to the mirror. */
export interface MirroredRegistry {
  /** e.g. `public.ecr.aws` */
  readonly registry: string;
  /** Path on the mirror that stands for this registry's root, e.g. `eks-anywhere`. @default the mirror's root */
  readonly namespace?: string;
}

/** The registry mirror, as `registryMirrorConfiguration` describes it. */
export interface RegistryMirrorInput {
  /** `host:port` of the mirror (port defaulted to 443 by the spec). */
  readonly endpoint: string;
  /** @default [{ registry: 'public.ecr.aws' }] */
  readonly registries?: readonly MirroredRegistry[];
  /** PEM of the CA that signed the mirror's certificate. */
  readonly caCert?: string;
  readonly insecureSkipVerify?: boolean;
  /** Registry credentials (secret); they end up in an Authorization header of the hosts files. */
  readonly auth?: { readonly username: string; readonly password: string };
}

/** A file to write under the `certs.d` directory. */
export interface CertsDirFile {
  /** Relative to the `certs.d` directory, e.g. `public.ecr.aws/hosts.toml`. */
  readonly path: string;
  readonly content: string;
  /** 0600 when the file holds credentials, else 0644. */
  readonly mode: number;
  readonly secret: boolean;
}

/**
 * The containerd `certs.d` tree for a registry mirror: one `hosts.toml` per mirrored registry (and one for the
 * mirror itself, for images already rewritten to point at it), plus the mirror's CA. Mount the directory with
 * {@link KindConfigInput.registryMirror}.
 */
export function renderRegistryMirrorHosts(mirror: RegistryMirrorInput): CertsDirFile[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(mirror.endpoint)) {
    problems.push(`endpoint: '${mirror.endpoint}' is not host[:port]`);
  }
  for (const [i, r] of (mirror.registries ?? []).entries()) {
    if (!/^[A-Za-z0-9.*-]+(:\d+)?$/.test(r.registry)) {
      problems.push(`registries[${i}].registry: '${r.registry}' is not a registry host`);
    }
  }
  if (problems.length > 0) {
    throw new RenderInputError('registry mirror input', problems);
  }
  const registries = [
    ...(mirror.registries ?? [{ registry: 'public.ecr.aws' }]),
    // Images already rewritten to the mirror need the same TLS and auth settings.
    { registry: mirror.endpoint },
  ];
  const caPath = `${KIND_NODE_PATHS.containerdCertsDir}/${mirror.endpoint}/ca.crt`;
  const authorization = mirror.auth
    ? `Basic ${Buffer.from(`${mirror.auth.username}:${mirror.auth.password}`).toString('base64')}`
    : undefined;
  const secret = authorization !== undefined;
  const files: CertsDirFile[] = [];
  const seen = new Set<string>();
  for (const { registry, namespace } of registries) {
    if (seen.has(registry)) {
      continue;
    }
    seen.add(registry);
    const host = `https://${mirror.endpoint}/v2${namespace ? `/${namespace.replace(/^\/+|\/+$/g, '')}` : ''}`;
    const lines = [
      `server = "https://${registry}"`,
      '',
      `[host."${host}"]`,
      '  capabilities = ["pull", "resolve"]',
      // The host URL already carries /v2/<namespace>; containerd must not append /v2 again.
      '  override_path = true',
    ];
    if (mirror.caCert) {
      lines.push(`  ca = "${caPath}"`);
    }
    if (mirror.insecureSkipVerify) {
      lines.push('  skip_verify = true');
    }
    if (authorization) {
      lines.push(`  [host."${host}".header]`, `    authorization = "${authorization}"`);
    }
    files.push({
      path: `${registry}/hosts.toml`,
      content: `${lines.join('\n')}\n`,
      mode: secret ? 0o600 : 0o644,
      secret,
    });
  }
  if (mirror.caCert) {
    files.push({ path: `${mirror.endpoint}/ca.crt`, content: mirror.caCert, mode: 0o644, secret: false });
  }
  return files;
}
