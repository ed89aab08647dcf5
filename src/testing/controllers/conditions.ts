import { Json } from './objects';

/** A condition as a simulated provider decides it (the shape of each contract is derived from it). */
export interface ConditionState {
  readonly type: string;
  readonly status: boolean | 'Unknown';
  /** CamelCase reason; defaults to the type (when True) or `Not<Type>` / `<Type>Unknown`. */
  readonly reason?: string;
  readonly message?: string;
  /** v1beta1 severity of a False condition. @default Info */
  readonly severity?: 'Info' | 'Warning' | 'Error';
}

/** The current time as Kubernetes writes timestamps (RFC 3339, whole seconds). */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function statusText(state: ConditionState): 'True' | 'False' | 'Unknown' {
  return state.status === 'Unknown' ? 'Unknown' : state.status ? 'True' : 'False';
}

function reasonOf(state: ConditionState): string {
  if (state.reason) return state.reason;
  if (state.status === 'Unknown') return `${state.type}Unknown`;
  return state.status ? state.type : `Not${state.type}`;
}

/** The transition time: kept while the status does not change. */
function transitionTime(previous: Json[] | undefined, type: string, status: string): string {
  const before = (previous ?? []).find((c) => c?.type === type);
  return before && before.status === status && before.lastTransitionTime
    ? before.lastTransitionTime
    : timestamp();
}

/**
 * CAPI v1beta1 conditions (`clusterv1beta1.Condition`): reason and severity only when not True, message only when
 * not empty, sorted with Ready first as CAPI sorts them.
 */
export function v1beta1Conditions(previous: Json[] | undefined, states: readonly ConditionState[]): Json[] {
  const out = states.map((s) => {
    const status = statusText(s);
    const condition: Json = {
      type: s.type,
      status,
      lastTransitionTime: transitionTime(previous, s.type, status),
    };
    if (status !== 'True') {
      condition.reason = reasonOf(s);
      condition.severity = s.severity ?? 'Info';
    }
    if (s.message) condition.message = s.message;
    return condition;
  });
  return out.sort((a, b) =>
    a.type === 'Ready' ? -1 : b.type === 'Ready' ? 1 : a.type.localeCompare(b.type),
  );
}

/** `metav1.Condition`s (the v1beta2 contract, and `status.v1beta2.conditions` of v1beta1 objects). */
export function metaConditions(
  previous: Json[] | undefined,
  states: readonly ConditionState[],
  observedGeneration: number | undefined,
): Json[] {
  return states.map((s) => {
    const status = statusText(s);
    const condition: Json = {
      type: s.type,
      status,
      reason: reasonOf(s),
      message: s.message ?? '',
      lastTransitionTime: transitionTime(previous, s.type, status),
    };
    if (observedGeneration !== undefined) condition.observedGeneration = observedGeneration;
    return condition;
  });
}

/** True when every given condition is True (CAPI's summary of a Ready condition). */
export function allTrue(states: readonly ConditionState[]): boolean {
  return states.every((s) => s.status === true);
}

/** The first condition that is not True, to explain a summary. */
export function firstNotTrue(states: readonly ConditionState[]): ConditionState | undefined {
  return states.find((s) => s.status !== true);
}

/** A Ready summary of other conditions, as CAPI v1beta1 computes it. */
export function summary(type: string, states: readonly ConditionState[]): ConditionState {
  const failing = firstNotTrue(states);
  return failing
    ? {
        type,
        status: failing.status === 'Unknown' ? 'Unknown' : false,
        reason: reasonOf(failing),
        message: failing.message,
        severity: failing.severity,
      }
    : { type, status: true };
}

/** The condition of a type on an object's status, in either contract's main list. */
export function conditionOf(status: Json, type: string): Json | undefined {
  return ((status?.conditions ?? []) as Json[]).find((c) => c?.type === type);
}

export function conditionTrue(status: Json, type: string): boolean {
  return conditionOf(status, type)?.status === 'True';
}

/** Both contracts' status of one object, from what the provider decided. */
export interface StatusParts {
  /** Top-level fields of the v1beta1 status (besides conditions). */
  readonly v1beta1: Json;
  /** Top-level fields of the v1beta2 status (besides conditions). */
  readonly v1beta2: Json;
  /** The v1beta1 condition set (v1beta2 objects carry it under `deprecated.v1beta1`). */
  readonly v1beta1Conditions: readonly ConditionState[];
  /** The v1beta2 condition set (v1beta1 objects carry it under `v1beta2`). */
  readonly v1beta2Conditions: readonly ConditionState[];
  /** Extra fields of v1beta1's `status.v1beta2` (e.g. the v1beta2 replica counters). */
  readonly v1beta1Extra?: Json;
  /** Extra fields of v1beta2's `status.deprecated.v1beta1` (e.g. the v1beta1 replica counters). */
  readonly v1beta2Deprecated?: Json;
  /** `observedGeneration` of metav1 conditions (for kinds whose conditions carry it). */
  readonly generation?: number;
}

/** The status an object of `contract` gets: its own fields and conditions, the other contract's set nested. */
export function composeStatus(contract: 'v1beta1' | 'v1beta2', previous: Json, parts: StatusParts): Json {
  const prev = previous ?? {};
  if (contract === 'v1beta1') {
    return compact({
      ...parts.v1beta1,
      conditions: v1beta1Conditions(prev.conditions, parts.v1beta1Conditions),
      v1beta2: compact({
        conditions: metaConditions(prev.v1beta2?.conditions, parts.v1beta2Conditions, parts.generation),
        ...parts.v1beta1Extra,
      }),
    });
  }
  return compact({
    ...parts.v1beta2,
    conditions: metaConditions(prev.conditions, parts.v1beta2Conditions, parts.generation),
    deprecated: {
      v1beta1: compact({
        conditions: v1beta1Conditions(prev.deprecated?.v1beta1?.conditions, parts.v1beta1Conditions),
        ...parts.v1beta2Deprecated,
      }),
    },
  });
}

/** Drops undefined fields (JSON would drop them; the comparison with the stored status must too). */
export function compact(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
