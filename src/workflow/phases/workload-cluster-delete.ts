import type { KubeClient } from '../../kube/types';
import {
  ALLOW_DELETE_WHEN_PAUSED_ANNOTATION,
  pauseReconcilePatches,
} from '../../manifests/addons/eksa-annotations';
import { capiApiVersion } from '../../manifests/contract';
import { locateCapiObjects, type HolderCandidate } from '../capi-holder';
import { managementAccess, ownAccess } from '../cluster-access';
import type { ClusterConnection } from '../cluster-connection';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { capiClusterRef } from '../locate-manager';
import { runPhase, type PhaseOptions, type PhaseRun, type StepControl } from '../phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from '../prepare';
import type { Site } from '../site';
import { findBootstrap } from '../temporary-bootstrap';
import { pauseReconcile } from '../upgrade/reconcile-pause';
import { pollUntil } from '../waits';
import { removeClusterFiles } from './delete-cleanup';
import { locateSelfOrBootstrap, moveToBootstrap } from './management-move-back';
import { tolerateNotFound } from './tolerate';

export interface DeleteWorkloadClusterInputs extends ClusterInputs {
  /** The cluster's own kubeconfig (a management cluster that still manages itself). */
  readonly workloadKubeconfig?: KubeconfigText;
  /** A workload cluster's management cluster (required there). */
  readonly managementKubeconfig?: KubeconfigText;
  /**
   * Also remove the files eksa-iac wrote for the cluster once it is gone (what ClusterConfigFiles' delete does), for
   * a caller whose last delete this is (a workload cluster's, with no bootstrap cluster to delete after). @default false
   */
  readonly removeClusterFiles?: boolean;
}

export interface DeleteWorkloadClusterOutputs {
  /** `deleted` by this run, or `absent` (no cluster held its CAPI objects: deleted already). */
  readonly state: 'deleted' | 'absent';
  /** Which cluster it was deleted through. */
  readonly deletedThrough?: 'bootstrap' | 'management';
}

/**
 * WorkloadCluster's delete, the seed's "delete the workload cluster" (research A5.6): the cluster deleted through
 * the cluster that manages it now — the bootstrap cluster after management moved to it, or a workload cluster's
 * management cluster — waiting until its Cluster and every Machine are gone (EKS-A's deleter, 30 minutes). The
 * manager is asked, never assumed: a management cluster that still manages itself is moved to a bootstrap cluster
 * first (the delete never runs from under its own controllers), an interrupted move is completed, a cluster no one
 * holds is gone already. A workload cluster's EKS-A objects on its management cluster are paused before and
 * deleted after (allow-delete-when-paused). Every step tolerates what is gone, so a failed delete runs again.
 */
export function deleteWorkloadCluster(
  site: Site,
  inputs: DeleteWorkloadClusterInputs,
  options: PhaseOptions = {},
): Promise<DeleteWorkloadClusterOutputs> {
  const docker = inputs.config?.datacenter?.kind === 'DockerDatacenterConfig';
  return runPhase(
    site,
    'WorkloadCluster',
    inputs,
    options,
    {
      tools: [...(docker ? (['docker'] as const) : []), 'kind', 'clusterctl'],
      managementKubeconfigGiven: !!inputs.managementKubeconfig,
    },
    async (run, prepared) => {
      let manager: HolderCandidate | undefined;
      const management = await managementAccess(run, prepared, inputs.managementKubeconfig);
      if (management) {
        const location = await run.step('locate-manager', async (control) => {
          const found = await locateCapiObjects(prepared, [
            { role: 'management', connection: management.connection },
          ]);
          control.note(
            found.state === 'absent' ? 'the management cluster does not hold it' : 'the management cluster',
          );
          return found;
        });
        if (location.state === 'held') manager = location.holder;
        await run.step('pause-reconcile', (control) =>
          pauseReconcile(
            run,
            prepared,
            { connection: management.connection, kubeconfigPath: management.file },
            control,
          ),
        );
      } else {
        const own = await ownAccess(run, prepared, inputs.workloadKubeconfig, { probe: true });
        const bootstrap = await findBootstrap(run, prepared);
        const location = await run.step('locate-manager', (control) =>
          locateSelfOrBootstrap(prepared, own, bootstrap, control),
        );
        const state = await moveToBootstrap(run, prepared, location, own);
        if (state !== 'not-needed') {
          const now = await findBootstrap(run, prepared);
          if (!now) {
            throw new Error(`the bootstrap cluster of ${prepared.clusterName} is gone after the move`);
          }
          manager = { role: 'bootstrap', connection: now.connection };
        }
      }
      let result: DeleteWorkloadClusterOutputs = { state: 'absent' };
      if (manager) {
        const through = manager;
        await run.step('delete-capi-cluster', (control) => deleteCapiCluster(prepared, through, control));
        await run.step('wait-machines-deleted', () =>
          waitUntilGone(run, prepared, through.connection.client),
        );
        result = {
          state: 'deleted',
          deletedThrough: through.role === 'management' ? 'management' : 'bootstrap',
        };
      } else {
        await run.step('delete-capi-cluster', async (control) =>
          control.skipped('no cluster holds its CAPI objects: it is deleted already'),
        );
      }
      await run.step('delete-eksa-objects', (control) =>
        deleteEksaObjects(run, prepared, management?.connection, control),
      );
      if (inputs.removeClusterFiles) {
        await run.step('remove-cluster-files', (control) => removeClusterFiles(run, prepared, control));
      }
      return result;
    },
  );
}

/** Deletes the CAPI Cluster; Cluster API deletes what it owns (control plane, workers, etcd, machines, infrastructure). */
async function deleteCapiCluster(
  prepared: PreparedCluster,
  manager: HolderCandidate,
  control: StepControl,
): Promise<void> {
  const ref = capiClusterRef(prepared);
  const cluster = await manager.connection.client.get(ref);
  if (!cluster) {
    control.skipped('the Cluster is gone already');
    return;
  }
  // A Cluster paused by an interrupted move would never be deleted.
  if ((cluster.spec as { paused?: boolean } | undefined)?.paused) {
    await manager.connection.client.mergePatch(ref, { spec: { paused: null } });
  }
  if (cluster.metadata.deletionTimestamp) {
    control.adopted('the Cluster is being deleted already');
    return;
  }
  await manager.connection.client.delete(ref, { propagationPolicy: 'Foreground' });
  control.note(
    `Cluster ${EKSA_SYSTEM_NAMESPACE}/${prepared.clusterName} through the ${manager.role} cluster`,
  );
}

/** EKS-A's deleter wait: the Cluster and every Machine of the cluster gone (`deleteMs`, EKS-A's 30 minutes). */
async function waitUntilGone(run: PhaseRun, prepared: PreparedCluster, client: KubeClient): Promise<void> {
  const ref = capiClusterRef(prepared);
  await pollUntil(
    run,
    `Cluster ${EKSA_SYSTEM_NAMESPACE}/${prepared.clusterName} and its machines gone`,
    prepared.timeouts.deleteMs,
    async () => {
      const cluster = await client.get(ref);
      const machines = await client.list(capiApiVersion('core', prepared.contract), 'Machine', {
        namespace: EKSA_SYSTEM_NAMESPACE,
        labelSelector: `cluster.x-k8s.io/cluster-name=${prepared.clusterName}`,
      });
      return {
        done: !cluster && machines.length === 0,
        observed: `${cluster ? 'the Cluster is being deleted' : 'the Cluster is gone'}, ${machines.length} machines left`,
      };
    },
  );
}

/**
 * A workload cluster's EKS-A objects on its management cluster (a management cluster's died with it): marked
 * deletable while paused, deleted, and awaited (the EKS-A controller, if it runs, removes its finalizer).
 */
async function deleteEksaObjects(
  run: PhaseRun,
  prepared: PreparedCluster,
  management: ClusterConnection | undefined,
  control: StepControl,
): Promise<void> {
  if (prepared.selfManaged || !management) {
    control.skipped('its EKS-A objects lived in the cluster itself');
    return;
  }
  const patches = pauseReconcilePatches(prepared.config);
  const refs = patches.map((p) => ({
    apiVersion: p.apiVersion,
    kind: p.kind,
    name: p.name,
    namespace: p.namespace,
  }));
  let deleted = 0;
  for (const ref of refs) {
    const live = await tolerateNotFound(() => management.client.get(ref));
    if (!live) continue;
    if (ref.kind === 'Cluster') {
      await management.client.mergePatch(ref, {
        metadata: { annotations: { [ALLOW_DELETE_WHEN_PAUSED_ANNOTATION]: 'true' } },
      });
    }
    await tolerateNotFound(() => management.client.delete(ref));
    deleted++;
  }
  await pollUntil(
    run,
    `the EKS-A objects of ${prepared.clusterName} gone`,
    prepared.timeouts.deleteMs,
    async () => {
      const left = (
        await Promise.all(refs.map((r) => tolerateNotFound(() => management.client.get(r))))
      ).filter(Boolean);
      return { done: left.length === 0, observed: `${left.length} left` };
    },
  );
  if (deleted === 0) control.skipped('no EKS-A objects left');
  else control.note(`${deleted} EKS-A objects`);
}
