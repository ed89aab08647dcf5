import {
  CORE_GROUP,
  DELETE_FOR_MOVE_ANNOTATION,
  ETCD_CLUSTER_LABEL,
  PAUSED_ANNOTATION,
  PAUSED_BY_MOVE_ANNOTATION,
} from './constants';
import type { ClusterInventory, InventoryProvider } from './discovery';
import { type GraphNode, isCluster, isClusterClass, isMachine } from './object-graph';
import { compareSemVer, parseSemVer } from './semver';
import type { KubeObject } from '../../kube/types';

const CLUSTER_CRD = `clusters.${CORE_GROUP}`;

/** The storage version of the Cluster CRD: the CAPI contract a management cluster speaks. */
export function contractOf(inventory: ClusterInventory): string | undefined {
  const crd = inventory.crds.find((c) => c.metadata.name === CLUSTER_CRD);
  const versions =
    (crd?.spec as { versions?: { name?: string; storage?: boolean }[] } | undefined)?.versions ?? [];
  return versions.find((v) => v.storage)?.name;
}

/** Both clusters must run Cluster API with the same contract (§2.1). */
export function checkContracts(source: ClusterInventory, target: ClusterInventory | undefined): string[] {
  const problems: string[] = [];
  const from = contractOf(source);
  if (!from) {
    problems.push(
      `source: no CRD ${CLUSTER_CRD} labelled ${'clusterctl.cluster.x-k8s.io'}: Cluster API is not installed there (install it with clusterctl init)`,
    );
  }
  if (target) {
    const to = contractOf(target);
    if (!to) {
      problems.push(
        `target: no CRD ${CLUSTER_CRD} labelled clusterctl.cluster.x-k8s.io: install the Cluster API providers in the target first`,
      );
    } else if (from && to !== from) {
      problems.push(
        `target stores Clusters as ${to} but the source as ${from}: upgrade Cluster API so both use the same contract`,
      );
    }
  }
  return problems;
}

/**
 * Every source provider must be in the target (same providerName and type; namespace and name do not matter) at
 * the same or a newer version (§2.2). All problems are returned together.
 */
export function checkProviders(source: ClusterInventory, target: ClusterInventory): string[] {
  if (source.providers === undefined) {
    return [
      'source: no Provider inventory (providers.clusterctl.cluster.x-k8s.io): was it set up with clusterctl init?',
    ];
  }
  if (target.providers === undefined) {
    return [
      'target: no Provider inventory (providers.clusterctl.cluster.x-k8s.io): install the providers in the target first',
    ];
  }
  const problems: string[] = [];
  const describe = (p: InventoryProvider) => `${p.type} ${p.providerName} ${p.version}`;
  for (const provider of source.providers) {
    const sourceVersion = parseSemVer(provider.version);
    if (!sourceVersion) {
      problems.push(
        `source provider ${provider.namespace}/${provider.name}: version '${provider.version}' is not a semantic version`,
      );
      continue;
    }
    const matches = target.providers.filter(
      (p) => p.providerName === provider.providerName && p.type === provider.type,
    );
    if (matches.length === 0) {
      problems.push(
        `provider ${describe(provider)} not found in the target: install it there (clusterctl init)`,
      );
      continue;
    }
    let best: ReturnType<typeof parseSemVer>;
    for (const m of matches) {
      const v = parseSemVer(m.version);
      if (!v) {
        problems.push(
          `target provider ${m.namespace}/${m.name}: version '${m.version}' is not a semantic version`,
        );
        continue;
      }
      if (!best || compareSemVer(v, best) > 0) best = v;
    }
    if (best && compareSemVer(best, sourceVersion) < 0) {
      problems.push(
        `provider ${provider.type} ${provider.providerName} is older in the target than in the source (${provider.version}): upgrade it in the target first`,
      );
    }
  }
  return problems;
}

type Condition = { type?: string; status?: string };
const conditionTrue = (object: KubeObject, type: string): boolean =>
  ((object.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === type && c.status === 'True',
  );

/** Whether an apiVersion of the core group is the v1beta1 shape. */
const isV1Beta1 = (apiVersion: string) => apiVersion.endsWith('/v1beta1');

/**
 * Provisioning must be finished (§2.10): for each Cluster, the first failing of infrastructure provisioned, control
 * plane initialized (condition) and control plane ready; and every Machine has a nodeRef (Machines of an external
 * etcd cluster excepted, as in EKS-A). Both the v1beta2 and the v1beta1 status shapes are read.
 */
export function checkProvisioning(nodes: readonly GraphNode[]): string[] {
  const problems: string[] = [];
  for (const node of nodes) {
    const object = node.object;
    if (!object) continue;
    const status = (object.status ?? {}) as Record<string, any>;
    if (isCluster(node)) {
      const old = isV1Beta1(object.apiVersion);
      const infra = old
        ? status.infrastructureReady === true
        : status.initialization?.infrastructureProvisioned === true;
      const hasControlPlane = Boolean(
        (object.spec as { controlPlaneRef?: unknown } | undefined)?.controlPlaneRef,
      );
      const cpReady = old
        ? status.controlPlaneReady === true
        : status.initialization?.controlPlaneInitialized === true;
      if (!infra) {
        problems.push(`Cluster ${node.namespace}/${node.name} is still provisioning the infrastructure`);
      } else if (!conditionTrue(object, 'ControlPlaneInitialized')) {
        problems.push(
          `Cluster ${node.namespace}/${node.name}: the control plane is not yet initialized (ControlPlaneInitialized is not True)`,
        );
      } else if (hasControlPlane && !cpReady) {
        problems.push(
          `Cluster ${node.namespace}/${node.name}: the control plane is not yet ${old ? 'ready' : 'initialized'}`,
        );
      }
    } else if (isMachine(node)) {
      if (ETCD_CLUSTER_LABEL in (object.metadata.labels ?? {})) continue;
      const nodeRef = status.nodeRef as { name?: string } | undefined;
      const hasNode = isV1Beta1(object.apiVersion)
        ? Object.keys(nodeRef ?? {}).length > 0
        : Boolean(nodeRef?.name);
      if (!hasNode) {
        problems.push(
          `Machine ${node.namespace}/${node.name} is still provisioning the node (no status.nodeRef)`,
        );
      }
    }
  }
  return problems;
}

export const pausedByMove = (object: KubeObject | undefined): boolean =>
  object?.metadata.annotations?.[PAUSED_BY_MOVE_ANNOTATION] !== undefined;

/** Paused by someone other than this library. */
function pausedByOthers(node: GraphNode): boolean {
  const object = node.object;
  if (!object || pausedByMove(object)) return false;
  const annotated = PAUSED_ANNOTATION in (object.metadata.annotations ?? {});
  if (isClusterClass(node)) return annotated;
  return annotated || (object.spec as { paused?: boolean } | undefined)?.paused === true;
}

/**
 * Nothing to move may already be paused (clusterctl ≥ 1.12 refuses too), except by an interrupted run of this
 * library, recognised by its own annotation. Runs on dry runs as well.
 */
export function checkNotPaused(nodes: readonly GraphNode[]): string[] {
  const problems: string[] = [];
  const clusters = nodes
    .filter((n) => isCluster(n) && pausedByOthers(n))
    .map((n) => `${n.namespace}/${n.name}`);
  const classes = nodes
    .filter((n) => isClusterClass(n) && pausedByOthers(n))
    .map((n) => `${n.namespace}/${n.name}`);
  if (clusters.length > 0) {
    problems.push(
      `cannot start while these Clusters are paused: ${clusters.sort().join(', ')} (unpause them: remove spec.paused)`,
    );
  }
  if (classes.length > 0) {
    problems.push(
      `cannot start while these ClusterClasses are paused: ${classes.sort().join(', ')} (remove the ${PAUSED_ANNOTATION} annotation)`,
    );
  }
  return problems;
}

/**
 * Nothing to move may be being deleted (clusterctl does not check). An object this library itself was deleting
 * (it carries the delete-for-move annotation) is the tail of an interrupted move, and is allowed.
 */
export function checkNotDeleting(nodes: readonly GraphNode[]): string[] {
  return nodes
    .filter(
      (n) =>
        n.object?.metadata.deletionTimestamp &&
        !(DELETE_FOR_MOVE_ANNOTATION in (n.object.metadata.annotations ?? {})),
    )
    .map(
      (n) =>
        `${n.key} is being deleted (deletionTimestamp ${n.object!.metadata.deletionTimestamp}): wait until it is gone, or remove its finalizers`,
    );
}
