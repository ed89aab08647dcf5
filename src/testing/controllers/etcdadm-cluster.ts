import { ConditionState, summary, v1beta1Conditions } from './conditions';
import {
  clusterInfrastructureProvisioned,
  infraMachineProvisioned,
  machineInfrastructureReady,
} from './facts';
import {
  CLONED_FROM_GROUPKIND,
  CLONED_FROM_NAME,
  CLUSTER_NAME_LABEL,
  contractOf,
  createOrGet,
  deleteIfPresent,
  ensureFinalizer,
  ETCD_CLUSTER_LABEL,
  isDeleting,
  isPaused,
  Json,
  KINDS,
  ownerReference,
  randomSuffix,
  readRef,
  removeFinalizer,
  Snapshot,
  stableJson,
  writeRef,
  writeStatus,
  writtenApiVersion,
} from './objects';
import { Reconciler } from './reconciler';
import { memberRolloutStep } from './rollout';
import { splitApiVersion } from '../../kube/api-version';
import { KubeObject } from '../../kube/types';
import { SimulatedCluster } from '../site/simulated-cluster';
import { SiteRuntime } from '../site/site-runtime';

const FINALIZER = 'etcdcluster.cluster.x-k8s.io';
/** Set on etcd machines whose member joined the cluster (etcdadm-controller does the same). */
export const ETCD_READY_LABEL = 'cluster.x-k8s.io/etcd-ready';

/**
 * The simulated etcdadm controller (`etcdadm-controller-controller-manager`): an EtcdadmCluster owned by a Cluster
 * whose infrastructure is provisioned gets its etcd machines one at a time (the first runs `etcdadm init`), each
 * with an EtcdadmConfig and a DockerMachine cloned from `infrastructureTemplate`; a change of the template or of
 * `etcdadmConfigSpec` replaces the members one by one (surge of one). Status: `ready` only while every member is
 * up to date and running (so a rollout shows as not ready, as EKS-A waits for), `initialized`,
 * `creationComplete`, `endpoints` (`https://<ip>:2379`, comma-separated), `initMachineAddress`, conditions.
 * Machines are created in the Cluster's contract.
 */
export class EtcdadmClusterController extends Reconciler {
  public constructor(runtime: SiteRuntime, cluster: SimulatedCluster) {
    super('etcdadm-controller-controller-manager', runtime, cluster, {
      local: [
        'etcdcluster.cluster.x-k8s.io/etcdadmclusters',
        'cluster.x-k8s.io/clusters',
        'cluster.x-k8s.io/machines',
        'infrastructure.cluster.x-k8s.io/dockermachines',
        'bootstrap.cluster.x-k8s.io/etcdadmconfigs',
      ],
    });
  }

  protected async reconcile(): Promise<undefined> {
    const snap = await Snapshot.load(this.client, [KINDS.EtcdadmCluster]);
    if (snap.list(KINDS.EtcdadmCluster).length === 0) return undefined;
    await snap.extend(this.client, [
      KINDS.Cluster,
      KINDS.EtcdadmConfig,
      KINDS.Machine,
      KINDS.DockerMachine,
      KINDS.DockerMachineTemplate,
    ]);
    for (const etcd of snap.list(KINDS.EtcdadmCluster)) await this.reconcileEtcd(snap, etcd);
    return undefined;
  }

  private async reconcileEtcd(snap: Snapshot, etcd: KubeObject): Promise<void> {
    const ownerName = (etcd.metadata.ownerReferences ?? []).find((r) => r.kind === 'Cluster')?.name;
    const cluster = ownerName ? snap.get(KINDS.Cluster, etcd.metadata.namespace, ownerName) : undefined;
    if (!cluster || isPaused(cluster, etcd)) return;
    const machines = snap
      .list(KINDS.Machine, etcd.metadata.namespace)
      .filter((m) =>
        (m.metadata.ownerReferences ?? []).some((r) => r.uid === etcd.metadata.uid && r.controller),
      );
    if (isDeleting(etcd)) {
      for (const m of machines) await deleteIfPresent(this.client, m);
      if (machines.length === 0) await removeFinalizer(this.client, etcd, FINALIZER);
      return;
    }
    etcd = await ensureFinalizer(this.client, etcd, FINALIZER);
    const spec = (etcd.spec as Json) ?? {};
    const desired: number = spec.replicas ?? 1;
    const templateRef = readRef(spec.infrastructureTemplate, etcd.metadata.namespace!);
    const wantedConfig = stableJson(spec.etcdadmConfigSpec ?? {});
    const configOf = (m: KubeObject) =>
      snap.resolve(readRef((m.spec as Json)?.bootstrap?.configRef, m.metadata.namespace!));
    const infraOf = (m: KubeObject) =>
      snap.resolve(readRef((m.spec as Json)?.infrastructureRef, m.metadata.namespace!));
    const isOutdated = (m: KubeObject) =>
      infraOf(m)?.metadata.annotations?.[CLONED_FROM_NAME] !== templateRef?.name ||
      stableJson((configOf(m)?.spec as Json) ?? {}) !== wantedConfig;
    const isRunning = (m: KubeObject) => machineInfrastructureReady(m) || infraMachineProvisioned(infraOf(m));

    let waiting: string | undefined;
    if (!clusterInfrastructureProvisioned(cluster)) {
      waiting = 'WaitingForInfrastructure';
    } else {
      const step = memberRolloutStep({ machines, desired, maxSurge: 1, isOutdated, isJoined: isRunning });
      if (step && 'create' in step) {
        const template = snap.resolve(templateRef);
        if (template) await this.createMember(snap, cluster, etcd, template);
        else waiting = 'WaitingForInfrastructureTemplate';
      } else if (step && 'delete' in step) {
        await deleteIfPresent(this.client, step.delete);
      }
    }
    for (const m of machines) {
      if (isRunning(m) && !isDeleting(m) && m.metadata.labels?.[ETCD_READY_LABEL] !== 'true') {
        await this.client.mergePatch(
          {
            apiVersion: writtenApiVersion(m),
            kind: 'Machine',
            name: m.metadata.name!,
            namespace: m.metadata.namespace,
          },
          { metadata: { labels: { [ETCD_READY_LABEL]: 'true' } } },
        );
      }
    }

    const previous = (etcd.status as Json) ?? {};
    const running = machines.filter((m) => !isDeleting(m) && isRunning(m));
    const outdated = machines.filter(isOutdated).length;
    const ready = !waiting && machines.length === desired && running.length === desired && outdated === 0;
    const initialized = previous.initialized === true || running.length > 0;
    const addresses = running
      .map(
        (m) =>
          ((infraOf(m)?.status as Json)?.addresses ?? []).find((a: Json) => a.type === 'InternalIP')?.address,
      )
      .filter((a): a is string => typeof a === 'string')
      .sort();
    const first = [...running].sort((a, b) =>
      (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1,
    )[0];
    const firstAddress = first
      ? ((infraOf(first)?.status as Json)?.addresses ?? []).find((a: Json) => a.type === 'InternalIP')
          ?.address
      : undefined;
    const upToDate: ConditionState =
      outdated === 0
        ? { type: 'EtcdMachinesSpecUpToDate', status: true }
        : {
            type: 'EtcdMachinesSpecUpToDate',
            status: false,
            reason: 'EtcdRollingUpdateInProgress',
            severity: 'Warning',
            message: `Rolling ${outdated} replicas with outdated spec`,
          };
    const members: ConditionState =
      running.length === desired && machines.length === desired
        ? { type: 'EtcdMachinesReady', status: true }
        : {
            type: 'EtcdMachinesReady',
            status: false,
            reason: waiting ?? 'WaitingForEtcdMembers',
            message: `${running.length} of ${desired} etcd members running`,
          };
    const certificates: ConditionState = { type: 'EtcdCertificatesAvailable', status: true };
    const states = [summary('Ready', [certificates, members, upToDate]), certificates, members, upToDate];
    // etcdadm's API has one condition list (CAPI v1beta1 style), whatever the Cluster's contract.
    await writeStatus(this.client, etcd, {
      ready,
      initialized,
      creationComplete: previous.creationComplete === true || ready,
      ...(addresses.length > 0 ? { endpoints: addresses.map((a) => `https://${a}:2379`).join(',') } : {}),
      ...((previous.initMachineAddress ?? firstAddress)
        ? { initMachineAddress: previous.initMachineAddress ?? firstAddress }
        : {}),
      replicas: machines.length,
      selector: `${ETCD_CLUSTER_LABEL}=${etcd.metadata.name}`,
      observedGeneration: etcd.metadata.generation,
      conditions: v1beta1Conditions(previous.conditions, states),
    });
  }

  private async createMember(
    snap: Snapshot,
    cluster: KubeObject,
    etcd: KubeObject,
    template: KubeObject,
  ): Promise<void> {
    const ns = etcd.metadata.namespace!;
    const contract = contractOf(cluster);
    const name = `${etcd.metadata.name}-${randomSuffix()}`;
    const labels = {
      [CLUSTER_NAME_LABEL]: cluster.metadata.name!,
      [ETCD_CLUSTER_LABEL]: etcd.metadata.name!,
    };
    const owner = [ownerReference(etcd, true)];
    const etcdVersion = splitApiVersion(writtenApiVersion(etcd)).version;
    const config = await createOrGet(this.client, {
      apiVersion: `bootstrap.cluster.x-k8s.io/${etcdVersion}`,
      kind: 'EtcdadmConfig',
      metadata: { name, namespace: ns, labels, ownerReferences: owner },
      spec: structuredClone((etcd.spec as Json)?.etcdadmConfigSpec ?? {}),
    });
    const templateSpec = (template.spec as Json)?.template ?? {};
    const infra = await createOrGet(this.client, {
      apiVersion: writtenApiVersion(template),
      kind: 'DockerMachine',
      metadata: {
        name,
        namespace: ns,
        labels,
        annotations: {
          [CLONED_FROM_NAME]: template.metadata.name!,
          [CLONED_FROM_GROUPKIND]: `DockerMachineTemplate.${splitApiVersion(template.apiVersion).group}`,
        },
        ownerReferences: owner,
      },
      spec: structuredClone(templateSpec.spec ?? {}),
    });
    const machine = await createOrGet(this.client, {
      apiVersion: `cluster.x-k8s.io/${contract}`,
      kind: 'Machine',
      metadata: { name, namespace: ns, labels, ownerReferences: owner },
      spec: {
        clusterName: cluster.metadata.name,
        bootstrap: { configRef: writeRef(contract, config) },
        infrastructureRef: writeRef(contract, infra),
      },
    });
    snap.put(machine, KINDS.Machine);
    snap.put(config, KINDS.EtcdadmConfig);
    snap.put(infra, KINDS.DockerMachine);
  }
}
