import * as path from 'node:path';
import type { ClusterConnection } from './cluster-connection';
import type { PhaseRun, StepControl } from './phase-run';
import type { PreparedCluster } from './prepare';
import { waitForDeployments, type DeploymentRef } from './waits';
import { isKubeApiError } from '../kube/errors';
import type { KubeObject } from '../kube/types';
import { providerFor } from '../manifests/providers/registry';
import type { BundleImage, CapiProviderBundle } from '../spec/bundles/bundles-manifest';
import { requireComponent } from '../spec/bundles/provider-images';
import {
  providerFolder,
  renderClusterctlLayout,
  writeClusterctlLayout,
  type ClusterctlImageOverride,
  type ClusterctlProviderSource,
  type ClusterctlProviderType,
} from '../tools/clusterctl-layout';
import { secret } from '../tools/secret';

/** A provider the workflow installs, with where it runs. */
export interface CapiProvider {
  /** clusterctl's provider name (`cluster-api`, `kubeadm`, `etcdadm-bootstrap`, `docker`). */
  readonly name: string;
  readonly type: ClusterctlProviderType;
  /** clusterctl's version (the bundle's, without its `+build` suffix), e.g. `v1.13.2`. */
  readonly version: string;
  readonly namespace: string;
  /** The controller Deployment (its `manager` container). */
  readonly deployment: string;
}

/** What CapiProviders reports: the providers present on the cluster. */
export interface InstalledProviders {
  readonly providers: readonly CapiProvider[];
  /** `installed`: clusterctl ran; `present`: every provider was there already at the bundle's version. */
  readonly state: 'installed' | 'present';
}

/** The clusterctl inventory kind (`clusterctl.cluster.x-k8s.io/v1alpha3`). */
const INVENTORY = { apiVersion: 'clusterctl.cluster.x-k8s.io/v1alpha3', kind: 'Provider' } as const;

const CERT_MANAGER_DEPLOYMENTS: readonly DeploymentRef[] = [
  { namespace: 'cert-manager', name: 'cert-manager' },
  { namespace: 'cert-manager', name: 'cert-manager-cainjector' },
  { namespace: 'cert-manager', name: 'cert-manager-webhook' },
];

interface ProviderSource {
  readonly provider: CapiProvider;
  readonly bundle: Pick<CapiProviderBundle, 'components' | 'metadata'> & {
    readonly images: readonly BundleImage[];
  };
}

/** The bundle's version in clusterctl's form: `v1.13.2+abcdef1` → `v1.13.2`. */
export function clusterctlVersion(version: string): string {
  return version.split('+')[0];
}

/**
 * The providers EKS-A installs on every management cluster (research A1.4): core, kubeadm bootstrap and control
 * plane, both etcdadm providers (always, so that external etcd can be added later), and the infrastructure
 * provider, at the versions of the cluster's versions bundle.
 */
export function capiProvidersOf(prepared: PreparedCluster): CapiProvider[] {
  return providerSources(prepared).map((s) => s.provider);
}

function providerSources(prepared: PreparedCluster): ProviderSource[] {
  const root = prepared.root;
  const capi = (
    component: 'clusterAPI' | 'bootstrap' | 'controlPlane' | 'etcdadmBootstrap' | 'etcdadmController',
    name: string,
    type: ClusterctlProviderType,
    namespace: string,
    deployment: string,
  ): ProviderSource => {
    const b = requireComponent(root, component);
    return {
      provider: { name, type, version: clusterctlVersion(b.version), namespace, deployment },
      bundle: { components: b.components, metadata: b.metadata, images: [b.controller, b.kubeProxy] },
    };
  };
  const out = [
    capi('clusterAPI', 'cluster-api', 'CoreProvider', 'capi-system', 'capi-controller-manager'),
    capi(
      'bootstrap',
      'kubeadm',
      'BootstrapProvider',
      'capi-kubeadm-bootstrap-system',
      'capi-kubeadm-bootstrap-controller-manager',
    ),
    capi(
      'controlPlane',
      'kubeadm',
      'ControlPlaneProvider',
      'capi-kubeadm-control-plane-system',
      'capi-kubeadm-control-plane-controller-manager',
    ),
    capi(
      'etcdadmBootstrap',
      'etcdadm-bootstrap',
      'BootstrapProvider',
      'etcdadm-bootstrap-provider-system',
      'etcdadm-bootstrap-provider-controller-manager',
    ),
    capi(
      'etcdadmController',
      'etcdadm-controller',
      'BootstrapProvider',
      'etcdadm-controller-system',
      'etcdadm-controller-controller-manager',
    ),
  ];
  if (prepared.provider === 'vsphere') {
    const v = requireComponent(root, 'vSphere');
    out.push({
      provider: {
        name: 'vsphere',
        type: 'InfrastructureProvider',
        version: clusterctlVersion(v.version),
        namespace: 'capv-system',
        deployment: 'capv-controller-manager',
      },
      bundle: {
        components: v.components,
        metadata: v.metadata,
        images: [v.clusterAPIController, v.kubeProxy],
      },
    });
  } else {
    const d = requireComponent(root, 'docker');
    out.push({
      provider: {
        name: 'docker',
        type: 'InfrastructureProvider',
        version: clusterctlVersion(d.version),
        namespace: 'capd-system',
        deployment: 'capd-controller-manager',
      },
      bundle: { components: d.components, metadata: d.metadata, images: [d.manager, d.kubeProxy] },
    });
  }
  return out;
}

/** Provider inventory entries as `Type/name@version`. */
function inventoryKeys(items: readonly KubeObject[]): Set<string> {
  return new Set(
    items.map((p) => {
      const o = p as KubeObject & { providerName?: string; type?: string; version?: string };
      return `${o.type}/${o.providerName}@${o.version}`;
    }),
  );
}

function keyOf(p: CapiProvider): string {
  return `${p.type}/${p.name}@${p.version}`;
}

/**
 * Makes sure the cluster runs every provider of the bundle: `clusterctl init` with EKS-A's flags and a local
 * repository under `<c>/generated/`. A cluster that has them all at the bundle's versions is left alone; one that has
 * the core but lacks others gets only those (EKS-A's ensure-etcd-capi-components-exist). With `match: 'name'` (an
 * upgrade), a provider installed at another version counts as present: {@link upgradeProviders} moves it.
 */
export async function initProviders(
  run: PhaseRun,
  prepared: PreparedCluster,
  connection: ClusterConnection,
  kubeconfigPath: string,
  control: StepControl,
  match: 'version' | 'name' = 'version',
): Promise<InstalledProviders> {
  const sources = providerSources(prepared);
  const wanted = sources.map((s) => s.provider);
  const installed = await readInventory(connection);
  const present = (p: CapiProvider) =>
    match === 'version'
      ? installed.has(keyOf(p))
      : [...installed].some((k) => k.startsWith(`${p.type}/${p.name}@`));
  const missing = wanted.filter((p) => !present(p));
  if (missing.length === 0) {
    control.skipped(
      match === 'version'
        ? 'every provider is installed at the bundle version'
        : 'every provider is installed',
    );
    return { providers: wanted, state: 'present' };
  }
  const hasCore = !missing.some((p) => p.type === 'CoreProvider');
  const layout = renderClusterctlLayout({
    clusterDir: run.site.files.resolve(prepared.paths.dir),
    providers: sources.map(layoutSource),
    certManager: certManagerSource(prepared),
    images: imageOverrides(sources),
  });
  await writeClusterctlLayout(layout, (uri) => run.site.fetchText(uri, run.site.signal));
  // Only credentials are marked secret: redacting a plain value such as "true" would blank clusterctl's output.
  const env = providerFor(prepared.config).toolEnvironment(prepared.config, run.site.env);
  for (const variable of env) if (variable.secret) run.secret(variable.value);
  const providerArgs = (type: ClusterctlProviderType) =>
    missing.filter((p) => p.type === type).map((p) => ({ name: p.name, version: p.version }));
  await run.during('clusterctl init', () =>
    run.site.tools.clusterctl.init(
      {
        kubeconfigPath: run.site.files.resolve(kubeconfigPath),
        configPath: layout.configPath,
        ...(hasCore ? {} : { core: { name: 'cluster-api', version: wanted[0].version } }),
        bootstrap: providerArgs('BootstrapProvider'),
        controlPlane: providerArgs('ControlPlaneProvider'),
        infrastructure: providerArgs('InfrastructureProvider'),
        env: Object.fromEntries(env.map((v) => [v.name, v.secret ? secret(v.value) : v.value])),
      },
      { signal: run.site.signal, onOutput: (line) => run.log.debug?.(line) },
    ),
  );
  control.note(`clusterctl init: ${missing.map((p) => `${p.name}:${p.version}`).join(', ')}`);
  return { providers: wanted, state: 'installed' };
}

/** A provider `clusterctl upgrade apply` moved to the bundle's version. */
export interface UpgradedProvider {
  readonly provider: CapiProvider;
  /** The version the inventory recorded before. */
  readonly from: string;
}

/**
 * EKS-A's CAPI part of upgrade-core-components (research A4.5): the providers whose installed version (the clusterctl
 * inventory) differs from the bundle's are upgraded with `clusterctl upgrade apply`, naming only those, from the
 * same local repository `clusterctl init` uses. Providers at the bundle's version are left alone, so a re-run
 * after a finished upgrade runs nothing.
 */
export async function upgradeProviders(
  run: PhaseRun,
  prepared: PreparedCluster,
  connection: ClusterConnection,
  kubeconfigPath: string,
  control: StepControl,
): Promise<UpgradedProvider[]> {
  const sources = providerSources(prepared);
  const items = await readInventoryItems(connection);
  const changed: { provider: CapiProvider; namespace: string; from: string }[] = [];
  for (const { provider } of sources) {
    const entry = items.find((i) => i.type === provider.type && i.providerName === provider.name);
    if (entry && entry.version && entry.version !== provider.version) {
      changed.push({
        provider,
        namespace: entry.metadata.namespace ?? provider.namespace,
        from: entry.version,
      });
    }
  }
  if (changed.length === 0) {
    control.skipped('every provider runs the bundle version');
    return [];
  }
  const layout = renderClusterctlLayout({
    clusterDir: run.site.files.resolve(prepared.paths.dir),
    providers: sources.map(layoutSource),
    certManager: certManagerSource(prepared),
    images: imageOverrides(sources),
  });
  await writeClusterctlLayout(layout, (uri) => run.site.fetchText(uri, run.site.signal));
  const env = providerFor(prepared.config).toolEnvironment(prepared.config, run.site.env);
  for (const variable of env) if (variable.secret) run.secret(variable.value);
  const of = (type: ClusterctlProviderType) =>
    changed
      .filter((c) => c.provider.type === type)
      .map((c) => ({ name: c.provider.name, version: c.provider.version, namespace: c.namespace }));
  const core = of('CoreProvider')[0];
  await run.during('clusterctl upgrade apply', () =>
    run.site.tools.clusterctl.upgradeApply(
      {
        kubeconfigPath: run.site.files.resolve(kubeconfigPath),
        configPath: layout.configPath,
        ...(core ? { core } : {}),
        bootstrap: of('BootstrapProvider'),
        controlPlane: of('ControlPlaneProvider'),
        infrastructure: of('InfrastructureProvider'),
        env: Object.fromEntries(env.map((v) => [v.name, v.secret ? secret(v.value) : v.value])),
      },
      { signal: run.site.signal, onOutput: (line) => run.log.debug?.(line) },
    ),
  );
  control.note(
    `clusterctl upgrade apply: ${changed.map((c) => `${c.provider.name} ${c.from} → ${c.provider.version}`).join(', ')}`,
  );
  return changed.map((c) => ({ provider: c.provider, from: c.from }));
}

/**
 * Waits for the controllers `clusterctl init` installed to be Available (EKS-A A1.4): cert-manager, the CAPI
 * controllers, the etcdadm controllers when etcd is external, the infrastructure provider. clusterctl returns as
 * soon as the objects exist; creating a Cluster before the webhooks serve would fail.
 */
export async function waitForProviderControllers(
  run: PhaseRun,
  prepared: PreparedCluster,
  connection: ClusterConnection,
): Promise<void> {
  const externalEtcd = prepared.config.cluster.spec.externalEtcdConfiguration !== undefined;
  const deployments: DeploymentRef[] = [
    ...CERT_MANAGER_DEPLOYMENTS,
    ...capiProvidersOf(prepared)
      .filter((p) => externalEtcd || !p.name.startsWith('etcdadm'))
      .map((p) => ({ namespace: p.namespace, name: p.deployment })),
  ];
  await waitForDeployments(run, connection.client, deployments, prepared.timeouts.deploymentMs);
}

async function readInventory(connection: ClusterConnection): Promise<Set<string>> {
  return inventoryKeys(await readInventoryItems(connection));
}

type InventoryItem = KubeObject & { providerName?: string; type?: string; version?: string };

async function readInventoryItems(connection: ClusterConnection): Promise<InventoryItem[]> {
  try {
    return await connection.client.list<InventoryItem>(INVENTORY.apiVersion, INVENTORY.kind);
  } catch (error) {
    // No inventory CRD: nothing is installed yet.
    if (isKubeApiError(error) && error.statusCode === 404) return [];
    throw error;
  }
}

function layoutSource(s: ProviderSource): ClusterctlProviderSource {
  return {
    name: s.provider.name,
    type: s.provider.type,
    version: s.provider.version,
    components: { uri: s.bundle.components.uri },
    metadata: { uri: s.bundle.metadata.uri },
  };
}

function certManagerSource(prepared: PreparedCluster) {
  const cm = requireComponent(prepared.root, 'certManager');
  return {
    version: clusterctlVersion(cm.version ?? versionOfImage(cm.controller.uri)),
    manifest: { uri: cm.manifest.uri },
  };
}

/** clusterctl image overrides: each provider's images (controller, kube-rbac-proxy) from the bundle. */
function imageOverrides(sources: readonly ProviderSource[]): ClusterctlImageOverride[] {
  const out: ClusterctlImageOverride[] = [];
  for (const s of sources) {
    for (const image of s.bundle.images) {
      const parsed = splitImage(image.uri);
      if (parsed) out.push({ component: providerFolder(s.provider), ...parsed });
    }
  }
  return out;
}

function splitImage(uri: string): { image: string; repository: string; tag: string } | undefined {
  const colon = uri.lastIndexOf(':');
  const slash = uri.lastIndexOf('/');
  if (colon <= slash || slash < 0) return undefined;
  const repositoryWithName = uri.slice(0, colon);
  return {
    image: path.posix.basename(repositoryWithName),
    repository: path.posix.dirname(repositoryWithName),
    tag: uri.slice(colon + 1),
  };
}

function versionOfImage(uri: string): string {
  const tag = uri.slice(uri.lastIndexOf(':') + 1);
  return /^v\d+\.\d+\.\d+/.exec(tag)?.[0] ?? tag;
}

/** The providers whose installed version (the clusterctl inventory) differs from the bundle's, for a plan. */
export async function providerVersionChanges(
  prepared: PreparedCluster,
  connection: ClusterConnection,
): Promise<{ provider: CapiProvider; from: string }[]> {
  const items = await readInventoryItems(connection);
  const out: { provider: CapiProvider; from: string }[] = [];
  for (const provider of capiProvidersOf(prepared)) {
    const entry = items.find((i) => i.type === provider.type && i.providerName === provider.name);
    if (entry?.version && entry.version !== provider.version) out.push({ provider, from: entry.version });
  }
  return out;
}
