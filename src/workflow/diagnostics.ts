import * as path from 'node:path';
import { stringify } from 'yaml';
import type { ClusterConnection } from './cluster-connection';
import type { PhaseRun } from './phase-run';
import { isKubeApiError } from '../kube/errors';
import type { KubeClient, KubeObject } from '../kube/types';
import { errorText } from '../tools/error-text';

/** The namespaces of the controllers the create workflow installs (the seed's "errors during cluster creation"). */
export const CONTROLLER_NAMESPACES: readonly string[] = [
  'capi-system',
  'capi-kubeadm-bootstrap-system',
  'capi-kubeadm-control-plane-system',
  'capd-system',
  'capv-system',
  'etcdadm-bootstrap-provider-system',
  'etcdadm-controller-system',
  'cert-manager',
  'eksa-system',
];

/** The kinds whose status explains a stuck cluster, by API group; the first served version is read. */
const STATUS_KINDS: readonly {
  readonly group: string;
  readonly versions: string[];
  readonly kinds: string[];
}[] = [
  {
    group: 'cluster.x-k8s.io',
    versions: ['v1beta2', 'v1beta1'],
    kinds: ['Cluster', 'MachineDeployment', 'MachineSet', 'Machine', 'MachineHealthCheck'],
  },
  {
    group: 'controlplane.cluster.x-k8s.io',
    versions: ['v1beta2', 'v1beta1'],
    kinds: ['KubeadmControlPlane'],
  },
  { group: 'bootstrap.cluster.x-k8s.io', versions: ['v1beta2', 'v1beta1'], kinds: ['KubeadmConfig'] },
  { group: 'bootstrap.cluster.x-k8s.io', versions: ['v1beta1'], kinds: ['EtcdadmConfig'] },
  { group: 'etcdcluster.cluster.x-k8s.io', versions: ['v1beta1'], kinds: ['EtcdadmCluster'] },
  {
    group: 'infrastructure.cluster.x-k8s.io',
    versions: ['v1beta2', 'v1beta1'],
    kinds: ['DockerCluster', 'DockerMachine', 'DevCluster', 'DevMachine', 'VSphereCluster', 'VSphereMachine'],
  },
  {
    group: 'anywhere.eks.amazonaws.com',
    versions: ['v1alpha1'],
    kinds: ['Cluster', 'DockerDatacenterConfig', 'VSphereDatacenterConfig', 'VSphereMachineConfig'],
  },
];

const COLLECTION_BUDGET_MS = 60_000;

/**
 * Writes what explains a failed step into `<c>/generated/diagnostics-<time>/<cluster>/`: the status (never the
 * spec, which may carry credentials) of every CAPI, provider and EKS-A object of the cluster's namespace, the events
 * there and in the controller namespaces, the controller Deployments, and the pods with their logs where the
 * server serves them. Secrets are never read. Returns the folder (relative to the working directory).
 */
export async function collectDiagnostics(
  run: PhaseRun,
  clusters: readonly { readonly label: string; readonly connection: ClusterConnection }[],
  failure: { readonly failedStep: string; readonly error: string },
): Promise<string> {
  const dir = run.paths.diagnosticsDir(run.site.clock.date());
  const files = run.site.files;
  const write = (name: string, content: string) => files.writeText(path.join(dir, name), run.redact(content));
  await write(
    'summary.yaml',
    stringify({
      cluster: run.clusterName,
      phase: run.phase,
      step: failure.failedStep,
      error: failure.error,
      clusters:
        clusters.length > 0
          ? clusters.map((c) => c.label)
          : 'none reachable yet (no cluster state collected)',
      collectedAt: run.site.clock.date().toISOString(),
    }),
  );
  const deadline = run.site.clock.now() + COLLECTION_BUDGET_MS;
  const seen = new Set<string>();
  for (const { label, connection } of clusters) {
    if (seen.has(label)) continue;
    seen.add(label);
    if (run.site.clock.now() > deadline) break;
    try {
      await collectFromCluster(
        connection,
        (name, content) => write(path.join(label, name), content),
        deadline,
      );
    } catch (error) {
      await write(path.join(label, 'unreachable.txt'), `${errorText(error)}\n`);
    }
  }
  run.log.info(`diagnostics written to ${dir}`);
  return dir;
}

async function collectFromCluster(
  connection: ClusterConnection,
  write: (name: string, content: string) => Promise<void>,
  deadline: number,
): Promise<void> {
  const { client } = connection;
  const objects: Record<string, unknown>[] = [];
  for (const { group, versions, kinds } of STATUS_KINDS) {
    for (const kind of kinds) {
      const found = await listFirstServed(client, group, versions, kind, 'eksa-system');
      for (const o of found) objects.push(statusOnly(o));
    }
    if (Date.now() > deadline) break;
  }
  await write('objects.yaml', stringify(objects));

  const events: Record<string, unknown>[] = [];
  const deployments: Record<string, unknown>[] = [];
  const pods: KubeObject[] = [];
  for (const namespace of CONTROLLER_NAMESPACES) {
    for (const e of await listOrEmpty(client, 'v1', 'Event', namespace)) events.push(eventSummary(e));
    for (const d of await listOrEmpty(client, 'apps/v1', 'Deployment', namespace)) {
      deployments.push(statusOnly(d));
    }
    pods.push(...(await listOrEmpty(client, 'v1', 'Pod', namespace)));
  }
  await write('events.yaml', stringify(events));
  await write('deployments.yaml', stringify(deployments));
  await write('pods.yaml', stringify(pods.map(statusOnly)));
  for (const pod of pods) {
    if (Date.now() > deadline) break;
    const containers = (pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? [];
    for (const container of containers) {
      const logs = await connection
        .podLogs(pod.metadata.namespace!, pod.metadata.name!, { container: container.name, tailLines: 500 })
        .catch(() => undefined);
      if (logs !== undefined) {
        await write(
          path.join('logs', pod.metadata.namespace!, `${pod.metadata.name}.${container.name}.log`),
          logs,
        );
      }
    }
  }
}

async function listFirstServed(
  client: KubeClient,
  group: string,
  versions: readonly string[],
  kind: string,
  namespace: string,
): Promise<KubeObject[]> {
  for (const version of versions) {
    const apiVersion = `${group}/${version}`;
    try {
      await client.resource(apiVersion, kind);
    } catch (error) {
      if (isKubeApiError(error) && error.statusCode === 404) continue;
      throw error;
    }
    return client.list(apiVersion, kind, { namespace });
  }
  return [];
}

async function listOrEmpty(client: KubeClient, apiVersion: string, kind: string, namespace: string) {
  try {
    return await client.list(apiVersion, kind, { namespace });
  } catch (error) {
    if (isKubeApiError(error) && error.statusCode === 404) return [];
    throw error;
  }
}

/** An object reduced to what explains its state: identity, ownership, deletion, and status. */
function statusOnly(o: KubeObject): Record<string, unknown> {
  const m = o.metadata;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: {
      name: m.name,
      namespace: m.namespace,
      ...(m.generation !== undefined ? { generation: m.generation } : {}),
      ...(m.labels ? { labels: m.labels } : {}),
      ...(m.ownerReferences ? { ownerReferences: m.ownerReferences.map((r) => `${r.kind}/${r.name}`) } : {}),
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
      ...(m.finalizers ? { finalizers: m.finalizers } : {}),
    },
    ...(o.status !== undefined ? { status: o.status } : {}),
  };
}

function eventSummary(e: KubeObject): Record<string, unknown> {
  const ev = e as KubeObject & Record<string, unknown>;
  const involved = ev.involvedObject as { kind?: string; name?: string; namespace?: string } | undefined;
  return {
    namespace: e.metadata.namespace,
    type: ev.type,
    reason: ev.reason,
    object: involved ? `${involved.kind}/${involved.name}` : undefined,
    message: ev.message,
    count: ev.count,
    lastTimestamp: ev.lastTimestamp ?? ev.eventTime,
  };
}
