import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { ciliumConfigOf } from './cilium-values';
import { fluxSettingsOf } from './flux-settings';
import type { ManifestObject } from './manifest-object';
import {
  isSelfManaged,
  providerOf,
  type ClusterConfig,
  type ProviderName,
  type ResolvedVersionsBundle,
} from '../../spec';
import { parseSemVer } from '../../spec/semver';

/** The namespaces of the Cluster API providers, per infrastructure provider. */
export const INFRASTRUCTURE_PROVIDER_NAMESPACES: Readonly<Record<ProviderName, string>> = {
  docker: 'capd-system',
  vsphere: 'capv-system',
};

/** The management components every management cluster runs, each in its own namespace. */
export const MANAGEMENT_NAMESPACES: readonly string[] = [
  'capi-system',
  'cert-manager',
  'capi-kubeadm-bootstrap-system',
  'capi-kubeadm-control-plane-system',
  'etcdadm-bootstrap-provider-system',
  'etcdadm-controller-system',
];

/** Options for {@link ciliumAllowAllPolicies}. */
export interface AllowAllPoliciesOptions {
  /** Infrastructure provider namespaces to open. @default the provider's (`capd-system` or `capv-system`) */
  readonly providerNamespaces?: readonly string[];
}

/**
 * The network policies installed with Cilium when `policyEnforcementMode: always`, so that a new cluster keeps
 * working although Cilium then drops any traffic no policy allows: on a management cluster everything is allowed
 * in and out of `kube-system`, `eksa-system`, Flux's namespace (with GitOps), the Cluster API and cert-manager
 * namespaces and the infrastructure provider's; on a workload cluster only traffic within `kube-system` is
 * allowed. The namespaces are created with their policies. Empty for other enforcement modes.
 */
export function ciliumAllowAllPolicies(
  config: ClusterConfig,
  bundle: ResolvedVersionsBundle,
  options: AllowAllPoliciesOptions = {},
): ManifestObject[] {
  const cilium = ciliumConfigOf(config.cluster);
  if (cilium?.policyEnforcementMode !== 'always') return [];
  const chart = new Chart(new App(), 'cilium-policies');
  if (isSelfManaged(config.cluster)) {
    allowAll(chart, 'kube-system', false);
    allowAll(chart, 'eksa-system', true);
    const flux = fluxSettingsOf(config);
    if (flux) allowAll(chart, flux.systemNamespace, true);
    for (const ns of MANAGEMENT_NAMESPACES) allowAll(chart, ns, true);
    const providers = options.providerNamespaces ?? [INFRASTRUCTURE_PROVIDER_NAMESPACES[providerOf(config)]];
    for (const ns of providers) allowAll(chart, ns, true);
  } else {
    allowWithinKubeSystem(chart, namespaceLabelsExist(bundle));
  }
  return chart.toJson() as ManifestObject[];
}

/** An allow-all policy for every pod of a namespace (and the namespace itself, which may not exist yet). */
function allowAll(scope: Construct, namespace: string, createNamespace: boolean): void {
  if (createNamespace) new k8s.KubeNamespace(scope, `ns-${namespace}`, { metadata: { name: namespace } });
  new k8s.KubeNetworkPolicy(scope, `allow-all-${namespace}`, {
    metadata: { name: `allow-all-${namespace}`, namespace },
    spec: { podSelector: {}, ingress: [{}], egress: [{}], policyTypes: ['Ingress', 'Egress'] },
  });
}

/**
 * Workload clusters: pods of `kube-system` may talk to each other only. Without the automatic namespace name
 * label (Kubernetes < 1.21) the policy cannot select `kube-system`, and allows everything instead.
 */
function allowWithinKubeSystem(scope: Construct, labelsExist: boolean): void {
  if (!labelsExist) {
    allowAll(scope, 'kube-system', false);
    return;
  }
  const kubeSystem = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } };
  new k8s.KubeNetworkPolicy(scope, 'allow-all-kube-system', {
    metadata: { name: 'allow-all-kube-system', namespace: 'kube-system' },
    spec: {
      podSelector: {},
      ingress: [{ from: [kubeSystem] }],
      egress: [{ to: [kubeSystem] }],
      policyTypes: ['Ingress', 'Egress'],
    },
  });
}

/** Kubernetes labels every namespace with `kubernetes.io/metadata.name` from 1.21 on. */
function namespaceLabelsExist(bundle: ResolvedVersionsBundle): boolean {
  const version = parseSemVer(bundle.kubeDistro.kubernetes.tag);
  return version === undefined || version.major > 1 || version.minor >= 21;
}
