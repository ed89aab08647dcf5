import { locateCapiObjects, moveCapiObjects, type CapiLocation, type HolderCandidate } from '../capi-holder';
import { answers, ownAccess, type ClusterAccess } from '../cluster-access';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { runPhase, type PhaseOptions, type PhaseRun, type StepControl } from '../phase-run';
import type { PreparedCluster } from '../prepare';
import type { Site } from '../site';
import { ensureTemporaryBootstrap, findBootstrap, type TemporaryBootstrap } from '../temporary-bootstrap';
import { pauseReconcile } from '../upgrade/reconcile-pause';

export interface ManagementMoveBackInputs extends ClusterInputs {
  /** The bootstrap cluster's kubeconfig (recreateBootstrap's). @default asked of kind */
  readonly bootstrapKubeconfig?: KubeconfigText;
  /** The cluster's own kubeconfig. @default `<c>/<c>-eks-a-cluster.kubeconfig` */
  readonly workloadKubeconfig?: KubeconfigText;
}

export interface ManagementMoveBackOutputs {
  /**
   * `moved` by this run (or an interrupted move completed), `already-moved` (the bootstrap cluster holds the CAPI
   * objects), `not-needed` (a workload cluster of another management cluster, or no cluster holds them).
   */
  readonly state: 'moved' | 'already-moved' | 'not-needed';
}

/**
 * ManagementMove's delete (the seed's delete workflow, "move cluster management"; research A5.4): the cluster's
 * EKS-A reconciliation and Flux paused (its controller would otherwise re-create what the delete removes), then its
 * CAPI objects moved from the cluster to the bootstrap cluster. The holder is asked, never assumed: an interrupted
 * move is completed, one done already is left alone, and a bootstrap cluster is made (kind + CAPI) if none runs.
 */
export function managementMoveBack(
  site: Site,
  inputs: ManagementMoveBackInputs,
  options: PhaseOptions = {},
): Promise<ManagementMoveBackOutputs> {
  return runPhase(
    site,
    'ManagementMove',
    inputs,
    options,
    { tools: ['kind', 'clusterctl'] },
    async (run, prepared) => {
      if (!prepared.selfManaged) {
        await run.step('move-to-bootstrap', async (control) =>
          control.skipped('a workload cluster is deleted through its management cluster'),
        );
        return { state: 'not-needed' };
      }
      const own = await ownAccess(run, prepared, inputs.workloadKubeconfig, { probe: true });
      const bootstrap = await findBootstrap(run, prepared);
      const location = await run.step('locate-manager', (control) =>
        locateSelfOrBootstrap(prepared, own, bootstrap, control),
      );
      return { state: await moveToBootstrap(run, prepared, location, own) };
    },
  );
}

/** Where a self-managed cluster's CAPI objects are: itself, a bootstrap cluster, or both (an interrupted move). */
export async function locateSelfOrBootstrap(
  prepared: PreparedCluster,
  own: ClusterAccess | undefined,
  bootstrap: TemporaryBootstrap | undefined,
  control: StepControl,
): Promise<CapiLocation> {
  const candidates: HolderCandidate[] = [];
  if (own && (await answers(own.connection))) candidates.push({ role: 'self', connection: own.connection });
  if (bootstrap) candidates.push({ role: 'bootstrap', connection: bootstrap.connection });
  const found = await locateCapiObjects(prepared, candidates);
  control.note(
    found.state === 'absent'
      ? 'no cluster holds its CAPI objects'
      : found.state === 'held'
        ? `the ${found.holder.role} cluster holds them`
        : `an interrupted move from the ${found.from.role} to the ${found.to.role} cluster`,
  );
  return found;
}

/**
 * Management moved from the cluster to a bootstrap cluster: an interrupted move completed first (in its direction),
 * then, if the cluster still holds itself, reconciliation paused on it, a bootstrap cluster ensured and the move.
 * Returns the bootstrap cluster's side when it holds the objects at the end.
 */
export async function moveToBootstrap(
  run: PhaseRun,
  prepared: PreparedCluster,
  location: CapiLocation,
  own: ClusterAccess | undefined,
): Promise<ManagementMoveBackOutputs['state']> {
  if (location.state === 'absent') {
    await run.step('move-to-bootstrap', async (control) =>
      control.skipped('no cluster holds its CAPI objects'),
    );
    return 'not-needed';
  }
  let holder: HolderCandidate;
  if (location.state === 'moving') {
    await run.step('complete-interrupted-move', (control) =>
      moveCapiObjects(run, prepared, location.from, location.to, control),
    );
    holder = location.to;
  } else {
    holder = location.holder;
  }
  if (holder.role !== 'self') {
    await run.step('move-to-bootstrap', async (control) =>
      control.skipped(`the ${holder.role} cluster holds the CAPI objects already`),
    );
    return location.state === 'moving' ? 'moved' : 'already-moved';
  }
  await run.step('pause-reconcile', (control) =>
    pauseReconcile(run, prepared, { connection: holder.connection, kubeconfigPath: own!.file }, control),
  );
  const bootstrap = await ensureTemporaryBootstrap(run, prepared);
  await run.step('move-to-bootstrap', (control) =>
    moveCapiObjects(run, prepared, holder, { role: 'bootstrap', connection: bootstrap.connection }, control),
  );
  return 'moved';
}
