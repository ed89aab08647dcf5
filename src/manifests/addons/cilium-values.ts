import type { HelmValues } from './helm-request';
import {
  parseImageReference,
  requireComponent,
  type CiliumConfig,
  type Cluster,
  type ClusterConfig,
  type ResolvedVersionsBundle,
} from '../../spec';
import { parseSemVer } from '../../spec/semver';

/**
 * What `spec.clusterNetwork.cniConfig.cilium.helmValues` does to the values EKS-A renders.
 * - `replace`: the user's values are the whole value set (EKS-A up to v0.26.1, the pinned release).
 * - `merge`: the user's values are deep-merged over EKS-A's (EKS-A from the 0.25/0.26 patch releases after
 *   2026-09, which stopped dropping its defaults such as `envoy.enabled: false` on upgrade).
 */
export type CiliumHelmValuesStrategy = 'replace' | 'merge';

/** Options for {@link ciliumHelmValues}. */
export interface CiliumValuesOptions {
  /**
   * Version of the Cilium being replaced (`v1.18.2-0` or a bundle's `cilium.version`); sets `upgradeCompatibility`
   * to its `major.minor`, which the chart needs to keep settings stable across an upgrade.
   * @default no upgradeCompatibility (a fresh install)
   */
  readonly upgradeFromVersion?: string;
  /** @default "replace" */
  readonly helmValuesStrategy?: CiliumHelmValuesStrategy;
}

/**
 * The operator may run on control plane nodes and on nodes that wait for a network; it must not tolerate every
 * taint, or it lands on nodes being drained (EKS-A replaced the chart's blanket toleration for that reason).
 */
export const CILIUM_OPERATOR_TOLERATIONS: readonly Readonly<Record<string, string>>[] = [
  { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
  { key: 'node.cilium.io/agent-not-ready', operator: 'Exists' },
];

/** The chart appends `-generic` to the operator repository itself, so the bundle's image is given without it. */
const OPERATOR_VARIANT_SUFFIX = '-generic';

/**
 * The Cilium options of a cluster: `cniConfig.cilium`, or `{}` when the deprecated `clusterNetwork.cni` names
 * Cilium. Undefined when the cluster uses another CNI.
 */
export function ciliumConfigOf(cluster: Cluster): CiliumConfig | undefined {
  const network = cluster.spec.clusterNetwork;
  if (network.cniConfig) return network.cniConfig.cilium;
  return network.cni === 'cilium' || network.cni === 'cilium-enterprise' ? {} : undefined;
}

/**
 * The Helm values EKS-A renders the Cilium chart with for a cluster (`pkg/networking/cilium/templater.go`):
 * portmap chaining, Kubernetes IPAM, CRD identities, Prometheus metrics, pods rolled on config changes, a geneve
 * overlay (or native routing for `routingMode: direct`), the bundle's agent and operator images, restricted
 * operator tolerations, no Envoy, a single operator on single-node clusters, and the user's policy, masquerade and
 * exclusivity settings. `helmValues` in the spec replaces (or, with `merge`, extends) the whole set.
 *
 * @throws VersionsBundlesError when the versions bundle has no `cilium` component.
 */
export function ciliumHelmValues(
  config: ClusterConfig,
  bundle: ResolvedVersionsBundle,
  options: CiliumValuesOptions = {},
): HelmValues {
  const cilium = ciliumConfigOf(config.cluster) ?? {};
  const strategy = options.helmValuesStrategy ?? 'replace';
  if (cilium.helmValues && strategy === 'replace') {
    return withUpgradeCompatibility(deepCopy(cilium.helmValues), options.upgradeFromVersion);
  }
  const values = eksaValues(config.cluster, cilium, bundle);
  const merged = cilium.helmValues ? deepMerge(values, cilium.helmValues) : values;
  return withUpgradeCompatibility(merged, options.upgradeFromVersion);
}

function eksaValues(
  cluster: Cluster,
  cilium: CiliumConfig,
  bundle: ResolvedVersionsBundle,
): Record<string, unknown> {
  const images = requireComponent(bundle, 'cilium');
  const agent = parseImageReference(images.cilium.uri);
  const operator = parseImageReference(images.operator.uri);
  const operatorValues: Record<string, unknown> = {
    image: {
      repository: operator.repository.endsWith(OPERATOR_VARIANT_SUFFIX)
        ? operator.repository.slice(0, -OPERATOR_VARIANT_SUFFIX.length)
        : operator.repository,
      tag: operator.tag,
    },
    prometheus: { enabled: true },
    tolerations: CILIUM_OPERATOR_TOLERATIONS.map((t) => ({ ...t })),
  };
  // A single node cannot host the chart's two anti-affine operator replicas.
  if (
    (cluster.spec.workerNodeGroupConfigurations ?? []).length === 0 &&
    cluster.spec.controlPlaneConfiguration.count === 1
  ) {
    operatorValues.replicas = 1;
  }
  const values: Record<string, unknown> = {
    cni: {
      chainingMode: 'portmap',
      ...(cilium.cniExclusive !== undefined ? { exclusive: cilium.cniExclusive } : {}),
    },
    ipam: { mode: 'kubernetes' },
    identityAllocationMode: 'crd',
    prometheus: { enabled: true },
    rollOutCiliumPods: true,
    ...routingValues(cilium),
    image: { repository: agent.repository, tag: agent.tag },
    operator: operatorValues,
    envoy: { enabled: false },
  };
  if (cilium.policyEnforcementMode) values.policyEnforcementMode = cilium.policyEnforcementMode;
  if (cilium.egressMasqueradeInterfaces) {
    values.egressMasqueradeInterfaces = cilium.egressMasqueradeInterfaces;
  }
  return values;
}

function routingValues(cilium: CiliumConfig): Record<string, unknown> {
  if (cilium.routingMode !== 'direct') return { routingMode: 'tunnel', tunnelProtocol: 'geneve' };
  // Native routing: the nodes share a network, so Cilium installs the routes between them itself; the native
  // routing CIDR tells it which traffic needs no masquerading (Cilium >= 1.15 requires one).
  return {
    routingMode: 'native',
    autoDirectNodeRoutes: true,
    ...(cilium.ipv4NativeRoutingCIDR ? { ipv4NativeRoutingCIDR: cilium.ipv4NativeRoutingCIDR } : {}),
    ...(cilium.ipv6NativeRoutingCIDR ? { ipv6NativeRoutingCIDR: cilium.ipv6NativeRoutingCIDR } : {}),
  };
}

function withUpgradeCompatibility(values: Record<string, unknown>, from: string | undefined): HelmValues {
  if (from === undefined) return values;
  const version = parseSemVer(from);
  if (!version) {
    throw new Error(`upgradeFromVersion '${from}' is not a semantic version such as v1.18.2-0`);
  }
  return { ...values, upgradeCompatibility: `${version.major}.${version.minor}` };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** `over` wins; maps merge key by key, lists and scalars are replaced (Helm's own rule for values files). */
function deepMerge(
  base: Record<string, unknown>,
  over: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : deepCopy(value);
  }
  return out;
}
