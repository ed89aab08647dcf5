/**
 * A simulated site with instant controllers, for the workflow tests: kind clusters and workload clusters are
 * simulated API servers (HTTPS on loopback), the programs are in-process fakes implementing the `tools`
 * interfaces, and two controllers run in every cluster — Deployments become Available, and a CAPI controller
 * provisions Clusters at once (etcd ready, machines with nodes, control plane initialized, kubeconfig Secret, a new
 * API server for the workload cluster). It records every program run and every write the workflow sends, in order,
 * and injects faults (a program failing, the Nth API request failing, a controller stopped).
 *
 * This is a stand-in written for these tests until the project's simulated site (src/testing, `createSimulatedSite`)
 * lands; the workflow sees only the `Site` interface, so swapping it changes no test.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify, parse } from 'yaml';
import { moveClusterApi } from '../../../src/capi/move/move-cluster-api';
import { HttpKubeClient } from '../../../src/kube/client';
import type { KubeClient, KubeObject } from '../../../src/kube/types';
import type { FetchFunction } from '../../../src/spec/bundles/versions-bundles';
import type { FaultRule } from '../../../src/testing/api-server/faults';
import { SimulatedApiServer } from '../../../src/testing/api-server/server';
import { GENERATED_CRDS } from '../../../src/testing/generated/crds';
import type {
  ClusterctlCli,
  ClusterctlInitOptions,
  ClusterctlProvider,
} from '../../../src/tools/clusterctl-cli';
import type { DockerCli } from '../../../src/tools/docker-cli';
import type { FluxCli } from '../../../src/tools/flux-cli';
import type { HelmCli } from '../../../src/tools/helm-cli';
import type { KindCli } from '../../../src/tools/kind-cli';
import type { Preflight, ToolName } from '../../../src/tools/preflight';
import { ToolError } from '../../../src/tools/process-runner';
import type { Tools } from '../../../src/tools/tools';
import { httpConnector, type ClusterConnector } from '../../../src/workflow/cluster-connection';
import { LocalFileStore, type FileStore } from '../../../src/workflow/file-store';
import { MemoryJournal } from '../../../src/workflow/journal';
import type { WorkflowLogger } from '../../../src/workflow/logger';
import { createLocalSite, type Site } from '../../../src/workflow/site';

/** One thing that happened, in order: a program run or a write the workflow sent to a cluster. */
export type Operation =
  | { readonly type: 'tool'; readonly program: string; readonly verb: string; readonly target?: string }
  | {
      readonly type: 'file';
      readonly verb: 'write' | 'rename' | 'remove';
      readonly path: string;
      readonly to?: string;
    }
  | {
      /** A machine group (or external etcd) finished replacing its machines in the simulated cluster. */
      readonly type: 'rollout';
      readonly cluster: string;
      readonly kind: string;
      readonly name: string;
      /** Machines replaced. */
      readonly machines: number;
      /** The Kubernetes version the group runs after the roll (control plane and workers). */
      readonly version?: string;
    }
  | {
      readonly type: 'api';
      readonly cluster: string;
      readonly verb: 'apply' | 'create' | 'update' | 'updateStatus' | 'mergePatch' | 'delete';
      readonly kind: string;
      readonly name: string;
      readonly namespace?: string;
      /** The object carried EKS-A's paused annotation (applies and creates). */
      readonly paused?: boolean;
    };

interface SimCluster {
  readonly name: string;
  readonly role: 'kind' | 'workload';
  readonly server: SimulatedApiServer;
}

/** A program call that fails: the program, a verb prefix (`create cluster`, `init`), how many times. */
interface ToolFault {
  readonly program: ToolName;
  readonly verb: string;
  /** Matching calls to let through first. */
  skip: number;
  remaining: number;
  readonly message: string;
}

const CAPI = 'cluster.x-k8s.io/v1beta2';
const KCP = 'controlplane.cluster.x-k8s.io/v1beta2';
const ETCD = 'etcdcluster.cluster.x-k8s.io/v1beta1';
const NS = 'eksa-system';

/** Resource paths of the kinds the fakes and controllers write in process. */
const RESOURCES: Readonly<
  Record<string, { group: string; version: string; plural: string; namespaced: boolean }>
> = {
  Namespace: { group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  Secret: { group: '', version: 'v1', plural: 'secrets', namespaced: true },
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
  CustomResourceDefinition: {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
  Provider: {
    group: 'clusterctl.cluster.x-k8s.io',
    version: 'v1alpha3',
    plural: 'providers',
    namespaced: true,
  },
  Cluster: { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'clusters', namespaced: true },
  Machine: { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'machines', namespaced: true },
  MachineDeployment: {
    group: 'cluster.x-k8s.io',
    version: 'v1beta2',
    plural: 'machinedeployments',
    namespaced: true,
  },
  KubeadmControlPlane: {
    group: 'controlplane.cluster.x-k8s.io',
    version: 'v1beta2',
    plural: 'kubeadmcontrolplanes',
    namespaced: true,
  },
  EtcdadmCluster: {
    group: 'etcdcluster.cluster.x-k8s.io',
    version: 'v1beta1',
    plural: 'etcdadmclusters',
    namespaced: true,
  },
};

function resourcePath(kind: string, namespace?: string, name?: string, sub?: string): string {
  const r = RESOURCES[kind];
  if (!r) throw new Error(`instant site: no path for ${kind}`);
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${namespace}` : '';
  return `${base}${ns}/${r.plural}${name ? `/${name}` : ''}${sub ? `/${sub}` : ''}`;
}

/** In-process access to a simulated server (no HTTP, faults or request log): what controllers use. */
class InProcess {
  public constructor(private readonly server: SimulatedApiServer) {}

  public get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const r = this.server.call({ method: 'GET', path: resourcePath(kind, namespace, name) });
    return r.status === 200 ? (r.body as KubeObject) : undefined;
  }

  public list(kind: string, namespace?: string): KubeObject[] {
    const r = this.server.call({ method: 'GET', path: resourcePath(kind, namespace) });
    return r.status === 200 ? ((r.body as { items: KubeObject[] }).items ?? []) : [];
  }

  /** Creates the object unless it exists; returns it as stored. */
  public ensure(object: KubeObject): KubeObject {
    const existing = this.get(object.kind, object.metadata.namespace, object.metadata.name!);
    if (existing) return existing;
    const r = this.server.call({
      method: 'POST',
      path: resourcePath(object.kind, object.metadata.namespace),
      body: object,
      fieldManager: 'instant-site',
    });
    if (r.status >= 300) {
      throw new Error(
        `instant site: create ${object.kind} ${object.metadata.name}: ${JSON.stringify(r.body)}`,
      );
    }
    return r.body as KubeObject;
  }

  /** Objects of any resource path (`/apis/<group>/<version>/namespaces/<ns>/<plural>`). */
  public listPath(collection: string): KubeObject[] {
    const r = this.server.call({ method: 'GET', path: collection });
    return r.status === 200 ? ((r.body as { items: KubeObject[] }).items ?? []) : [];
  }

  /** Adds an owner reference (as the owning controller would) unless the object has it. */
  public adopt(collection: string, object: KubeObject, owner: KubeObject): void {
    const refs = object.metadata.ownerReferences ?? [];
    if (refs.some((r) => r.uid === owner.metadata.uid)) return;
    const r = this.server.call({
      method: 'PATCH',
      path: `${collection}/${object.metadata.name}`,
      body: {
        metadata: {
          ownerReferences: [
            ...refs,
            {
              apiVersion: owner.apiVersion,
              kind: owner.kind,
              name: owner.metadata.name,
              uid: owner.metadata.uid,
            },
          ],
        },
      },
      contentType: 'application/merge-patch+json',
      fieldManager: 'instant-site',
    });
    if (r.status >= 300) {
      throw new Error(`instant site: adopt ${object.metadata.name}: ${JSON.stringify(r.body)}`);
    }
  }

  public remove(kind: string, namespace: string | undefined, name: string): void {
    this.server.call({ method: 'DELETE', path: resourcePath(kind, namespace, name) });
  }

  public patchStatus(kind: string, namespace: string | undefined, name: string, status: unknown): void {
    const r = this.server.call({
      method: 'PATCH',
      path: resourcePath(kind, namespace, name, 'status'),
      body: { status },
      contentType: 'application/merge-patch+json',
      fieldManager: 'instant-site',
    });
    if (r.status >= 300) {
      throw new Error(`instant site: status of ${kind} ${name}: ${JSON.stringify(r.body)}`);
    }
  }
}

const TRUE = (type: string) => ({
  type,
  status: 'True',
  reason: 'Ready',
  message: '',
  lastTransitionTime: '2026-01-01T00:00:00Z',
});

export interface InstantSiteOptions {
  /** Extra environment for the workflow (credentials). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The simulated site, its recordings and its fault switches. */
export class InstantSite {
  public static async create(options: InstantSiteOptions = {}): Promise<InstantSite> {
    return new InstantSite(options);
  }

  public readonly workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-workflow-'));
  public readonly journal = new MemoryJournal();
  public readonly operations: Operation[] = [];
  /** Every line logged through the site's logger. */
  public readonly logLines: string[] = [];
  public readonly site: Site;
  /** Controllers switched off (`deployments`, `capi`): a stopped controller leaves waits to time out. */
  public readonly stopped = new Set<'deployments' | 'capi'>();
  /** Namespaces whose Deployments the controller leaves alone. */
  public readonly stoppedDeployments = new Set<string>();
  /** What the CAPI controller does (all on by default): switching one off makes the matching wait time out. */
  public readonly capi = { nodes: true, available: true, kubeconfigSecret: true };
  /** Manifest fetches that fail (by URI pattern). */
  public readonly fetchFaults: RegExp[] = [];
  /** Programs the preflight reports missing. */
  public readonly missingTools = new Set<ToolName>();
  /**
   * How long a rolling update takes: a changed machine group (or external etcd) reports itself rolling, then after
   * this delay its old machines are replaced. Long enough that a workflow not waiting for it would be caught.
   */
  public rollDelayMs = 40;
  /** Kinds whose rolling updates never finish (a controller stuck mid-roll): the matching wait times out. */
  public readonly stoppedRollouts = new Set<'EtcdadmCluster' | 'KubeadmControlPlane' | 'MachineDeployment'>();
  /** `name@version` of each provider `clusterctl upgrade apply` moved. */
  public readonly upgradedProviders: string[] = [];
  /** Rolls in progress (`<port>/<kind>/<name>`). */
  private readonly rolling = new Set<string>();
  private readonly clusters = new Map<string, SimCluster>();
  private readonly toolFaults: ToolFault[] = [];
  private readonly fileFaults: RegExp[] = [];
  private readonly removeFaults: RegExp[] = [];
  private readonly pendingApiFaults = new Map<string, FaultRule[]>();
  private readonly reconciling = new Set<SimulatedApiServer>();
  private readonly clients = new Map<string, Promise<HttpKubeClient>>();
  private closed = false;
  /** Requests answered by clusters that were deleted since. */
  private stoppedRequests = 0;
  private readonly starting = new Set<string>();

  private constructor(options: InstantSiteOptions) {
    const logger: WorkflowLogger = {
      info: (m) => this.logLines.push(`info ${m}`),
      warn: (m) => this.logLines.push(`warn ${m}`),
      error: (m) => this.logLines.push(`error ${m}`),
      debug: (m) => this.logLines.push(`debug ${m}`),
    };
    const files = this.recordingFiles(new LocalFileStore(this.workDir));
    this.site = createLocalSite({
      workDir: this.workDir,
      files,
      env: { ...options.env },
      tools: this.tools(),
      preflight: this.preflight,
      connect: this.recordingConnector(httpConnector((r) => files.resolve(r))),
      fetch: bundleFetch,
      fetchText: async (uri) => {
        if (this.fetchFaults.some((f) => f.test(uri))) throw new Error(`GET ${uri}: 503 Service Unavailable`);
        return manifestFor(uri);
      },
      logger,
      journal: this.journal,
      clock: {
        now: () => performance.now(),
        sleep: (ms, signal) =>
          new Promise((resolve, reject) => {
            const t = setTimeout(resolve, Math.min(ms, 20));
            signal?.addEventListener('abort', () => {
              clearTimeout(t);
              reject(signal.reason);
            });
          }),
        date: () => new Date(),
      },
    });
  }

  /** Names of the running kind clusters. */
  public kindClusters(): string[] {
    return [...this.clusters.values()].filter((c) => c.role === 'kind').map((c) => c.name);
  }

  /** A running cluster (kind or workload) by name. */
  public cluster(name: string): SimulatedApiServer | undefined {
    return this.clusters.get(name)?.server;
  }

  /** Makes the next `times` runs of `program <verb…>` fail with `message` (exit 1). */
  public failTool(
    program: ToolName,
    verb: string,
    options: { message?: string; times?: number; skip?: number } = {},
  ): void {
    this.toolFaults.push({
      program,
      verb,
      skip: options.skip ?? 0,
      remaining: options.times ?? 1,
      message: options.message ?? `simulated ${program} failure`,
    });
  }

  /** Makes writes (and renames) to paths matching `pattern` fail with EACCES. */
  public failFile(pattern: RegExp): void {
    this.fileFaults.push(pattern);
  }

  /** Makes removals of paths matching `pattern` fail with EACCES. */
  public failRemove(pattern: RegExp): void {
    this.removeFaults.push(pattern);
  }

  /** Adds an API fault to a cluster now, or as soon as a cluster of that name starts. */
  public failApi(cluster: string, rule: FaultRule): void {
    const running = this.clusters.get(cluster);
    if (running) running.server.faults.add(rule);
    else this.pendingApiFaults.set(cluster, [...(this.pendingApiFaults.get(cluster) ?? []), rule]);
  }

  public clearFaults(): void {
    this.toolFaults.length = 0;
    this.fileFaults.length = 0;
    this.removeFaults.length = 0;
    this.stoppedRollouts.clear();
    this.stoppedDeployments.clear();
    this.pendingApiFaults.clear();
    for (const c of this.clusters.values()) c.server.faults.clear();
    this.stopped.clear();
    this.missingTools.clear();
    this.fetchFaults.length = 0;
    Object.assign(this.capi, { nodes: true, available: true, kubeconfigSecret: true });
    // A controller switched back on picks up what it missed.
    for (const c of this.clusters.values()) this.schedule(c.server);
  }

  /** Every file under the working directory with its mode, relative path → mode. */
  public filesWithModes(): Map<string, number> {
    const out = new Map<string, number>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else out.set(path.relative(this.workDir, full), fs.statSync(full).mode % 0o1000);
      }
    };
    walk(this.workDir);
    return out;
  }

  /** Requests the workflow sent to every cluster (from the servers' request logs). */
  public apiRequestCount(): number {
    let n = 0;
    for (const c of this.clusters.values()) n += c.server.requests.count();
    return n + this.stoppedRequests;
  }

  public async close(): Promise<void> {
    this.closed = true;
    for (const client of this.clients.values()) (await client).close();
    for (const c of this.clusters.values()) await c.server.stop();
    this.clusters.clear();
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  // ---- the programs -------------------------------------------------------------------------------------------

  private tools(): Tools {
    const kind: KindCli = {
      createCluster: async (o) => {
        this.run('kind', `create cluster`, o.name);
        if (this.clusters.has(o.name)) {
          throw this.exit('kind', `node(s) already exist for a cluster with the name "${o.name}"`);
        }
        const config = parse(fs.readFileSync(o.configPath, 'utf8')) as { kind?: string };
        if (config.kind !== 'Cluster') throw this.exit('kind', `invalid config ${o.configPath}`);
        const cluster = await this.startCluster(o.name, 'kind');
        fs.mkdirSync(path.dirname(o.kubeconfigPath), { recursive: true });
        fs.writeFileSync(o.kubeconfigPath, cluster.server.kubeconfig({ clusterName: `kind-${o.name}` }), {
          mode: 0o600,
        });
      },
      deleteCluster: async (name) => {
        this.run('kind', 'delete cluster', name);
        const c = this.clusters.get(name);
        if (c?.role === 'kind') {
          this.stoppedRequests += c.server.requests.count();
          await c.server.stop();
          this.clusters.delete(name);
        }
      },
      getClusters: async () => {
        this.run('kind', 'get clusters');
        return this.kindClusters();
      },
      getKubeconfig: async (name) => {
        this.run('kind', 'get kubeconfig', name);
        const c = this.clusters.get(name);
        if (!c) {
          throw this.exit('kind', `could not locate any control plane nodes for cluster named '${name}'`);
        }
        return c.server.kubeconfig({ clusterName: `kind-${name}` });
      },
    };
    const clusterctl: ClusterctlCli = {
      init: async (o) => {
        const target = this.clusterOf(o.kubeconfigPath);
        this.run('clusterctl', 'init', target.name);
        if (!fs.existsSync(o.configPath)) throw this.exit('clusterctl', `config ${o.configPath} not found`);
        await this.installProviders(target, o);
      },
      move: async (o) => {
        const from = this.clusterOf(o.fromKubeconfigPath);
        const to = this.clusterOf(o.toKubeconfigPath);
        this.run('clusterctl', 'move', `${from.name}->${to.name}`);
        await moveClusterApi({
          from: await this.adminClient(from),
          to: await this.adminClient(to),
          namespace: o.namespace,
          clusterName: o.filterCluster || undefined,
        });
      },
      moveToDirectory: async () => this.unsupported('clusterctl move --to-directory'),
      moveFromDirectory: async () => this.unsupported('clusterctl move --from-directory'),
      upgradeApply: async (o) => {
        const target = this.clusterOf(o.kubeconfigPath);
        this.run('clusterctl', 'upgrade apply', target.name);
        const api = new InProcess(target.server);
        const named = [
          ...(o.core ? [{ ...o.core, type: 'CoreProvider' }] : []),
          ...(o.bootstrap ?? []).map((p) => ({ ...p, type: 'BootstrapProvider' })),
          ...(o.controlPlane ?? []).map((p) => ({ ...p, type: 'ControlPlaneProvider' })),
          ...(o.infrastructure ?? []).map((p) => ({ ...p, type: 'InfrastructureProvider' })),
        ];
        for (const p of named) {
          const info = PROVIDERS[`${p.type}/${p.name}`];
          if (!info) throw this.exit('clusterctl', `unknown provider ${p.type} ${p.name}`);
          const inventory = api
            .listPath('/apis/clusterctl.cluster.x-k8s.io/v1alpha3/providers')
            .find((i) => i.metadata.name === info.label);
          if (!inventory) throw this.exit('clusterctl', `provider ${info.label} is not installed`);
          target.server.call({
            method: 'PATCH',
            path: `/apis/clusterctl.cluster.x-k8s.io/v1alpha3/namespaces/${inventory.metadata.namespace}/providers/${info.label}`,
            body: { version: p.version },
            contentType: 'application/merge-patch+json',
            fieldManager: 'clusterctl',
          });
          this.upgradedProviders.push(`${p.name}@${p.version}`);
        }
      },
      getKubeconfig: async () => this.unsupported('clusterctl get kubeconfig'),
    };
    const helm: HelmCli = {
      template: async (o) => {
        this.run('helm', 'template', o.chart);
        return ciliumManifest(o.namespace, o.version, (o.values ?? {}) as CiliumValues);
      },
      upgradeInstall: async (o) => {
        const target = this.clusterOf(o.kubeconfigPath);
        this.run('helm', 'upgrade --install', `${o.release}@${target.name}`);
        const api = new InProcess(target.server);
        api.ensure({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace } });
        const revisions = api
          .list('Secret', o.namespace)
          .filter((s) => s.metadata.labels?.name === o.release);
        api.ensure({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: `sh.helm.release.v1.${o.release}.v${revisions.length + 1}`,
            namespace: o.namespace,
            labels: {
              owner: 'helm',
              name: o.release,
              status: 'deployed',
              version: String(revisions.length + 1),
            },
          },
          type: 'helm.sh/release.v1',
          data: { release: Buffer.from('simulated').toString('base64') },
        });
      },
      uninstall: async (o) => {
        const target = this.clusterOf(o.kubeconfigPath);
        this.run('helm', 'uninstall', `${o.release}@${target.name}`);
        const api = new InProcess(target.server);
        const revisions = api
          .list('Secret', o.namespace)
          .filter((x) => x.metadata.labels?.name === o.release);
        for (const r of revisions) api.remove('Secret', o.namespace, r.metadata.name!);
        return revisions.length > 0 ? 'uninstalled' : 'not-found';
      },
    };
    const flux: FluxCli = {
      bootstrapGithub: async (o) =>
        this.fluxBootstrap(o.kubeconfigPath, o.namespace ?? 'flux-system', 'github'),
      bootstrapGit: async (o) => this.fluxBootstrap(o.kubeconfigPath, o.namespace ?? 'flux-system', 'git'),
      suspendKustomization: async (ref) =>
        this.fluxKustomization(ref.kubeconfigPath, 'suspend ks', ref, true),
      resumeKustomization: async (ref) => this.fluxKustomization(ref.kubeconfigPath, 'resume ks', ref, false),
      reconcileSourceGit: async (ref) => {
        const target = this.clusterOf(ref.kubeconfigPath);
        this.run('flux', 'reconcile source git', `${ref.name}@${target.name}`);
      },
    };
    const docker: DockerCli = {
      hostPort: async (container, port) => {
        this.run('docker', 'port', `${container} ${port}`);
        const cluster = this.clusters.get(container.replace(/-lb$/, ''));
        if (!cluster || cluster.role !== 'workload') {
          throw this.exit('docker', `Error: No such container: ${container}`);
        }
        return { hostIp: '0.0.0.0', port: cluster.server.port };
      },
      info: async () => {
        this.run('docker', 'info');
        return { serverVersion: '27.0.0', memTotalBytes: 16e9 };
      },
    };
    return { kind, clusterctl, helm, flux, docker };
  }

  private readonly preflight: Preflight = async (requirements) => {
    this.operations.push({
      type: 'tool',
      program: 'preflight',
      verb: requirements.map((r) => r.tool).join(','),
    });
    const problems = requirements
      .filter((r) => this.missingTools.has(r.tool))
      .map((r) => ({
        tool: r.tool,
        kind: 'missing' as const,
        minVersion: r.minVersion ?? '0',
        message: `${r.tool}: not found on PATH (simulated)`,
        reasons: r.reason ? [r.reason] : [],
        install: { url: `https://example.invalid/${r.tool}` },
      }));
    return { checks: [], problems, warnings: [] };
  };

  private run(program: ToolName, verb: string, target?: string): void {
    this.operations.push({ type: 'tool', program, verb, ...(target ? { target } : {}) });
    const fault = this.toolFaults.find(
      (f) => f.program === program && verb.startsWith(f.verb) && f.remaining > 0,
    );
    if (fault) {
      if (fault.skip > 0) {
        fault.skip--;
        return;
      }
      fault.remaining--;
      throw this.exit(program, fault.message);
    }
  }

  private exit(program: string, stderr: string): ToolError {
    return new ToolError({ program, failure: 'exit', exitCode: 1, command: program, stderrTail: stderr });
  }

  private unsupported(what: string): never {
    throw new Error(`instant site: ${what} is not simulated`);
  }

  private clusterOf(kubeconfigPath: string): SimCluster {
    const text = fs.readFileSync(path.resolve(this.workDir, kubeconfigPath), 'utf8');
    const server = (parse(text) as { clusters: { cluster: { server: string } }[] }).clusters[0].cluster
      .server;
    const port = Number(new URL(server).port);
    const found = [...this.clusters.values()].find((c) => c.server.port === port);
    if (!found) {
      throw this.exit('kubectl', `Unable to connect to the server: dial tcp ${server}: connection refused`);
    }
    return found;
  }

  private fluxKustomization(
    kubeconfigPath: string,
    verb: string,
    ref: { name: string; namespace?: string },
    suspend: boolean,
  ): void {
    const target = this.clusterOf(kubeconfigPath);
    this.run('flux', verb, `${ref.name}@${target.name}`);
    target.server.call({
      method: 'PATCH',
      path: `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ref.namespace ?? 'flux-system'}/kustomizations/${ref.name}`,
      body: { spec: { suspend } },
      contentType: 'application/merge-patch+json',
      fieldManager: 'flux',
    });
  }

  private fluxBootstrap(kubeconfigPath: string, namespace: string, provider: string): void {
    const target = this.clusterOf(kubeconfigPath);
    this.run('flux', `bootstrap ${provider}`, target.name);
    const api = new InProcess(target.server);
    api.ensure({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    api.ensure(deployment(namespace, 'source-controller'));
  }

  private async installProviders(target: SimCluster, o: ClusterctlInitOptions): Promise<void> {
    const api = new InProcess(target.server);
    if (o.core) {
      for (const crd of GENERATED_CRDS) {
        const group = crd.spec.group;
        if (group === 'anywhere.eks.amazonaws.com') continue;
        const provider = providerLabelOf(crd.metadata.name);
        api.ensure({
          ...(withEksaForkFields(crd) as unknown as KubeObject),
          metadata: {
            ...crd.metadata,
            labels: { 'clusterctl.cluster.x-k8s.io': '', 'cluster.x-k8s.io/provider': provider },
          },
        });
      }
      // CRDs are Established on a later turn of the event loop (later still on a loaded machine): wait until the
      // last kinds written below are served, as clusterctl waits for its CRDs.
      for (let i = 0; i < 400; i++) {
        const served = [
          '/apis/clusterctl.cluster.x-k8s.io/v1alpha3/providers',
          `/apis/cluster.x-k8s.io/v1beta2/clusters`,
        ].every((collection) => target.server.call({ method: 'GET', path: collection }).status === 200);
        if (served) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      for (const name of ['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook']) {
        api.ensure({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cert-manager' } });
        api.ensure(deployment('cert-manager', name));
      }
    }
    const add = (p: ClusterctlProvider, type: string) => {
      const info = PROVIDERS[`${type}/${p.name}`];
      if (!info) throw this.exit('clusterctl', `unknown provider ${type} ${p.name}`);
      api.ensure({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: info.namespace } });
      api.ensure(deployment(info.namespace, info.deployment));
      api.ensure({
        apiVersion: 'clusterctl.cluster.x-k8s.io/v1alpha3',
        kind: 'Provider',
        metadata: {
          name: info.label,
          namespace: info.namespace,
          labels: {
            'clusterctl.cluster.x-k8s.io': '',
            'cluster.x-k8s.io/provider': info.label,
            'clusterctl.cluster.x-k8s.io/core': 'inventory',
          },
        },
        providerName: p.name,
        type,
        version: p.version,
      } as KubeObject);
    };
    if (o.core) add(o.core, 'CoreProvider');
    for (const p of o.bootstrap ?? []) add(p, 'BootstrapProvider');
    for (const p of o.controlPlane ?? []) add(p, 'ControlPlaneProvider');
    for (const p of o.infrastructure ?? []) add(p, 'InfrastructureProvider');
  }

  // ---- clusters and controllers -------------------------------------------------------------------------------

  private async startCluster(name: string, role: SimCluster['role']): Promise<SimCluster> {
    const server = await SimulatedApiServer.start({ name, crdEstablishDelayMs: 0 });
    const cluster: SimCluster = { name, role, server };
    this.clusters.set(name, cluster);
    for (const rule of this.pendingApiFaults.get(name) ?? []) server.faults.add(rule);
    this.pendingApiFaults.delete(name);
    server.onChange(() => this.schedule(server));
    return cluster;
  }

  private adminClient(cluster: SimCluster): Promise<HttpKubeClient> {
    const key = `${cluster.name}:${cluster.server.port}`;
    let client = this.clients.get(key);
    if (!client) {
      client = HttpKubeClient.connect({
        kubeconfig: { yaml: cluster.server.kubeconfig(), name: cluster.name },
        fieldManager: 'clusterctl',
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private schedule(server: SimulatedApiServer): void {
    if (this.reconciling.has(server) || this.closed) return;
    this.reconciling.add(server);
    setImmediate(() => {
      this.reconciling.delete(server);
      if (this.closed) return;
      try {
        this.reconcile(server);
      } catch (error) {
        // A write raced with the workflow (a move deleting objects): the next event reconciles again.
        if (!/not found|NotFound|conflict|Conflict/i.test(String(error))) throw error;
      }
    });
  }

  private reconcile(server: SimulatedApiServer): void {
    const api = new InProcess(server);
    if (!this.stopped.has('deployments')) {
      for (const d of api.list('Deployment')) {
        if (this.stoppedDeployments.has(d.metadata.namespace!)) continue;
        const status = d.status as { observedGeneration?: number } | undefined;
        if (status?.observedGeneration === d.metadata.generation) continue;
        api.patchStatus('Deployment', d.metadata.namespace, d.metadata.name!, {
          observedGeneration: d.metadata.generation,
          replicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
        });
      }
    }
    if (this.stopped.has('capi')) return;
    for (const cluster of api.list('Cluster')) this.reconcileCluster(server, api, cluster);
    this.reapWorkloadClusters();
  }

  /** The name of a running cluster's server. */
  private nameOf(server: SimulatedApiServer): string {
    return [...this.clusters.values()].find((c) => c.server === server)?.name ?? `port ${server.port}`;
  }

  /**
   * A workload cluster whose CAPI Cluster no cluster holds any more was deleted by CAPI: its machines (here, its
   * API server) are gone.
   */
  private reapWorkloadClusters(): void {
    for (const c of [...this.clusters.values()]) {
      if (c.role !== 'workload' || this.starting.has(c.name)) continue;
      const held = [...this.clusters.values()].some(
        (holder) => new InProcess(holder.server).get('Cluster', NS, c.name) !== undefined,
      );
      if (held) continue;
      this.clusters.delete(c.name);
      this.stoppedRequests += c.server.requests.count();
      this.operations.push({
        type: 'tool',
        program: 'docker',
        verb: 'rm (machines of a deleted cluster)',
        target: c.name,
      });
      void c.server.stop();
    }
  }

  private reconcileCluster(server: SimulatedApiServer, api: InProcess, cluster: KubeObject): void {
    const spec = cluster.spec as {
      paused?: boolean;
      controlPlaneRef?: { name: string };
      managedExternalEtcdRef?: { name: string };
    };
    if (spec.paused || cluster.metadata.deletionTimestamp) return;
    const name = cluster.metadata.name!;
    const ns = cluster.metadata.namespace!;
    const owner = (o: KubeObject) => [
      {
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.metadata.name!,
        uid: o.metadata.uid!,
        controller: true,
      },
    ];
    const etcd = spec.managedExternalEtcdRef
      ? api.get('EtcdadmCluster', ns, spec.managedExternalEtcdRef.name)
      : undefined;
    if (etcd) {
      const status = etcd.status as { ready?: boolean; observedGeneration?: number } | undefined;
      const key = `${server.port}/EtcdadmCluster/${etcd.metadata.name}`;
      if (status?.ready !== true && status?.observedGeneration === undefined) {
        // Created: the members come up at once.
        api.patchStatus('EtcdadmCluster', ns, etcd.metadata.name!, {
          ready: true,
          initialized: true,
          creationComplete: true,
          observedGeneration: etcd.metadata.generation,
        });
      } else if (status?.observedGeneration !== etcd.metadata.generation && !this.rolling.has(key)) {
        // A changed spec: etcdadm replaces the members one by one; not ready until the last one is.
        this.rolling.add(key);
        const generation = etcd.metadata.generation;
        const replicas = (etcd.spec as { replicas?: number }).replicas ?? 1;
        api.patchStatus('EtcdadmCluster', ns, etcd.metadata.name!, {
          ready: false,
          observedGeneration: generation,
        });
        setTimeout(() => {
          this.rolling.delete(key);
          if (this.closed || !this.clusters.has(this.nameOf(server))) return;
          if (this.stoppedRollouts.has('EtcdadmCluster')) {
            // Stuck: the roll starts over (and stays stuck) until the controller is switched back on.
            api.patchStatus('EtcdadmCluster', ns, etcd.metadata.name!, {
              observedGeneration: (generation ?? 1) - 1,
            });
            return;
          }
          api.patchStatus('EtcdadmCluster', ns, etcd.metadata.name!, {
            ready: true,
            observedGeneration: generation,
          });
          this.operations.push({
            type: 'rollout',
            cluster: this.nameOf(server),
            kind: 'EtcdadmCluster',
            name: etcd.metadata.name!,
            machines: replicas,
          });
          this.schedule(server);
        }, this.rollDelayMs);
      }
    }
    // CAPI's controllers make the Cluster the owner of the objects it is made of (what a move follows).
    for (const collection of OWNED_COLLECTIONS) {
      const at = `${collection.replace('{ns}', ns)}`;
      for (const o of api.listPath(at)) {
        const n = o.metadata.name!;
        if (n === name || n.startsWith(`${name}-`)) api.adopt(at, o, cluster);
      }
    }
    const workload = this.clusters.get(name);
    if (!workload) {
      // The machines come up: a new API server for the cluster (started once; the next event carries on).
      if (!this.starting.has(name)) {
        this.starting.add(name);
        void this.startCluster(name, 'workload').then(() => {
          this.starting.delete(name);
          this.schedule(server);
        });
      }
      return;
    }
    if (this.capi.kubeconfigSecret) {
      api.ensure({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: `${name}-kubeconfig`,
          namespace: ns,
          labels: { 'cluster.x-k8s.io/cluster-name': name },
          ownerReferences: owner(cluster),
        },
        type: 'cluster.x-k8s.io/secret',
        data: {
          value: Buffer.from(
            workload.server.kubeconfig({
              clusterName: name,
              userName: `${name}-admin`,
              server: `https://172.18.0.5:6443`,
            }),
          ).toString('base64'),
        },
      } as KubeObject);
    }
    const kcp = spec.controlPlaneRef
      ? api.get('KubeadmControlPlane', ns, spec.controlPlaneRef.name)
      : undefined;
    const groups: KubeObject[] = [
      ...(kcp ? [kcp] : []),
      ...api
        .list('MachineDeployment', ns)
        .filter((md) => (md.spec as { clusterName?: string }).clusterName === name),
    ];
    for (const group of groups) {
      const replicas = (group.spec as { replicas?: number }).replicas ?? 1;
      const isCp = group.kind === 'KubeadmControlPlane';
      const hash = machineTemplateHash(group);
      const owned = api
        .list('Machine', ns)
        .filter((m) => (m.metadata.ownerReferences ?? []).some((r) => r.uid === group.metadata.uid));
      const outdated = owned.filter((m) => m.metadata.labels?.[TEMPLATE_HASH_LABEL] !== hash);
      const key = `${server.port}/${group.kind}/${group.metadata.name}`;
      if (outdated.length > 0) {
        // A rolling update: reported as rolling (the old machines still run), then the old machines are replaced.
        if (!this.capi.nodes || this.rolling.has(key)) continue;
        this.rolling.add(key);
        const previous = group.status as { version?: string } | undefined;
        api.patchStatus(group.kind, ns, group.metadata.name!, {
          observedGeneration: group.metadata.generation,
          replicas: owned.length,
          readyReplicas: owned.length,
          availableReplicas: owned.length,
          upToDateReplicas: owned.length - outdated.length,
          ...(isCp && previous?.version ? { version: previous.version } : {}),
        });
        const version = group.spec as { version?: string; template?: { spec?: { version?: string } } };
        setTimeout(() => {
          this.rolling.delete(key);
          if (this.closed || !this.clusters.has(this.nameOf(server))) return;
          if (this.stoppedRollouts.has(group.kind as 'KubeadmControlPlane')) return;
          for (const m of outdated) api.remove('Machine', ns, m.metadata.name!);
          this.operations.push({
            type: 'rollout',
            cluster: this.nameOf(server),
            kind: group.kind,
            name: group.metadata.name!,
            machines: outdated.length,
            ...((version.version ?? version.template?.spec?.version)
              ? { version: version.version ?? version.template?.spec?.version }
              : {}),
          });
          this.schedule(server);
        }, this.rollDelayMs);
        continue;
      }
      // Scaled down: the machines beyond the count go.
      for (const m of owned) {
        const index = Number(/-(\d+)$/.exec(m.metadata.name!)?.[1] ?? 0);
        if (index >= replicas) api.remove('Machine', ns, m.metadata.name!);
      }
      for (let i = 0; i < replicas; i++) {
        const machine = api.ensure({
          apiVersion: CAPI,
          kind: 'Machine',
          metadata: {
            name: `${group.metadata.name}-${hash}-${i}`,
            namespace: ns,
            labels: {
              'cluster.x-k8s.io/cluster-name': name,
              [TEMPLATE_HASH_LABEL]: hash,
              ...(isCp
                ? { 'cluster.x-k8s.io/control-plane': '' }
                : { 'cluster.x-k8s.io/deployment-name': group.metadata.name! }),
            },
            ownerReferences: owner(group),
          },
          spec: {
            clusterName: name,
            bootstrap: { dataSecretName: `${group.metadata.name}-${hash}-${i}-bootstrap` },
            infrastructureRef: {
              apiGroup: 'infrastructure.cluster.x-k8s.io',
              kind: 'DockerMachine',
              name: `${group.metadata.name}-${hash}-${i}`,
            },
          },
        } as KubeObject);
        if (this.capi.nodes && !(machine.status as { nodeRef?: unknown } | undefined)?.nodeRef) {
          api.patchStatus('Machine', ns, machine.metadata.name!, {
            nodeRef: { name: machine.metadata.name },
            phase: 'Running',
            conditions: [TRUE('Ready'), TRUE('NodeHealthy')],
          });
        }
      }
      const status = group.status as
        | { readyReplicas?: number; observedGeneration?: number; upToDateReplicas?: number; version?: string }
        | undefined;
      if (!this.capi.nodes) continue;
      const specVersion = (group.spec as { version?: string }).version;
      if (
        status?.readyReplicas !== replicas ||
        status.upToDateReplicas !== replicas ||
        status.observedGeneration !== group.metadata.generation ||
        (isCp && status.version !== specVersion)
      ) {
        api.patchStatus(group.kind, ns, group.metadata.name!, {
          observedGeneration: group.metadata.generation,
          replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          upToDateReplicas: replicas,
          ...(isCp
            ? {
                initialization: { controlPlaneInitialized: true },
                version: specVersion,
              }
            : {}),
          conditions: [TRUE('Available')],
        });
      }
    }
    const status = cluster.status as
      { phase?: string; observedGeneration?: number; conditions?: { type: string }[] } | undefined;
    const available = this.capi.available && this.capi.nodes;
    const hasAvailable = (status?.conditions ?? []).some((c) => c.type === 'Available');
    if (
      status?.phase !== 'Provisioned' ||
      status.observedGeneration !== cluster.metadata.generation ||
      hasAvailable !== available
    ) {
      api.patchStatus('Cluster', ns, name, {
        observedGeneration: cluster.metadata.generation,
        phase: 'Provisioned',
        initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true },
        conditions: [
          'InfrastructureReady',
          'ControlPlaneInitialized',
          'ControlPlaneAvailable',
          ...(available ? ['WorkersAvailable', 'Available'] : []),
        ].map(TRUE),
      });
    }
  }

  // ---- recording the workflow's writes ------------------------------------------------------------------------

  private recordingFiles(inner: FileStore): FileStore {
    const check = (p: string) => {
      if (this.fileFaults.some((f) => f.test(p))) {
        throw Object.assign(new Error(`EACCES: permission denied, open '${inner.resolve(p)}'`), {
          code: 'EACCES',
        });
      }
    };
    return {
      root: inner.root,
      resolve: (p) => inner.resolve(p),
      readText: (p) => inner.readText(p),
      exists: (p) => inner.exists(p),
      list: (p) => inner.list(p),
      mode: (p) => inner.mode(p),
      writeText: async (p, content, options) => {
        check(p);
        this.operations.push({ type: 'file', verb: 'write', path: p });
        return inner.writeText(p, content, options);
      },
      rename: async (from, to, options) => {
        check(to);
        this.operations.push({ type: 'file', verb: 'rename', path: from, to });
        return inner.rename(from, to, options);
      },
      remove: async (p) => {
        if (this.removeFaults.some((f) => f.test(p))) {
          throw Object.assign(new Error(`EACCES: permission denied, unlink '${inner.resolve(p)}'`), {
            code: 'EACCES',
          });
        }
        this.operations.push({ type: 'file', verb: 'remove', path: p });
        return inner.remove(p);
      },
    };
  }

  private recordingConnector(inner: ClusterConnector): ClusterConnector {
    return async (source, options) => {
      const connection = await inner(source, options);
      const text =
        'file' in source ? fs.readFileSync(path.resolve(this.workDir, source.file), 'utf8') : source.yaml;
      const server = (parse(text) as { clusters: { cluster: { server: string } }[] }).clusters[0].cluster
        .server;
      const port = Number(new URL(server).port);
      const label = () =>
        [...this.clusters.values()].find((c) => c.server.port === port)?.name ?? `port ${port}`;
      const client = connection.client;
      const record = (
        verb: Extract<Operation, { type: 'api' }>['verb'],
        o: {
          kind: string;
          name?: string;
          namespace?: string;
          metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
        },
      ) =>
        this.operations.push({
          ...(o.metadata?.annotations?.['anywhere.eks.amazonaws.com/paused'] === 'true'
            ? { paused: true }
            : {}),
          type: 'api',
          cluster: label(),
          verb,
          kind: o.kind,
          name: o.name ?? o.metadata?.name ?? '',
          ...((o.namespace ?? o.metadata?.namespace)
            ? { namespace: o.namespace ?? o.metadata?.namespace }
            : {}),
        });
      const recording: KubeClient = {
        resource: (a, k) => client.resource(a, k),
        get: (ref) => client.get(ref),
        list: (a, k, o) => client.list(a, k, o),
        waitFor: (ref, p, o) => client.waitFor(ref, p, o),
        create: (o) => (record('create', o), client.create(o)),
        update: (o) => (record('update', o), client.update(o)),
        updateStatus: (o) => (record('updateStatus', o), client.updateStatus(o)),
        apply: (o, opts) => (record('apply', o), client.apply(o, opts)),
        mergePatch: (ref, p, opts) => (record('mergePatch', ref), client.mergePatch(ref, p, opts)),
        delete: (ref, opts) => (record('delete', ref), client.delete(ref, opts)),
      };
      return {
        client: recording,
        podLogs: (...a) => connection.podLogs(...a),
        close: () => connection.close(),
      };
    };
  }
}

/** Machines record the template they were made from; a machine of another template is replaced by a roll. */
const TEMPLATE_HASH_LABEL = 'sim.eksa-iac.dev/template-hash';

/** What a group's machines are made from: a KubeadmControlPlane's version, template and kubeadm config; a
 * MachineDeployment's machine template. Replicas are not part of it (scaling rolls nothing). */
function machineTemplateHash(group: KubeObject): string {
  const spec = (group.spec ?? {}) as Record<string, unknown>;
  const made =
    group.kind === 'KubeadmControlPlane'
      ? {
          version: spec.version,
          machineTemplate: spec.machineTemplate,
          kubeadmConfigSpec: spec.kubeadmConfigSpec,
        }
      : (spec.template as { spec?: unknown } | undefined)?.spec;
  return createHash('sha256')
    .update(JSON.stringify(made ?? {}))
    .digest('hex')
    .slice(0, 6);
}

/** What the Cluster owns once CAPI reconciled it, by collection path. */
const OWNED_COLLECTIONS = [
  '/apis/controlplane.cluster.x-k8s.io/v1beta2/namespaces/{ns}/kubeadmcontrolplanes',
  '/apis/cluster.x-k8s.io/v1beta2/namespaces/{ns}/machinedeployments',
  '/apis/cluster.x-k8s.io/v1beta2/namespaces/{ns}/machinehealthchecks',
  '/apis/bootstrap.cluster.x-k8s.io/v1beta2/namespaces/{ns}/kubeadmconfigtemplates',
  '/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/{ns}/dockerclusters',
  '/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/{ns}/dockermachinetemplates',
  '/apis/etcdcluster.cluster.x-k8s.io/v1beta1/namespaces/{ns}/etcdadmclusters',
];

const PROVIDERS: Readonly<Record<string, { namespace: string; deployment: string; label: string }>> = {
  'CoreProvider/cluster-api': {
    namespace: 'capi-system',
    deployment: 'capi-controller-manager',
    label: 'cluster-api',
  },
  'BootstrapProvider/kubeadm': {
    namespace: 'capi-kubeadm-bootstrap-system',
    deployment: 'capi-kubeadm-bootstrap-controller-manager',
    label: 'bootstrap-kubeadm',
  },
  'ControlPlaneProvider/kubeadm': {
    namespace: 'capi-kubeadm-control-plane-system',
    deployment: 'capi-kubeadm-control-plane-controller-manager',
    label: 'control-plane-kubeadm',
  },
  'BootstrapProvider/etcdadm-bootstrap': {
    namespace: 'etcdadm-bootstrap-provider-system',
    deployment: 'etcdadm-bootstrap-provider-controller-manager',
    label: 'bootstrap-etcdadm-bootstrap',
  },
  'BootstrapProvider/etcdadm-controller': {
    namespace: 'etcdadm-controller-system',
    deployment: 'etcdadm-controller-controller-manager',
    label: 'bootstrap-etcdadm-controller',
  },
  'InfrastructureProvider/docker': {
    namespace: 'capd-system',
    deployment: 'capd-controller-manager',
    label: 'infrastructure-docker',
  },
};

function providerLabelOf(crdName: string): string {
  if (crdName.endsWith('.controlplane.cluster.x-k8s.io')) return 'control-plane-kubeadm';
  if (crdName === 'etcdadmconfigs.bootstrap.cluster.x-k8s.io') return 'bootstrap-etcdadm-bootstrap';
  if (crdName.endsWith('.bootstrap.cluster.x-k8s.io')) return 'bootstrap-kubeadm';
  if (crdName.endsWith('.etcdcluster.cluster.x-k8s.io')) return 'bootstrap-etcdadm-controller';
  if (crdName.endsWith('.infrastructure.cluster.x-k8s.io')) return 'infrastructure-docker';
  return 'cluster-api';
}

/**
 * EKS-A runs its fork of Cluster API, whose Cluster has `spec.managedExternalEtcdRef` (research/eksa.md c.1); the
 * upstream CRDs the simulated server serves lack it, so it is added here as EKS-A's CRD has it.
 */
function withEksaForkFields<T extends Record<string, unknown>>(crd: T): T {
  if ((crd.metadata as { name: string }).name !== 'clusters.cluster.x-k8s.io') return crd;
  const copy = JSON.parse(JSON.stringify(crd)) as {
    spec: {
      versions: {
        schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } };
      }[];
    };
  };
  for (const v of copy.spec.versions) {
    v.schema.openAPIV3Schema.properties.spec.properties.managedExternalEtcdRef = {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    };
  }
  return copy as unknown as T;
}

function deployment(namespace: string, name: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'manager', image: `${name}:sim` }] },
      },
    },
  };
}

interface CiliumValues {
  image?: { repository?: string; tag?: string };
  operator?: { image?: { repository?: string; tag?: string } };
  policyEnforcementMode?: string;
  preflight?: { enabled?: boolean };
  agent?: boolean;
}

/**
 * What `helm template` of the Cilium chart renders, reduced to a few objects: the agent DaemonSet and the operator
 * Deployment with the images of the values (the chart appends `-generic` to the operator's repository), and
 * `cilium-config` with the policy mode; the preflight chart (`preflight.enabled`) renders its DaemonSet only.
 */
function ciliumManifest(namespace: string, version: string, values: CiliumValues): string {
  const image = (i: { repository?: string; tag?: string } | undefined, suffix = '') =>
    i?.repository ? `${i.repository}${suffix}:${i.tag}` : `public.ecr.aws/eks/cilium/cilium:v${version}`;
  const daemonSet = (name: string) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/version': version } },
    spec: {
      selector: { matchLabels: { 'k8s-app': name } },
      template: {
        metadata: { labels: { 'k8s-app': name } },
        spec: { containers: [{ name: 'cilium-agent', image: image(values.image) }] },
      },
    },
  });
  if (values.preflight?.enabled) return `---\n${stringify(daemonSet('cilium-pre-flight-check'))}`;
  const objects = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cilium', namespace } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cilium-config', namespace },
      data: { 'enable-policy': values.policyEnforcementMode ?? 'default' },
    },
    daemonSet('cilium'),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'cilium-operator', namespace },
      spec: {
        selector: { matchLabels: { 'io.cilium/app': 'operator' } },
        template: {
          metadata: { labels: { 'io.cilium/app': 'operator' } },
          spec: {
            containers: [{ name: 'cilium-operator', image: image(values.operator?.image, '-generic') }],
          },
        },
      },
    },
  ];
  return objects.map((o) => `---\n${stringify(o)}`).join('');
}

const SHARED_BUNDLES = path.resolve(__dirname, '../../../../shared/bundles');

/** Bundles and EKS-D releases are read from ../shared/bundles; nothing is downloaded. */
const bundleFetch: FetchFunction = async (url) => ({
  ok: false,
  status: 404,
  statusText: `instant site: no network (${url})`,
  text: async () => '',
});

/** The bundle's manifests (provider components, EKS-A components, EKS-D CRDs), as small stand-ins. */
function manifestFor(uri: string): string {
  if (uri.endsWith('eksa-components.yaml')) {
    const crds = GENERATED_CRDS.filter((c) => c.spec.group === 'anywhere.eks.amazonaws.com');
    return [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      ...crds,
      deployment(NS, 'eksa-controller-manager'),
    ]
      .map((o) => `---\n${stringify(o)}`)
      .join('');
  }
  if (uri.includes('releases.distro.eks.amazonaws.com')) return stringify(EKSD_RELEASE_CRD);
  // Provider components, metadata, cert-manager: clusterctl only needs them to exist in the local repository.
  return `# ${uri} (instant site stand-in)\n`;
}

const EKSD_RELEASE_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'releases.distro.eks.amazonaws.com' },
  spec: {
    group: 'distro.eks.amazonaws.com',
    scope: 'Namespaced',
    names: { plural: 'releases', singular: 'release', kind: 'Release', listKind: 'ReleaseList' },
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

/** The bundles inputs for ../shared/bundles (offline). */
export const OFFLINE_BUNDLES = {
  bundles: path.join(SHARED_BUNDLES, 'main-bundle-release.yaml'),
  eksdReleases: fs
    .readdirSync(SHARED_BUNDLES)
    .filter((f) => f.startsWith('kubernetes-'))
    .map((f) => path.join(SHARED_BUNDLES, f)),
  offline: true,
};

export { KCP, ETCD };
