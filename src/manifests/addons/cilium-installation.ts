import { ciliumAllowAllPolicies, type AllowAllPoliciesOptions } from './cilium-network-policy';
import { ciliumHelmValues, type CiliumValuesOptions } from './cilium-values';
import { ociChartReference, type HelmTemplateRequest, type HelmValues } from './helm-request';
import { manifestYaml, type ManifestObject } from './manifest-object';
import { mirrorBase, throughMirror } from './registry-mirror-uri';
import {
  parseImageReference,
  requireComponent,
  VersionsBundlesError,
  type ClusterConfig,
  type ResolvedVersionsBundle,
} from '../../spec';
import { parseSemVer } from '../../spec/semver';

/** EKS-A renders and runs Cilium in `kube-system`. */
export const CILIUM_NAMESPACE = 'kube-system';

/** Options for {@link ciliumInstallation}. */
export interface CiliumInstallationOptions extends CiliumValuesOptions, AllowAllPoliciesOptions {
  /**
   * Kubernetes `major.minor` to render for. An upgrade that rolls Cilium before the control plane renders for the
   * version still running.
   * @default the versions bundle's Kubernetes version
   */
  readonly kubeVersion?: string;
}

/** Everything the workflow needs to install (or upgrade) Cilium on a cluster. */
export interface CiliumInstallation {
  /** The `helm template` run whose output is applied (server-side) to the cluster. */
  readonly template: HelmTemplateRequest;
  /** Applied after the chart's objects: the allow-all policies of `policyEnforcementMode: always`, else empty. */
  readonly networkPolicies: readonly ManifestObject[];
  /** `host:port` of the registry mirror helm must log in to before templating (mirror with `authenticate`). */
  readonly registryLogin?: string;
}

/**
 * The Cilium installation EKS-A performs for a cluster: `helm template` of the bundle's Cilium chart (pulled
 * through the registry mirror when one is configured) into `kube-system` with EKS-A's values, plus the allow-all
 * network policies when policy enforcement is `always`.
 *
 * @throws VersionsBundlesError when the versions bundle has no Cilium chart.
 */
export function ciliumInstallation(
  config: ClusterConfig,
  bundle: ResolvedVersionsBundle,
  options: CiliumInstallationOptions = {},
): CiliumInstallation {
  return {
    template: ciliumTemplate(config, bundle, ciliumHelmValues(config, bundle, options), options.kubeVersion),
    networkPolicies: ciliumAllowAllPolicies(config, bundle, options),
    ...registryLoginOf(config),
  };
}

/**
 * The preflight check Cilium's upgrade procedure runs before the agents are replaced: a DaemonSet that pre-pulls
 * the new agent image on every node (tolerating every taint) and a check of the network policies, with the agent
 * and operator of the chart switched off. Delete its objects once the upgrade is done.
 */
export function ciliumPreflightInstallation(
  config: ClusterConfig,
  bundle: ResolvedVersionsBundle,
  options: CiliumInstallationOptions = {},
): CiliumInstallation {
  const values = ciliumHelmValues(config, bundle, options) as Record<string, unknown>;
  const agent = parseImageReference(requireComponent(bundle, 'cilium').cilium.uri);
  const operator = (values.operator ?? {}) as Record<string, unknown>;
  const preflight: HelmValues = {
    ...values,
    preflight: {
      enabled: true,
      image: { repository: agent.repository, tag: agent.tag },
      tolerations: [{ operator: 'Exists' }],
    },
    agent: false,
    operator: { ...operator, enabled: false },
  };
  return {
    template: ciliumTemplate(config, bundle, preflight, options.kubeVersion),
    networkPolicies: [],
    ...registryLoginOf(config),
  };
}

/** The manifest to apply: the chart's rendered objects, then the network policies. */
export function ciliumManifest(rendered: string, installation: CiliumInstallation): string {
  if (installation.networkPolicies.length === 0) return rendered;
  const chart = rendered.length === 0 || rendered.endsWith('\n') ? rendered : `${rendered}\n`;
  return `${chart}${manifestYaml(installation.networkPolicies)}`;
}

function ciliumTemplate(
  config: ClusterConfig,
  bundle: ResolvedVersionsBundle,
  values: HelmValues,
  kubeVersion: string | undefined,
): HelmTemplateRequest {
  const chartImage = requireComponent(bundle, 'cilium').helmChart?.uri;
  if (!chartImage) {
    throw new VersionsBundlesError(
      `${bundle.sources.bundles}: the versions bundle for Kubernetes ${bundle.kubeVersion} has no cilium.helmChart; ` +
        'EKS-A installs Cilium from that chart, so use a Bundles manifest of EKS-A v0.11 or later.',
    );
  }
  const mirror = config.cluster.spec.registryMirrorConfiguration;
  return {
    ...ociChartReference(throughMirror(chartImage, mirror)),
    namespace: CILIUM_NAMESPACE,
    values,
    kubeVersion: kubeVersion ?? kubeMinorOf(bundle),
    ...(mirror?.insecureSkipVerify ? { insecureSkipTlsVerify: true } : {}),
  };
}

function registryLoginOf(config: ClusterConfig): { registryLogin?: string } {
  const mirror = config.cluster.spec.registryMirrorConfiguration;
  return mirror?.authenticate ? { registryLogin: mirrorBase(mirror) } : {};
}

/** `major.minor` of the bundle's Kubernetes tag (`v1.30.14-eks-1-30-58` → `1.30`). */
function kubeMinorOf(bundle: ResolvedVersionsBundle): string {
  const version = parseSemVer(bundle.kubeDistro.kubernetes.tag);
  return version ? `${version.major}.${version.minor}` : bundle.kubeVersion;
}
