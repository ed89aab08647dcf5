import { HttpKubeClient, KubeClientOptions, RetryPolicy } from '../../src/kube';
import { CustomResourceDefinition, SimulatedApiServer, SimulatedApiServerOptions } from '../../src/testing';
import { widgetCrd } from '../testing/api-server/raw-http';

/** Quick backoff so retry tests take milliseconds. */
export const FAST_RETRY: RetryPolicy = { initialDelayMs: 5, factor: 2, steps: 4, jitter: 0 };

export interface Site {
  readonly server: SimulatedApiServer;
  readonly client: HttpKubeClient;
  readonly log: string[];
}

/** A simulated API server with the Widget CRD, and a real client talking HTTP to it through its kubeconfig. */
export async function startSite(
  serverOptions: SimulatedApiServerOptions = {},
  clientOptions: Partial<KubeClientOptions> = {},
): Promise<Site> {
  const server = await SimulatedApiServer.start({
    crds: [widgetCrd() as CustomResourceDefinition],
    ...serverOptions,
  });
  const log: string[] = [];
  const client = await HttpKubeClient.connect({
    kubeconfig: { yaml: server.kubeconfig() },
    retry: { read: FAST_RETRY, write: FAST_RETRY },
    log: (line) => log.push(line),
    ...clientOptions,
  });
  return { server, client, log };
}

export async function stopSite(site: Site | undefined): Promise<void> {
  if (!site) return;
  site.client.close();
  await site.server.stop();
}

export const widgetRef = (name: string, namespace = 'default') => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  name,
  namespace,
});

export function widgetObject(
  name: string,
  spec: Record<string, unknown> = { size: 1 },
  metadata: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name, namespace: 'default', ...metadata },
    spec,
  };
}
