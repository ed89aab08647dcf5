// Pulumi layer: the thin dynamic-resource shim and the resource base class (program side), component helpers, and
// the handler runtime (provider side; also `eksa-iac/pulumi/runtime`, which does not load the Pulumi SDK).
export { childName, chainedOptions, componentTypeToken, createKubernetesProvider } from './component-helpers';
export type { ChainedOptionsExtra, KubernetesProviderArgs } from './component-helpers';
export { EksaDynamicResource } from './eksa-dynamic-resource';
export type { ResourceArgs } from './eksa-dynamic-resource';
export { providerShim } from './provider-shim';
// The handler runtime (dispatcher, handlers, schemas, logger, site registry): one list, kept in handler-runtime.ts.
export * from './handler-runtime';

// The EKS-A cluster component and the phase resources it chains (architecture.md, the resource table).
export { EksaCluster } from './eksa-cluster';
export { EksaClusterArgsError, resolveEksaClusterArgs } from './eksa-cluster-args';
export type {
  EksaClusterArgs,
  ManagementClusterRef,
  ManagementClusterSource,
  ResolvedEksaClusterArgs,
} from './eksa-cluster-args';
export type { EksaClusterPhases } from './eksa-cluster-builder';
export { BootstrapCluster } from './resources/bootstrap-cluster';
export { CapiProviders } from './resources/capi-providers';
export { WorkloadCluster } from './resources/workload-cluster';
export { ManagementMove } from './resources/management-move';
export { EksaComponents } from './resources/eksa-components';
export { GitOps } from './resources/gitops';
export { ClusterConfigFiles } from './resources/cluster-config-files';
export { BootstrapCleanup } from './resources/bootstrap-cleanup';
export { CuratedPackages } from './resources/curated-packages';
export { PhaseResource } from './resources/phase-resource';
