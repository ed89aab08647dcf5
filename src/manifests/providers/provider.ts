import type { Construct } from 'constructs';
import type { ClusterConfig, Issue, WorkerNodeGroupConfiguration } from '../../spec';
import type { ResolvedVersionsBundle } from '../../spec/bundles';
import type { EtcdadmConfigSpec } from '../capi/etcdadm-cluster';
import type { KubeadmConfigSpec } from '../capi/kubeadm-config-spec';
import type { IObjectRef } from '../capi/object-ref';
import type { CapiContract } from '../contract';
import type { RegistryMirror } from '../kubeadm/registry-mirror';

/** The machines a template is for. */
export type MachineRole =
  | { readonly role: 'controlPlane' }
  | { readonly role: 'etcd' }
  | { readonly role: 'worker'; readonly group: WorkerNodeGroupConfiguration };

/** Everything a provider renders from: the (defaulted) config, its bundles, the contract and the environment. */
export interface ProviderContext {
  readonly config: ClusterConfig;
  /** `config.cluster.metadata.name`. */
  readonly clusterName: string;
  /** Namespace of the CAPI objects (`eksa-system`). */
  readonly namespace: string;
  readonly contract: CapiContract;
  /** The versions bundle of the cluster's Kubernetes version (control plane and etcd). */
  readonly bundle: ResolvedVersionsBundle;
  /** The registry mirror, when the cluster has one (credentials included when it authenticates). */
  readonly registryMirror?: RegistryMirror;
  /** The environment the config is rendered with (provider credentials). Never log it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** EKS-A version the output targets (`spec.eksaVersion`); undefined means current. */
  readonly eksaVersion?: string;
  /** The versions bundle of a Kubernetes version the cluster uses (a worker group's). */
  bundleFor(kubernetesVersion: string): ResolvedVersionsBundle;
  /**
   * The name for a template `<base>-N`, given the templates applied before (see `templateName`). `spec` renders the
   * template's JSON `spec`; it is called only when an applied template has to be compared.
   */
  templateName(base: string, kind: string, spec: () => unknown): string;
}

/** A host directory or file mounted into the kind bootstrap cluster's node. */
export interface BootstrapMount {
  readonly hostPath: string;
  readonly containerPath: string;
}

/** What the kind bootstrap cluster needs for a provider. */
export interface BootstrapClusterOptions {
  readonly extraMounts: readonly BootstrapMount[];
  /** Extra environment of the bootstrap node (proxy settings). */
  readonly env?: Readonly<Record<string, string>>;
}

/** One environment variable a provider's tools (clusterctl and its provider components) need. */
export interface ToolEnvironmentVariable {
  readonly name: string;
  readonly value: string;
  /** A credential: pass it marked secret, never log or print it. */
  readonly secret: boolean;
}

/** Settings a provider adds to objects the common code builds. */
export interface ProviderObjectOptions {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Settings of the CAPI Cluster. */
export interface ClusterOptions extends ProviderObjectOptions {
  /** `spec.clusterNetwork.serviceDomain`. @default - omitted */
  readonly serviceDomain?: string;
}

/** Settings a provider adds to each worker group's MachineDeployment. */
export interface MachineDeploymentOptions extends ProviderObjectOptions {
  /** `spec.template.metadata.labels`. */
  readonly machineLabels?: Readonly<Record<string, string>>;
  /** `spec.selector.matchLabels` (see `MachineDeploymentProps.matchLabels`). */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** The failure domain the machines are placed in. @default - none */
  readonly failureDomain?: string;
}

/**
 * An infrastructure provider: one module that knows its datacenter (and machine) config kinds, their provider
 * defaults, renders its CAPI infrastructure objects and its kubeadm specifics (OS family), its credentials
 * Secrets, and says what its bootstrap cluster and tools need. The EKS-A types of its config kinds, their parsing,
 * spec defaults and per-kind rules live in `spec` (the parser and `validateClusterConfig` need them without
 * rendering); what only a provider knows is here.
 *
 * Before rendering, `setupDefaults` (the CLI's create setup) may be applied to the config. The chart then calls
 * `addInfrastructureCluster`, `addMachineTemplate` (control plane), `controlPlaneKubeadmConfig`,
 * `addMachineTemplate` / `etcdadmConfig` (external etcd), `clusterOptions`, `addExtraObjects`, then per worker
 * group `workerKubeadmConfig`, `machineDeploymentOptions` and `addMachineTemplate`. `validate` reports what would
 * make rendering fail or produce a broken cluster (missing images, malformed keys), before anything is written.
 */
export interface InfrastructureProvider {
  /** clusterctl name of the infrastructure provider (`docker`, `vsphere`). */
  readonly name: string;
  /** The datacenter kind that selects this provider (`DockerDatacenterConfig`). */
  readonly datacenterKind: string;
  /** Machine config kinds the provider reads (`VSphereMachineConfig`); empty for docker. */
  readonly machineConfigKinds: readonly string[];
  /**
   * Under the v1beta1 contract, whether the references of the Cluster, the MachineDeployments and the
   * EtcdadmCluster carry `namespace` (EKS-A's docker templates write it, its vSphere templates do not). The control
   * plane's machine template reference and `managedExternalEtcdRef` always carry it.
   */
  readonly v1beta1ReferenceNamespaces: boolean;
  /** Names of environment variables that hold this provider's credentials (never logged). */
  readonly credentialEnvVars: readonly string[];

  /**
   * Defaults EKS-A's CLI applies while setting the provider up for a create (`SetupAndValidateCreateCluster`),
   * beyond the spec defaults and without reaching the infrastructure. Returns a new config; the input is unchanged.
   */
  setupDefaults(config: ClusterConfig): ClusterConfig;
  /** Rendering problems the spec validation cannot see (e.g. an image missing from the bundle). */
  validate(context: ProviderContext): Issue[];
  /**
   * What a real run needs from the environment that is missing (credentials). Synthesis does not need them: a
   * manifest rendered without them carries empty credentials, as EKS-A's does.
   */
  environmentIssues(config: ClusterConfig, env: Readonly<Record<string, string | undefined>>): Issue[];
  /** Settings of the CAPI Cluster (`serviceDomain`, labels). */
  clusterOptions(context: ProviderContext): ClusterOptions;
  /** Adds the infrastructure cluster object (DockerCluster, VSphereCluster) and returns it. */
  addInfrastructureCluster(scope: Construct, context: ProviderContext): IObjectRef;
  /** Adds the machine template for a role, named through `context.templateName`, and returns it. */
  addMachineTemplate(scope: Construct, context: ProviderContext, machines: MachineRole): IObjectRef;
  /** The kubeadm configuration of the control plane machines. */
  controlPlaneKubeadmConfig(context: ProviderContext): KubeadmConfigSpec;
  /** Labels of the control plane machines (v1beta2). */
  controlPlaneMachineLabels(context: ProviderContext): Readonly<Record<string, string>> | undefined;
  /** The etcdadm configuration of external etcd machines. */
  etcdadmConfig(context: ProviderContext): EtcdadmConfigSpec;
  /** The kubeadm join configuration of a worker group. */
  workerKubeadmConfig(context: ProviderContext, group: WorkerNodeGroupConfiguration): KubeadmConfigSpec;
  /** Settings of a worker group's MachineDeployment (labels, selector, failure domain). */
  machineDeploymentOptions(
    context: ProviderContext,
    group: WorkerNodeGroupConfiguration,
  ): MachineDeploymentOptions;
  /** Provider objects beyond the standard set (credentials Secrets, ClusterResourceSets). */
  addExtraObjects(scope: Construct, context: ProviderContext): void;
  /** What the kind bootstrap cluster needs for this provider. */
  bootstrapClusterOptions(context: ProviderContext): BootstrapClusterOptions;
  /**
   * Environment clusterctl (and the provider components it installs) needs to install or upgrade this provider,
   * from the config and the user's environment. Credentials are marked `secret`.
   */
  toolEnvironment(
    config: ClusterConfig,
    env: Readonly<Record<string, string | undefined>>,
  ): ToolEnvironmentVariable[];
}
