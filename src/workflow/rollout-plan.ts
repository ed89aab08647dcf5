import { isDerivative } from '../manifests/template-names';
import type { ClusterConfig } from '../spec/cluster-config';
import { formatIssue, type Issue } from '../spec/issue';
import { stableJson as stable } from '../spec/stable-json';
import { validateUpdate } from '../spec/validate-update';

/** A Kubernetes object as the plan reads it: rendered by synthesis, or read from a cluster. */
export interface PlanObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string };
  readonly spec?: unknown;
  readonly [field: string]: unknown;
}

/** One side of an upgrade: the cluster's EKS-A config (with EKS-A's defaults) and its CAPI objects. */
export interface RolloutSide {
  readonly config: ClusterConfig;
  /**
   * The CAPI objects: synthesized (`synthesizeCluster`) or read from the managing cluster. The new side must be
   * synthesized with the old side's templates as `previousTemplates`, so that a template keeps its name unless
   * its spec changed — as EKS-A names them, and as CAPI decides what rolls.
   */
  readonly capiObjects: readonly PlanObject[];
}

/** What happens to one group of machines. */
export interface RolloutGroupChange {
  /** `etcd`, `control plane`, or the worker group's name (`md-0`). */
  readonly name: string;
  readonly role: 'etcd' | 'control-plane' | 'workers';
  /** `roll`: every machine is replaced; `scale`: only the count changes; `add` / `remove`: a worker group. */
  readonly action: 'roll' | 'scale' | 'add' | 'remove';
  /** Machines after the change (before it, for `remove`). */
  readonly machines: number;
  /** Machines before the change (0 for `add`). */
  readonly previousMachines: number;
  /** The Kubernetes version before and after, when it changes. */
  readonly fromVersion?: string;
  readonly toVersion?: string;
  /** Why the machines roll, besides a version change (a machine template, the kubeadm config). */
  readonly reasons: readonly string[];
}

/** What an upgrade will do to a cluster, for a preview and for the upgrade's own decision. */
export interface RolloutPlan {
  /** The groups that change, in the order the upgrade rolls them: etcd, control plane, then each worker group. */
  readonly groups: readonly RolloutGroupChange[];
  /** True when any machine is created, replaced or removed. */
  readonly rolls: boolean;
  /** CAPI objects whose change replaces no machine (MachineHealthChecks, the infrastructure cluster). */
  readonly otherChanges: readonly string[];
  /**
   * Changes EKS-A makes immutable (from `validateUpdate`): the cluster can only be replaced. Empty when it can be
   * upgraded in place.
   */
  readonly replacementReasons: readonly string[];
  /** Changes refused outright (a version skew, a downgrade), each with its fix. */
  readonly refusals: readonly string[];
  /** The plan as human lines: what is refused or replaced, then what rolls, or `nothing to roll`. */
  readonly lines: readonly string[];
}

/** The line of a plan in which no machine changes. */
export const NOTHING_TO_ROLL = 'nothing to roll';

/** Options of {@link planRollout}. */
export interface PlanRolloutOptions {
  /**
   * The old side was read from a cluster: fields the server filled in (defaults) are not changes, so an object is
   * unchanged when every field the new side sets has the same value there (apimachinery's DeepDerivative, as EKS-A
   * compares templates). Synthesized pairs are compared exactly. @default false
   */
  readonly previousIsLive?: boolean;
  /** Lines about components to put before the machine lines (see `planComponentUpgrades`). */
  readonly componentLines?: readonly string[];
}

/**
 * What an upgrade from `previous` to `next` rolls, as EKS-A and CAPI would roll it: external etcd first (its
 * machine template or etcdadm config changed), then the control plane (version, machine template, kubeadm
 * config), then each worker group (version, machine template, bootstrap template), scaled groups, added groups,
 * and removed groups last. Immutable-field changes and refused changes (from `validateUpdate`) are reported with
 * their reasons. Pure: no cluster is asked.
 */
export function planRollout(
  previous: RolloutSide,
  next: RolloutSide,
  options: PlanRolloutOptions = {},
): RolloutPlan {
  const issues = validateUpdate(previous.config, next.config);
  const errors = issues.filter((i) => i.severity !== 'warning');
  const replacementReasons = errors.filter((i) => i.forcesReplacement).map(issueText);
  const refusals = errors.filter((i) => !i.forcesReplacement).map(issueText);
  const same = options.previousIsLive ? isDerivative : exactlyEqual;
  const clusterName = next.config.cluster.metadata.name;

  const groups: RolloutGroupChange[] = [];
  const etcd = etcdChange(find(previous, 'EtcdadmCluster'), find(next, 'EtcdadmCluster'), same);
  if (etcd) groups.push(etcd);
  const cp = controlPlaneChange(
    find(previous, 'KubeadmControlPlane'),
    find(next, 'KubeadmControlPlane'),
    same,
  );
  if (cp) groups.push(cp);
  const oldMds = byName(previous, 'MachineDeployment');
  const newMds = byName(next, 'MachineDeployment');
  for (const [name, md] of newMds) {
    const change = workerChange(groupName(clusterName, name), oldMds.get(name), md, same, next.config);
    if (change) groups.push(change);
  }
  for (const [name, md] of oldMds) {
    if (!newMds.has(name)) {
      const machines = replicasOf(md) ?? 0;
      groups.push({
        name: groupName(clusterName, name),
        role: 'workers',
        action: 'remove',
        machines,
        previousMachines: machines,
        reasons: [],
      });
    }
  }

  const otherChanges = otherObjectChanges(previous, next, same);
  const lines: string[] = [];
  for (const reason of replacementReasons) lines.push(`replace: ${reason}`);
  for (const reason of refusals) lines.push(`refused: ${reason}`);
  lines.push(...(options.componentLines ?? []));
  if (replacementReasons.length === 0) {
    if (groups.length === 0) lines.push(NOTHING_TO_ROLL);
    else lines.push(...groups.map(describeGroupChange));
    lines.push(...otherChanges);
  }
  return {
    groups,
    rolls: groups.length > 0,
    otherChanges,
    replacementReasons,
    refusals,
    lines,
  };
}

/** One group's change as a line: `control plane: 3 machines roll v1.30 → v1.31`, `md-1: removed (2 machines)`. */
export function describeGroupChange(change: RolloutGroupChange): string {
  const count = (n: number) => `${n} machine${n === 1 ? '' : 's'}`;
  switch (change.action) {
    case 'add':
      return `${change.name}: added (${count(change.machines)})`;
    case 'remove':
      return `${change.name}: removed (${count(change.previousMachines)})`;
    case 'scale':
      return `${change.name}: scale ${change.previousMachines} → ${count(change.machines)}`;
    case 'roll': {
      const parts = [`${change.name}: ${count(change.machines)} roll`];
      if (change.fromVersion && change.toVersion) parts.push(`${change.fromVersion} → ${change.toVersion}`);
      const notes = [...change.reasons];
      if (change.previousMachines !== change.machines) {
        notes.push(`scale ${change.previousMachines} → ${change.machines}`);
      }
      if (notes.length > 0) parts.push(`(${notes.join('; ')})`);
      return parts.join(' ');
    }
  }
}

type Same = (next: unknown, previous: unknown) => boolean;

function etcdChange(
  before: PlanObject | undefined,
  after: PlanObject | undefined,
  same: Same,
): RolloutGroupChange | undefined {
  if (!after) return undefined;
  const a = specOf(before);
  const b = specOf(after);
  const machines = numberOr(b.replicas, 1);
  const previousMachines = before ? numberOr(a.replicas, 1) : 0;
  const reasons: string[] = [];
  const fromTemplate = refName(a.infrastructureTemplate);
  const toTemplate = refName(b.infrastructureTemplate);
  if (before && fromTemplate !== toTemplate) reasons.push(`machine template ${fromTemplate} → ${toTemplate}`);
  const fromEtcd = etcdVersion(a);
  const toEtcd = etcdVersion(b);
  if (before && fromEtcd !== toEtcd && fromEtcd && toEtcd) reasons.push(`etcd ${fromEtcd} → ${toEtcd}`);
  else if (before && !same(b.etcdadmConfigSpec, a.etcdadmConfigSpec)) reasons.push('etcdadm config changed');
  return groupChange('etcd', 'etcd', before !== undefined, previousMachines, machines, reasons);
}

function controlPlaneChange(
  before: PlanObject | undefined,
  after: PlanObject | undefined,
  same: Same,
): RolloutGroupChange | undefined {
  if (!after) return undefined;
  const a = specOf(before);
  const b = specOf(after);
  const machines = numberOr(b.replicas, 1);
  const previousMachines = before ? numberOr(a.replicas, 1) : 0;
  const reasons: string[] = [];
  const fromTemplate = kcpTemplateName(a);
  const toTemplate = kcpTemplateName(b);
  if (before && fromTemplate !== toTemplate) reasons.push(`machine template ${fromTemplate} → ${toTemplate}`);
  if (before && !same(b.kubeadmConfigSpec, a.kubeadmConfigSpec)) {
    reasons.push(
      `kubeadm config changed (${changedKeys(a.kubeadmConfigSpec, b.kubeadmConfigSpec, same).join(', ')})`,
    );
  }
  const versions = versionChange(a.version, b.version);
  return groupChange(
    'control plane',
    'control-plane',
    before !== undefined,
    previousMachines,
    machines,
    reasons,
    before ? versions : undefined,
  );
}

function workerChange(
  name: string,
  before: PlanObject | undefined,
  after: PlanObject,
  same: Same,
  config: ClusterConfig,
): RolloutGroupChange | undefined {
  const b = specOf(after);
  const machines = replicasOf(after) ?? configuredCount(config, name);
  if (!before) {
    return { name, role: 'workers', action: 'add', machines, previousMachines: 0, reasons: [] };
  }
  const a = specOf(before);
  const previousMachines = replicasOf(before) ?? machines;
  const ta = templateSpecOf(a);
  const tb = templateSpecOf(b);
  const reasons: string[] = [];
  const fromInfra = refName(ta.infrastructureRef);
  const toInfra = refName(tb.infrastructureRef);
  if (fromInfra !== toInfra) reasons.push(`machine template ${fromInfra} → ${toInfra}`);
  const fromBootstrap = refName(recordOf(ta.bootstrap).configRef);
  const toBootstrap = refName(recordOf(tb.bootstrap).configRef);
  if (fromBootstrap !== toBootstrap) reasons.push(`bootstrap template ${fromBootstrap} → ${toBootstrap}`);
  const versions = versionChange(ta.version, tb.version);
  if (reasons.length === 0 && !versions) {
    // Anything else of the machine template that changed rolls the group too (CAPI rolls on any template change).
    const rest = (spec: Record<string, unknown>) => {
      const copy = { ...spec };
      delete copy.infrastructureRef;
      delete copy.bootstrap;
      delete copy.version;
      return copy;
    };
    if (!same(rest(tb), rest(ta))) reasons.push('machine spec changed');
  }
  return groupChange(name, 'workers', true, previousMachines, machines, reasons, versions);
}

function groupChange(
  name: string,
  role: RolloutGroupChange['role'],
  existed: boolean,
  previousMachines: number,
  machines: number,
  reasons: string[],
  versions?: { from: string; to: string },
): RolloutGroupChange | undefined {
  if (!existed) return { name, role, action: 'add', machines, previousMachines: 0, reasons: [] };
  const rolls = reasons.length > 0 || versions !== undefined;
  if (!rolls && previousMachines === machines) return undefined;
  return {
    name,
    role,
    action: rolls ? 'roll' : 'scale',
    machines,
    previousMachines,
    ...(versions ? { fromVersion: versions.from, toVersion: versions.to } : {}),
    reasons,
  };
}

/** Objects besides the machine owners and their templates that change (or appear, or go). */
function otherObjectChanges(previous: RolloutSide, next: RolloutSide, same: Same): string[] {
  const skip = new Set(['EtcdadmCluster', 'KubeadmControlPlane', 'MachineDeployment']);
  const relevant = (o: PlanObject) =>
    !skip.has(o.kind) && !o.kind.endsWith('Template') && o.kind !== 'Secret';
  const key = (o: PlanObject) => `${o.kind} ${o.metadata.name ?? ''}`;
  const before = new Map(previous.capiObjects.filter(relevant).map((o) => [key(o), o]));
  const out: string[] = [];
  for (const o of next.capiObjects.filter(relevant)) {
    const old = before.get(key(o));
    if (!old) out.push(`${key(o)}: added`);
    else if (!same(o.spec, old.spec)) out.push(`${key(o)}: updated`);
  }
  const after = new Set(next.capiObjects.filter(relevant).map(key));
  for (const k of before.keys()) if (!after.has(k)) out.push(`${k}: removed`);
  return out;
}

function find(side: RolloutSide, kind: string): PlanObject | undefined {
  return side.capiObjects.find((o) => o.kind === kind);
}

function byName(side: RolloutSide, kind: string): Map<string, PlanObject> {
  return new Map(
    side.capiObjects.filter((o) => o.kind === kind).map((o) => [o.metadata.name ?? '', o] as const),
  );
}

/** `<cluster>-md-0` → `md-0`. */
function groupName(clusterName: string, objectName: string): string {
  return objectName.startsWith(`${clusterName}-`) ? objectName.slice(clusterName.length + 1) : objectName;
}

function configuredCount(config: ClusterConfig, group: string): number {
  const g = (config.cluster.spec.workerNodeGroupConfigurations ?? []).find(
    (w, i) => (w.name || (i === 0 ? 'md-0' : '')) === group,
  );
  return g?.count ?? g?.autoscalingConfiguration?.minCount ?? 0;
}

function specOf(o: PlanObject | undefined): Record<string, unknown> {
  return recordOf(o?.spec);
}

function templateSpecOf(spec: Record<string, unknown>): Record<string, unknown> {
  return recordOf(recordOf(spec.template).spec);
}

function kcpTemplateName(spec: Record<string, unknown>): string | undefined {
  const template = recordOf(spec.machineTemplate);
  // v1beta1: machineTemplate.infrastructureRef; v1beta2: machineTemplate.spec.infrastructureRef
  return refName(template.infrastructureRef) ?? refName(recordOf(template.spec).infrastructureRef);
}

function replicasOf(o: PlanObject): number | undefined {
  const replicas = specOf(o).replicas;
  return typeof replicas === 'number' ? replicas : undefined;
}

function etcdVersion(spec: Record<string, unknown>): string | undefined {
  const version = recordOf(recordOf(spec.etcdadmConfigSpec).cloudInitConfig).version;
  return typeof version === 'string' ? version : undefined;
}

/** `v1.30.5-eks-1-30-20` → `v1.30`; the full versions when only the patch or EKS-D release moves. */
function versionChange(from: unknown, to: unknown): { from: string; to: string } | undefined {
  if (typeof from !== 'string' || typeof to !== 'string' || from === to) return undefined;
  const minor = (v: string) => /^v?(\d+\.\d+)/.exec(v)?.[1];
  const a = minor(from);
  const b = minor(to);
  if (a && b && a !== b) return { from: `v${a}`, to: `v${b}` };
  return { from, to };
}

function refName(ref: unknown): string | undefined {
  const name = recordOf(ref).name;
  return typeof name === 'string' ? name : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

function recordOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function changedKeys(a: unknown, b: unknown, same: Same): string[] {
  const ra = recordOf(a);
  const rb = recordOf(b);
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  const changed = keys.filter((k) => !same(rb[k], ra[k]));
  return changed.length > 0 ? changed : ['defaults'];
}

function exactlyEqual(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function issueText(issue: Issue): string {
  return formatIssue(issue);
}
