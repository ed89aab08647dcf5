import * as fs from 'node:fs';
import type { AWSIamConfig } from './aws-iam-config';
import type {
  Cluster,
  ClusterNetwork,
  ClusterSpec,
  MachineHealthCheck,
  WorkerNodeGroupConfiguration,
} from './cluster';
import { type ClusterConfig, isSelfManaged } from './cluster-config';
import type { FluxConfig } from './flux-config';
import type { GitOpsConfig } from './gitops-config';
import { ClusterConfigError } from './issue';
import { DEFAULT_EKSA_NAMESPACE, type EksaObjectMeta } from './meta';
import { copySourceMap } from './source-positions';
import type { VSphereDatacenterConfig } from './vsphere-datacenter-config';
import type { VSphereMachineConfig } from './vsphere-machine-config';

/** Name EKS-A gives the first worker node group when it has none. */
export const DEFAULT_WORKER_GROUP_NAME = 'md-0';
/** Registry mirror port when none is set. */
export const DEFAULT_REGISTRY_MIRROR_PORT = '443';
/** Environment variable naming a file whose content becomes `registryMirrorConfiguration.caCertContent`. */
export const REGISTRY_MIRROR_CA_ENV = 'EKSA_REGISTRY_MIRROR_CA';
/** MachineHealthCheck defaults, as EKS-A writes them into the spec (Go duration strings). */
export const DEFAULT_NODE_STARTUP_TIMEOUT = '10m0s';
export const DEFAULT_UNHEALTHY_MACHINE_TIMEOUT = '5m0s';
export const DEFAULT_CONTROL_PLANE_MAX_UNHEALTHY = '100%';
export const DEFAULT_WORKER_MAX_UNHEALTHY = '40%';
/** GitOps defaults. */
export const DEFAULT_FLUX_NAMESPACE = 'flux-system';
export const DEFAULT_FLUX_BRANCH = 'main';
/** AWS IAM authenticator partition. */
export const DEFAULT_AWS_PARTITION = 'aws';
/** vSphere machine defaults. */
export const DEFAULT_VSPHERE_MEMORY_MIB = 8192;
export const MIN_VSPHERE_MEMORY_MIB = 2048;
export const DEFAULT_VSPHERE_NUM_CPUS = 2;
export const DEFAULT_VSPHERE_OS_FAMILY = 'bottlerocket';
/** SSH user of Bottlerocket nodes, and of Ubuntu / Red Hat nodes. */
export const BOTTLEROCKET_DEFAULT_USER = 'ec2-user';
export const UBUNTU_DEFAULT_USER = 'capv';

/** Inputs of {@link setClusterDefaults} that come from the environment. */
export interface DefaultsOptions {
  /**
   * Environment to read `EKSA_REGISTRY_MIRROR_CA` from. Passed in (not read from process.env) so defaulting is
   * reproducible.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Reads the CA file named by `EKSA_REGISTRY_MIRROR_CA`.
   * @default fs.readFileSync(path, 'utf8')
   */
  readonly readFile?: (path: string) => string;
}

/**
 * Returns the config with EKS-A's defaults filled in, as the EKS-A CLI and webhooks apply them (the input is not
 * changed):
 * - the first worker group is named `md-0`; a worker group without `count` gets `autoscalingConfiguration.minCount`,
 *   or 1;
 * - the deprecated `clusterNetwork.cni` becomes `cniConfig` (and is cleared) when `cniConfig` is absent;
 * - registry mirror `port` 443, and `caCertContent` from the file named by env `EKSA_REGISTRY_MIRROR_CA`;
 * - MachineHealthCheck `nodeStartupTimeout` 10m0s and `unhealthyMachineTimeout` 5m0s at the top level; when no
 *   top-level `maxUnhealthy` is set: top level and control plane 100%, each worker group 40%;
 * - namespace `default` on every object without one;
 * - FluxConfig / GitOpsConfig: system namespace `flux-system`, branch `main`, `clusterConfigPath`
 *   `clusters/<management cluster name>`;
 * - AWSIamConfig `partition` `aws`;
 * - VSphereMachineConfig `memoryMiB` 8192 (raised to 2048 when lower), `numCPUs` 2, `osFamily` bottlerocket, a first
 *   user named `ec2-user` (Bottlerocket) or `capv` (others);
 * - VSphereDatacenterConfig: a relative `network` becomes `/<datacenter>/network/<network>`; `insecure: true`
 *   clears `thumbprint`.
 * @throws ClusterConfigError when `EKSA_REGISTRY_MIRROR_CA` names a file that cannot be read
 */
export function setClusterDefaults(config: ClusterConfig, options: DefaultsOptions = {}): ClusterConfig {
  const cluster = defaultCluster(config.cluster, options, config.file);
  const managementName = isSelfManaged(cluster)
    ? cluster.metadata.name
    : (cluster.spec.managementCluster?.name ?? cluster.metadata.name);
  const datacenter =
    config.datacenter.kind === 'VSphereDatacenterConfig'
      ? defaultVSphereDatacenter(config.datacenter)
      : { ...config.datacenter, metadata: withNamespace(config.datacenter.metadata) };
  const out: ClusterConfig = {
    ...config,
    cluster,
    datacenter,
    ...(config.machineConfigs
      ? { machineConfigs: mapValues(config.machineConfigs, defaultVSphereMachine) }
      : {}),
    ...(config.oidcConfigs
      ? { oidcConfigs: mapValues(config.oidcConfigs, (o) => ({ ...o, metadata: withNamespace(o.metadata) })) }
      : {}),
    ...(config.awsIamConfigs ? { awsIamConfigs: mapValues(config.awsIamConfigs, defaultAwsIam) } : {}),
    ...(config.fluxConfig ? { fluxConfig: defaultFlux(config.fluxConfig, managementName) } : {}),
    ...(config.gitOpsConfig ? { gitOpsConfig: defaultGitOps(config.gitOpsConfig, managementName) } : {}),
  };
  copySourceMap(config, out);
  return out;
}

function withNamespace(meta: EksaObjectMeta): EksaObjectMeta {
  return meta.namespace ? meta : { ...meta, namespace: DEFAULT_EKSA_NAMESPACE };
}

function mapValues<T>(record: Readonly<Record<string, T>>, fn: (value: T) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

function defaultCluster(cluster: Cluster, options: DefaultsOptions, file: string | undefined): Cluster {
  let spec: ClusterSpec = { ...cluster.spec };
  spec = { ...spec, ...registryMirrorDefaults(spec, options, file) };
  spec = workerGroupDefaults(spec);
  spec = { ...spec, clusterNetwork: cniDefaults(spec.clusterNetwork ?? {}) };
  spec = machineHealthCheckDefaults(spec);
  return { ...cluster, metadata: withNamespace(cluster.metadata), spec };
}

function registryMirrorDefaults(
  spec: ClusterSpec,
  options: DefaultsOptions,
  file: string | undefined,
): Partial<ClusterSpec> {
  const mirror = spec.registryMirrorConfiguration;
  if (!mirror) return {};
  let caCertContent = mirror.caCertContent;
  const caFile = options.env?.[REGISTRY_MIRROR_CA_ENV];
  if (!caCertContent && caFile) {
    try {
      caCertContent = (options.readFile ?? ((p: string) => fs.readFileSync(p, 'utf8')))(caFile);
    } catch (e) {
      throw new ClusterConfigError([
        {
          severity: 'error',
          file,
          path: 'spec.registryMirrorConfiguration.caCertContent',
          rule: 'registry-mirror-ca-file',
          message: `${REGISTRY_MIRROR_CA_ENV} names ${caFile}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
          fix: `point ${REGISTRY_MIRROR_CA_ENV} at a readable PEM file, or set caCertContent in the config`,
        },
      ]);
    }
  }
  return {
    registryMirrorConfiguration: {
      ...mirror,
      port: mirror.port || DEFAULT_REGISTRY_MIRROR_PORT,
      ...(caCertContent ? { caCertContent } : {}),
    },
  };
}

function workerGroupDefaults(spec: ClusterSpec): ClusterSpec {
  if (!spec.workerNodeGroupConfigurations) return spec;
  const groups = spec.workerNodeGroupConfigurations.map((group, i): WorkerNodeGroupConfiguration => {
    const named = i === 0 && !group.name ? { ...group, name: DEFAULT_WORKER_GROUP_NAME } : group;
    if (named.count !== undefined) return named;
    return {
      ...named,
      count: named.autoscalingConfiguration ? (named.autoscalingConfiguration.minCount ?? 0) : 1,
    };
  });
  return { ...spec, workerNodeGroupConfigurations: groups };
}

function cniDefaults(network: ClusterNetwork): ClusterNetwork {
  if (network.cniConfig) return network;
  const { cni, ...rest } = network;
  if (cni === 'cilium' || cni === 'cilium-enterprise') return { ...rest, cniConfig: { cilium: {} } };
  if (cni === 'kindnetd') return { ...rest, cniConfig: { kindnetd: {} } };
  // An unknown name is kept so validation can say what is wrong with it (EKS-A would clear it and then report
  // only that no plugin is configured).
  if (cni !== undefined) return network;
  // EKS-A leaves an empty cniConfig when no plugin was named; validation then asks for one.
  return { ...rest, cniConfig: {} };
}

function machineHealthCheckDefaults(spec: ClusterSpec): ClusterSpec {
  const top: MachineHealthCheck = {
    ...spec.machineHealthCheck,
    nodeStartupTimeout: spec.machineHealthCheck?.nodeStartupTimeout ?? DEFAULT_NODE_STARTUP_TIMEOUT,
    unhealthyMachineTimeout:
      spec.machineHealthCheck?.unhealthyMachineTimeout ?? DEFAULT_UNHEALTHY_MACHINE_TIMEOUT,
  };
  // EKS-A fills the control-plane and worker maxUnhealthy only when the top level has none: an explicit top-level
  // value is then inherited by the generator rather than copied.
  if (top.maxUnhealthy !== undefined) return { ...spec, machineHealthCheck: top };
  const cp = spec.controlPlaneConfiguration;
  return {
    ...spec,
    machineHealthCheck: { ...top, maxUnhealthy: DEFAULT_CONTROL_PLANE_MAX_UNHEALTHY },
    controlPlaneConfiguration: {
      ...cp,
      machineHealthCheck: {
        ...cp?.machineHealthCheck,
        maxUnhealthy: cp?.machineHealthCheck?.maxUnhealthy ?? DEFAULT_CONTROL_PLANE_MAX_UNHEALTHY,
      },
    },
    ...(spec.workerNodeGroupConfigurations
      ? {
          workerNodeGroupConfigurations: spec.workerNodeGroupConfigurations.map((g) => ({
            ...g,
            machineHealthCheck: {
              ...g.machineHealthCheck,
              maxUnhealthy: g.machineHealthCheck?.maxUnhealthy ?? DEFAULT_WORKER_MAX_UNHEALTHY,
            },
          })),
        }
      : {}),
  };
}

function defaultVSphereDatacenter(dc: VSphereDatacenterConfig): VSphereDatacenterConfig {
  const spec = dc.spec;
  let network = spec.network;
  if (network && !network.startsWith(`/${spec.datacenter}`)) {
    network = `/${spec.datacenter}/network/${network}`;
  }
  return {
    ...dc,
    metadata: withNamespace(dc.metadata),
    spec: { ...spec, network, ...(spec.insecure ? { thumbprint: '' } : {}) },
  };
}

function defaultVSphereMachine(mc: VSphereMachineConfig): VSphereMachineConfig {
  const spec = mc.spec;
  let memoryMiB = spec.memoryMiB && spec.memoryMiB > 0 ? spec.memoryMiB : DEFAULT_VSPHERE_MEMORY_MIB;
  if (memoryMiB < MIN_VSPHERE_MEMORY_MIB) memoryMiB = MIN_VSPHERE_MEMORY_MIB;
  const numCPUs = spec.numCPUs && spec.numCPUs > 0 ? spec.numCPUs : DEFAULT_VSPHERE_NUM_CPUS;
  const osFamily = spec.osFamily || DEFAULT_VSPHERE_OS_FAMILY;
  const users = spec.users && spec.users.length > 0 ? [...spec.users] : [{ name: '', sshAuthorizedKeys: [] }];
  const first = users[0];
  users[0] = {
    name: first.name || (osFamily === 'bottlerocket' ? BOTTLEROCKET_DEFAULT_USER : UBUNTU_DEFAULT_USER),
    // EKS-A writes one empty key so templates always have a list to render.
    sshAuthorizedKeys:
      first.sshAuthorizedKeys && first.sshAuthorizedKeys.length > 0 ? first.sshAuthorizedKeys : [''],
  };
  return {
    ...mc,
    metadata: withNamespace(mc.metadata),
    spec: { ...spec, memoryMiB, numCPUs, osFamily, users },
  };
}

function defaultAwsIam(c: AWSIamConfig): AWSIamConfig {
  return {
    ...c,
    metadata: withNamespace(c.metadata),
    spec: { ...c.spec, partition: c.spec.partition || DEFAULT_AWS_PARTITION },
  };
}

function defaultFlux(c: FluxConfig, managementName: string): FluxConfig {
  return {
    ...c,
    metadata: withNamespace(c.metadata),
    spec: {
      ...c.spec,
      systemNamespace: c.spec.systemNamespace || DEFAULT_FLUX_NAMESPACE,
      branch: c.spec.branch || DEFAULT_FLUX_BRANCH,
      clusterConfigPath: c.spec.clusterConfigPath || `clusters/${managementName}`,
    },
  };
}

function defaultGitOps(c: GitOpsConfig, managementName: string): GitOpsConfig {
  const github = c.spec.flux?.github;
  return {
    ...c,
    metadata: withNamespace(c.metadata),
    spec: {
      ...c.spec,
      flux: {
        ...c.spec.flux,
        github: {
          ...github,
          fluxSystemNamespace: github?.fluxSystemNamespace || DEFAULT_FLUX_NAMESPACE,
          branch: github?.branch || DEFAULT_FLUX_BRANCH,
          clusterConfigPath: github?.clusterConfigPath || `clusters/${managementName}`,
        },
      },
    },
  };
}
