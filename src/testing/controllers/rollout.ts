import { isDeleting, Json } from './objects';
import { KubeObject } from '../../kube/types';

/** The next step of a control plane (or etcd cluster) that replaces its machines one at a time. */
export type MemberStep =
  | { readonly create: 'init' | 'join' }
  | { readonly delete: KubeObject }
  | { readonly wait: string }
  | undefined;

export interface MemberRolloutInput {
  /** The machines the owner controls, being deleted included. */
  readonly machines: readonly KubeObject[];
  readonly desired: number;
  /** 0 or 1: how many machines above `desired` a rollout may add. */
  readonly maxSurge: number;
  readonly isOutdated: (machine: KubeObject) => boolean;
  /** The machine finished joining (a node registered, an etcd member up). */
  readonly isJoined: (machine: KubeObject) => boolean;
}

/**
 * KubeadmControlPlane's (and etcdadm's) scaling and rolling update: one machine at a time, never more than
 * `desired + maxSurge` machines, a new one only once every existing one has joined, an outdated one removed only
 * once the surge machine has joined, and nothing while a deletion is in progress. With maxSurge 0 the oldest
 * outdated machine goes first and its replacement follows.
 */
export function memberRolloutStep(input: MemberRolloutInput): MemberStep {
  const { machines, desired } = input;
  if (machines.some(isDeleting)) return { wait: 'WaitingForMachineDeletion' };
  if (machines.length === 0) return desired > 0 ? { create: 'init' } : undefined;
  if (!machines.every(input.isJoined)) return { wait: 'WaitingForMachinesToJoin' };
  const oldestFirst = [...machines].sort(byAge);
  const outdated = oldestFirst.filter(input.isOutdated);
  if (outdated.length > 0) {
    if (machines.length < desired + input.maxSurge) return { create: 'join' };
    return { delete: outdated[0] };
  }
  if (machines.length < desired) return { create: 'join' };
  if (machines.length > desired) return { delete: oldestFirst[0] };
  return undefined;
}

export function byAge(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/**
 * An int-or-percent rollout bound of `replicas`: percentages round up for maxSurge and down for maxUnavailable,
 * as Kubernetes Deployments and CAPI MachineDeployments do.
 */
export function scaledValue(value: Json, replicas: number, roundUp: boolean, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number') return Math.max(0, Math.floor(value));
  const m = /^(\d+)%$/.exec(String(value));
  if (!m) {
    const n = Number(value);
    return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : fallback;
  }
  const raw = (Number(m[1]) * replicas) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/** One MachineSet as the MachineDeployment rollout sees it. */
export interface SetState {
  readonly name: string;
  /** `spec.replicas`. */
  readonly replicas: number;
  /** Machines that exist for it. */
  readonly actual: number;
  /** Machines with a Ready node. */
  readonly available: number;
  readonly createdAt: string;
}

/**
 * The next replica counts of a MachineDeployment's MachineSets under RollingUpdate (Kubernetes Deployment
 * semantics): the new set grows while the total stays within `desired + maxSurge`, old sets shrink while the
 * available machines stay at least `desired - maxUnavailable` (unavailable old machines may go at any time).
 */
export function rollingReplicas(
  desired: number,
  maxSurge: number,
  maxUnavailable: number,
  newSet: SetState,
  oldSets: readonly SetState[],
): Map<string, number> {
  const next = new Map<string, number>();
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  // Machines still being deleted count against the surge: the bound holds for machines that exist.
  const total = [newSet, ...oldSets].reduce((n, s) => n + Math.max(s.replicas, s.actual), 0);
  const oldTotal = oldSets.reduce((n, s) => n + Math.max(s.replicas, s.actual), 0);
  if (oldTotal === 0) {
    next.set(newSet.name, desired);
    return next;
  }
  // Scale up the new set within the surge bound.
  const room = desired + maxSurge - total;
  const newReplicas = Math.min(desired, newSet.replicas + Math.max(0, room));
  next.set(newSet.name, newReplicas);
  // Scale down old sets while availability allows (counting what exists, not what is asked for).
  const available = newSet.available + oldSets.reduce((n, s) => n + s.available, 0);
  let budget = Math.max(0, available - (desired - maxUnavailable));
  // Old machines that are not available can always go.
  for (const set of [...oldSets].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))) {
    const unavailable = Math.max(0, Math.min(set.replicas, set.actual) - set.available);
    let target = set.replicas - unavailable;
    const take = Math.min(target, budget);
    target -= take;
    budget -= take;
    next.set(set.name, Math.max(0, target));
  }
  return next;
}
