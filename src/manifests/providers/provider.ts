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

/** Settings a provider adds to objects the common code builds. */
export interface ProviderObjectOptions {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Settings a provider adds to each worker group's MachineDeployment. */
export interface MachineDeploymentOptions extends ProviderObjectOptions {
  /** `spec.template.metadata.labels`. */
  readonly machineLabels?: Readonly<Record<string, string>>;
  /** `spec.selector.matchLabels` (see `MachineDeploymentProps.matchLabels`). */
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly failureDomain?: string;
}

/**
 * An infrastructure provider: one module that knows its datacenter (and machine) config kinds, renders its CAPI
 * infrastructure objects and its kubeadm specifics, and says what its bootstrap cluster, credentials and tools
 * need. The EKS-A types, defaults and validation of its config kinds live in `spec`; this is the rendering side.
 *
 * The chart calls the methods in this order: `validate`, `addInfrastructureCluster`, `addMachineTemplate`
 * (control plane), `controlPlaneKubeadmConfig`, `addMachineTemplate` / `etcdadmConfig` (external etcd),
 * `addExtraObjects`, then per worker group `workerKubeadmConfig` and `addMachineTemplate`.
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

  /** Rendering problems the spec validation cannot see (e.g. an image missing from the bundle). */
  validate(context: ProviderContext): Issue[];
  /** Settings of the CAPI Cluster (`serviceDomain`, labels). */
  clusterOptions(context: ProviderContext): ProviderObjectOptions & { readonly serviceDomain?: string };
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
  /** Settings of a worker group's MachineDeployment (labels). */
  machineDeploymentOptions(
    context: ProviderContext,
    group: WorkerNodeGroupConfiguration,
  ): MachineDeploymentOptions;
  /** Provider objects beyond the standard set (credentials Secrets, ClusterResourceSets). */
  addExtraObjects(scope: Construct, context: ProviderContext): void;
  /** What the kind bootstrap cluster needs for this provider. */
  bootstrapClusterOptions(context: ProviderContext): BootstrapClusterOptions;
  /** Environment clusterctl needs to install or upgrade this provider, from the user's environment. */
  toolEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string>;
}
