import * as YAML from 'yaml';

/** The parts of a kubeconfig the simulated programs look at. */
export interface KubeconfigTarget {
  readonly server: string;
  readonly contextName: string;
  readonly clusterName: string;
}

/**
 * The server of a kubeconfig's current context. Throws with kubectl-like wording when the file is not a usable
 * kubeconfig (the message never quotes the file's content: it holds credentials).
 */
export function kubeconfigTarget(yaml: string, origin: string): KubeconfigTarget {
  let config: Record<string, any>;
  try {
    config = YAML.parse(yaml) as Record<string, any>;
  } catch {
    throw new Error(`${origin}: error loading config file: not valid YAML`);
  }
  if (!config || typeof config !== 'object') {
    throw new Error(`${origin}: error loading config file: not a kubeconfig`);
  }
  const contextName = config['current-context'];
  const context = (config.contexts ?? []).find((c: any) => c?.name === contextName)?.context;
  if (!context) {
    throw new Error(`${origin}: invalid configuration: context "${contextName ?? ''}" does not exist`);
  }
  const cluster = (config.clusters ?? []).find((c: any) => c?.name === context.cluster)?.cluster;
  if (!cluster?.server) {
    throw new Error(`${origin}: invalid configuration: no server found for cluster "${context.cluster}"`);
  }
  return {
    server: String(cluster.server),
    contextName: String(contextName),
    clusterName: String(context.cluster),
  };
}

/** The kubeconfig with every cluster's server replaced by `rewrite(server)`. */
export function rewriteServers(yaml: string, rewrite: (server: string) => string): string {
  const config = YAML.parse(yaml) as Record<string, any>;
  for (const entry of config.clusters ?? []) {
    if (entry?.cluster?.server) entry.cluster.server = rewrite(String(entry.cluster.server));
  }
  return YAML.stringify(config);
}

/** Merges `addition`'s clusters, users and contexts into `existing` (replacing same names); addition's context becomes current. */
export function mergeKubeconfig(existing: string | undefined, addition: string): string {
  if (existing === undefined || existing.trim() === '') return addition;
  let base: Record<string, any>;
  try {
    base = (YAML.parse(existing) as Record<string, any>) ?? {};
  } catch {
    return addition;
  }
  const add = YAML.parse(addition) as Record<string, any>;
  for (const key of ['clusters', 'users', 'contexts']) {
    const names = new Set((add[key] ?? []).map((e: any) => e.name));
    base[key] = [...(base[key] ?? []).filter((e: any) => !names.has(e?.name)), ...(add[key] ?? [])];
  }
  base.apiVersion ??= 'v1';
  base.kind ??= 'Config';
  base['current-context'] = add['current-context'];
  return YAML.stringify(base);
}
