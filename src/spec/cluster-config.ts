import type { AWSIamConfig } from './aws-iam-config';
import type { Cluster } from './cluster';
import type { DockerDatacenterConfig } from './docker-datacenter-config';
import type { FluxConfig } from './flux-config';
import type { GitOpsConfig } from './gitops-config';
import type { OIDCConfig } from './oidc-config';
import type { VSphereDatacenterConfig } from './vsphere-datacenter-config';
import type { VSphereMachineConfig } from './vsphere-machine-config';

/** The datacenter object of a cluster: it selects the provider. */
export type DatacenterConfig = DockerDatacenterConfig | VSphereDatacenterConfig;

/** A machine config a `machineGroupRef` names. */
export type MachineConfig = VSphereMachineConfig;

/** Any EKS-A object a cluster config file may hold. */
export type EksaConfigObject =
  | Cluster
  | DockerDatacenterConfig
  | VSphereDatacenterConfig
  | VSphereMachineConfig
  | OIDCConfig
  | AWSIamConfig
  | GitOpsConfig
  | FluxConfig;

/** Kinds of {@link EksaConfigObject}. */
export type EksaConfigKind = EksaConfigObject['kind'];

/**
 * One cluster's configuration: the objects one EKS-A config file holds, resolved through the Cluster's
 * references. Write it in code (the object types are the props) or get it from `parseClusterConfig` /
 * `loadClusterConfigFile`.
 */
export interface ClusterConfig {
  readonly cluster: Cluster;
  /** The object `cluster.spec.datacenterRef` names. */
  readonly datacenter: DatacenterConfig;
  /** Machine configs by name: the ones the control plane, etcd and worker groups reference. */
  readonly machineConfigs?: Readonly<Record<string, MachineConfig>>;
  /** OIDC configs by name (`identityProviderRefs`). */
  readonly oidcConfigs?: Readonly<Record<string, OIDCConfig>>;
  /** AWS IAM configs by name (`identityProviderRefs`). */
  readonly awsIamConfigs?: Readonly<Record<string, AWSIamConfig>>;
  /** The object `gitOpsRef` names, when it is a GitOpsConfig. */
  readonly gitOpsConfig?: GitOpsConfig;
  /** The object `gitOpsRef` names, when it is a FluxConfig. */
  readonly fluxConfig?: FluxConfig;
  /** The file the config was parsed from. */
  readonly file?: string;
}

/** The provider a config selects, from its datacenter kind. */
export type ProviderName = 'docker' | 'vsphere';

/** The provider of a config. */
export function providerOf(config: Pick<ClusterConfig, 'datacenter'>): ProviderName {
  return config.datacenter.kind === 'VSphereDatacenterConfig' ? 'vsphere' : 'docker';
}

/** Every object of a config, Cluster first, as they go into a multi-document file. */
export function configObjects(config: ClusterConfig): EksaConfigObject[] {
  return [
    config.cluster,
    config.datacenter,
    ...Object.values(config.machineConfigs ?? {}),
    ...Object.values(config.oidcConfigs ?? {}),
    ...Object.values(config.awsIamConfigs ?? {}),
    ...(config.gitOpsConfig ? [config.gitOpsConfig] : []),
    ...(config.fluxConfig ? [config.fluxConfig] : []),
  ];
}

/** A cluster that manages itself (a management cluster): no `managementCluster`, or one naming itself. */
export function isSelfManaged(cluster: Cluster): boolean {
  const name = cluster.spec.managementCluster?.name;
  return !name || name === cluster.metadata.name;
}
