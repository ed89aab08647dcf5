import type { CapiContract } from '../contract';
import * as kcp from '../imports/controlplane.cluster.x-k8s.io';
import { kubernetesTime } from '../kubernetes-time';
import type { SchemaJson } from '../schema-json';

/**
 * Contract-neutral kubeadm bootstrap configuration (CAPI `KubeadmConfigSpec`), with the field names of the JSON
 * API. Arguments are ordered `{name, value}` lists, as in the v1beta2 contract; the v1beta1 rendering turns them
 * into maps. The KubeadmControlPlane and KubeadmConfigTemplate constructs render it for their contract.
 */
export interface KubeadmConfigSpec {
  readonly clusterConfiguration?: KubeadmClusterConfiguration;
  readonly initConfiguration?: KubeadmNodeConfiguration;
  readonly joinConfiguration?: KubeadmNodeConfiguration;
  /** Files written on the machine before kubeadm runs, in this order. */
  readonly files?: readonly KubeadmFile[];
  readonly preKubeadmCommands?: readonly string[];
  readonly postKubeadmCommands?: readonly string[];
  readonly users?: readonly KubeadmUser[];
  /**
   * Bootstrap data format. `bottlerocket` exists only in EKS-A's Cluster API fork (Bottlerocket machines).
   * @default - the provider's default (cloud-config)
   */
  readonly format?: 'cloud-config' | 'ignition' | 'bottlerocket';
  readonly ntp?: { readonly enabled?: boolean; readonly servers?: readonly string[] };
}

/** One command-line flag of a Kubernetes component. */
export interface KubeadmArg {
  readonly name: string;
  readonly value: string;
}

/** A host path mounted into a control plane static pod. */
export interface KubeadmHostPathMount {
  readonly name: string;
  readonly hostPath: string;
  readonly mountPath: string;
  readonly pathType?: string;
  readonly readOnly?: boolean;
}

/** An environment variable of a control plane static pod. */
export interface KubeadmEnvVar {
  readonly name: string;
  readonly value: string;
}

/** Flags, volumes and environment of one control plane component. */
export interface KubeadmComponent {
  readonly extraArgs?: readonly KubeadmArg[];
  readonly extraVolumes?: readonly KubeadmHostPathMount[];
  readonly extraEnvs?: readonly KubeadmEnvVar[];
}

/** The kube-apiserver: a component plus the certificate's extra names. */
export interface KubeadmApiServer extends KubeadmComponent {
  readonly certSANs?: readonly string[];
}

/** etcd on the control plane machines. */
export interface KubeadmLocalEtcd {
  readonly imageRepository?: string;
  readonly imageTag?: string;
  readonly dataDir?: string;
  readonly extraArgs?: readonly KubeadmArg[];
}

/** An etcd cluster outside the control plane machines. */
export interface KubeadmExternalEtcd {
  readonly endpoints: readonly string[];
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface KubeadmClusterConfiguration {
  readonly imageRepository?: string;
  /** Bottlerocket host settings (EKS-A's Cluster API fork; Bottlerocket machines only). @default - none */
  readonly bottlerocket?: BottlerocketHostConfig;
  readonly etcd?: { readonly local?: KubeadmLocalEtcd; readonly external?: KubeadmExternalEtcd };
  readonly dns?: { readonly imageRepository?: string; readonly imageTag?: string };
  readonly apiServer?: KubeadmApiServer;
  readonly controllerManager?: KubeadmComponent;
  readonly scheduler?: KubeadmComponent;
  readonly featureGates?: Readonly<Record<string, boolean>>;
  readonly controlPlaneEndpoint?: string;
  readonly certificatesDir?: string;
}

/** A node taint as kubeadm registers it. */
export interface KubeadmTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
  /** RFC 3339 time. */
  readonly timeAdded?: string;
}

export interface KubeadmNodeRegistration {
  readonly name?: string;
  readonly criSocket?: string;
  readonly kubeletExtraArgs?: readonly KubeadmArg[];
  /** Taints of the node. Undefined leaves kubeadm's default; an empty list registers no taint at all. */
  readonly taints?: readonly KubeadmTaint[];
  readonly ignorePreflightErrors?: readonly string[];
}

/** `initConfiguration` / `joinConfiguration`. */
export interface KubeadmNodeConfiguration {
  readonly nodeRegistration?: KubeadmNodeRegistration;
  /** Bottlerocket host settings (EKS-A's Cluster API fork; `joinConfiguration` only). @default - none */
  readonly bottlerocket?: BottlerocketHostConfig;
  /** Directory of kubeadm patches (kubelet configuration patches). */
  readonly patches?: { readonly directory?: string };
}

export interface KubeadmFile {
  readonly path: string;
  readonly content?: string;
  readonly owner?: string;
  /** Octal mode as a string, e.g. `"0644"`. */
  readonly permissions?: string;
  readonly encoding?: 'base64' | 'gzip' | 'gzip+base64';
  readonly append?: boolean;
  readonly contentFrom?: { readonly secret: { readonly name: string; readonly key: string } };
}

export interface KubeadmUser {
  readonly name: string;
  readonly sshAuthorizedKeys?: readonly string[];
  readonly sudo?: string;
  readonly groups?: string;
  readonly shell?: string;
  readonly lockPassword?: boolean;
}

/** An image as the Bottlerocket settings name it: repository and tag apart. */
export interface BottlerocketImage {
  readonly imageRepository: string;
  readonly imageTag: string;
}

/** The `bottlerocket` settings block: kubelet settings Bottlerocket exposes, sysctls and kernel boot parameters. */
export interface BottlerocketSettings {
  readonly kubernetes?: Readonly<Record<string, unknown>>;
  readonly kernel?: { readonly sysctlSettings: Readonly<Record<string, string>> };
  readonly boot?: { readonly bootKernelParameters: Readonly<Record<string, readonly string[]>> };
}

/**
 * What a Bottlerocket machine's kubeadm bootstrap needs beyond upstream kubeadm: the pause and bootstrap
 * container images, host settings, proxy, registry mirror and extra trusted certificates. These fields exist only
 * in the Cluster API build EKS Anywhere ships; upstream CRDs do not declare them.
 */
export interface BottlerocketHostConfig {
  readonly pause: BottlerocketImage;
  readonly bootstrap: BottlerocketImage;
  readonly settings?: BottlerocketSettings;
  readonly proxy?: { readonly httpsProxy?: string; readonly noProxy?: readonly string[] };
  readonly registryMirror?: { readonly endpoint: string; readonly caCert?: string };
  readonly certBundles?: readonly { readonly name: string; readonly data: string }[];
}

/** Field paths (below `kubeadmConfigSpec`) where EKS-A's Cluster API fork adds the Bottlerocket settings. */
export const BOTTLEROCKET_FORK_FIELDS: readonly string[] = [
  'pause',
  'bottlerocketBootstrap',
  'bottlerocket',
  'proxy',
  'registryMirror',
  'certBundles',
];

/** The JSON fields of Bottlerocket host settings, as EKS-A's fork names them. */
export function bottlerocketForkJson(config: BottlerocketHostConfig): Record<string, unknown> {
  return prune({
    pause: { ...config.pause },
    bottlerocketBootstrap: { ...config.bootstrap },
    bottlerocket: config.settings && prune({ ...config.settings }),
    proxy:
      config.proxy && prune({ httpsProxy: config.proxy.httpsProxy, noProxy: list(config.proxy.noProxy) }),
    registryMirror: config.registryMirror && prune({ ...config.registryMirror }),
    certBundles: config.certBundles?.map((b) => ({ ...b })),
  });
}

/**
 * Adds the fork-only fields of `spec` to a rendered (JSON) kubeadm config spec: the generated classes keep only
 * the upstream schema's fields, so the Bottlerocket settings are merged in after rendering.
 */
export function withForkFields(
  json: Record<string, unknown>,
  spec: KubeadmConfigSpec,
): Record<string, unknown> {
  const cluster = spec.clusterConfiguration?.bottlerocket;
  const join = spec.joinConfiguration?.bottlerocket;
  if (!cluster && !join) return json;
  const out: Record<string, unknown> = { ...json };
  if (cluster) {
    out.clusterConfiguration = {
      ...((json.clusterConfiguration as object | undefined) ?? {}),
      ...bottlerocketForkJson(cluster),
    };
  }
  if (join) {
    out.joinConfiguration = {
      ...((json.joinConfiguration as object | undefined) ?? {}),
      ...bottlerocketForkJson(join),
    };
  }
  return out;
}

/**
 * Makes `resource` render the fork-only fields of `spec` into the kubeadm config spec found at `path` of its JSON
 * (e.g. `['spec', 'kubeadmConfigSpec']`). Nothing changes when `spec` has none.
 */
export function renderForkFields(
  resource: { toJson(): any },
  spec: KubeadmConfigSpec,
  path: readonly string[],
): void {
  if (!spec.clusterConfiguration?.bottlerocket && !spec.joinConfiguration?.bottlerocket) return;
  const render = resource.toJson.bind(resource);
  resource.toJson = () => updateAt(render(), path, (inner) => withForkFields(inner, spec));
}

function updateAt(
  json: Record<string, unknown>,
  path: readonly string[],
  update: (inner: Record<string, unknown>) => Record<string, unknown>,
): Record<string, unknown> {
  if (path.length === 0) return update(json);
  const [head, ...rest] = path;
  return { ...json, [head]: updateAt((json[head] as Record<string, unknown>) ?? {}, rest, update) };
}

function prune<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

/** The v1beta2 KubeadmControlPlane rendering of a spec. */
export function kubeadmConfigSpecV1Beta2(
  spec: KubeadmConfigSpec,
): SchemaJson<kcp.KubeadmControlPlaneV1Beta2SpecKubeadmConfigSpec> {
  const cc = spec.clusterConfiguration;
  return {
    clusterConfiguration: cc && {
      imageRepository: cc.imageRepository,
      etcd: cc.etcd && {
        local: cc.etcd.local && {
          imageRepository: cc.etcd.local.imageRepository,
          imageTag: cc.etcd.local.imageTag,
          dataDir: cc.etcd.local.dataDir,
          extraArgs: list(cc.etcd.local.extraArgs),
        },
        external: cc.etcd.external && { ...cc.etcd.external, endpoints: [...cc.etcd.external.endpoints] },
      },
      dns: cc.dns && { ...cc.dns },
      apiServer: cc.apiServer && {
        certSANs: list(cc.apiServer.certSANs),
        extraArgs: list(cc.apiServer.extraArgs),
        extraVolumes: list(cc.apiServer.extraVolumes),
        extraEnvs: list(cc.apiServer.extraEnvs),
      },
      controllerManager: cc.controllerManager && component(cc.controllerManager),
      scheduler: cc.scheduler && component(cc.scheduler),
      featureGates: cc.featureGates && { ...cc.featureGates },
      controlPlaneEndpoint: cc.controlPlaneEndpoint,
      certificatesDir: cc.certificatesDir,
    },
    initConfiguration: spec.initConfiguration && nodeV1Beta2(spec.initConfiguration),
    joinConfiguration: spec.joinConfiguration && nodeV1Beta2(spec.joinConfiguration),
    ...common(spec),
    format: spec.format as kcp.KubeadmControlPlaneV1Beta2SpecKubeadmConfigSpecFormat | undefined,
    files: spec.files?.map((f) => ({
      ...file(f),
      encoding: f.encoding as kcp.KubeadmControlPlaneV1Beta2SpecKubeadmConfigSpecFilesEncoding | undefined,
    })),
  };
}

/** The v1beta1 KubeadmControlPlane rendering of a spec: argument lists become maps. */
export function kubeadmConfigSpecV1Beta1(
  spec: KubeadmConfigSpec,
): SchemaJson<kcp.KubeadmControlPlaneSpecKubeadmConfigSpec> {
  const cc = spec.clusterConfiguration;
  return {
    clusterConfiguration: cc && {
      imageRepository: cc.imageRepository,
      etcd: cc.etcd && {
        local: cc.etcd.local && {
          imageRepository: cc.etcd.local.imageRepository,
          imageTag: cc.etcd.local.imageTag,
          dataDir: cc.etcd.local.dataDir,
          extraArgs: argMap(cc.etcd.local.extraArgs),
        },
        external: cc.etcd.external && { ...cc.etcd.external, endpoints: [...cc.etcd.external.endpoints] },
      },
      dns: cc.dns && { ...cc.dns },
      apiServer: cc.apiServer && {
        certSANs: list(cc.apiServer.certSANs),
        extraArgs: argMap(cc.apiServer.extraArgs),
        extraVolumes: list(cc.apiServer.extraVolumes),
        extraEnvs: list(cc.apiServer.extraEnvs),
      },
      controllerManager: cc.controllerManager && componentV1Beta1(cc.controllerManager),
      scheduler: cc.scheduler && componentV1Beta1(cc.scheduler),
      featureGates: cc.featureGates && { ...cc.featureGates },
      controlPlaneEndpoint: cc.controlPlaneEndpoint,
      certificatesDir: cc.certificatesDir,
    },
    initConfiguration: spec.initConfiguration && nodeV1Beta1(spec.initConfiguration),
    joinConfiguration: spec.joinConfiguration && nodeV1Beta1(spec.joinConfiguration),
    ...common(spec),
    format: spec.format as kcp.KubeadmControlPlaneSpecKubeadmConfigSpecFormat | undefined,
    files: spec.files?.map((f) => ({
      ...file(f),
      encoding: f.encoding as kcp.KubeadmControlPlaneSpecKubeadmConfigSpecFilesEncoding | undefined,
    })),
  };
}

/** Renders a spec for a contract. */
export function kubeadmConfigSpecFor(
  spec: KubeadmConfigSpec,
  contract: CapiContract,
):
  | SchemaJson<kcp.KubeadmControlPlaneV1Beta2SpecKubeadmConfigSpec>
  | SchemaJson<kcp.KubeadmControlPlaneSpecKubeadmConfigSpec> {
  return contract === 'v1beta2' ? kubeadmConfigSpecV1Beta2(spec) : kubeadmConfigSpecV1Beta1(spec);
}

function common(spec: KubeadmConfigSpec) {
  return {
    preKubeadmCommands: list(spec.preKubeadmCommands),
    postKubeadmCommands: list(spec.postKubeadmCommands),
    users: spec.users?.map((u) => ({ ...u, sshAuthorizedKeys: list(u.sshAuthorizedKeys) })),
    ntp: spec.ntp && { enabled: spec.ntp.enabled, servers: list(spec.ntp.servers) },
  };
}

function file(f: KubeadmFile) {
  return {
    path: f.path,
    content: f.content,
    owner: f.owner,
    permissions: f.permissions,
    append: f.append,
    contentFrom: f.contentFrom && { secret: { ...f.contentFrom.secret } },
  };
}

function component(c: KubeadmComponent) {
  return { extraArgs: list(c.extraArgs), extraVolumes: list(c.extraVolumes), extraEnvs: list(c.extraEnvs) };
}

function componentV1Beta1(c: KubeadmComponent) {
  return { extraArgs: argMap(c.extraArgs), extraVolumes: list(c.extraVolumes), extraEnvs: list(c.extraEnvs) };
}

function nodeV1Beta2(n: KubeadmNodeConfiguration) {
  return {
    nodeRegistration: n.nodeRegistration && {
      ...registration(n.nodeRegistration),
      kubeletExtraArgs: list(n.nodeRegistration.kubeletExtraArgs),
    },
    patches: n.patches && { ...n.patches },
  };
}

function nodeV1Beta1(n: KubeadmNodeConfiguration) {
  return {
    nodeRegistration: n.nodeRegistration && {
      ...registration(n.nodeRegistration),
      kubeletExtraArgs: argMap(n.nodeRegistration.kubeletExtraArgs),
    },
    patches: n.patches && { ...n.patches },
  };
}

function registration(r: KubeadmNodeRegistration) {
  return {
    name: r.name,
    criSocket: r.criSocket,
    ignorePreflightErrors: list(r.ignorePreflightErrors),
    taints: r.taints?.map((t) => ({
      key: t.key,
      value: t.value,
      effect: t.effect,
      timeAdded: t.timeAdded === undefined ? undefined : kubernetesTime(t.timeAdded),
    })),
  };
}

function list<T>(items: readonly T[] | undefined): T[] | undefined {
  return items === undefined
    ? undefined
    : items.map((i) => (typeof i === 'object' && i !== null ? { ...i } : i));
}

/** v1beta1 maps: a later flag of the same name wins, as it would on a command line. */
function argMap(args: readonly KubeadmArg[] | undefined): Record<string, string> | undefined {
  if (args === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const arg of args) map[arg.name] = arg.value;
  return map;
}
