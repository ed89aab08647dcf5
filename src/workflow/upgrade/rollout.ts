import type { KubeObject, ObjectRef } from '../../kube/types';
import type { CapiContract } from '../../manifests/contract';
import { applyObjects } from '../apply';
import { describeState } from '../capi-status';
import type { ClusterConnection } from '../cluster-connection';
import type { PhaseRun } from '../phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from '../prepare';
import { machinesTimeout } from '../timeouts';
import { pollUntil, waitForObject } from '../waits';
import type { LiveCapiObjects } from './live-objects';

/** EKS-A marks an EtcdadmCluster before changing its spec, so the etcdadm controller treats it as an upgrade. */
export const ETCD_UPGRADING_ANNOTATION = 'etcdcluster.cluster.x-k8s.io/upgrading';

/** The objects of each stage of a rollout, in the order they are applied. */
export interface RolloutStages {
  /** The EtcdadmCluster and its machine template (empty with stacked etcd). */
  readonly etcd: readonly KubeObject[];
  /** Everything of the control plane: Cluster, infrastructure cluster, KubeadmControlPlane and its template, Secrets. */
  readonly controlPlane: readonly KubeObject[];
  /** MachineDeployments and their machine and bootstrap templates. */
  readonly workers: readonly KubeObject[];
  readonly machineHealthChecks: readonly KubeObject[];
  /** Live MachineDeployments of worker groups the new spec no longer has. */
  readonly removedWorkers: readonly KubeObject[];
  /** Live MachineHealthChecks the new spec no longer has. */
  readonly removedHealthChecks: readonly KubeObject[];
}

/**
 * Splits the cluster's rendered objects into EKS-A's upgrade stages (research A4, classic `UpgradeCluster`):
 * external etcd first, then the control plane, then the workers, the groups the spec dropped, and the health checks.
 */
export function rolloutStages(prepared: PreparedCluster, live: LiveCapiObjects): RolloutStages {
  const objects = prepared.capiObjects as unknown as KubeObject[];
  const etcd = objects.find((o) => o.kind === 'EtcdadmCluster');
  const etcdTemplate = refName((etcd?.spec as { infrastructureTemplate?: unknown })?.infrastructureTemplate);
  const mds = objects.filter((o) => o.kind === 'MachineDeployment');
  const workerTemplates = new Set<string>();
  for (const md of mds) {
    const spec = (md.spec as { template?: { spec?: Record<string, unknown> } }).template?.spec ?? {};
    workerTemplates.add(
      `${String((spec.infrastructureRef as { kind?: string })?.kind)}/${refName(spec.infrastructureRef)}`,
    );
    const bootstrap = (spec.bootstrap as { configRef?: { kind?: string } })?.configRef;
    workerTemplates.add(`${String(bootstrap?.kind)}/${refName(bootstrap)}`);
  }
  const inEtcd = (o: KubeObject) =>
    o === etcd || (o.kind.endsWith('MachineTemplate') && o.metadata.name === etcdTemplate);
  const inWorkers = (o: KubeObject) =>
    o.kind === 'MachineDeployment' || workerTemplates.has(`${o.kind}/${o.metadata.name}`);
  const wanted = new Set(mds.map((o) => o.metadata.name ?? ''));
  const wantedChecks = new Set<string>(prepared.machineHealthChecks.map((o) => o.metadata.name));
  return {
    etcd: objects.filter(inEtcd),
    controlPlane: objects.filter((o) => !inEtcd(o) && !inWorkers(o)),
    workers: objects.filter((o) => !inEtcd(o) && inWorkers(o)),
    machineHealthChecks: prepared.machineHealthChecks as unknown as KubeObject[],
    removedWorkers: live.machineDeployments.filter((md) => !wanted.has(md.metadata.name ?? '')),
    removedHealthChecks: live.machineHealthChecks.filter((m) => !wantedChecks.has(m.metadata.name ?? '')),
  };
}

/**
 * Applies the new manifests where the cluster is managed, stage by stage, waiting for each to roll out before the
 * next (EKS-A's order): external etcd (marked upgrading while its spec changes), the control plane, then the worker
 * groups, the groups the spec no longer has deleted with their machines, then the MachineHealthChecks. Every stage
 * is idempotent: applying an unchanged object is a no-op and a finished rollout is seen as finished at once, so a
 * re-run after a failure continues with the stage that was rolling.
 */
export async function rollOut(
  run: PhaseRun,
  prepared: PreparedCluster,
  manager: ClusterConnection,
  live: LiveCapiObjects,
): Promise<void> {
  const api = manager.client;
  const stages = rolloutStages(prepared, live);
  const { contract } = prepared;
  const etcd = stages.etcd.find((o) => o.kind === 'EtcdadmCluster');

  await run.step('apply-etcd', async (control) => {
    if (!etcd) {
      control.skipped('etcd is stacked on the control plane');
      return;
    }
    const changed = !live.etcd || specChanged(etcd, live.etcd);
    const marked = changed ? withAnnotation(etcd, ETCD_UPGRADING_ANNOTATION, 'true') : etcd;
    await applyObjects(
      run,
      api,
      stages.etcd.map((o) => (o === etcd ? marked : o)),
      'external etcd',
    );
    control.note(changed ? 'etcd spec changed: marked upgrading' : 'etcd spec unchanged');
  });
  await run.step('wait-etcd-rollout', async (control) => {
    if (!etcd) {
      control.skipped('etcd is stacked on the control plane');
      return;
    }
    const ref = refOf(etcd);
    await waitForObject(
      run,
      api,
      ref,
      (o) => etcdRolledOut(o),
      'every etcd member up to date and ready',
      prepared.timeouts.externalEtcdMs,
    );
    const current = await api.get(ref);
    if (current?.metadata.annotations?.[ETCD_UPGRADING_ANNOTATION] !== undefined) {
      await api.mergePatch(ref, { metadata: { annotations: { [ETCD_UPGRADING_ANNOTATION]: null } } });
    }
  });

  const kcp = stages.controlPlane.find((o) => o.kind === 'KubeadmControlPlane');
  await run.step('apply-control-plane', async (control) => {
    await applyObjects(run, api, stages.controlPlane, 'control plane');
    control.note(`${stages.controlPlane.length} objects`);
  });
  await run.step('wait-control-plane-rollout', async () => {
    if (!kcp) return;
    await waitForObject(
      run,
      api,
      refOf(kcp),
      (o) => replicasRolledOut(o, contract, true),
      'every control plane machine at the new spec and ready',
      prepared.timeouts.controlPlaneMs,
    );
  });

  const mds = stages.workers.filter((o) => o.kind === 'MachineDeployment');
  await run.step('apply-workers', async (control) => {
    if (stages.workers.length === 0) {
      control.skipped('no worker groups');
      return;
    }
    await applyObjects(run, api, stages.workers, 'worker groups');
    control.note(mds.map((m) => m.metadata.name).join(', '));
  });
  await run.step('delete-removed-worker-groups', async (control) => {
    if (stages.removedWorkers.length === 0 && stages.removedHealthChecks.length === 0) {
      control.skipped('no worker group was removed');
      return;
    }
    for (const object of [...stages.removedHealthChecks, ...stages.removedWorkers]) {
      await api.delete(refOf(object));
    }
    control.note(stages.removedWorkers.map((m) => m.metadata.name).join(', ') || 'health checks only');
  });
  await run.step('wait-workers-rollout', async (control) => {
    if (mds.length === 0 && stages.removedWorkers.length === 0) {
      control.skipped('no worker groups');
      return;
    }
    const machines = mds.reduce((n, md) => n + ((md.spec as { replicas?: number }).replicas ?? 0), 0);
    const timeoutMs = machinesTimeout(prepared.timeouts, Math.max(1, machines));
    const refs = mds.map(refOf);
    const removed = stages.removedWorkers.map(refOf);
    await pollUntil(
      run,
      `worker groups of ${prepared.clusterName} at the new spec and ready${
        removed.length > 0 ? `, ${removed.map((r) => r.name).join(', ')} gone` : ''
      }`,
      timeoutMs,
      async () => {
        const current = await Promise.all(refs.map((r) => api.get(r)));
        const gone = await Promise.all(removed.map(async (r) => (await api.get(r)) === undefined));
        const leftMachines = removed.length > 0 ? await machinesOf(manager, prepared, removed) : 0;
        const done =
          current.every((o) => replicasRolledOut(o, contract, false)) &&
          gone.every(Boolean) &&
          leftMachines === 0;
        const observed = [
          ...refs.map((r, i) => `${r.name}: ${describeState(current[i])}`),
          ...removed.map((r, i) => `${r.name}: ${gone[i] ? 'deleted' : 'deleting'}`),
          ...(removed.length > 0 ? [`${leftMachines} machines of removed groups left`] : []),
        ].join('; ');
        return { done, observed };
      },
    );
    control.note(
      `${mds.length} group(s) rolled out${removed.length > 0 ? `, ${removed.length} removed` : ''}`,
    );
  });
  await run.step('apply-machine-health-checks', async (control) => {
    await applyObjects(run, api, stages.machineHealthChecks, 'MachineHealthChecks');
    control.note(`${stages.machineHealthChecks.length} MachineHealthChecks`);
  });
}

/**
 * The EtcdadmCluster has caught up with its spec and every member is up to date: `status.ready` (false while
 * members are replaced) and, where reported, the machines-up-to-date condition.
 */
export function etcdRolledOut(o: KubeObject | undefined): boolean {
  if (!o) return false;
  const status = (o.status ?? {}) as {
    ready?: boolean;
    observedGeneration?: number;
    conditions?: { type: string; status: string }[];
  };
  if (status.observedGeneration !== undefined && status.observedGeneration < (o.metadata.generation ?? 0)) {
    return false;
  }
  const upToDate = status.conditions?.find((c) => c.type === 'EtcdMachinesSpecUpToDate');
  return status.ready === true && (upToDate === undefined || upToDate.status === 'True');
}

/**
 * A KubeadmControlPlane or MachineDeployment has rolled out: its controller saw the current generation, and every
 * desired replica exists, is up to date (v1beta2 `upToDateReplicas`, v1beta1 `updatedReplicas`) and ready, with no
 * extra machine left; a control plane also reports the new version.
 */
export function replicasRolledOut(
  o: KubeObject | undefined,
  contract: CapiContract,
  checkVersion: boolean,
): boolean {
  if (!o) return false;
  const spec = (o.spec ?? {}) as { replicas?: number; version?: string };
  const status = (o.status ?? {}) as {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    upToDateReplicas?: number;
    updatedReplicas?: number;
    version?: string;
  };
  if ((status.observedGeneration ?? 0) < (o.metadata.generation ?? 0)) return false;
  const desired = spec.replicas ?? 1;
  const upToDate = contract === 'v1beta2' ? status.upToDateReplicas : status.updatedReplicas;
  if (checkVersion && spec.version && status.version !== spec.version) return false;
  return status.replicas === desired && upToDate === desired && (status.readyReplicas ?? 0) === desired;
}

async function machinesOf(
  manager: ClusterConnection,
  prepared: PreparedCluster,
  deployments: readonly ObjectRef[],
): Promise<number> {
  const core = deployments[0]?.apiVersion ?? 'cluster.x-k8s.io/v1beta2';
  const machines = await manager.client.list(core, 'Machine', {
    namespace: EKSA_SYSTEM_NAMESPACE,
    labelSelector: `cluster.x-k8s.io/cluster-name=${prepared.clusterName}`,
  });
  const names = new Set(deployments.map((d) => d.name));
  return machines.filter((m) => names.has(m.metadata.labels?.['cluster.x-k8s.io/deployment-name'] ?? ''))
    .length;
}

function specChanged(desired: KubeObject, live: KubeObject): boolean {
  return JSON.stringify(sorted(desired.spec)) !== JSON.stringify(sorted(pick(live.spec, desired.spec)));
}

/** The parts of `live` that `desired` sets (server defaults are not changes). */
function pick(live: unknown, desired: unknown): unknown {
  if (Array.isArray(desired)) {
    return Array.isArray(live) ? desired.map((d, i) => pick(live[i], d)) : live;
  }
  if (desired && typeof desired === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return live;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(desired)) {
      out[key] = pick((live as Record<string, unknown>)[key], (desired as Record<string, unknown>)[key]);
    }
    return out;
  }
  return live;
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function withAnnotation(o: KubeObject, key: string, value: string): KubeObject {
  return {
    ...o,
    metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), [key]: value } },
  };
}

function refOf(o: KubeObject): ObjectRef {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name!,
    namespace: o.metadata.namespace ?? EKSA_SYSTEM_NAMESPACE,
  };
}

function refName(ref: unknown): string | undefined {
  const name = (ref as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * What of the cluster is still rolling now (empty: everything caught up with its spec): a re-run of an upgrade that
 * failed while machines rolled must wait for them, though applying the manifests again changes nothing.
 */
export function unfinishedRollouts(live: LiveCapiObjects, contract: CapiContract): string[] {
  const out: string[] = [];
  if (live.etcd && !etcdRolledOut(live.etcd)) out.push('etcd');
  if (live.controlPlane && !replicasRolledOut(live.controlPlane, contract, true)) out.push('control plane');
  for (const md of live.machineDeployments) {
    if (!replicasRolledOut(md, contract, false)) out.push(md.metadata.name ?? 'a MachineDeployment');
  }
  return out;
}
