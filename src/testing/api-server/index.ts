export { ApiEngine } from './engine';
export type {
  ApiEngineOptions,
  ApiRequest,
  ApiResponse,
  ApiResult,
  FieldValidation,
  VersionConverter,
  WatchRequest,
  WireWatchEvent,
} from './engine';
export { FaultInjector } from './faults';
export type { FaultHandle, FaultRule } from './faults';
export { decodeFieldsV1, describeFieldPath, encodeFieldsV1, trackedFields } from './managed-fields';
export type { FieldPath, ManagedFieldsEntry } from './managed-fields';
export { RequestLog } from './request-log';
export type { RequestFilter, RequestRecord } from './request-log';
export { compareKubeVersions } from './resource-types';
export type { BuiltinSpec, ResourceType, ResourceVersion } from './resource-types';
export { SimulatedApiServer } from './server';
export type { KubeconfigOptions, SimulatedApiServerOptions, SimulatedController } from './server';
export { ApiError } from './status';
export { ObjectStore } from './store';
export type { StoreEvent, StoreEventType, StoredObject } from './store';
