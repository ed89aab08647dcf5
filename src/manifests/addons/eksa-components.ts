import { parseAllDocuments } from 'yaml';
import {
  bundlesObject,
  EKSA_SYSTEM_NAMESPACE,
  eksaReleaseObject,
  eksdReleaseObjects,
  upgraderImagesConfigMap,
  type EksaReleaseInfo,
} from './eksa-release-objects';
import type { ManifestObject } from './manifest-object';
import {
  FEATURE_VSPHERE_IN_PLACE_UPGRADE,
  requireComponent,
  VersionsBundlesError,
  type ClusterConfig,
  type ResolvedVersionsBundle,
  type VersionsBundles,
} from '../../spec';

/** The EKS-A controller Deployment the workflow waits for after applying the components. */
export const EKSA_CONTROLLER_DEPLOYMENT = {
  namespace: EKSA_SYSTEM_NAMESPACE,
  name: 'eksa-controller-manager',
} as const;

/** EKS-A waits up to 30 minutes for each component Deployment to become Available (`DefaultDeploymentWait`). */
export const DEFAULT_DEPLOYMENT_WAIT_MS = 30 * 60 * 1000;

/** A Deployment to wait for. */
export interface DeploymentWait {
  readonly namespace: string;
  readonly name: string;
  /** The condition that must be True. */
  readonly condition: 'Available';
  readonly timeoutMs: number;
}

/**
 * What the workflow applies to make a cluster manage itself with EKS-A, in order (research A1.5 and A1.9):
 * 1. the EKS-D `Release` CRD manifests (downloaded, applied in `eksa-system`);
 * 2. the EKS-A components manifest (downloaded, passed through {@link configureEksaComponents}, applied), then a
 *    wait for the controller Deployment;
 * 3. the Bundles object, the in-place upgrader ConfigMap and the EKSARelease object;
 * 4. the EKS-D Release objects of the Kubernetes versions the cluster runs.
 * The EKS-A config objects themselves (paused, then resumed) come from the cluster synthesis.
 */
export interface EksaComponentsPlan {
  /** `eksD.components` of the versions bundles used, without repeats. */
  readonly eksdCrdManifestUris: readonly string[];
  /** `eksa.components` of the cluster's versions bundle. */
  readonly componentsManifestUri: string;
  /** The EKS-A version of the components (the bundle's `eksa.version`), when the bundle records one. */
  readonly componentsVersion?: string;
  readonly controllerDeployment: DeploymentWait;
  readonly bundles: ManifestObject;
  readonly upgraderImages: ManifestObject;
  readonly eksaRelease: ManifestObject;
  readonly eksdReleases: readonly ManifestObject[];
}

/** Options for {@link eksaComponentsPlan}. */
export interface EksaComponentsPlanOptions {
  /** `data` of the upgrader ConfigMap already in the cluster (upgrades keep older entries). */
  readonly existingUpgraderImages?: Readonly<Record<string, string>>;
  /** @default DEFAULT_DEPLOYMENT_WAIT_MS */
  readonly deploymentWaitMs?: number;
}

/**
 * The EKS-A components and objects for a cluster.
 *
 * @param bundles the loaded Bundles manifest
 * @param used the resolved versions bundles of the cluster, control plane version first (then worker versions)
 * @param release the EKS-A release (from the release manifest; `{ version }` for a Bundles file given by hand)
 * @throws VersionsBundlesError when the control plane's versions bundle has no `eksa` component or `used` is empty
 */
export function eksaComponentsPlan(
  bundles: Pick<VersionsBundles, 'manifest'>,
  used: readonly ResolvedVersionsBundle[],
  release: EksaReleaseInfo,
  options: EksaComponentsPlanOptions = {},
): EksaComponentsPlan {
  const root = used[0];
  if (!root) {
    throw new VersionsBundlesError(
      "eksaComponentsPlan: no versions bundle given; pass the cluster's resolved bundles",
    );
  }
  const eksa = requireComponent(root, 'eksa');
  const crds = [...new Set(used.map((b) => b.bundle.eksD.components).filter((u): u is string => !!u))];
  return {
    eksdCrdManifestUris: crds,
    componentsManifestUri: eksa.components.uri,
    ...(eksa.version ? { componentsVersion: eksa.version } : {}),
    controllerDeployment: {
      ...EKSA_CONTROLLER_DEPLOYMENT,
      condition: 'Available',
      timeoutMs: options.deploymentWaitMs ?? DEFAULT_DEPLOYMENT_WAIT_MS,
    },
    bundles: bundlesObject(bundles.manifest),
    upgraderImages: upgraderImagesConfigMap(bundles.manifest, options.existingUpgraderImages),
    eksaRelease: eksaReleaseObject(release, bundles.manifest),
    eksdReleases: eksdReleaseObjects(used),
  };
}

/** Options for {@link configureEksaComponents}. */
export interface EksaComponentsOptions {
  /** Enabled EKS-A feature flags; `VSPHERE_IN_PLACE_UPGRADE` is passed on to the controller. @default [] */
  readonly featureFlags?: readonly string[];
  /** Where the manifest came from, for error messages. */
  readonly source?: string;
}

/**
 * The downloaded EKS-A components manifest (CRDs, RBAC, webhooks, `eksa-controller-manager`) set up for the
 * cluster as EKS-A sets it up: the controller container gets the cluster's proxy (`HTTP_PROXY`, `HTTPS_PROXY`,
 * `NO_PROXY` with the pod and service CIDRs and the control plane endpoint added) and the feature flags it honours.
 * Objects keep the manifest's order.
 *
 * @throws Error when the manifest is not YAML or has no `eksa-controller-manager` Deployment with a container
 */
export function configureEksaComponents(
  manifest: string,
  config: ClusterConfig,
  options: EksaComponentsOptions = {},
): ManifestObject[] {
  const source = options.source ?? 'EKS-A components manifest';
  const objects: ManifestObject[] = [];
  let found = false;
  for (const doc of parseAllDocuments(manifest)) {
    if (doc.errors.length > 0) throw new Error(`${source}: not valid YAML: ${doc.errors[0].message}`);
    const object = doc.toJS() as ManifestObject | null;
    if (object === null || object === undefined) continue;
    if (object.kind === 'Deployment' && object.metadata?.name === EKSA_CONTROLLER_DEPLOYMENT.name) {
      found = true;
      objects.push(withControllerEnv(object, controllerEnv(config, options.featureFlags ?? []), source));
    } else {
      objects.push(object);
    }
  }
  if (!found) {
    throw new Error(
      `${source}: has no Deployment ${EKSA_CONTROLLER_DEPLOYMENT.name}; is it an EKS-A components manifest?`,
    );
  }
  return objects;
}

/** The proxy variables EKS-A gives its components for a cluster, or undefined without a proxy. */
export function proxyEnvironment(
  config: ClusterConfig,
): Readonly<Record<'HTTP_PROXY' | 'HTTPS_PROXY' | 'NO_PROXY', string>> | undefined {
  const spec = config.cluster.spec;
  const proxy = spec.proxyConfiguration;
  if (!proxy) return undefined;
  const noProxy = [
    ...(proxy.noProxy ?? []),
    ...(spec.clusterNetwork.pods?.cidrBlocks ?? []),
    ...(spec.clusterNetwork.services?.cidrBlocks ?? []),
    ...(spec.controlPlaneConfiguration.endpoint?.host ? [spec.controlPlaneConfiguration.endpoint.host] : []),
  ];
  return {
    HTTP_PROXY: proxy.httpProxy ?? '',
    HTTPS_PROXY: proxy.httpsProxy ?? '',
    NO_PROXY: noProxy.join(','),
  };
}

function controllerEnv(
  config: ClusterConfig,
  featureFlags: readonly string[],
): { name: string; value: string }[] {
  const env: { name: string; value: string }[] = [];
  const proxy = proxyEnvironment(config);
  if (proxy) {
    for (const name of Object.keys(proxy).sort() as (keyof typeof proxy)[]) {
      env.push({ name, value: proxy[name] });
    }
  }
  if (featureFlags.includes(FEATURE_VSPHERE_IN_PLACE_UPGRADE)) {
    env.push({ name: FEATURE_VSPHERE_IN_PLACE_UPGRADE, value: 'true' });
  }
  return env;
}

function withControllerEnv(
  deployment: ManifestObject,
  extra: { name: string; value: string }[],
  source: string,
): ManifestObject {
  const copy = JSON.parse(JSON.stringify(deployment)) as {
    spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } };
  };
  const container = copy.spec?.template?.spec?.containers?.[0];
  if (!container) {
    throw new Error(`${source}: Deployment ${EKSA_CONTROLLER_DEPLOYMENT.name} has no container`);
  }
  if (extra.length > 0) {
    const names = new Set(extra.map((e) => e.name));
    // Re-applying must not stack duplicates of variables set by an earlier run.
    container.env = [...(container.env ?? []).filter((e) => !names.has(e.name)), ...extra];
  }
  return copy as unknown as ManifestObject;
}
