// The simulated site (package subpath `eksa-iac/testing`): test fixtures and aids, never a code path of a real run.
export {
  ApiEngine,
  ApiError,
  FaultInjector,
  ObjectStore,
  RequestLog,
  SimulatedApiServer,
  compareKubeVersions,
  decodeFieldsV1,
  describeFieldPath,
  encodeFieldsV1,
  trackedFields,
} from './api-server';
export type {
  ApiEngineOptions,
  ApiRequest,
  ApiResponse,
  ApiResult,
  BuiltinSpec,
  FaultHandle,
  FaultRule,
  FieldPath,
  FieldValidation,
  KubeconfigOptions,
  ManagedFieldsEntry,
  RequestFilter,
  RequestRecord,
  ResourceType,
  ResourceVersion,
  SimulatedApiServerOptions,
  SimulatedController,
  StoreEvent,
  StoreEventType,
  StoredObject,
  VersionConverter,
  WatchRequest,
  WireWatchEvent,
} from './api-server';
export {
  CrdSet,
  applyDefaults,
  checkAgainstCrd,
  findUnknownFields,
  formatViolation,
  matchesFormat,
  pruneNonNullableNulls,
  validateAgainstCrd,
  validateObjectMeta,
  validateValue,
} from './schema';
export type {
  CrdValidationOptions,
  CrdValidationResult,
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
  FieldErrorReason,
  JsonSchemaProps,
  ResolvedCrdVersion,
  SchemaViolation,
} from './schema';
export { GENERATED_CRDS } from './generated/crds';
export { LOOPBACK_TLS_CERTIFICATE, LOOPBACK_TLS_PRIVATE_KEY } from './tls/loopback-certificate';
// In-process Pulumi engine and dynamic-provider host (tests of stacks without the Pulumi CLI).
export { PulumiTestEngine } from './pulumi-engine';
export type { PulumiProgram, ResourceView } from './pulumi-engine';
export type { StateFile, StateFileResource } from './pulumi-engine-state';
export { EngineRunError } from './pulumi-engine-types';
export type {
  EngineCommand,
  LogRecord,
  MockOperation,
  MockResourceProvider,
  MockResult,
  PulumiTestEngineOptions,
  RunResult,
  StepOp,
  StepRecord,
} from './pulumi-engine-types';
