import { HttpKubeClient, type KubeClientOptions } from '../kube/client';
import type { RetryPolicy } from '../kube/retry';
import { HttpTransport } from '../kube/transport';
import type { KubeClient } from '../kube/types';

/** A kubeconfig, as a file under the working directory or as text (secret either way). */
export type KubeconfigSource =
  | { readonly file: string }
  | {
      readonly yaml: string;
      /** Names the kubeconfig in messages (never its content). */
      readonly name: string;
    };

/** What the workflow needs of one cluster: its API, and its pods' logs for diagnostics. */
export interface ClusterConnection {
  readonly client: KubeClient;
  /**
   * The last lines a container logged, or undefined when the server does not serve pod logs (the simulated API
   * server does not).
   */
  podLogs(
    namespace: string,
    pod: string,
    options?: { readonly container?: string; readonly tailLines?: number },
  ): Promise<string | undefined>;
  close(): void;
}

/** How the site opens connections. */
export interface ConnectOptions {
  /** Backoff for transient API failures. @default the client's (clusterctl's presets) */
  readonly retry?: { readonly read?: RetryPolicy; readonly write?: RetryPolicy };
}

/** Opens a connection to a cluster; the site's factory (real clusters and simulated ones alike speak HTTP). */
export type ClusterConnector = (
  source: KubeconfigSource,
  options?: ConnectOptions,
) => Promise<ClusterConnection>;

/** A connector over {@link HttpKubeClient}; `files` turns relative kubeconfig paths into absolute ones. */
export function httpConnector(
  resolve: (relative: string) => string,
  defaults: Omit<KubeClientOptions, 'kubeconfig'> = {},
): ClusterConnector {
  return async (source, options = {}) => {
    const client = await HttpKubeClient.connect({
      ...defaults,
      ...(options.retry ? { retry: { ...defaults.retry, ...options.retry } } : {}),
      kubeconfig:
        'file' in source ? { file: resolve(source.file) } : { yaml: source.yaml, name: source.name },
    });
    return new HttpClusterConnection(client);
  };
}

class HttpClusterConnection implements ClusterConnection {
  private readonly transport: HttpTransport;

  public constructor(public readonly client: HttpKubeClient) {
    this.transport = new HttpTransport(client.connection, { requestTimeoutMs: 30_000 });
  }

  public async podLogs(
    namespace: string,
    pod: string,
    options: { readonly container?: string; readonly tailLines?: number } = {},
  ): Promise<string | undefined> {
    const query = new URLSearchParams({ tailLines: String(options.tailLines ?? 500) });
    if (options.container) query.set('container', options.container);
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log?${query}`;
    const response = await this.transport.request({ method: 'GET', path });
    if (response.statusCode === 200) return response.body;
    // 404 (no such subresource, or the pod went away) and 400 (container not started) leave no logs to collect.
    return undefined;
  }

  public close(): void {
    this.client.close();
  }
}
