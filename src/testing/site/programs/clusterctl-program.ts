import * as YAML from 'yaml';
import {
  connectTool,
  list,
  parseFlags,
  readFileOr,
  required,
  resolvePath,
  str,
  ToolConnection,
} from './argv';
import { backupClusterApi, moveClusterApi, restoreClusterApi } from '../../../capi/move';
import { isAlreadyExists } from '../../../kube/errors';
import { KubeObject } from '../../../kube/types';
import { ClusterctlProviderType } from '../../../tools/clusterctl-layout';
import { errorText } from '../../../tools/error-text';
import { Json } from '../../controllers/objects';
import { CERT_MANAGER, findProvider, SimulatedProvider } from '../provider-catalog';
import { inventoryCrd, providerCrds } from '../provider-crds';
import { SimulatedCluster } from '../simulated-cluster';
import { ProgramCall, ProgramExit, ProgramOutput } from '../simulated-runner';
import { SiteRuntime } from '../site-runtime';

/** Reported by `clusterctl version`. */
export const SIMULATED_CLUSTERCTL_VERSION = 'v1.13.2';

const CLUSTERCTL_LABEL = 'clusterctl.cluster.x-k8s.io';
const PROVIDER_LABEL = 'cluster.x-k8s.io/provider';
const QUEUE_ORDER: readonly ClusterctlProviderType[] = [
  'CoreProvider',
  'BootstrapProvider',
  'ControlPlaneProvider',
  'InfrastructureProvider',
];

interface Requested {
  readonly provider: SimulatedProvider;
  readonly version: string;
  /** Where the config says the components are. */
  readonly url: string;
}

/**
 * `clusterctl`, simulated, over HTTP like the real one:
 *
 * - `init` reads `--config` (each provider must be listed there with a local components file that exists, as
 *   EKS-A's overrides layout provides), then installs what research/capi.md §4 lists: the Provider inventory CRD,
 *   cert-manager (its namespace and three Deployments), and per provider its namespace, CRDs (labelled, see
 *   provider-crds.ts), a `manager` Deployment and its Provider inventory object, in clusterctl's queue order;
 *   providers already installed at that version are skipped. The provider's simulated controllers then run on
 *   that cluster.
 * - `upgrade apply` moves installed providers to new versions (inventory, Deployment, CRDs).
 * - `move` (to a cluster, to a directory, from a directory) runs the library's native mover (src/capi/move),
 *   which implements clusterctl's algorithm; a source or target that does not answer fails with clusterctl's
 *   "failed to connect to the management cluster".
 * - `get kubeconfig` prints the `value` of the `<cluster>-kubeconfig` Secret.
 */
export class ClusterctlSimulator {
  public constructor(
    private readonly runtime: SiteRuntime,
    private readonly startProvider: (cluster: SimulatedCluster, provider: SimulatedProvider) => Promise<void>,
  ) {}

  public async run(call: ProgramCall): Promise<ProgramOutput> {
    const [verb, ...rest] = call.args;
    switch (verb) {
      case 'version':
        return {
          stdout: `${JSON.stringify({ clusterctl: { major: '1', minor: '13', gitVersion: SIMULATED_CLUSTERCTL_VERSION } })}\n`,
        };
      case 'init':
        return this.init(call, rest);
      case 'upgrade':
        if (rest[0] !== 'apply') break;
        return this.upgrade(call, rest.slice(1));
      case 'move':
        return this.move(call, rest);
      case 'get':
        if (rest[0] !== 'kubeconfig') break;
        return this.getKubeconfig(call, rest.slice(1));
      default:
        break;
    }
    throw new ProgramExit(`Error: unknown command "${verb ?? ''}" for "clusterctl"`);
  }

  private connect(call: ProgramCall, kubeconfig: string): Promise<ToolConnection> {
    return connectTool(
      this.runtime,
      call,
      kubeconfig,
      'clusterctl',
      (reason) => `Error: failed to connect to the management cluster: ${reason}`,
    );
  }

  private async init(call: ProgramCall, args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(args, {
      core: { type: 'string' },
      bootstrap: { type: 'string', multiple: true },
      'control-plane': { type: 'string', multiple: true },
      infrastructure: { type: 'string', multiple: true },
      config: { type: 'string' },
      kubeconfig: { type: 'string' },
      'target-namespace': { type: 'string' },
      'wait-providers': { type: 'boolean' },
      'wait-provider-timeout': { type: 'string' },
      validate: { type: 'boolean' },
    });
    const config = await this.readConfig(call, str(flags, 'config'));
    const wanted: Requested[] = [];
    const add = (type: ClusterctlProviderType, arg: string) => wanted.push(this.requested(type, arg, config));
    const coreArg = str(flags, 'core');
    if (coreArg) add('CoreProvider', coreArg);
    for (const a of list(flags, 'bootstrap')) add('BootstrapProvider', a);
    for (const a of list(flags, 'control-plane')) add('ControlPlaneProvider', a);
    for (const a of list(flags, 'infrastructure')) add('InfrastructureProvider', a);
    for (const w of wanted) await this.checkComponents(call, w);

    const connection = await this.connect(call, str(flags, 'kubeconfig') ?? '~/.kube/config');
    try {
      const client = connection.client;
      await this.ensureInventoryCrd(connection);
      const inventory = await client.list('clusterctl.cluster.x-k8s.io/v1alpha3', 'Provider');
      const hasCore = inventory.some((p) => (p as Json).type === 'CoreProvider');
      if (!hasCore && !wanted.some((w) => w.provider.type === 'CoreProvider')) {
        throw new ProgramExit(
          'Error: the management cluster has no core provider yet: pass --core cluster-api:<version> (the simulated site has no network to look up the latest release)',
        );
      }
      call.progress('Fetching providers');
      await this.ensureCertManager(call, connection, config);
      const queue = [...wanted].sort(
        (a, b) => QUEUE_ORDER.indexOf(a.provider.type) - QUEUE_ORDER.indexOf(b.provider.type),
      );
      for (const w of queue) {
        const existing = inventory.find(
          (p) => (p as Json).providerName === w.provider.name && (p as Json).type === w.provider.type,
        );
        if (existing) {
          if ((existing as Json).version === w.version) {
            call.progress(
              `Skipping installing provider="${w.provider.label}" version="${w.version}": already installed`,
            );
            continue;
          }
          throw new ProgramExit(
            `Error: installing multiple instances of the same provider is not supported: ${w.provider.label} ${(existing as Json).version} is installed; use clusterctl upgrade apply`,
          );
        }
        call.progress(
          `Installing provider="${w.provider.label}" version="${w.version}" targetNamespace="${w.provider.namespace}"`,
        );
        await this.install(connection, w);
        await this.startProvider(connection.cluster, w.provider);
      }
      call.progress('');
      call.progress('Your management cluster has been initialized successfully!');
      return {};
    } finally {
      connection.close();
    }
  }

  private async upgrade(call: ProgramCall, args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(args, {
      config: { type: 'string' },
      kubeconfig: { type: 'string' },
      core: { type: 'string' },
      bootstrap: { type: 'string', multiple: true },
      'control-plane': { type: 'string', multiple: true },
      infrastructure: { type: 'string', multiple: true },
    });
    const config = await this.readConfig(call, str(flags, 'config'));
    const targets: { type: ClusterctlProviderType; arg: string }[] = [
      ...(str(flags, 'core') ? [{ type: 'CoreProvider' as const, arg: str(flags, 'core')! }] : []),
      ...list(flags, 'bootstrap').map((arg) => ({ type: 'BootstrapProvider' as const, arg })),
      ...list(flags, 'control-plane').map((arg) => ({ type: 'ControlPlaneProvider' as const, arg })),
      ...list(flags, 'infrastructure').map((arg) => ({ type: 'InfrastructureProvider' as const, arg })),
    ];
    const connection = await this.connect(call, required(flags, 'kubeconfig'));
    try {
      const inventory = await connection.client.list('clusterctl.cluster.x-k8s.io/v1alpha3', 'Provider');
      for (const target of targets) {
        const m = /^([^/]+)\/([^:]+):(.+)$/.exec(target.arg);
        if (!m) {
          throw new ProgramExit(
            `Error: invalid provider "${target.arg}": expected <namespace>/<name>:<version>`,
          );
        }
        const [, namespace, name, version] = m;
        const installed = inventory.find(
          (p) =>
            p.metadata.namespace === namespace &&
            (p as Json).providerName === name &&
            (p as Json).type === target.type,
        );
        if (!installed) {
          throw new ProgramExit(
            `Error: unable to complete that upgrade: the provider ${namespace}/${name} (${target.type}) is not installed`,
          );
        }
        const requested = this.requested(target.type, `${name}:${version}`, config);
        await this.checkComponents(call, requested);
        call.progress(`Upgrading provider="${requested.provider.label}" version="${version}"`);
        await this.install(connection, requested, true);
      }
      return {};
    } finally {
      connection.close();
    }
  }

  private async move(call: ProgramCall, args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(args, {
      kubeconfig: { type: 'string' },
      'to-kubeconfig': { type: 'string' },
      'to-directory': { type: 'string' },
      'from-directory': { type: 'string' },
      namespace: { type: 'string' },
      'filter-cluster': { type: 'string' },
      'dry-run': { type: 'boolean' },
    });
    const namespace = str(flags, 'namespace') ?? '';
    const clusterName = str(flags, 'filter-cluster') || undefined;
    const progress = (line: string) => call.progress(line);
    const toDirectory = str(flags, 'to-directory');
    const fromDirectory = str(flags, 'from-directory');
    const source = await this.connect(call, required(flags, 'kubeconfig'));
    try {
      if (toDirectory) {
        await this.runMove(() =>
          backupClusterApi({
            from: source.client,
            namespace,
            clusterName,
            directory: resolvePath(call, toDirectory),
            onProgress: progress,
          }),
        );
        return {};
      }
      if (fromDirectory) {
        await this.runMove(() =>
          restoreClusterApi({
            to: source.client,
            directory: resolvePath(call, fromDirectory),
            clusterName,
            onProgress: progress,
          }),
        );
        return {};
      }
      const target = await this.connect(call, required(flags, 'to-kubeconfig'));
      try {
        call.progress('Performing move...');
        await this.runMove(() =>
          moveClusterApi({
            from: source.client,
            to: target.client,
            namespace,
            clusterName,
            dryRun: flags.values['dry-run'] === true,
            onProgress: progress,
          }),
        );
        return {};
      } finally {
        target.close();
      }
    } finally {
      source.close();
    }
  }

  private async runMove(operation: () => Promise<unknown>): Promise<void> {
    try {
      await operation();
    } catch (error) {
      const text = errorText(error);
      // A cluster that stopped answering mid-move is reported as clusterctl reports it (EKS-A retries on this).
      if (/ECONNREFUSED|ECONNRESET|socket hang up|NetworkError/.test(text)) {
        throw new ProgramExit(`Error: failed to connect to the management cluster: ${text}`);
      }
      throw new ProgramExit(`Error: ${text}`);
    }
  }

  private async getKubeconfig(call: ProgramCall, args: string[]): Promise<ProgramOutput> {
    const flags = parseFlags(args, { kubeconfig: { type: 'string' }, namespace: { type: 'string' } });
    const [name] = flags.positionals;
    if (!name) throw new ProgramExit('Error: please specify a workload cluster name');
    const namespace = str(flags, 'namespace') ?? 'default';
    const connection = await this.connect(call, required(flags, 'kubeconfig'));
    try {
      const secret = await connection.client.get({
        apiVersion: 'v1',
        kind: 'Secret',
        name: `${name}-kubeconfig`,
        namespace,
      });
      const value = (secret?.data as Json)?.value;
      if (!value) {
        throw new ProgramExit(
          `Error: failed to get kubeconfig for workload cluster "${name}": secrets "${name}-kubeconfig" not found`,
        );
      }
      return { stdout: Buffer.from(String(value), 'base64').toString('utf8') };
    } finally {
      connection.close();
    }
  }

  private async readConfig(call: ProgramCall, configPath: string | undefined): Promise<Json> {
    if (!configPath) return {};
    const file = resolvePath(call, configPath);
    const text = await readFileOr(
      file,
      (r) => `Error: failed to initialize the configuration reader: failed to read the config file: ${r}`,
    );
    try {
      return (YAML.parse(text) as Json) ?? {};
    } catch {
      throw new ProgramExit(
        `Error: failed to initialize the configuration reader: ${file} is not valid YAML`,
      );
    }
  }

  /** A provider argument, checked against the catalog and the config's provider list. */
  private requested(type: ClusterctlProviderType, arg: string, config: Json): Requested {
    const colon = arg.lastIndexOf(':');
    const name = colon > 0 ? arg.slice(0, colon) : arg;
    const version = colon > 0 ? arg.slice(colon + 1) : '';
    const provider = findProvider(type, name);
    const listed = ((config.providers ?? []) as Json[]).find((p) => p?.name === name && p?.type === type);
    if (!provider || !listed) {
      throw new ProgramExit(
        `Error: failed to get provider components for the "${name}" provider: failed to get configuration for the ${type} with name ${name}. Please run clusterctl config repositories to get a list of available providers`,
      );
    }
    if (!/^v\d+\.\d+\.\d+/.test(version)) {
      throw new ProgramExit(
        `Error: invalid provider version "${version}" for ${name}: expected v<major>.<minor>.<patch>`,
      );
    }
    return { provider, version, url: String(listed.url ?? '') };
  }

  /** clusterctl reads the components from the configured URL: a local file here (no network on the site). */
  private async checkComponents(call: ProgramCall, requested: Requested): Promise<void> {
    const fail = (reason: string) =>
      `Error: failed to get provider components for the "${requested.provider.name}" provider: failed to read "${requested.url}": ${reason}`;
    if (/^https?:\/\//.test(requested.url)) {
      throw new ProgramExit(fail('the simulated site has no network: point the config at local files'));
    }
    await readFileOr(resolvePath(call, requested.url), fail);
  }

  private async ensureInventoryCrd(connection: ToolConnection): Promise<void> {
    await this.createOrReplace(connection, inventoryCrd() as unknown as KubeObject);
    await connection.client.waitForCrdsEstablished(['providers.clusterctl.cluster.x-k8s.io'], {
      timeoutMs: 60_000,
    });
  }

  private async ensureCertManager(
    call: ProgramCall,
    connection: ToolConnection,
    config: Json,
  ): Promise<void> {
    const existing = await connection.client.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: CERT_MANAGER.deployments[0],
      namespace: CERT_MANAGER.namespace,
    });
    if (existing) return;
    const version: string = config['cert-manager']?.version ?? CERT_MANAGER.defaultVersion;
    call.progress(`Installing cert-manager version="${version}"`);
    const labels = { [CLUSTERCTL_LABEL]: '', [`${CLUSTERCTL_LABEL}/core`]: 'cert-manager' };
    const annotations = { 'cert-manager.clusterctl.cluster.x-k8s.io/version': version };
    await this.createOrReplace(connection, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: CERT_MANAGER.namespace, labels, annotations },
    });
    for (const name of CERT_MANAGER.deployments) {
      await this.createOrReplace(
        connection,
        deployment(
          name,
          CERT_MANAGER.namespace,
          labels,
          annotations,
          `quay.io/jetstack/${name}-controller:${version}`,
          name,
        ),
      );
    }
    call.progress('Waiting for cert-manager to be available...');
  }

  /** Creates (or, for an upgrade, replaces) a provider's namespace, CRDs, Deployment and inventory entry. */
  private async install(connection: ToolConnection, requested: Requested, upgrade = false): Promise<void> {
    const { provider, version } = requested;
    const labels = { [CLUSTERCTL_LABEL]: '', [PROVIDER_LABEL]: provider.label };
    await this.createOrReplace(connection, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: provider.namespace, labels },
    });
    const crds = providerCrds(provider, version);
    for (const crd of crds) await this.createOrReplace(connection, crd as unknown as KubeObject, upgrade);
    await connection.client.waitForCrdsEstablished(
      crds.map((c) => c.metadata.name),
      { timeoutMs: 60_000 },
    );
    await this.createOrReplace(
      connection,
      deployment(
        provider.deployment,
        provider.namespace,
        labels,
        {},
        `registry.k8s.io/simulated/${provider.label}:${version}`,
        'manager',
      ),
      upgrade,
    );
    await this.createOrReplace(
      connection,
      {
        apiVersion: 'clusterctl.cluster.x-k8s.io/v1alpha3',
        kind: 'Provider',
        metadata: {
          name: provider.label,
          namespace: provider.namespace,
          labels: { ...labels, [`${CLUSTERCTL_LABEL}/core`]: 'inventory' },
        },
        providerName: provider.name,
        type: provider.type,
        version,
      },
      true,
    );
  }

  private async createOrReplace(
    connection: ToolConnection,
    object: KubeObject,
    replace = true,
  ): Promise<void> {
    try {
      await connection.client.create(object);
    } catch (error) {
      if (!isAlreadyExists(error) || !replace) {
        if (isAlreadyExists(error)) return;
        throw error;
      }
      const existing = await connection.client.get({
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name!,
        namespace: object.metadata.namespace,
      });
      if (!existing) throw error;
      await connection.client.update({
        ...existing,
        ...object,
        metadata: {
          ...existing.metadata,
          labels: { ...existing.metadata.labels, ...object.metadata.labels },
          annotations: { ...existing.metadata.annotations, ...object.metadata.annotations },
        },
        ...('status' in existing ? { status: existing.status } : {}),
      });
    }
  }
}

function deployment(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  image: string,
  container: string,
): KubeObject {
  const selector = { 'control-plane': 'controller-manager', 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels, annotations },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...selector, ...labels } },
        spec: { containers: [{ name: container, image, args: ['--leader-elect'] }] },
      },
    },
  };
}
