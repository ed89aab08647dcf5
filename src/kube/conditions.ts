import { KubeObject } from './types';

/** A status condition (metav1.Condition, or CAPI v1beta1's Condition with `severity`). */
export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown' | string;
  readonly reason?: string;
  readonly message?: string;
  readonly severity?: string;
  readonly lastTransitionTime?: string;
  readonly observedGeneration?: number;
}

/** `status.conditions` of an object (empty when it has none). */
export function conditionsOf(object: KubeObject | undefined): Condition[] {
  const status = object?.status as { conditions?: unknown } | undefined;
  return Array.isArray(status?.conditions) ? (status!.conditions as Condition[]) : [];
}

/** The condition of the given type, if the object reports it. */
export function findCondition(object: KubeObject | undefined, type: string): Condition | undefined {
  return conditionsOf(object).find((c) => c.type === type);
}

/** True when the object reports condition `type` with status True. */
export function isConditionTrue(object: KubeObject | undefined, type: string): boolean {
  return findCondition(object, type)?.status === 'True';
}

/** A predicate for waitFor: the object exists and condition `type` is True. */
export function conditionIsTrue(type: string): (object: KubeObject | undefined) => boolean {
  return (object) => isConditionTrue(object, type);
}

/**
 * False only when the object reports `status.observedGeneration` and it is behind `metadata.generation`: its
 * status then describes an older spec.
 */
export function isObservedGenerationCurrent(object: KubeObject | undefined): boolean {
  if (!object) return true;
  const observed = (object.status as { observedGeneration?: unknown } | undefined)?.observedGeneration;
  const generation = object.metadata.generation;
  if (typeof observed !== 'number' || typeof generation !== 'number') return true;
  return observed >= generation;
}

/** One line per condition, `Type=Status (Reason: message)`, for progress and timeout messages. */
export function summarizeConditions(conditions: readonly Condition[]): string {
  if (conditions.length === 0) return 'no conditions';
  return conditions
    .map((c) => {
      const detail = [c.reason, c.message].filter((x) => x !== undefined && x !== '').join(': ');
      return detail ? `${c.type}=${c.status} (${detail})` : `${c.type}=${c.status}`;
    })
    .join(', ');
}
