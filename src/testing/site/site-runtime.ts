import { SimulatedDockerEngine, SimulatedContainer } from './docker-engine';
import { InvocationLog } from './invocation-log';
import { kubeconfigTarget, rewriteServers } from './kubeconfig-file';
import { SimulatedCluster, SimulatedClusterType } from './simulated-cluster';
import { SimulationSpeed } from './speed';
import { TimerSet } from './timers';
import { ToolFaults } from './tool-faults';
import { HttpKubeClient } from '../../kube/client';
import { RetryPolicy } from '../../kube/retry';
import { SimulatedApiServer, SimulatedController } from '../api-server/server';
import { StoreEvent } from '../api-server/store';

/** Something that happened on the site, for controllers that react to more than their own cluster. */
export type SiteEvent =
  | { readonly type: 'store'; readonly cluster: SimulatedCluster; readonly event: StoreEvent }
  | { readonly type: 'container'; readonly container: SimulatedContainer }
  /** A cluster's API started or stopped answering. */
  | { readonly type: 'serving'; readonly cluster: SimulatedCluster };

/** A failed reconcile pass or background step, kept for tests to assert on (and to debug with). */
export interface SiteError {
  readonly source: string;
  readonly cluster?: string;
  readonly message: string;
  readonly at: Date;
}

export interface StartClusterSpec {
  readonly name: string;
  readonly type: SimulatedClusterType;
  readonly kubernetesVersion: string;
  readonly endpointContainer: string;
  readonly builtInCni: boolean;
  /** Reset connections until {@link SimulatedCluster.setServing} is called. @default false */
  readonly startUnreachable?: boolean;
}

/** Starts the controllers every cluster runs (the kube-controller-manager of the simulation). */
export type ClusterBootstrapper = (runtime: SiteRuntime, cluster: SimulatedCluster) => SimulatedController[];

/** Short retries: a simulated controller or program fails fast and tries again on its own schedule. */
const SITE_RETRY: RetryPolicy = { initialDelayMs: 5, factor: 2, steps: 3, jitter: 0 };

/**
 * The shared state of one simulated site: its clusters, the Docker engine, the network between them, the
 * invocation log, fault rules, timers and recorded errors. Simulated programs and controllers are built on it;
 * tests use the {@link SimulatedSite} facade.
 */
export class SiteRuntime {
  public readonly docker = new SimulatedDockerEngine();
  public readonly invocations = new InvocationLog();
  public readonly toolFaults = new ToolFaults();
  public readonly timers = new TimerSet();
  public readonly errors: SiteError[] = [];
  private readonly clusterMap = new Map<string, SimulatedCluster>();
  private readonly listeners = new Set<(event: SiteEvent) => void>();
  private readonly clients = new Map<
    string,
    { cluster?: SimulatedCluster; client: Promise<HttpKubeClient> }
  >();
  private closed = false;

  /** Kubeconfigs already routed through the network (the container addresses they name do not change). */
  private readonly routes = new Map<string, { dialled?: string; rewritten: string }>();
  public constructor(
    public readonly speed: SimulationSpeed,
    private readonly bootstrapCluster: ClusterBootstrapper,
  ) {}

  /** Running clusters. */
  public clusters(type?: SimulatedClusterType): SimulatedCluster[] {
    return [...this.clusterMap.values()].filter((c) => !c.stopped && (type === undefined || c.type === type));
  }

  public cluster(type: SimulatedClusterType, name: string): SimulatedCluster | undefined {
    const found = this.clusterMap.get(`${type}/${name}`);
    return found && !found.stopped ? found : undefined;
  }

  /** Starts a cluster's API server and the controllers every cluster runs. */
  public async startCluster(spec: StartClusterSpec): Promise<SimulatedCluster> {
    if (this.closed) throw new Error('the simulated site is closed');
    if (this.cluster(spec.type, spec.name)) {
      throw new Error(`a ${spec.type} cluster named ${spec.name} is already running`);
    }
    const server = await SimulatedApiServer.start({
      name: spec.name,
      kubernetesVersion: spec.kubernetesVersion,
    });
    const cluster = new SimulatedCluster(
      spec.name,
      spec.type,
      server,
      spec.kubernetesVersion,
      spec.endpointContainer,
      spec.builtInCni,
    );
    if (spec.startUnreachable) cluster.setServing(false);
    cluster.onServingChange = () => this.emit({ type: 'serving', cluster });
    this.clusterMap.set(`${spec.type}/${spec.name}`, cluster);
    server.onChange((event) => this.emit({ type: 'store', cluster, event }));
    for (const controller of this.bootstrapCluster(this, cluster)) await server.addController(controller);
    return cluster;
  }

  /** Stops a cluster's server and its controllers, and forgets clients to it. */
  public async stopCluster(cluster: SimulatedCluster): Promise<void> {
    for (const [key, entry] of [...this.clients]) {
      if (entry.cluster === cluster) {
        this.clients.delete(key);
        void entry.client.then((c) => c.close()).catch(() => undefined);
      }
    }
    await cluster.stop();
    if (this.clusterMap.get(`${cluster.type}/${cluster.name}`) === cluster) {
      this.clusterMap.delete(`${cluster.type}/${cluster.name}`);
    }
  }

  /**
   * The cluster a URL reaches from the host: `https://127.0.0.1:<port>` of a running server. Container
   * addresses do not reach anything from the host (see {@link SimulatedDockerEngine}).
   */
  public clusterAtHostUrl(url: string): SimulatedCluster | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) return undefined;
    const port = Number(parsed.port);
    return this.clusters().find((c) => c.server.port === port);
  }

  /**
   * Where a URL leads from inside the simulated kind network (where the providers run): a container address
   * reaches the container's published port on the host. Undefined when no container has that address and port.
   */
  public dialFromNetwork(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const container = this.docker.byAddress(parsed.hostname);
    if (!container) return this.clusterAtHostUrl(url) ? url.replace(/\/+$/, '') : undefined;
    const published = container.ports[`${parsed.port || '443'}/tcp`];
    if (!published) return undefined;
    return `${parsed.protocol}//127.0.0.1:${published.port}`;
  }

  /** A client with admin rights on a simulated cluster, for a named component (its user agent and field manager). */
  public client(cluster: SimulatedCluster, component: string): Promise<HttpKubeClient> {
    const key = `${cluster.type}/${cluster.name}/${cluster.server.port}|${component}`;
    let entry = this.clients.get(key);
    if (!entry) {
      entry = {
        cluster,
        client: HttpKubeClient.connect({
          kubeconfig: { yaml: cluster.server.kubeconfig(), name: `${cluster} as ${component}` },
          userAgent: component,
          fieldManager: component,
          retry: { read: SITE_RETRY, write: SITE_RETRY },
          requestTimeoutMs: 30_000,
        }),
      };
      this.clients.set(key, entry);
    }
    return entry.client;
  }

  /**
   * A client from a kubeconfig as a provider running in the kind network would use it (the `<c>-kubeconfig`
   * Secret): container addresses are dialled through the network. Undefined when the server leads nowhere or
   * does not serve yet.
   */
  public async remoteClient(kubeconfig: string, component: string): Promise<HttpKubeClient | undefined> {
    let route = this.routes.get(kubeconfig);
    if (!route) {
      const target = kubeconfigTarget(kubeconfig, 'kubeconfig secret');
      const dialled = this.dialFromNetwork(target.server);
      route = {
        dialled,
        rewritten: dialled ? rewriteServers(kubeconfig, (s) => this.dialFromNetwork(s) ?? s) : kubeconfig,
      };
      if (dialled) this.routes.set(kubeconfig, route);
    }
    const cluster = route.dialled ? this.clusterAtHostUrl(route.dialled) : undefined;
    if (!cluster?.serving) return undefined;
    const key = `remote|${component}|${route.rewritten}`;
    let entry = this.clients.get(key);
    if (!entry) {
      entry = {
        cluster,
        client: HttpKubeClient.connect({
          kubeconfig: { yaml: route.rewritten, name: `${cluster} (remote) as ${component}` },
          userAgent: component,
          fieldManager: component,
          retry: { read: SITE_RETRY, write: SITE_RETRY },
          requestTimeoutMs: 30_000,
        }),
      };
      this.clients.set(key, entry);
    }
    return entry.client;
  }

  /** Listens to every cluster's changes and to container changes. */
  public subscribe(listener: (event: SiteEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  public emit(event: SiteEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  public recordError(source: string, error: unknown, cluster?: SimulatedCluster): void {
    this.errors.push({
      source,
      cluster: cluster?.name,
      message: error instanceof Error ? error.message : String(error),
      at: new Date(),
    });
  }

  public get isClosed(): boolean {
    return this.closed;
  }

  /** Stops every timer, controller and server. */
  public async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.close();
    for (const cluster of [...this.clusterMap.values()]) await this.stopCluster(cluster);
    for (const entry of this.clients.values()) {
      await entry.client.then((c) => c.close()).catch(() => undefined);
    }
    this.clients.clear();
    this.listeners.clear();
  }
}
