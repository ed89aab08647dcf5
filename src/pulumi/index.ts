// Pulumi layer: the thin dynamic-resource shim and the resource base class (program side), component helpers, and
// the handler runtime (provider side; also `eksa-iac/pulumi/runtime`, which does not load the Pulumi SDK).
export { childName, chainedOptions, componentTypeToken, createKubernetesProvider } from './component-helpers';
export type { ChainedOptionsExtra, KubernetesProviderArgs } from './component-helpers';
export { EksaDynamicResource } from './eksa-dynamic-resource';
export type { ResourceArgs } from './eksa-dynamic-resource';
export { providerShim } from './provider-shim';
export { createHandlerDispatcher, SHIM_PROTOCOL } from './handler-dispatcher';
export type {
  DispatchRequest,
  HandlerDispatcher,
  HandlerDispatcherOptions,
  HandlerEntry,
  ProviderMethod,
} from './handler-dispatcher';
export { engineInitFailure, isEngineInitFailure, ResourceInitError } from './init-failure';
export type { EngineInitFailure } from './init-failure';
export { deepEqual, describeReplacements, diffInputs, toDiffOutcome } from './input-diff';
export type { InputDiff, Replacement } from './input-diff';
export { consoleSink, createHandlerLogger, REDACTED, redactSecrets, secretForms } from './redacting-logger';
export type { HandlerLogger, HandlerLoggerOptions, LogLevel, LogSink } from './redacting-logger';
export { defineHandler } from './resource-handler';
export type {
  CheckFailure,
  CheckOutcome,
  CreateOutcome,
  DiffOutcome,
  HandlerContext,
  ResourceHandler,
  StoredState,
} from './resource-handler';
export {
  defineResourceSchema,
  dynamicModuleName,
  dynamicTypeToken,
  LIBRARY_HANDLERS_MODULE,
  libraryHandler,
  PROVIDER_KEY,
  SCHEMA_VERSION_KEY,
  secretInputKeys,
  secretOutputKeys,
} from './resource-schema';
export type { HandlerRef, InputSpec, OutputSpec, ResourceSchema } from './resource-schema';
export { containsUnknownValue, isUnknownValue, UNKNOWN_VALUE } from './unknown-value';

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
export * from './resources/schemas';

// Where the phases run: the real tools by default; a registered site (testing aid) for in-process engines.
export { registerSite, registeredSite, registeredSiteRefs } from './site-registry';
export type { SiteFactory, SiteRequest } from './site-registry';
