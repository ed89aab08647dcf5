import { timestamp } from './conditions';
import { Json, KINDS, Snapshot, stableJson } from './objects';
import { Reconciler } from './reconciler';
import { KubeObject } from '../../kube/types';
import { SimulatedCluster } from '../site/simulated-cluster';
import { SiteRuntime } from '../site/site-runtime';

/** DaemonSets (in kube-system) whose readiness makes nodes Ready: the CNIs a cluster may run. */
export const CNI_DAEMONSETS: readonly string[] = ['cilium', 'kindnet', 'calico-node', 'kube-flannel-ds'];

/**
 * What a cluster's own machinery does, in one simulated controller: the kubelet's Ready condition (Ready once a
 * CNI DaemonSet is ready, or at once where the cluster ships its CNI, like kind), and the Deployment and DaemonSet
 * status that the kube-controller-manager and kubelets produce. Pods are not modelled: a Deployment's replicas
 * are available once there is a node they can run on (a Ready node; any node for host-network pods), a
 * DaemonSet's once per matching node, each after `podReadyMs`. A Deployment whose simulated controller was stopped
 * (see {@link SiteRuntime}) reports no available replica, as a crashed manager pod does.
 */
export class KubeControllerManager extends Reconciler {
  private readonly firstSeen = new Map<string, number>();

  private readonly latestStatus = new Map<string, Json>();
  public constructor(
    runtime: SiteRuntime,
    cluster: SimulatedCluster,
    private readonly isStopped: (namespace: string, name: string) => boolean,
  ) {
    super('kube-controller-manager', runtime, cluster, {
      local: ['/nodes', 'apps/deployments', 'apps/daemonsets'],
    });
  }

  protected async reconcile(): Promise<number | undefined> {
    const snap = await Snapshot.load(this.client, [KINDS.Node, KINDS.Deployment, KINDS.DaemonSet]);
    const nodes = snap.list(KINDS.Node);
    const daemonSets = snap.list(KINDS.DaemonSet);
    const deployments = snap.list(KINDS.Deployment);
    const waits: number[] = [];
    const now = Date.now();
    const elapsed = (key: string, delay: number): boolean => {
      if (!this.firstSeen.has(key)) this.firstSeen.set(key, now);
      const left = this.firstSeen.get(key)! + delay - now;
      if (left > 0) waits.push(left);
      return left <= 0;
    };
    const nodeReady = (n: KubeObject) =>
      ((n.status as Json)?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');

    // DaemonSets first: the CNI's pods run on NotReady nodes (host network, tolerations), and make them Ready.
    for (const ds of daemonSets) {
      const hostNetwork = (ds.spec as Json)?.template?.spec?.hostNetwork === true;
      const eligible = nodes.filter((n) => hostNetwork || nodeReady(n));
      const ready = eligible.filter((n) =>
        elapsed(
          `ds/${ds.metadata.uid}/${ds.metadata.generation}/${n.metadata.name}`,
          this.runtime.speed.podReadyMs,
        ),
      ).length;
      await this.writeAppStatus(ds, {
        currentNumberScheduled: nodes.length,
        desiredNumberScheduled: nodes.length,
        numberMisscheduled: 0,
        numberReady: ready,
        numberAvailable: ready,
        ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
        updatedNumberScheduled: nodes.length,
        observedGeneration: ds.metadata.generation,
      });
    }

    const cniReady =
      this.cluster.builtInCni ||
      daemonSets.some((ds) => {
        if (ds.metadata.namespace !== 'kube-system' || !CNI_DAEMONSETS.includes(ds.metadata.name!)) {
          return false;
        }
        const status = this.latestStatus.get(ds.metadata.uid!) ?? (ds.status as Json);
        return (
          (status?.desiredNumberScheduled ?? 0) > 0 && status?.numberReady === status?.desiredNumberScheduled
        );
      });
    for (const node of nodes) {
      // Only a node whose kubelet posted its status has a Ready condition to turn.
      const posted = ((node.status as Json)?.conditions ?? []).some((c: Json) => c.type === 'Ready');
      if (!posted || nodeReady(node) || !cniReady) continue;
      if (!elapsed(`node/${node.metadata.uid}`, this.runtime.speed.nodeReadyMs)) continue;
      const status = (node.status as Json) ?? {};
      const t = timestamp();
      const conditions = (status.conditions ?? []).map((c: Json) =>
        c.type === 'Ready'
          ? {
              ...c,
              status: 'True',
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
              lastHeartbeatTime: t,
              lastTransitionTime: t,
            }
          : c,
      );
      await this.client.mergePatch(
        { apiVersion: 'v1', kind: 'Node', name: node.metadata.name! },
        { status: { conditions } },
        { status: true },
      );
    }

    const readyNodes = nodes.filter(nodeReady).length;
    for (const deploy of deployments) {
      const spec = (deploy.spec as Json) ?? {};
      const replicas = spec.replicas ?? 1;
      const schedulable = spec.template?.spec?.hostNetwork === true ? nodes.length > 0 : readyNodes > 0;
      const stopped = this.isStopped(deploy.metadata.namespace!, deploy.metadata.name!);
      const running =
        replicas > 0 &&
        schedulable &&
        !stopped &&
        elapsed(`deploy/${deploy.metadata.uid}/${deploy.metadata.generation}`, this.runtime.speed.podReadyMs);
      const available = running ? replicas : 0;
      const previous = ((deploy.status as Json)?.conditions ?? []) as Json[];
      const condition = (type: string, status: boolean, reason: string, message: string): Json => {
        const before = previous.find((c) => c.type === type);
        const text = status ? 'True' : 'False';
        const t = timestamp();
        return {
          type,
          status: text,
          reason,
          message,
          lastUpdateTime: before?.status === text ? before.lastUpdateTime : t,
          lastTransitionTime: before?.status === text ? before.lastTransitionTime : t,
        };
      };
      await this.writeAppStatus(deploy, {
        observedGeneration: deploy.metadata.generation,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: available,
        availableReplicas: available,
        ...(replicas - available > 0 ? { unavailableReplicas: replicas - available } : {}),
        conditions: [
          available >= replicas
            ? condition('Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
            : condition(
                'Available',
                false,
                'MinimumReplicasUnavailable',
                'Deployment does not have minimum availability.',
              ),
          condition(
            'Progressing',
            true,
            available >= replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
            available >= replicas
              ? `ReplicaSet "${deploy.metadata.name}" has successfully progressed.`
              : `ReplicaSet "${deploy.metadata.name}" is progressing.`,
          ),
        ],
      });
    }
    return waits.length > 0 ? Math.min(...waits) : undefined;
  }

  private async writeAppStatus(object: KubeObject, status: Json): Promise<void> {
    const clean = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined));
    this.latestStatus.set(object.metadata.uid!, clean);
    if (stableJson(object.status ?? {}) === stableJson(clean)) return;
    await this.client.updateStatus({ ...object, status: clean });
  }
}
