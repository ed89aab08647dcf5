import { ciliumConfigOf, ciliumHelmValues, type CiliumValuesOptions } from './cilium-values';
import {
  parseImageReference,
  requireComponent,
  type ClusterConfig,
  type ResolvedVersionsBundle,
} from '../../spec';

/** The annotation EKS-A puts on the Cluster once it has installed Cilium (so it never re-installs a removed one). */
export const EKSA_CILIUM_ANNOTATION = 'anywhere.eks.amazonaws.com/eksa-cilium';

/** One side of an upgrade: a cluster config and the versions bundle of its Kubernetes version. */
export interface CiliumState {
  readonly config: ClusterConfig;
  readonly bundle: ResolvedVersionsBundle;
}

/** What to do with Cilium. */
export type CiliumDecision =
  /** Install it: render the full manifest and apply it. */
  | { readonly action: 'install'; readonly reasons: readonly string[] }
  /**
   * New images: install the preflight, wait for it, apply the manifest rendered with `upgradeFromVersion`, then
   * delete the preflight.
   */
  | { readonly action: 'upgrade'; readonly reasons: readonly string[]; readonly upgradeFromVersion: string }
  /** Same images, other settings: apply the full manifest again. */
  | { readonly action: 'reconfigure'; readonly reasons: readonly string[] }
  /** `skipUpgrade: true`: Cilium is the user's to manage now (EKS-A reports DefaultCNIConfigured=False). */
  | { readonly action: 'skip'; readonly reasons: readonly string[] }
  /** Nothing to do. */
  | { readonly action: 'none'; readonly reasons: readonly string[] };

/**
 * Whether an upgrade from `current` to `next` must touch Cilium, decided from the specs and bundles alone (the
 * workflow has no cluster state to compare with when it plans a preview). With `skipUpgrade` set in the new spec
 * Cilium is left alone; otherwise new agent or operator images mean a version upgrade, and any other change of
 * the rendered values (policy mode, masquerading, routing, exclusivity, Helm values, operator replicas) means the
 * manifest is applied again. A cluster that does not run Cilium gives `none`.
 */
export function planCiliumUpgrade(
  current: CiliumState,
  next: CiliumState,
  options: Pick<CiliumValuesOptions, 'helmValuesStrategy'> = {},
): CiliumDecision {
  const nextCilium = ciliumConfigOf(next.config.cluster);
  if (!nextCilium) return { action: 'none', reasons: ['the cluster does not use Cilium'] };
  if (nextCilium.skipUpgrade) {
    return {
      action: 'skip',
      reasons: ['cniConfig.cilium.skipUpgrade is set: EKS-A does not upgrade Cilium'],
    };
  }
  const from = requireComponent(current.bundle, 'cilium');
  const to = requireComponent(next.bundle, 'cilium');
  const reasons: string[] = [];
  if (from.cilium.uri !== to.cilium.uri) reasons.push(`agent image ${from.cilium.uri} -> ${to.cilium.uri}`);
  if (from.operator.uri !== to.operator.uri) {
    reasons.push(`operator image ${from.operator.uri} -> ${to.operator.uri}`);
  }
  if (reasons.length > 0) {
    return { action: 'upgrade', reasons, upgradeFromVersion: imageVersion(from.cilium.uri, from.version) };
  }
  const before = withoutImages(ciliumHelmValues(current.config, current.bundle, options));
  const after = withoutImages(ciliumHelmValues(next.config, next.bundle, options));
  const changed = changedPaths(before, after);
  if (changed.length > 0) {
    return { action: 'reconfigure', reasons: changed.map((p) => `Helm value ${p} changed`) };
  }
  return { action: 'none', reasons: ['Cilium images and settings are unchanged'] };
}

/** What the workflow observed of Cilium on the cluster. */
export interface ObservedCilium {
  /** Images of every container and init container of the `cilium` DaemonSet; undefined when it does not exist. */
  readonly agentImages?: readonly string[];
  /** Image of the first container of the `cilium-operator` Deployment; undefined when it does not exist. */
  readonly operatorImage?: string;
  /** `data` of the `kube-system/cilium-config` ConfigMap; undefined when it does not exist. */
  readonly config?: Readonly<Record<string, string>>;
  /** The Cluster carries {@link EKSA_CILIUM_ANNOTATION}: EKS-A installed Cilium before. */
  readonly installedByEksa: boolean;
}

/**
 * What EKS-A's controller does with Cilium on a cluster it reconciles (`ReconcileCNI`), from what is running:
 * - not installed and either still managed or never installed by EKS-A: install (a new cluster always gets a CNI,
 *   even with `skipUpgrade`); then mark the Cluster with {@link EKSA_CILIUM_ANNOTATION};
 * - `skipUpgrade`: leave it;
 * - running images differ from the bundle's: version upgrade from the running agent's version;
 * - `enable-policy` or `egress-masquerade-interfaces` of `cilium-config` differ from the spec: reconfigure;
 * - otherwise nothing.
 */
export function planCiliumReconcile(observed: ObservedCilium, desired: CiliumState): CiliumDecision {
  const cilium = ciliumConfigOf(desired.config.cluster);
  if (!cilium) return { action: 'none', reasons: ['the cluster does not use Cilium'] };
  const installed = observed.agentImages !== undefined && observed.operatorImage !== undefined;
  if (!installed && (!cilium.skipUpgrade || !observed.installedByEksa)) {
    return { action: 'install', reasons: ['Cilium is not installed'] };
  }
  if (cilium.skipUpgrade) {
    return {
      action: 'skip',
      reasons: ['cniConfig.cilium.skipUpgrade is set: EKS-A does not upgrade Cilium'],
    };
  }
  const images = requireComponent(desired.bundle, 'cilium');
  const reasons: string[] = [];
  const staleAgent = (observed.agentImages ?? []).find((image) => image !== images.cilium.uri);
  if (staleAgent !== undefined) {
    reasons.push(`DaemonSet runs ${staleAgent}, the bundle has ${images.cilium.uri}`);
  }
  if (observed.operatorImage !== images.operator.uri) {
    reasons.push(`operator runs ${observed.operatorImage}, the bundle has ${images.operator.uri}`);
  }
  if (reasons.length > 0) {
    const running = observed.agentImages?.[0] ?? images.cilium.uri;
    return { action: 'upgrade', reasons, upgradeFromVersion: imageVersion(running, images.version) };
  }
  const configReasons = configDrift(
    observed.config,
    cilium.policyEnforcementMode,
    cilium.egressMasqueradeInterfaces,
  );
  if (configReasons.length > 0) return { action: 'reconfigure', reasons: configReasons };
  return { action: 'none', reasons: ['Cilium is up to date'] };
}

/** The `cilium-config` keys EKS-A compares with the spec. */
function configDrift(
  data: Readonly<Record<string, string>> | undefined,
  policyMode: string | undefined,
  masquerade: string | undefined,
): string[] {
  if (data === undefined) return ['the cilium-config ConfigMap does not exist'];
  const reasons: string[] = [];
  const wantPolicy = policyMode || 'default';
  const policy = data['enable-policy'];
  if (!policy) reasons.push('cilium-config has no enable-policy');
  else if (policy !== wantPolicy) reasons.push(`enable-policy ${policy} -> ${wantPolicy}`);
  const wantMasquerade = masquerade ?? '';
  const current = data['egress-masquerade-interfaces'] ?? '';
  if (current !== wantMasquerade && (current !== '' || wantMasquerade !== '')) {
    reasons.push(`egress-masquerade-interfaces '${current}' -> '${wantMasquerade}'`);
  }
  return reasons;
}

/** The version in an image tag (`…/cilium:v1.18.2-0` → `v1.18.2-0`), or the fallback when the tag has none. */
function imageVersion(uri: string, fallback: string | undefined): string {
  const tag = parseImageReference(uri).tag;
  return tag || fallback || '';
}

function withoutImages(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(values)) as Record<string, unknown>;
  delete copy.image;
  const operator = copy.operator as Record<string, unknown> | undefined;
  if (operator && typeof operator === 'object') delete operator.image;
  return copy;
}

/** Dotted paths of the leaves that differ between two JSON values. */
function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap(a) && isMap(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(all)'];
}
