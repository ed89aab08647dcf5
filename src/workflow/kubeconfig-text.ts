import { parse, stringify } from 'yaml';

interface KubeconfigDoc {
  clusters?: { name?: string; cluster?: Record<string, unknown> }[];
  contexts?: { name?: string; context?: { cluster?: string } }[];
  'current-context'?: string;
}

function load(text: string, what: string): KubeconfigDoc {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    // The YAML parser quotes the offending text, which may be a key: say only that it failed.
    throw new Error(`${what}: not a valid kubeconfig (YAML does not parse)`);
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as KubeconfigDoc).clusters)) {
    throw new Error(`${what}: not a kubeconfig (no clusters)`);
  }
  return doc as KubeconfigDoc;
}

/**
 * The docker provider's kubeconfig as EKS-A writes it: every cluster's `server` pointed at the load balancer's port
 * on the host (`https://127.0.0.1:<port>`, from `docker port <c>-lb 6443/tcp`) and TLS verification off, because the
 * certificate names the container address, not 127.0.0.1.
 */
export function rewriteDockerKubeconfig(text: string, hostPort: number, what: string): string {
  const doc = load(text, what);
  for (const entry of doc.clusters ?? []) {
    const cluster = { ...(entry.cluster ?? {}) };
    cluster.server = `https://127.0.0.1:${hostPort}`;
    delete cluster['certificate-authority-data'];
    delete cluster['certificate-authority'];
    cluster['insecure-skip-tls-verify'] = true;
    entry.cluster = cluster;
  }
  return stringify(doc);
}

/** The API server URL of the current context (not secret: the workflow reports it as the cluster endpoint). */
export function kubeconfigServer(text: string, what: string): string {
  const doc = load(text, what);
  const contextName = doc['current-context'];
  const context = doc.contexts?.find((c) => c.name === contextName)?.context;
  const cluster = doc.clusters?.find((c) => c.name === context?.cluster) ?? doc.clusters?.[0];
  const server = cluster?.cluster?.server;
  if (typeof server !== 'string') throw new Error(`${what}: the current context's cluster has no server`);
  return server;
}
