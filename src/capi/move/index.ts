export { moveClusterApi } from './move-cluster-api';
export type { MoveClusterApiOptions, MoveResult } from './move-cluster-api';
export { backupClusterApi, restoreClusterApi, readBackup, backupFileName } from './backup';
export type {
  BackupClusterApiOptions,
  BackupResult,
  RestoreClusterApiOptions,
  RestoreResult,
} from './backup';
export { describePlan } from './plan';
export type { MovePlan, PlannedObject, ExcludedObject, KeptInSource } from './plan';
export type { MovedObject, TargetOutcome, SourceOutcome } from './writers';
export { MoveError } from './move-error';
export { READ_BACKOFF, WRITE_BACKOFF, BLOCK_MOVE_BACKOFF } from './retry';
export type { Backoff, MoveRetryOptions } from './retry';
export { ObjectGraph, GraphNode } from './object-graph';
export type { OwnerEdge, ClassRef } from './object-graph';
export { discoveryTypesFromCrds } from './discovery-types';
export type { DiscoveryType } from './discovery-types';
export { filterCluster } from './cluster-filter';
export { moveSequence } from './move-sequence';
export type { MoveSequence, UnplacedNode } from './move-sequence';
export { PAUSED_BY_MOVE_ANNOTATION, SOURCE_UID_ANNOTATION } from './constants';
