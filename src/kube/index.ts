// Kubernetes API access: kubeconfig, discovery, server-side apply, CRUD, watch-based waits, retries.
export { joinApiVersion, splitApiVersion } from './api-version';
export { FIELD_MANAGER, HttpKubeClient, connectKube } from './client';
export type {
  CreateOptions,
  ExtendedDeleteOptions,
  JsonPatchOperation,
  KubeClientOptions,
  ListPage,
  WatchOptions,
} from './client';
export {
  conditionIsTrue,
  conditionsOf,
  findCondition,
  isConditionTrue,
  isObservedGenerationCurrent,
  summarizeConditions,
} from './conditions';
export type { Condition } from './conditions';
export { Discovery, resourcePath } from './discovery';
export {
  KubeApiError,
  WaitTimeoutError,
  isAlreadyExists,
  isConflict,
  isGone,
  isInvalid,
  isKubeApiError,
  isNotFound,
  isTransient,
} from './errors';
export type { KubeRequestInfo } from './errors';
export { KubeconfigConnection } from './kubeconfig';
export type { KubeconfigSource, RequestCredentials } from './kubeconfig';
export { formatLabelSelector, matchesLabelSelector, parseLabelSelector } from './label-selector';
export type { LabelRequirement, LabelSelector, LabelSelectorRequirement } from './label-selector';
export { NO_RETRY, READ_RETRY, WRITE_RETRY, backoffDelay, withRetries } from './retry';
export type { RetryHooks, RetryPolicy } from './retry';
export { formatDuration, waitForObject } from './wait';
export type { WaitSource } from './wait';
export type {
  ApiResource,
  ApplyOptions,
  DeleteOptions,
  KubeClient,
  KubeObject,
  KubeStatus,
  ListOptions,
  ManagedFieldsEntry,
  ObjectMeta,
  ObjectRef,
  OwnerReference,
  PropagationPolicy,
  WaitOptions,
  WatchEvent,
} from './types';
