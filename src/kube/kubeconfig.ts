import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';

type ClientNode = typeof import('@kubernetes/client-node', { with: { 'resolution-mode': 'import' } });
type ClientNodeKubeConfig = InstanceType<ClientNode['KubeConfig']>;

/** Where a kubeconfig comes from. `context` overrides its current-context. */
export type KubeconfigSource =
  | { readonly file: string; readonly context?: string }
  | { readonly yaml: string; readonly context?: string; readonly name?: string }
  /** `$KUBECONFIG` (all files, merged) or `~/.kube/config`, as kubectl finds it. */
  | { readonly default: true; readonly context?: string };

/** What one request needs to reach and authenticate to the server. */
export interface RequestCredentials {
  readonly headers: Record<string, string>;
  readonly agent: http.Agent;
}

let clientNode: Promise<ClientNode> | undefined;

/** @kubernetes/client-node 1.x is ESM-only: load it once, through a real dynamic import. */
function loadClientNode(): Promise<ClientNode> {
  clientNode ??= import('@kubernetes/client-node');
  return clientNode;
}

/**
 * A loaded kubeconfig, reduced to one context. Authentication (client certificates, bearer tokens, token files,
 * exec plugins, OIDC) is applied by @kubernetes/client-node per request, so rotating credentials keep working.
 * Nothing here ever prints kubeconfig contents, tokens or keys: `toString()` names the source and server only.
 */
export class KubeconfigConnection {
  /** Loads a kubeconfig and selects its context. Errors name the source and what is missing, never the contents. */
  public static async load(source: KubeconfigSource): Promise<KubeconfigConnection> {
    const k8s = await loadClientNode();
    const config = new k8s.KubeConfig();
    let origin: string;
    if ('file' in source) {
      origin = source.file;
      if (!fs.existsSync(source.file)) {
        throw new Error(`kubeconfig ${source.file}: file not found (pass the path of a kubeconfig file)`);
      }
      guardParse(origin, () => config.loadFromFile(source.file));
    } else if ('yaml' in source) {
      origin = source.name ?? 'kubeconfig string';
      guardParse(origin, () => config.loadFromString(source.yaml));
    } else {
      origin = process.env.KUBECONFIG ? `$KUBECONFIG (${process.env.KUBECONFIG})` : '~/.kube/config';
      guardParse(origin, () => config.loadFromDefault());
      const cluster = config.getCurrentCluster();
      if (
        cluster &&
        cluster.name === 'cluster' &&
        cluster.server === 'http://localhost:8080' &&
        !process.env.KUBECONFIG
      ) {
        throw new Error('no kubeconfig found: set KUBECONFIG or create ~/.kube/config');
      }
    }
    if (source.context !== undefined) {
      if (!config.getContextObject(source.context)) {
        const known = config.getContexts().map((c) => c.name);
        throw new Error(
          `kubeconfig ${origin}: context "${source.context}" not found (contexts: ${known.join(', ') || 'none'})`,
        );
      }
      config.setCurrentContext(source.context);
    }
    const current = config.getCurrentContext();
    const context = current ? config.getContextObject(current) : null;
    if (!context) {
      throw new Error(
        `kubeconfig ${origin}: ${current ? `current-context "${current}" is not defined` : 'no current-context set'}; pass a context name`,
      );
    }
    const cluster = config.getCluster(context.cluster);
    if (!cluster || !cluster.server) {
      throw new Error(
        `kubeconfig ${origin}: context "${context.name}" refers to cluster "${context.cluster}", which has no server`,
      );
    }
    if (context.user && !config.getUser(context.user)) {
      throw new Error(
        `kubeconfig ${origin}: context "${context.name}" refers to user "${context.user}", which is not defined`,
      );
    }
    try {
      new URL(cluster.server);
    } catch {
      throw new Error(`kubeconfig ${origin}: cluster "${cluster.name}" has an invalid server URL`);
    }
    return new KubeconfigConnection(config, origin);
  }

  /** The API server's base URL (without a trailing slash). */
  public readonly server: URL;
  public readonly contextName: string;
  public readonly clusterName: string;
  /** The context's default namespace (`default` when it names none). */
  public readonly namespace: string;
  /** Where the kubeconfig came from (a file path, or a name for strings); for messages. */
  public readonly origin: string;

  private readonly agents = new Map<string, http.Agent>();

  private constructor(
    private readonly config: ClientNodeKubeConfig,
    origin: string,
  ) {
    const context = config.getContextObject(config.getCurrentContext())!;
    const cluster = config.getCluster(context.cluster)!;
    this.contextName = context.name;
    this.clusterName = cluster.name;
    this.namespace = context.namespace || 'default';
    this.server = new URL(cluster.server.replace(/\/+$/, ''));
    this.origin = origin;
  }

  /**
   * Headers and agent for one request. Called per request so that exec plugins and token files can rotate
   * credentials; agents are cached per TLS identity so connections are kept alive.
   */
  public async credentials(): Promise<RequestCredentials> {
    const options: https.RequestOptions = {};
    try {
      await this.config.applyToHTTPSOptions(options);
    } catch (error) {
      // client-node refuses plain-HTTP servers without insecure-skip-tls-verify after it has filled in the
      // credentials; kubectl talks to them, and so do we (no TLS material is involved).
      if (!(this.server.protocol === 'http:' && /HTTP protocol is not allowed/.test(String(error)))) {
        throw error;
      }
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.headers ?? {})) {
      if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    const cluster = this.config.getCurrentCluster();
    if (cluster?.proxyUrl) {
      // Proxy agents come from client-node; they are not cached (proxies are rare for management clusters).
      return { headers, agent: options.agent as http.Agent };
    }
    return { headers, agent: this.agentFor(options) };
  }

  private agentFor(options: https.RequestOptions): http.Agent {
    const tls = {
      ca: options.ca?.toString(),
      cert: options.cert?.toString(),
      key: options.key?.toString(),
      rejectUnauthorized: options.rejectUnauthorized,
      servername: options.servername,
    };
    const key = createHash('sha256').update(JSON.stringify(tls)).digest('hex');
    let agent = this.agents.get(key);
    if (!agent) {
      agent =
        this.server.protocol === 'http:'
          ? new http.Agent({ keepAlive: true })
          : new https.Agent({
              keepAlive: true,
              ca: options.ca,
              cert: options.cert,
              key: options.key,
              rejectUnauthorized: options.rejectUnauthorized,
              servername: options.servername,
            });
      for (const old of this.agents.values()) old.destroy();
      this.agents.clear();
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** Closes kept-alive connections. */
  public close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  public toString(): string {
    return `kubeconfig ${this.origin} (context ${this.contextName}, server ${this.server.origin})`;
  }

  /** Kubeconfig objects are not serialized (they hold credentials). */
  public toJSON(): string {
    return this.toString();
  }
}

/** Runs a client-node load, keeping only the first line of its error (YAML errors quote the offending text). */
function guardParse(origin: string, load: () => void): void {
  try {
    load();
  } catch (error) {
    const first = String((error as Error)?.message ?? error)
      .split('\n')[0]
      .slice(0, 200);
    throw new Error(`kubeconfig ${origin}: cannot be loaded: ${first}`);
  }
}
