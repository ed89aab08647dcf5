// What handler modules need at run time, without the Pulumi SDK: handlers run in the dynamic-provider host, where
// loading @pulumi/pulumi from the user's project would only cost time. Package subpath `eksa-iac/pulumi/runtime`.
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

// Where the phases run (a registered site is a testing aid for in-process engines).
export { registerSite, registeredSite, registeredSiteRefs } from './site-registry';
export type { SiteFactory, SiteRequest } from './site-registry';
export * from './resources/schemas';
