import { proxyEnvironment } from './eksa-components';
import { managementClusterName } from './flux-settings';
import { ociChartReference, type HelmInstallRequest } from './helm-request';
import type { ObjectReference } from './manifest-object';
import { coreEksaMirror, curatedPackagesMirror, mirrorBase, throughMirror } from './registry-mirror-uri';
import {
  isSelfManaged,
  parseImageReference,
  requireComponent,
  VersionsBundlesError,
  type ClusterConfig,
  type ResolvedVersionsBundle,
} from '../../spec';

/** The package controller and its Helm releases live in `eksa-packages` (of the management cluster). */
export const PACKAGES_NAMESPACE = 'eksa-packages';
/** The PackageBundleController kind (one per cluster, named like the cluster). */
export const PACKAGE_BUNDLE_CONTROLLER = {
  apiVersion: 'packages.eks.amazonaws.com/v1alpha1',
  kind: 'PackageBundleController',
} as const;
/** The region of the default curated-packages registry. */
export const DEFAULT_PACKAGES_REGION = 'us-west-2';

/** The curated-packages registries, by the account alias the package controller chart is published under. */
const PACKAGE_ACCOUNTS = {
  prod: {
    alias: 'eks-anywhere',
    source: 'public.ecr.aws/eks-anywhere',
    images: '783794618700.dkr.ecr.us-west-2.amazonaws.com',
  },
  staging: {
    alias: 'w9m0f3l5',
    source: 'public.ecr.aws/w9m0f3l5',
    images: '783794618700.dkr.ecr.us-west-2.amazonaws.com',
  },
  dev: {
    alias: 'l0g8r8j6',
    source: 'public.ecr.aws/l0g8r8j6',
    images: '857151390494.dkr.ecr.us-west-2.amazonaws.com',
  },
} as const;

/** The environment variables EKS-A reads the curated-packages credentials from. */
export const CURATED_PACKAGES_CREDENTIAL_ENV = {
  awsAccessKeyId: 'EKSA_AWS_ACCESS_KEY_ID',
  awsSecretAccessKey: 'EKSA_AWS_SECRET_ACCESS_KEY',
  awsRegion: 'EKSA_AWS_REGION',
  registryUsername: 'REGISTRY_USERNAME',
  registryPassword: 'REGISTRY_PASSWORD',
} as const;

/** Credentials the package controller pulls packages with. Secret values: never log them. */
export interface CuratedPackagesCredentials {
  readonly awsAccessKeyId?: string;
  readonly awsSecretAccessKey?: string;
  readonly awsSessionToken?: string;
  /** @default "us-west-2" */
  readonly awsRegion?: string;
  /** Content of an AWS shared config file, as an alternative to the key pair. */
  readonly awsConfig?: string;
  /** Registry mirror credentials (mirror with `authenticate`). */
  readonly registryUsername?: string;
  readonly registryPassword?: string;
}

/** Options for {@link curatedPackagesInstallation}. */
export interface CuratedPackagesOptions {
  readonly credentials?: CuratedPackagesCredentials;
  /**
   * The regional ECR registry the AWS credentials were verified to pull from. EKS-A probes it over the network
   * (outside a pure builder); when it answers, packages come from there instead of the default registry.
   */
  readonly regionalRegistry?: string;
}

/** The curated-packages installation of a cluster. */
export interface CuratedPackagesInstallation {
  /**
   * The cluster to run the install against: the cluster itself (management cluster), or its management
   * cluster, whose package controller serves its workload clusters.
   */
  readonly target: 'self' | 'management';
  readonly install: HelmInstallRequest;
  /** Where the controller installs this cluster's packages. */
  readonly packagesNamespace: string;
  /** `host:port` of the registry mirror helm must log in to first. */
  readonly registryLogin?: string;
}

/** What the delete workflow removes of curated packages (ignore objects and releases already gone). */
export interface PackageResourcesCleanup {
  /** Run against the management cluster. */
  readonly objects: readonly ObjectReference[];
  readonly helmReleases: readonly { readonly release: string; readonly namespace: string }[];
}

/** `eksa-packages-<cluster>`: the namespace a cluster's packages are installed in. */
export function packagesNamespaceOf(clusterName: string): string {
  return `${PACKAGES_NAMESPACE}-${clusterName}`;
}

/** Curated-packages credentials from the environment, under EKS-A's variable names. */
export function curatedPackagesCredentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): CuratedPackagesCredentials {
  const out: Record<string, string> = {};
  for (const [field, name] of Object.entries(CURATED_PACKAGES_CREDENTIAL_ENV)) {
    if (env[name]) out[field] = env[name] as string;
  }
  return out;
}

/**
 * The helm install of the eks-anywhere-packages controller chart of the versions bundle (research A1.13), as EKS-A
 * runs it: release `eks-anywhere-packages` in `eksa-packages` with the cluster name, the registries packages come
 * from (through the registry mirror when there is one), the proxy, the credential secrets, and the user's
 * `packages.controller` / `packages.cronjob` settings; the token-refresh cron job is suspended when there are no
 * AWS credentials and no mirror. A workload cluster gets a second release of the chart on its management cluster,
 * `eks-anywhere-packages-<cluster>`, without CRDs and in workload-only mode. Undefined with `packages.disable`.
 *
 * The values carry the credentials: the helm wrapper must pass them on stdin only.
 * @throws VersionsBundlesError when the versions bundle has no package controller chart
 */
export function curatedPackagesInstallation(
  config: ClusterConfig,
  bundle: ResolvedVersionsBundle,
  options: CuratedPackagesOptions = {},
): CuratedPackagesInstallation | undefined {
  const spec = config.cluster.spec;
  if (spec.packages?.disable) return undefined;
  const chartImage = requireComponent(bundle, 'packageController').helmChart;
  if (!chartImage?.uri) {
    throw new VersionsBundlesError(
      `${bundle.sources.bundles}: the versions bundle for Kubernetes ${bundle.kubeVersion} has no packageController.helmChart; ` +
        'use a Bundles manifest that has it, or set packages.disable: true.',
    );
  }
  const clusterName = config.cluster.metadata.name;
  const workload = !isSelfManaged(config.cluster);
  const mirror = spec.registryMirrorConfiguration;
  const credentials = options.credentials ?? {};
  const region = credentials.awsRegion || DEFAULT_PACKAGES_REGION;
  const registries = packageRegistries(
    parseImageReference(chartImage.uri).repository,
    config,
    region,
    options.regionalRegistry,
  );

  const values: Record<string, unknown> = {
    ...userSettings(config),
    ...secretValues(config, credentials, region),
    clusterName,
    sourceRegistry: registries.source,
    defaultRegistry: registries.default,
    defaultImageRegistry: registries.images,
  };
  const proxy = proxyEnvironment(config);
  if (proxy && proxy.HTTP_PROXY) values.proxy = { ...proxy };
  if ((!credentials.awsAccessKeyId || !credentials.awsSecretAccessKey) && !mirror) {
    // Without credentials the ECR token refresher can only fail.
    values.cronjob = { ...((values.cronjob as Record<string, unknown> | undefined) ?? {}), suspend: true };
  }
  const baseRelease = chartImage.name || 'eks-anywhere-packages';
  if (workload) {
    values.workloadPackageOnly = true;
    values.managementClusterName = managementClusterName(config.cluster);
  }
  return {
    target: workload ? 'management' : 'self',
    install: {
      ...ociChartReference(throughMirror(chartImage.uri, mirror)),
      release: workload ? `${baseRelease}-${clusterName}` : baseRelease,
      namespace: PACKAGES_NAMESPACE,
      values,
      createNamespace: true,
      ...(workload ? { skipCrds: true } : {}),
      ...(mirror?.insecureSkipVerify ? { insecureSkipTlsVerify: true } : {}),
    },
    packagesNamespace: packagesNamespaceOf(clusterName),
    ...(mirror?.authenticate ? { registryLogin: mirrorBase(mirror) } : {}),
  };
}

/**
 * The curated-packages objects of a deleted cluster, removed from its management cluster: its
 * PackageBundleController, its packages namespace and, for a workload cluster, its release of the chart.
 */
export function packageResourcesToDelete(
  config: ClusterConfig,
  bundle?: ResolvedVersionsBundle,
): PackageResourcesCleanup {
  const clusterName = config.cluster.metadata.name;
  const baseRelease = bundle?.bundle.packageController?.helmChart?.name || 'eks-anywhere-packages';
  return {
    objects: [
      { ...PACKAGE_BUNDLE_CONTROLLER, name: clusterName, namespace: PACKAGES_NAMESPACE },
      { apiVersion: 'v1', kind: 'Namespace', name: packagesNamespaceOf(clusterName) },
    ],
    helmReleases: isSelfManaged(config.cluster)
      ? []
      : [{ release: `${baseRelease}-${clusterName}`, namespace: PACKAGES_NAMESPACE }],
  };
}

interface PackageRegistries {
  /** Where the controller and its helpers are pulled from. */
  readonly source: string;
  /** Where package charts are pulled from. */
  readonly default: string;
  /** Where package images are pulled from. */
  readonly images: string;
}

function packageRegistries(
  chartRepository: string,
  config: ClusterConfig,
  region: string,
  regionalRegistry: string | undefined,
): PackageRegistries {
  const account = chartRepository.includes(PACKAGE_ACCOUNTS.dev.alias)
    ? PACKAGE_ACCOUNTS.dev
    : chartRepository.includes(PACKAGE_ACCOUNTS.staging.alias)
      ? PACKAGE_ACCOUNTS.staging
      : PACKAGE_ACCOUNTS.prod;
  const mirror = config.cluster.spec.registryMirrorConfiguration;
  if (mirror) {
    // The chart appends the account alias to the registry itself.
    const core = `${coreEksaMirror(mirror) ?? mirrorBase(mirror)}/${account.alias}`;
    return { source: core, default: core, images: curatedPackagesMirror(mirror) ?? account.images };
  }
  if (regionalRegistry) {
    return { source: account.source, default: regionalRegistry, images: regionalRegistry };
  }
  const images =
    region === DEFAULT_PACKAGES_REGION
      ? account.images
      : account.images.split(DEFAULT_PACKAGES_REGION).join(region);
  return { source: account.source, default: account.source, images };
}

/** `packages.controller` and `packages.cronjob` as chart values (EKS-A's override values file). */
function userSettings(config: ClusterConfig): Record<string, unknown> {
  const packages = config.cluster.spec.packages;
  const out: Record<string, unknown> = {};
  const controller = packages?.controller;
  if (controller) {
    const c: Record<string, unknown> = { enableWebhooks: !controller.disableWebhooks };
    if (controller.digest) c.digest = controller.digest;
    if (controller.repository) c.repository = controller.repository;
    if (controller.tag) c.tag = controller.tag;
    const resources = resourcesOf(controller.resources);
    if (resources) c.resources = resources;
    if (controller.env && controller.env.length > 0) {
      c.env = controller.env.map((entry, index) => {
        const eq = entry.indexOf('=');
        if (eq <= 0) {
          throw new Error(
            `Cluster ${config.cluster.metadata.name}: spec.packages.controller.env[${index}] '${entry}' is not NAME=value; write it as NAME=value.`,
          );
        }
        return { name: entry.slice(0, eq), value: entry.slice(eq + 1) };
      });
    }
    out.controller = c;
  }
  const cronjob = packages?.cronjob;
  if (cronjob) {
    out.cronjob = {
      ...(cronjob.digest ? { digest: cronjob.digest } : {}),
      ...(cronjob.repository ? { repository: cronjob.repository } : {}),
      suspend: cronjob.disable === true,
      ...(cronjob.tag ? { tag: cronjob.tag } : {}),
    };
  }
  return out;
}

function resourcesOf(
  resources: NonNullable<
    NonNullable<ClusterConfig['cluster']['spec']['packages']>['controller']
  >['resources'],
): Record<string, unknown> | undefined {
  if (!resources) return undefined;
  const part = (r: { cpu?: string; memory?: string } | undefined) =>
    r && (r.cpu || r.memory)
      ? { ...(r.cpu ? { cpu: r.cpu } : {}), ...(r.memory ? { memory: r.memory } : {}) }
      : undefined;
  const limits = part(resources.limits);
  const requests = part(resources.requests);
  if (!limits && !requests) return undefined;
  return { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) };
}

/** The chart's secret values: AWS credentials and registry mirror credentials, base64 as the chart expects. */
function secretValues(
  config: ClusterConfig,
  credentials: CuratedPackagesCredentials,
  region: string,
): Record<string, unknown> {
  const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'utf8').toString('base64');
  const mirror = config.cluster.spec.registryMirrorConfiguration;
  return {
    registryMirrorSecret: {
      endpoint: b64(mirror ? mirrorBase(mirror) : ''),
      username: b64(mirror ? credentials.registryUsername : ''),
      password: b64(mirror ? credentials.registryPassword : ''),
      cacertcontent: b64(mirror?.caCertContent),
      insecure: b64(mirror?.insecureSkipVerify ? 'true' : 'false'),
    },
    awsSecret: {
      id: b64(credentials.awsAccessKeyId),
      secret: b64(credentials.awsSecretAccessKey),
      region: b64(region),
      ...(credentials.awsSessionToken ? { sessionToken: b64(credentials.awsSessionToken) } : {}),
      config: b64(credentials.awsConfig),
    },
  };
}
