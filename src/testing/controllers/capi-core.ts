import { composeStatus, ConditionState, summary } from './conditions';
import {
  bootstrapDataSecret,
  clusterControlPlaneInitialized,
  clusterRef,
  controlPlaneFacts,
  etcdClusterReady,
  infraClusterProvisioned,
  infraMachineProvisioned,
  machineNodeReady,
  minorOf,
  owningCluster,
} from './facts';
import {
  CLUSTER_NAME_LABEL,
  Contract,
  contractOf,
  CONTROL_PLANE_LABEL,
  controllerOf,
  createOrGet,
  DEPLOYMENT_NAME_LABEL,
  deleteIfPresent,
  ensureFinalizer,
  ETCD_CLUSTER_LABEL,
  isDeleting,
  isOwnedBy,
  isPaused,
  Json,
  KINDS,
  ownerReference,
  patchObject,
  randomSuffix,
  readRef,
  removeFinalizer,
  SET_NAME_LABEL,
  Snapshot,
  stableHash,
  TEMPLATE_HASH_LABEL,
  writtenApiVersion,
  writeRef,
  writeStatus,
} from './objects';
import { Reconciler } from './reconciler';
import { rollingReplicas, scaledValue, SetState } from './rollout';
import { splitApiVersion } from '../../kube/api-version';
import {
  formatLabelSelector,
  LabelSelector,
  matchesLabelSelector,
  parseLabelSelector,
} from '../../kube/label-selector';
import { KubeObject } from '../../kube/types';
import { SimulatedCluster } from '../site/simulated-cluster';
import { SiteRuntime } from '../site/site-runtime';

const CLUSTER_FINALIZER = 'cluster.cluster.x-k8s.io';
const MACHINE_FINALIZER = 'machine.cluster.x-k8s.io';

const NOT_PAUSED: ConditionState = { type: 'Paused', status: false, reason: 'NotPaused' };
const NOT_DELETING: ConditionState = { type: 'Deleting', status: false, reason: 'NotDeleting' };
const NOT_REMEDIATING: ConditionState = { type: 'Remediating', status: false, reason: 'NotRemediating' };

/**
 * The simulated Cluster API core provider (`capi-controller-manager`): Clusters, MachineDeployments,
 * MachineSets, Machines and MachineHealthChecks, in the contract each object was written in.
 *
 * - A Cluster owns its infrastructure, control plane and (EKS-A) managed external etcd objects, takes the
 *   control-plane endpoint from its infrastructure, and summarises them (v1beta1: `infrastructureReady`,
 *   `controlPlaneReady`, Ready / ControlPlaneInitialized / ControlPlaneReady / ManagedEtcdReady; v1beta2:
 *   `initialization.*`, Available / ControlPlaneAvailable / WorkersAvailable / RemoteConnectionProbe …, and the
 *   control plane and worker replica counters). Deleting it deletes workers, then the control plane, the etcd
 *   cluster and the infrastructure, each once the previous is gone.
 * - A MachineDeployment keeps one MachineSet per template (hash-named) and rolls from old to new within
 *   `maxSurge` / `maxUnavailable`; a MachineSet creates and deletes Machines (with their KubeadmConfig and
 *   DockerMachine from the templates), and creates none while the control plane is provisioning, rolling, or
 *   older than the workers' version (CAPI's MachineSet preflight checks).
 * - A Machine adopts its bootstrap config and infrastructure machine, copies their outputs (bootstrap data secret,
 *   providerID, addresses), finds its Node in the workload cluster through the `<cluster>-kubeconfig` Secret
 *   (`nodeRef`, `nodeInfo`, NodeHealthy), and on deletion removes its Node and its two objects first.
 * - MachineHealthChecks are accepted and report the machines they select; they never remediate.
 *
 * `spec.paused` and the `cluster.x-k8s.io/paused` annotation stop all of it for the cluster concerned.
 */
export class CapiCoreController extends Reconciler {
  public constructor(runtime: SiteRuntime, cluster: SimulatedCluster) {
    super('capi-controller-manager', runtime, cluster, {
      local: [
        'cluster.x-k8s.io/clusters',
        'cluster.x-k8s.io/machines',
        'cluster.x-k8s.io/machinesets',
        'cluster.x-k8s.io/machinedeployments',
        'cluster.x-k8s.io/machinehealthchecks',
        'controlplane.cluster.x-k8s.io/kubeadmcontrolplanes',
        'infrastructure.cluster.x-k8s.io/dockerclusters',
        'infrastructure.cluster.x-k8s.io/dockermachines',
        'bootstrap.cluster.x-k8s.io/kubeadmconfigs',
        'bootstrap.cluster.x-k8s.io/etcdadmconfigs',
        'etcdcluster.cluster.x-k8s.io/etcdadmclusters',
        '/nodes',
      ],
      remote: ['/nodes'],
    });
  }

  protected async reconcile(): Promise<undefined> {
    const snap = await Snapshot.load(this.client, [KINDS.Cluster, KINDS.Machine]);
    if (snap.list(KINDS.Cluster).length + snap.list(KINDS.Machine).length === 0) return undefined;
    await snap.extend(this.client, [
      KINDS.MachineDeployment,
      KINDS.MachineSet,
      KINDS.MachineHealthCheck,
      KINDS.KubeadmControlPlane,
      KINDS.KubeadmConfig,
      KINDS.KubeadmConfigTemplate,
      KINDS.EtcdadmCluster,
      KINDS.EtcdadmConfig,
      KINDS.DockerCluster,
      KINDS.DockerMachine,
      KINDS.DockerMachineTemplate,
    ]);
    const remote = new RemoteNodes(this.runtime, this.client, this.name);
    for (const m of snap.list(KINDS.Machine)) await this.reconcileMachine(snap, remote, m);
    for (const ms of snap.list(KINDS.MachineSet)) await this.reconcileMachineSet(snap, ms);
    for (const md of snap.list(KINDS.MachineDeployment)) await this.reconcileMachineDeployment(snap, md);
    for (const mhc of snap.list(KINDS.MachineHealthCheck)) await this.reconcileHealthCheck(snap, mhc);
    for (const c of snap.list(KINDS.Cluster)) await this.reconcileCluster(snap, remote, c);
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------------- Cluster

  private async reconcileCluster(snap: Snapshot, remote: RemoteNodes, cluster: KubeObject): Promise<void> {
    // The object is replaced by what each write returns, so one pass can take several steps.
    if (isPaused(cluster)) return;
    const contract = contractOf(cluster);
    const infra = snap.resolve(clusterRef(cluster, 'infrastructureRef'));
    const kcp = snap.resolve(clusterRef(cluster, 'controlPlaneRef'));
    const etcdRef = clusterRef(cluster, 'managedExternalEtcdRef');
    const etcd = snap.resolve(etcdRef);
    const ns = cluster.metadata.namespace!;
    const name = cluster.metadata.name!;
    const ofCluster = (o: KubeObject) =>
      (o.spec as Json)?.clusterName === name || o.metadata.labels?.[CLUSTER_NAME_LABEL] === name;
    const mds = snap.list(KINDS.MachineDeployment, ns).filter(ofCluster);
    const machines = snap.list(KINDS.Machine, ns).filter(ofCluster);
    const workerMachines = machines.filter(
      (m) =>
        !(CONTROL_PLANE_LABEL in (m.metadata.labels ?? {})) &&
        !(ETCD_CLUSTER_LABEL in (m.metadata.labels ?? {})),
    );

    if (isDeleting(cluster)) {
      const standaloneSets = snap
        .list(KINDS.MachineSet, ns)
        .filter((ms) => ofCluster(ms) && !controllerOf(ms));
      const stages: KubeObject[][] = [
        [...mds, ...standaloneSets, ...workerMachines],
        kcp ? [kcp] : [],
        etcd ? [etcd] : [],
        infra ? [infra] : [],
      ];
      const stage = stages.find((s) => s.length > 0);
      if (stage) {
        for (const o of stage) await deleteIfPresent(this.client, o);
      } else {
        await removeFinalizer(this.client, cluster, CLUSTER_FINALIZER);
        return;
      }
    } else {
      cluster = await ensureFinalizer(this.client, cluster, CLUSTER_FINALIZER);
      // The Cluster owns what it references and the templates its control plane, etcd and MachineDeployments use
      // (CAPI adopts referenced templates), which is how `clusterctl move` finds them.
      const templates = [
        ...[kcp, ...mds].map((o) => templateRefsOf(o)),
        [readRef((etcd?.spec as Json)?.infrastructureTemplate, ns)],
      ]
        .flat()
        .map((r) => snap.resolve(r))
        .filter((t): t is KubeObject => t !== undefined);
      for (const child of [infra, kcp, etcd, ...templates]) {
        if (child && !isOwnedBy(child, cluster)) {
          await patchObject(this.client, child, {
            metadata: {
              ownerReferences: [...(child.metadata.ownerReferences ?? []), ownerReference(cluster, false)],
            },
          });
        }
      }
      const endpoint = (infra?.spec as Json)?.controlPlaneEndpoint;
      if (endpoint?.host && !(cluster.spec as Json)?.controlPlaneEndpoint?.host) {
        cluster = await patchObject(this.client, cluster, { spec: { controlPlaneEndpoint: endpoint } });
      }
    }

    const infraReady = infraClusterProvisioned(infra);
    const cp = controlPlaneFacts(kcp);
    const cpInitialized = (cp?.initialized ?? false) || clusterControlPlaneInitialized(cluster);
    const etcdReady = !etcdRef || etcdClusterReady(etcd);
    const reachable = cpInitialized && (await remote.reachable(cluster));
    const workersWanted = mds.reduce((n, md) => n + ((md.spec as Json)?.replicas ?? 1), 0);
    const workersAvailable = mds.every((md) => mdAvailable(snap, md));
    const deleting = isDeleting(cluster);
    const phase = deleting
      ? 'Deleting'
      : infraReady && (cluster.spec as Json)?.controlPlaneEndpoint?.host
        ? 'Provisioned'
        : infra
          ? 'Provisioning'
          : 'Pending';

    const infraCondition: ConditionState = infraReady
      ? { type: 'InfrastructureReady', status: true }
      : {
          type: 'InfrastructureReady',
          status: false,
          reason: 'WaitingForInfrastructure',
          message: 'waiting for the infrastructure to be provisioned',
        };
    const cpInitCondition: ConditionState = cpInitialized
      ? { type: 'ControlPlaneInitialized', status: true }
      : {
          type: 'ControlPlaneInitialized',
          status: false,
          reason: 'WaitingForControlPlaneProviderInitialized',
          message: 'waiting for the control plane to be initialized',
        };
    const cpReadyCondition: ConditionState = cp?.fullyReady
      ? { type: 'ControlPlaneReady', status: true }
      : {
          type: 'ControlPlaneReady',
          status: false,
          reason: cp?.initialized ? 'ControlPlaneNotReady' : 'WaitingForControlPlane',
          severity: 'Warning',
        };
    const etcdCondition: ConditionState[] = etcdRef
      ? [
          etcdReady
            ? { type: 'ManagedEtcdReady', status: true }
            : {
                type: 'ManagedEtcdReady',
                status: false,
                reason: 'WaitingForEtcdCluster',
                message: `waiting for EtcdadmCluster ${etcdRef.name}`,
              },
        ]
      : [];
    const v1beta1Set = [
      summary('Ready', [infraCondition, cpReadyCondition, ...etcdCondition]),
      infraCondition,
      cpInitCondition,
      cpReadyCondition,
      ...etcdCondition,
    ];
    const cpAvailable: ConditionState = cp?.available
      ? { type: 'ControlPlaneAvailable', status: true }
      : {
          type: 'ControlPlaneAvailable',
          status: false,
          reason: 'NotAvailable',
          message: 'the control plane is not available',
        };
    const workers: ConditionState = workersAvailable
      ? { type: 'WorkersAvailable', status: true }
      : {
          type: 'WorkersAvailable',
          status: false,
          reason: 'NotAvailable',
          message: 'some MachineDeployments are not available',
        };
    const probe: ConditionState = reachable
      ? { type: 'RemoteConnectionProbe', status: true }
      : {
          type: 'RemoteConnectionProbe',
          status: false,
          reason: 'RemoteConnectionFailed',
          message: 'the workload cluster API is not reachable',
        };
    const cpMachines = machines.filter((m) => CONTROL_PLANE_LABEL in (m.metadata.labels ?? {}));
    const ready = (ms: KubeObject[]) => ms.length === 0 || ms.every(machineNodeReady);
    const rollingOut = !(cp?.stable ?? true) || mds.some((md) => !mdUpToDate(snap, md));
    const v1beta2Set: ConditionState[] = [
      deleting
        ? { type: 'Available', status: false, reason: 'Deleting' }
        : summary('Available', [infraCondition, cpAvailable, workers, probe, ...etcdCondition]),
      infraCondition,
      cpInitCondition,
      cpAvailable,
      workers,
      probe,
      {
        type: 'ControlPlaneMachinesReady',
        status: ready(cpMachines),
        reason: ready(cpMachines) ? 'Ready' : 'NotReady',
      },
      {
        type: 'WorkerMachinesReady',
        status: ready(workerMachines),
        reason: ready(workerMachines) ? 'Ready' : 'NotReady',
      },
      { type: 'RollingOut', status: rollingOut, reason: rollingOut ? 'RollingOut' : 'NotRollingOut' },
      { type: 'ScalingUp', status: false, reason: 'NotScalingUp' },
      { type: 'ScalingDown', status: false, reason: 'NotScalingDown' },
      NOT_REMEDIATING,
      deleting ? { type: 'Deleting', status: true, reason: 'Deleting' } : NOT_DELETING,
      NOT_PAUSED,
      ...etcdCondition,
    ];
    const workerCounters = {
      desiredReplicas: workersWanted,
      replicas: workerMachines.length,
      readyReplicas: workerMachines.filter(machineNodeReady).length,
      availableReplicas: workerMachines.filter(machineNodeReady).length,
      upToDateReplicas: mds.reduce((n, md) => n + upToDateMachines(snap, md), 0),
    };
    const cpCounters = cp
      ? {
          desiredReplicas: cp.desired,
          replicas: cp.replicas,
          readyReplicas: cp.readyReplicas,
          availableReplicas: cp.availableReplicas,
          upToDateReplicas: cp.upToDateReplicas,
        }
      : undefined;
    const initialization = {
      ...(infraReady ? { infrastructureProvisioned: true } : {}),
      ...(cpInitialized ? { controlPlaneInitialized: true } : {}),
    };
    await writeStatus(
      this.client,
      cluster,
      composeStatus(contract, cluster.status, {
        v1beta1: {
          phase,
          infrastructureReady: infraReady,
          controlPlaneReady: cp?.ready ?? false,
          observedGeneration: cluster.metadata.generation,
        },
        v1beta1Extra: { controlPlane: cpCounters, workers: workerCounters },
        v1beta2: {
          phase,
          ...(Object.keys(initialization).length > 0 ? { initialization } : {}),
          controlPlane: cpCounters,
          workers: workerCounters,
          observedGeneration: cluster.metadata.generation,
        },
        v1beta1Conditions: v1beta1Set,
        v1beta2Conditions: v1beta2Set,
        generation: cluster.metadata.generation,
      }),
    );
  }

  /**
   * Deletes an object and marks it deleting in the pass's snapshot, so that what the pass computes next (a
   * MachineDeployment's availability after its MachineSet scaled down) does not count it any more.
   */
  private async deleteMarked(
    snap: Snapshot,
    kind: (typeof KINDS)[keyof typeof KINDS],
    object: KubeObject,
  ): Promise<void> {
    await deleteIfPresent(this.client, object);
    snap.put(
      { ...object, metadata: { ...object.metadata, deletionTimestamp: new Date().toISOString() } },
      kind,
    );
  }

  // ------------------------------------------------------------------------------------------ MachineDeployment

  private async reconcileMachineDeployment(snap: Snapshot, md: KubeObject): Promise<void> {
    const cluster = owningCluster(snap, md);
    if (!cluster || isPaused(cluster, md) || (md.spec as Json)?.paused === true || isDeleting(md)) return;
    const clusterName = cluster.metadata.name!;
    if (!isOwnedBy(md, cluster) || md.metadata.labels?.[CLUSTER_NAME_LABEL] !== clusterName) {
      md = await patchObject(this.client, md, {
        metadata: {
          labels: { [CLUSTER_NAME_LABEL]: clusterName },
          ...(isOwnedBy(md, cluster)
            ? {}
            : { ownerReferences: [...(md.metadata.ownerReferences ?? []), ownerReference(cluster, false)] }),
        },
      });
    }
    const contract = contractOf(md);
    const spec = (md.spec as Json) ?? {};
    const desired: number = spec.replicas ?? 1;
    const hash = templateHash(spec.template);
    const sets = snap.ownedBy(KINDS.MachineSet, md);
    let newSet = sets.find((s) => s.metadata.labels?.[TEMPLATE_HASH_LABEL] === hash);
    const oldSets = sets.filter((s) => s !== newSet);
    const strategy = contract === 'v1beta2' ? spec.rollout?.strategy : spec.strategy;
    const maxSurge = scaledValue(strategy?.rollingUpdate?.maxSurge, desired, true, 1);
    const maxUnavailable = scaledValue(strategy?.rollingUpdate?.maxUnavailable, desired, false, 0);
    const stateOf = (ms: KubeObject): SetState => {
      const machines = snap.ownedBy(KINDS.Machine, ms);
      return {
        name: ms.metadata.name!,
        replicas: (ms.spec as Json)?.replicas ?? 0,
        actual: machines.length,
        available: machines.filter((m) => !isDeleting(m) && machineNodeReady(m)).length,
        createdAt: ms.metadata.creationTimestamp ?? '',
      };
    };
    if (!newSet) {
      const targets = rollingReplicas(
        desired,
        maxSurge,
        maxUnavailable,
        { name: '', replicas: 0, actual: 0, available: 0, createdAt: '' },
        oldSets.map(stateOf),
      );
      newSet = await this.createMachineSet(snap, md, cluster, contract, hash, targets.get('') ?? 0);
    } else {
      const targets = rollingReplicas(
        desired,
        maxSurge,
        maxUnavailable,
        stateOf(newSet),
        oldSets.map(stateOf),
      );
      for (const ms of [newSet, ...oldSets]) {
        const target = targets.get(ms.metadata.name!);
        if (target !== undefined && target !== ((ms.spec as Json)?.replicas ?? 0)) {
          snap.put(await patchObject(this.client, ms, { spec: { replicas: target } }), KINDS.MachineSet);
        }
      }
      // Old sets that have nothing left go away, as CAPI's history cleanup does.
      for (const ms of oldSets) {
        const state = stateOf(ms);
        if (state.replicas === 0 && state.actual === 0 && (targets.get(ms.metadata.name!) ?? 0) === 0) {
          await deleteIfPresent(this.client, ms);
        }
      }
    }

    const all = sets.flatMap((s) => snap.ownedBy(KINDS.Machine, s));
    const replicas = all.length;
    const readyCount = all.filter(machineNodeReady).length;
    const upToDate = snap.ownedBy(KINDS.Machine, newSet).length;
    const available = readyCount;
    const unavailable = Math.max(0, desired - available);
    const isAvailable = available >= desired - maxUnavailable;
    const phase = replicas < desired ? 'ScalingUp' : replicas > desired ? 'ScalingDown' : 'Running';
    const rolling = oldSets.some((s) => stateOf(s).actual > 0);
    const availableCondition: ConditionState = isAvailable
      ? { type: 'Available', status: true }
      : {
          type: 'Available',
          status: false,
          reason: 'WaitingForAvailableMachines',
          severity: 'Warning',
          message: `Minimum availability requires ${desired - maxUnavailable} replicas, current ${available} available`,
        };
    const newReady = snap.ownedBy(KINDS.Machine, newSet).filter(machineNodeReady).length;
    const setReady: ConditionState =
      newReady === desired && !rolling
        ? { type: 'MachineSetReady', status: true }
        : {
            type: 'MachineSetReady',
            status: false,
            reason: 'Detached',
            message: `${newReady} of ${desired} machines of the current MachineSet are ready`,
          };
    await writeStatus(
      this.client,
      md,
      composeStatus(contract, md.status, {
        v1beta1: {
          phase,
          replicas,
          updatedReplicas: upToDate,
          readyReplicas: readyCount,
          availableReplicas: available,
          unavailableReplicas: unavailable,
          selector: `${CLUSTER_NAME_LABEL}=${cluster.metadata.name},${DEPLOYMENT_NAME_LABEL}=${md.metadata.name}`,
          observedGeneration: md.metadata.generation,
        },
        v1beta1Extra: { readyReplicas: readyCount, availableReplicas: available, upToDateReplicas: upToDate },
        v1beta2: {
          phase,
          replicas,
          readyReplicas: readyCount,
          availableReplicas: available,
          upToDateReplicas: upToDate,
          selector: `${CLUSTER_NAME_LABEL}=${cluster.metadata.name},${DEPLOYMENT_NAME_LABEL}=${md.metadata.name}`,
          observedGeneration: md.metadata.generation,
        },
        v1beta2Deprecated: {
          readyReplicas: readyCount,
          availableReplicas: available,
          updatedReplicas: upToDate,
          unavailableReplicas: unavailable,
        },
        v1beta1Conditions: [summary('Ready', [availableCondition, setReady]), availableCondition, setReady],
        v1beta2Conditions: [
          availableCondition,
          {
            type: 'MachinesReady',
            status: readyCount === replicas,
            reason: readyCount === replicas ? 'Ready' : 'NotReady',
          },
          {
            type: 'MachinesUpToDate',
            status: upToDate === replicas,
            reason: upToDate === replicas ? 'UpToDate' : 'NotUpToDate',
          },
          { type: 'RollingOut', status: rolling, reason: rolling ? 'RollingOut' : 'NotRollingOut' },
          {
            type: 'ScalingUp',
            status: replicas < desired,
            reason: replicas < desired ? 'ScalingUp' : 'NotScalingUp',
          },
          {
            type: 'ScalingDown',
            status: replicas > desired,
            reason: replicas > desired ? 'ScalingDown' : 'NotScalingDown',
          },
          NOT_REMEDIATING,
          NOT_DELETING,
          NOT_PAUSED,
        ],
        generation: md.metadata.generation,
      }),
    );
  }

  private async createMachineSet(
    snap: Snapshot,
    md: KubeObject,
    cluster: KubeObject,
    contract: Contract,
    hash: string,
    replicas: number,
  ): Promise<KubeObject> {
    const spec = (md.spec as Json) ?? {};
    const labels = {
      ...spec.template?.metadata?.labels,
      [CLUSTER_NAME_LABEL]: cluster.metadata.name!,
      [DEPLOYMENT_NAME_LABEL]: md.metadata.name!,
      [TEMPLATE_HASH_LABEL]: hash,
    };
    const set = await createOrGet(this.client, {
      apiVersion: `cluster.x-k8s.io/${contract}`,
      kind: 'MachineSet',
      metadata: {
        name: `${md.metadata.name}-${hash}`,
        namespace: md.metadata.namespace,
        labels,
        ownerReferences: [ownerReference(md, true)],
      },
      spec: {
        clusterName: cluster.metadata.name,
        replicas,
        selector: {
          matchLabels: { [DEPLOYMENT_NAME_LABEL]: md.metadata.name!, [TEMPLATE_HASH_LABEL]: hash },
        },
        template: {
          metadata: { ...spec.template?.metadata, labels },
          spec: structuredClone(spec.template?.spec ?? {}),
        },
      },
    });
    snap.put(set, KINDS.MachineSet);
    return set;
  }

  // ------------------------------------------------------------------------------------------------ MachineSet

  private async reconcileMachineSet(snap: Snapshot, ms: KubeObject): Promise<void> {
    const cluster = owningCluster(snap, ms);
    if (!cluster || isPaused(cluster, ms) || isDeleting(ms)) return;
    const contract = contractOf(ms);
    const spec = (ms.spec as Json) ?? {};
    const desired: number = spec.replicas ?? 1;
    const machines = snap.ownedBy(KINDS.Machine, ms).filter((m) => controllerOf(m)?.uid === ms.metadata.uid);
    const live = machines.filter((m) => !isDeleting(m));
    let preflight: string | undefined;
    if (live.length < desired) {
      preflight = this.preflight(snap, cluster, spec.template?.spec?.version);
      if (!preflight) {
        for (let i = live.length; i < desired; i++) await this.createWorker(snap, ms, cluster, contract);
      }
    } else if (live.length > desired) {
      const victims = [...live]
        .sort((a, b) => Number(machineNodeReady(a)) - Number(machineNodeReady(b)) || byCreation(a, b))
        .slice(0, live.length - desired);
      for (const m of victims) await this.deleteMarked(snap, KINDS.Machine, m);
    }
    const replicas = machines.length;
    const ready = machines.filter(machineNodeReady).length;
    const resized: ConditionState =
      live.length === desired
        ? { type: 'Resized', status: true }
        : {
            type: 'Resized',
            status: false,
            reason: live.length < desired ? 'ScalingUp' : 'ScalingDown',
            severity: 'Warning',
          };
    const created: ConditionState = preflight
      ? {
          type: 'MachinesCreated',
          status: false,
          reason: 'PreflightCheckFailed',
          severity: 'Warning',
          message: preflight,
        }
      : { type: 'MachinesCreated', status: true };
    const machinesReady: ConditionState =
      ready === replicas
        ? { type: 'MachinesReady', status: true }
        : {
            type: 'MachinesReady',
            status: false,
            reason: 'NodeNotReady',
            message: `${ready} of ${replicas} machines have a Ready node`,
          };
    const selector = Object.entries(spec.selector?.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    await writeStatus(
      this.client,
      ms,
      composeStatus(contract, ms.status, {
        v1beta1: {
          replicas,
          fullyLabeledReplicas: replicas,
          readyReplicas: ready,
          availableReplicas: ready,
          selector,
          observedGeneration: ms.metadata.generation,
        },
        v1beta1Extra: { readyReplicas: ready, availableReplicas: ready, upToDateReplicas: replicas },
        v1beta2: {
          replicas,
          readyReplicas: ready,
          availableReplicas: ready,
          upToDateReplicas: replicas,
          selector,
          observedGeneration: ms.metadata.generation,
        },
        v1beta2Deprecated: { fullyLabeledReplicas: replicas, readyReplicas: ready, availableReplicas: ready },
        v1beta1Conditions: [
          summary('Ready', [created, resized, machinesReady]),
          created,
          resized,
          machinesReady,
        ],
        v1beta2Conditions: [
          { ...machinesReady },
          { type: 'MachinesUpToDate', status: true, reason: 'UpToDate' },
          preflight
            ? { type: 'ScalingUp', status: true, reason: 'PreflightCheckFailed', message: preflight }
            : {
                type: 'ScalingUp',
                status: live.length < desired,
                reason: live.length < desired ? 'ScalingUp' : 'NotScalingUp',
              },
          {
            type: 'ScalingDown',
            status: live.length > desired,
            reason: live.length > desired ? 'ScalingDown' : 'NotScalingDown',
          },
          NOT_REMEDIATING,
          NOT_DELETING,
          NOT_PAUSED,
        ],
        generation: ms.metadata.generation,
      }),
    );
  }

  /** CAPI's MachineSet preflight checks: a reason not to create machines now, if any. */
  private preflight(snap: Snapshot, cluster: KubeObject, version: string | undefined): string | undefined {
    const kcp = snap.resolve(clusterRef(cluster, 'controlPlaneRef'));
    if (!(cluster.spec as Json)?.controlPlaneRef) return undefined;
    const cp = controlPlaneFacts(kcp);
    if (!cp || !cp.initialized) return 'ControlPlaneIsStable: the control plane is still being provisioned';
    if (!cp.stable) return 'ControlPlaneIsStable: the control plane is still being upgraded';
    const wanted = minorOf(version);
    const current = minorOf(cp.version);
    if (wanted !== undefined && current !== undefined && wanted > current) {
      return `KubernetesVersionSkew: the MachineSet version ${version} is newer than the control plane version ${cp.version}`;
    }
    return undefined;
  }

  private async createWorker(
    snap: Snapshot,
    ms: KubeObject,
    cluster: KubeObject,
    contract: Contract,
  ): Promise<void> {
    const spec = (ms.spec as Json) ?? {};
    const template = spec.template ?? {};
    const ns = ms.metadata.namespace!;
    const name = `${ms.metadata.name}-${randomSuffix()}`;
    const labels = {
      ...template.metadata?.labels,
      [CLUSTER_NAME_LABEL]: cluster.metadata.name!,
      [SET_NAME_LABEL]: ms.metadata.name!,
    };
    const owner = [ownerReference(ms, true)];
    const bootstrapTemplate = snap.resolve(readRef(template.spec?.bootstrap?.configRef, ns));
    const infraTemplate = snap.resolve(readRef(template.spec?.infrastructureRef, ns));
    if (!infraTemplate || (template.spec?.bootstrap?.configRef && !bootstrapTemplate)) {
      throw new Error(
        `MachineSet ${ns}/${ms.metadata.name}: its bootstrap or infrastructure template does not exist`,
      );
    }
    const cloneOf = (tmpl: KubeObject, kind: string) => {
      const inner = (tmpl.spec as Json)?.template ?? {};
      return {
        apiVersion: writtenApiVersion(tmpl),
        kind,
        metadata: {
          name,
          namespace: ns,
          labels: { ...inner.metadata?.labels, ...labels },
          annotations: {
            ...inner.metadata?.annotations,
            'cluster.x-k8s.io/cloned-from-name': tmpl.metadata.name!,
            'cluster.x-k8s.io/cloned-from-groupkind': `${tmpl.kind}.${splitApiVersion(tmpl.apiVersion).group}`,
          },
          ownerReferences: owner,
        },
        spec: structuredClone(inner.spec ?? {}),
      } as KubeObject;
    };
    const bootstrap = bootstrapTemplate
      ? await createOrGet(
          this.client,
          cloneOf(bootstrapTemplate, bootstrapTemplate.kind.replace(/Template$/, '')),
        )
      : undefined;
    const infra = await createOrGet(
      this.client,
      cloneOf(infraTemplate, infraTemplate.kind.replace(/Template$/, '')),
    );
    const machineSpec: Json = structuredClone(template.spec ?? {});
    machineSpec.clusterName = cluster.metadata.name;
    if (bootstrap) {
      machineSpec.bootstrap = { ...machineSpec.bootstrap, configRef: writeRef(contract, bootstrap) };
    }
    machineSpec.infrastructureRef = writeRef(contract, infra);
    const machine = await createOrGet(this.client, {
      apiVersion: `cluster.x-k8s.io/${contract}`,
      kind: 'Machine',
      metadata: {
        name,
        namespace: ns,
        labels,
        annotations: template.metadata?.annotations,
        ownerReferences: owner,
      },
      spec: machineSpec,
    });
    snap.put(machine, KINDS.Machine);
  }

  // --------------------------------------------------------------------------------------------------- Machine

  private async reconcileMachine(snap: Snapshot, remote: RemoteNodes, machine: KubeObject): Promise<void> {
    const cluster = owningCluster(snap, machine);
    const ns = machine.metadata.namespace!;
    const spec = (machine.spec as Json) ?? {};
    const bootstrapRef = readRef(spec.bootstrap?.configRef, ns);
    const infraRef = readRef(spec.infrastructureRef, ns);
    const bootstrap = snap.resolve(bootstrapRef);
    const infra = snap.resolve(infraRef);
    const etcdMember = ETCD_CLUSTER_LABEL in (machine.metadata.labels ?? {});
    if (cluster && isPaused(cluster, machine)) return;
    if (isDeleting(machine)) {
      const nodeName = (machine.status as Json)?.nodeRef?.name;
      if (nodeName && cluster) await remote.deleteNode(cluster, nodeName);
      const remaining = [bootstrap, infra].filter((o): o is KubeObject => o !== undefined);
      for (const o of remaining) await deleteIfPresent(this.client, o);
      if (remaining.length === 0) await removeFinalizer(this.client, machine, MACHINE_FINALIZER);
      return;
    }
    if (!cluster) return;
    machine = await ensureFinalizer(this.client, machine, MACHINE_FINALIZER);
    if (machine.metadata.labels?.[CLUSTER_NAME_LABEL] !== cluster.metadata.name) {
      machine = await patchObject(this.client, machine, {
        metadata: { labels: { [CLUSTER_NAME_LABEL]: cluster.metadata.name } },
      });
    }
    for (const child of [bootstrap, infra]) {
      if (child && controllerOf(child)?.uid !== machine.metadata.uid) {
        const others = (child.metadata.ownerReferences ?? [])
          .filter((r) => r.uid !== machine.metadata.uid)
          .map(({ controller: _c, blockOwnerDeletion: _b, ...rest }) => rest);
        await patchObject(this.client, child, {
          metadata: { ownerReferences: [...others, ownerReference(machine, true)] },
        });
      }
    }
    const contract = contractOf(machine);
    const dataSecretName: string | undefined =
      spec.bootstrap?.dataSecretName ?? bootstrapDataSecret(bootstrap);
    const infraReady = infraMachineProvisioned(infra);
    const providerID: string | undefined = (infra?.spec as Json)?.providerID;
    const specPatch: Json = {};
    if (dataSecretName && spec.bootstrap?.dataSecretName !== dataSecretName) {
      specPatch.bootstrap = { dataSecretName };
    }
    if (infraReady && providerID && spec.providerID !== providerID) specPatch.providerID = providerID;
    if (Object.keys(specPatch).length > 0) {
      machine = await patchObject(this.client, machine, { spec: specPatch });
    }
    const current = (machine.spec as Json) ?? {};
    const node =
      !etcdMember && current.providerID
        ? await remote.nodeByProviderId(cluster, current.providerID)
        : undefined;
    const nodeReady = ((node?.status as Json)?.conditions ?? []).some(
      (c: Json) => c.type === 'Ready' && c.status === 'True',
    );
    const phase = node ? 'Running' : infraReady ? 'Provisioned' : dataSecretName ? 'Provisioning' : 'Pending';
    const bootstrapCondition: ConditionState = dataSecretName
      ? { type: 'BootstrapReady', status: true }
      : {
          type: 'BootstrapReady',
          status: false,
          reason: 'WaitingForDataSecret',
          message: 'waiting for the bootstrap data',
        };
    const infraCondition: ConditionState = infraReady
      ? { type: 'InfrastructureReady', status: true }
      : {
          type: 'InfrastructureReady',
          status: false,
          reason: 'WaitingForInfrastructure',
          message: 'waiting for the infrastructure machine',
        };
    const nodeHealthy: ConditionState = nodeReady
      ? { type: 'NodeHealthy', status: true }
      : node
        ? {
            type: 'NodeHealthy',
            status: false,
            reason: 'NodeConditionsFailed',
            severity: 'Warning',
            message: 'the node is not Ready',
          }
        : {
            type: 'NodeHealthy',
            status: false,
            reason: 'WaitingForNodeRef',
            message: 'waiting for the node',
          };
    const nodeConditions = etcdMember ? [] : [nodeHealthy];
    const readyV2 = etcdMember ? Boolean(dataSecretName) && infraReady : nodeReady;
    const addresses = (infra?.status as Json)?.addresses;
    const nodeInfo = (node?.status as Json)?.nodeInfo;
    const initialization = {
      ...(dataSecretName ? { bootstrapDataSecretCreated: true } : {}),
      ...(infraReady ? { infrastructureProvisioned: true } : {}),
    };
    await writeStatus(
      this.client,
      machine,
      composeStatus(contract, machine.status, {
        v1beta1: {
          phase,
          bootstrapReady: Boolean(dataSecretName),
          infrastructureReady: infraReady,
          ...(node
            ? {
                nodeRef: { apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid },
              }
            : {}),
          addresses,
          nodeInfo,
          observedGeneration: machine.metadata.generation,
        },
        v1beta2: {
          phase,
          ...(Object.keys(initialization).length > 0 ? { initialization } : {}),
          ...(node ? { nodeRef: { name: node.metadata.name } } : {}),
          addresses,
          nodeInfo,
          observedGeneration: machine.metadata.generation,
        },
        v1beta1Conditions: [
          summary('Ready', [bootstrapCondition, infraCondition, ...nodeConditions]),
          bootstrapCondition,
          infraCondition,
          ...nodeConditions,
        ],
        v1beta2Conditions: [
          { type: 'Available', status: readyV2, reason: readyV2 ? 'Available' : 'NotAvailable' },
          { type: 'Ready', status: readyV2, reason: readyV2 ? 'Ready' : 'NotReady' },
          { ...bootstrapCondition, type: 'BootstrapConfigReady' },
          infraCondition,
          ...(etcdMember ? [] : [{ ...nodeHealthy, type: 'NodeReady', severity: undefined }, nodeHealthy]),
          { type: 'UpToDate', status: true, reason: 'UpToDate' },
          NOT_DELETING,
          NOT_PAUSED,
        ],
        generation: machine.metadata.generation,
      }),
    );
  }

  // -------------------------------------------------------------------------------------------- HealthCheck

  private async reconcileHealthCheck(snap: Snapshot, mhc: KubeObject): Promise<void> {
    const cluster = owningCluster(snap, mhc);
    if (!cluster || isPaused(cluster, mhc) || isDeleting(mhc)) return;
    if (!isOwnedBy(mhc, cluster)) {
      mhc = await patchObject(this.client, mhc, {
        metadata: {
          ownerReferences: [...(mhc.metadata.ownerReferences ?? []), ownerReference(cluster, false)],
        },
      });
    }
    const contract = contractOf(mhc);
    const spec = (mhc.spec as Json) ?? {};
    const selector = parseLabelSelector(formatLabelSelector((spec.selector ?? {}) as LabelSelector));
    const targets = snap
      .list(KINDS.Machine, mhc.metadata.namespace)
      .filter(
        (m) =>
          (m.spec as Json)?.clusterName === cluster.metadata.name &&
          matchesLabelSelector(selector, m.metadata.labels ?? {}),
      );
    const healthy = targets.filter(machineNodeReady).length;
    const limit =
      contract === 'v1beta2' ? spec.remediation?.triggerIf?.unhealthyLessThanOrEqualTo : spec.maxUnhealthy;
    const allowed = Math.max(
      0,
      scaledValue(limit ?? '100%', targets.length, false, targets.length) - (targets.length - healthy),
    );
    const remediation: ConditionState = { type: 'RemediationAllowed', status: true };
    await writeStatus(
      this.client,
      mhc,
      composeStatus(contract, mhc.status, {
        v1beta1: {
          expectedMachines: targets.length,
          currentHealthy: healthy,
          remediationsAllowed: allowed,
          targets: targets.map((m) => m.metadata.name!).sort(),
          observedGeneration: mhc.metadata.generation,
        },
        v1beta2: {
          expectedMachines: targets.length,
          currentHealthy: healthy,
          remediationsAllowed: allowed,
          targets: targets.map((m) => m.metadata.name!).sort(),
          observedGeneration: mhc.metadata.generation,
        },
        v1beta1Conditions: [remediation],
        v1beta2Conditions: [remediation, NOT_PAUSED],
        generation: mhc.metadata.generation,
      }),
    );
  }
}

/** The Nodes of workload clusters, read through their `<cluster>-kubeconfig` Secrets, once per pass. */
class RemoteNodes {
  private readonly cache = new Map<string, Promise<KubeObject[] | undefined>>();

  public constructor(
    private readonly runtime: SiteRuntime,
    private readonly client: import('../../kube/client').HttpKubeClient,
    private readonly component: string,
  ) {}

  public async reachable(cluster: KubeObject): Promise<boolean> {
    return (await this.nodes(cluster)) !== undefined;
  }

  public async nodeByProviderId(cluster: KubeObject, providerID: string): Promise<KubeObject | undefined> {
    return (await this.nodes(cluster))?.find((n) => (n.spec as Json)?.providerID === providerID);
  }

  public async deleteNode(cluster: KubeObject, nodeName: string): Promise<void> {
    const client = await this.remoteClient(cluster);
    if (!client) return;
    try {
      await client.delete({ apiVersion: 'v1', kind: 'Node', name: nodeName });
    } catch {
      // The workload cluster may be on its way down; CAPI gives up on the node then too.
    }
  }

  private nodes(cluster: KubeObject): Promise<KubeObject[] | undefined> {
    const key = cluster.metadata.uid!;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = (async () => {
        const client = await this.remoteClient(cluster);
        if (!client) return undefined;
        try {
          return await client.list('v1', 'Node');
        } catch {
          return undefined;
        }
      })();
      this.cache.set(key, pending);
    }
    return pending;
  }

  private async remoteClient(cluster: KubeObject) {
    const secret = await this.client.get({
      apiVersion: 'v1',
      kind: 'Secret',
      name: `${cluster.metadata.name}-kubeconfig`,
      namespace: cluster.metadata.namespace,
    });
    const value = (secret?.data as Json)?.value;
    if (!value) return undefined;
    return this.runtime.remoteClient(Buffer.from(String(value), 'base64').toString('utf8'), this.component);
  }
}

/** The templates an object's spec references (KCP machine template; MachineDeployment bootstrap and infra). */
function templateRefsOf(object: KubeObject | undefined): (ReturnType<typeof readRef> | undefined)[] {
  if (!object) return [];
  const spec = (object.spec as Json) ?? {};
  const ns = object.metadata.namespace!;
  if (object.kind === 'KubeadmControlPlane') {
    return [
      readRef(spec.machineTemplate?.spec?.infrastructureRef ?? spec.machineTemplate?.infrastructureRef, ns),
    ];
  }
  return [
    readRef(spec.template?.spec?.bootstrap?.configRef, ns),
    readRef(spec.template?.spec?.infrastructureRef, ns),
  ];
}

function templateHash(template: Json): string {
  return stableHash({ metadata: template?.metadata ?? {}, spec: template?.spec ?? {} }, 10).replace(
    /[^a-z0-9]/g,
    '',
  );
}

function byCreation(a: KubeObject, b: KubeObject): number {
  return (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1;
}

function upToDateMachines(snap: Snapshot, md: KubeObject): number {
  const hash = templateHash((md.spec as Json)?.template);
  return snap
    .ownedBy(KINDS.MachineSet, md)
    .filter((s) => s.metadata.labels?.[TEMPLATE_HASH_LABEL] === hash)
    .reduce((n, s) => n + snap.ownedBy(KINDS.Machine, s).length, 0);
}

function mdUpToDate(snap: Snapshot, md: KubeObject): boolean {
  const sets = snap.ownedBy(KINDS.MachineSet, md);
  const all = sets.reduce((n, s) => n + snap.ownedBy(KINDS.Machine, s).length, 0);
  return upToDateMachines(snap, md) === all && all === ((md.spec as Json)?.replicas ?? 1);
}

function mdAvailable(snap: Snapshot, md: KubeObject): boolean {
  const status = (md.status as Json) ?? {};
  return (
    status.observedGeneration === md.metadata.generation &&
    ((status.conditions ?? []) as Json[]).some((c) => c.type === 'Available' && c.status === 'True') &&
    snap.ownedBy(KINDS.MachineSet, md).length > 0
  );
}
