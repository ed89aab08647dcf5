/**
 * Machine and bootstrap templates are immutable in Cluster API: a changed template needs a new object, and the
 * owner (KubeadmControlPlane, MachineDeployment, EtcdadmCluster) then rolls its machines to it. EKS-A names them
 * `<base>-N` and raises N only when the spec changes (`EnsureNewNameIfChanged`); these helpers do the same from
 * the templates applied before.
 */

/** A template that exists (or existed) on the management cluster. */
export interface AppliedTemplate {
  /** Kind, e.g. `DockerMachineTemplate` or `KubeadmConfigTemplate`. */
  readonly kind: string;
  /** Object name, e.g. `dev-control-plane-2`. */
  readonly name: string;
  /** The object's `spec` as applied (or as read back). */
  readonly spec: unknown;
}

/** Picks the applied templates out of Kubernetes objects (for example the previous synth output, or live objects). */
export function appliedTemplatesFrom(
  objects: readonly {
    readonly kind?: unknown;
    readonly metadata?: { readonly name?: unknown };
    readonly spec?: unknown;
  }[],
): AppliedTemplate[] {
  return objects
    .filter(
      (o) =>
        typeof o.kind === 'string' && o.kind.endsWith('Template') && typeof o.metadata?.name === 'string',
    )
    .map((o) => ({ kind: o.kind as string, name: o.metadata!.name as string, spec: o.spec }));
}

/**
 * The name for a template with `base` and `spec` (or a function rendering it, called only when needed): `<base>-1` when none was applied; the highest applied
 * `<base>-N` when its spec is unchanged; `<base>-(N+1)` when it changed. Unchanged follows apimachinery's
 * `DeepDerivative`: fields the new spec leaves unset (defaults the server filled in) do not count as changes.
 */
export function templateName(
  base: string,
  kind: string,
  spec: unknown | (() => unknown),
  applied: readonly AppliedTemplate[] = [],
): string {
  let latest: AppliedTemplate | undefined;
  let latestN = 0;
  const prefix = `${base}-`;
  for (const template of applied) {
    if (template.kind !== kind || !template.name.startsWith(prefix)) continue;
    const suffix = template.name.slice(prefix.length);
    if (!/^[1-9]\d*$/.test(suffix)) continue;
    const n = Number(suffix);
    if (n > latestN) {
      latestN = n;
      latest = template;
    }
  }
  if (!latest) return `${base}-1`;
  // The spec is rendered only when there is something to compare it with.
  const next = typeof spec === 'function' ? (spec as () => unknown)() : spec;
  return isDerivative(next, latest.spec) ? latest.name : `${base}-${latestN + 1}`;
}

/** True when every field set in `next` has the same value in `previous`. */
export function isDerivative(next: unknown, previous: unknown): boolean {
  if (next === undefined || next === null || next === '') return true;
  if (Array.isArray(next)) {
    if (!Array.isArray(previous) || previous.length !== next.length) return false;
    return next.every((item, i) => isDerivative(item, previous[i]));
  }
  if (typeof next === 'object') {
    if (typeof previous !== 'object' || previous === null || Array.isArray(previous)) return false;
    const prev = previous as Record<string, unknown>;
    return Object.entries(next as Record<string, unknown>).every(([k, v]) => isDerivative(v, prev[k]));
  }
  return next === previous;
}
