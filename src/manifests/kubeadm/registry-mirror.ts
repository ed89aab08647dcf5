import { ROOT_OWNER } from './constants';
import type { RegistryMirrorConfiguration } from '../../spec';
import type { KubeadmFile } from '../capi/kubeadm-config-spec';

/** The registry EKS-A pulls its own images from; the mirror of its namespace also serves etcd. */
export const DEFAULT_CORE_EKSA_REGISTRY = 'public.ecr.aws';

/** Where containerd reads per-registry host configuration. */
const CERTS_DIR = '/etc/containerd/certs.d';
const CONFIG_APPEND = '/etc/containerd/config_append.toml';

/** Registry credentials (env `REGISTRY_USERNAME` / `REGISTRY_PASSWORD`). Never logged. */
export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** A registry mirror as the node configuration uses it. */
export interface RegistryMirror {
  /** `host:port` of the mirror. */
  readonly base: string;
  /** Upstream registry → mirror location (`base` or `base/v2/<namespace>`), sorted by registry. */
  readonly mirrors: readonly { readonly registry: string; readonly mirror: string }[];
  /** Mirror of the EKS-A core registry (`public.ecr.aws`). */
  readonly coreEksaMirror: string;
  readonly caCert?: string;
  readonly insecureSkipVerify: boolean;
  /** Set when the mirror needs authentication. */
  readonly credentials?: RegistryCredentials;
}

/** Reads the mirror settings of a cluster. `credentials` are used only when `authenticate` is set. */
export function registryMirrorOf(
  config: RegistryMirrorConfiguration,
  credentials?: RegistryCredentials,
): RegistryMirror {
  const port =
    config.port === undefined || config.port === null || `${config.port}` === '' ? '443' : `${config.port}`;
  const host =
    config.endpoint.includes(':') && !config.endpoint.startsWith('[')
      ? `[${config.endpoint}]`
      : config.endpoint;
  const base = `${host}:${port}`;
  const map = new Map<string, string>();
  const namespaces = config.ociNamespaces ?? [];
  if (namespaces.length === 0) map.set(DEFAULT_CORE_EKSA_REGISTRY, base);
  for (const ns of namespaces) map.set(ns.registry, ns.namespace ? `${base}/v2/${ns.namespace}` : base);
  const mirrors = [...map.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([registry, mirror]) => ({ registry, mirror }));
  return {
    base,
    mirrors,
    coreEksaMirror: map.get(DEFAULT_CORE_EKSA_REGISTRY) ?? base,
    caCert: config.caCertContent || undefined,
    insecureSkipVerify: config.insecureSkipVerify === true,
    credentials: config.authenticate ? credentials : undefined,
  };
}

/**
 * The containerd files of a mirror, in EKS-A's order: the CA, the `config_path` switch, then one `hosts.toml` for
 * the mirror itself and one per mirrored registry.
 */
export function registryMirrorFiles(mirror: RegistryMirror): KubeadmFile[] {
  const caPath = `${CERTS_DIR}/${mirror.base}/ca.crt`;
  const files: KubeadmFile[] = [];
  if (mirror.caCert) files.push({ path: caPath, owner: ROOT_OWNER, content: withNewline(mirror.caCert) });
  files.push({
    path: CONFIG_APPEND,
    owner: ROOT_OWNER,
    content: `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${CERTS_DIR}"\n`,
  });
  const hosts = (registry: string, target: string): KubeadmFile => {
    const host = `https://${target}`;
    const lines = [
      `server = "https://${registry}"`,
      '',
      `[host."${host}"]`,
      '  capabilities = ["pull", "resolve"]',
    ];
    if (mirror.caCert) lines.push(`  ca = "${caPath}"`);
    if (mirror.insecureSkipVerify) lines.push('  skip_verify = true');
    if (mirror.credentials) {
      const token = Buffer.from(`${mirror.credentials.username}:${mirror.credentials.password}`).toString(
        'base64',
      );
      lines.push(`  [host."${host}".header]`, `    authorization = "Basic ${token}"`);
    }
    return {
      path: `${CERTS_DIR}/${registry}/hosts.toml`,
      owner: ROOT_OWNER,
      content: `${lines.join('\n')}\n`,
    };
  };
  files.push(hosts(mirror.base, mirror.base));
  for (const { registry, mirror: target } of mirror.mirrors) files.push(hosts(registry, target));
  return files;
}

/** Commands that make containerd pick up the mirror configuration before kubeadm runs. */
export const REGISTRY_MIRROR_COMMANDS: readonly string[] = [
  `cat ${CONFIG_APPEND} >> /etc/containerd/config.toml`,
  'systemctl daemon-reload',
  'systemctl restart containerd',
];

/** The etcdadm `registryMirror` block: etcd comes from the core EKS-A registry's mirror. */
export function etcdRegistryMirror(mirror: RegistryMirror): { endpoint: string; caCert?: string } {
  return { endpoint: mirror.coreEksaMirror, caCert: mirror.caCert ? withNewline(mirror.caCert) : undefined };
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
