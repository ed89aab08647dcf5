import { moveWithRetry } from '../../tools/clusterctl-cli';
import { ensureNamespace } from '../apply';
import { initProviders, waitForProviderControllers } from '../capi-providers';
import {
  clusterAvailable,
  availableCondition,
  controlPlaneInitialized,
  describeState,
  replicasReady,
} from '../capi-status';
import type { ClusterConnection } from '../cluster-connection';
import type { ClusterInputs, KubeconfigText, MoveMethod } from '../inputs';
import { capiClusterRef, probeCluster } from '../locate-manager';
import { runPhase, type PhaseOptions, type PhaseRun } from '../phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from '../prepare';
import type { Site } from '../site';
import { pollUntil, waitForObject } from '../waits';
import { waitForMachines } from './workload-cluster';
import { moveClusterApi } from '../../capi/move/move-cluster-api';
import { CLUSTERCTL_MOVE_RETRY_POLICY } from '../../tools/retry-policy';

export interface ManagementMoveInputs extends ClusterInputs {
  /** The bootstrap cluster's kubeconfig; empty when it is retired. */
  readonly bootstrapKubeconfig: KubeconfigText;
  /** The new cluster's kubeconfig (WorkloadCluster's `kubeconfig`). */
  readonly workloadKubeconfig: KubeconfigText;
  /** The native mover (default) or `clusterctl move` (EKS-A's build, which knows `--filter-cluster`). */
  readonly moveWith?: MoveMethod;
}

export interface ManagementMoveOutputs {
  /** Always `self` once this phase succeeded. */
  readonly managedBy: 'self';
  /** `moved` by this run, or `already-moved` (the cluster held its CAPI objects when the phase started). */
  readonly state: 'moved' | 'already-moved';
  readonly moveWith: MoveMethod;
}

/**
 * Phase 4 (management clusters): the new cluster takes over its own management (EKS-A A1.8). The CAPI providers
 * are installed on it (same versions and waits as on the bootstrap cluster); once every machine has a node and the
 * Cluster is Available, the CAPI objects are moved from the bootstrap cluster (native mover, or `clusterctl move`
 * when configured); then the moved Cluster's control plane, control plane and worker replicas are awaited in the new
 * cluster. Which cluster holds the objects is asked, not assumed: a re-run after the move does nothing, a re-run
 * after a crash mid-move completes it.
 */
export function managementMove(
  site: Site,
  inputs: ManagementMoveInputs,
  options: PhaseOptions = {},
): Promise<ManagementMoveOutputs> {
  const moveWith = inputs.moveWith ?? 'native';
  return runPhase(
    site,
    'ManagementMove',
    inputs,
    options,
    { tools: ['clusterctl'] },
    async (run, prepared) => {
      if (!prepared.selfManaged) {
        throw new Error(
          `cluster ${prepared.clusterName} is a workload cluster (managed by ${prepared.config.cluster.spec.managementCluster?.name}): it is not moved`,
        );
      }
      run.secret(inputs.bootstrapKubeconfig);
      run.secret(inputs.workloadKubeconfig);
      const workloadFile = await ensureKubeconfigFile(run, prepared, inputs.workloadKubeconfig);
      const ref = capiClusterRef(prepared);

      const where = await run.step('locate-manager', async (control) => {
        const inBootstrap = inputs.bootstrapKubeconfig
          ? await probeCluster(
              run,
              { file: await bootstrapFile(run, prepared, inputs.bootstrapKubeconfig) },
              ref,
            )
          : 'unreachable';
        const inSelf = await probeCluster(run, { file: workloadFile }, ref);
        if (inBootstrap && inBootstrap !== 'unreachable') {
          control.note(
            inSelf && inSelf !== 'unreachable'
              ? 'both clusters hold it (an interrupted move)'
              : 'bootstrap cluster',
          );
          return 'bootstrap' as const;
        }
        if (inSelf && inSelf !== 'unreachable') {
          control.skipped('the cluster holds its own CAPI objects already');
          return 'self' as const;
        }
        throw new Error(
          `neither the bootstrap cluster nor the cluster itself holds Cluster ${EKSA_SYSTEM_NAMESPACE}/${prepared.clusterName}; run WorkloadCluster first`,
        );
      });
      const target = await run.connect('workload', { file: workloadFile });
      if (where === 'self') {
        await run.step('move', async (control) => control.skipped('already moved'));
        await waitAfterMove(run, prepared, target);
        return { managedBy: 'self', state: 'already-moved', moveWith };
      }
      const kindFile = prepared.paths.kindKubeconfig;
      const source = await run.connect('bootstrap', { file: kindFile });

      await run.step('create-namespace', async (control) => {
        if ((await ensureNamespace(target.client, EKSA_SYSTEM_NAMESPACE)) === 'existed') {
          control.skipped(`namespace ${EKSA_SYSTEM_NAMESPACE} exists`);
        }
      });
      await run.step('install-providers', (control) =>
        initProviders(run, prepared, target, workloadFile, control),
      );
      await run.step('wait-providers', () => waitForProviderControllers(run, prepared, target));
      await run.step('wait-machines-ready', () => waitForMachines(run, prepared, { connection: source }));
      await run.step('wait-cluster-available', () =>
        waitForObject(
          run,
          source.client,
          ref,
          (o) => clusterAvailable(o, prepared.contract),
          `condition ${availableCondition(prepared.contract)}`,
          prepared.timeouts.clusterAvailableMs,
        ),
      );
      await run.step('move', async (control) => {
        if (moveWith === 'clusterctl') {
          await run.during('clusterctl move', () =>
            moveWithRetry(
              site.tools.clusterctl,
              {
                fromKubeconfigPath: site.files.resolve(kindFile),
                toKubeconfigPath: site.files.resolve(workloadFile),
                namespace: EKSA_SYSTEM_NAMESPACE,
                filterCluster: prepared.clusterName,
              },
              {
                clock: site.clock,
                signal: site.signal,
                policy: { ...CLUSTERCTL_MOVE_RETRY_POLICY, timeoutMs: prepared.timeouts.moveMs },
                onRetry: (e) => run.log.info(`retrying clusterctl move in ${Math.round(e.delayMs / 1000)}s`),
              },
            ),
          );
          control.note('clusterctl move');
        } else {
          const result = await run.during('the move of the CAPI objects', () =>
            moveClusterApi({
              from: source.client,
              to: target.client,
              namespace: EKSA_SYSTEM_NAMESPACE,
              clusterName: prepared.clusterName,
              onProgress: (line) => run.log.info(line),
            }),
          );
          control.note(result.summary);
        }
      });
      await waitAfterMove(run, prepared, target);
      return { managedBy: 'self', state: 'moved', moveWith };
    },
  );
}

/** EKS-A's checks after a move: the control plane initialized in the target, then control plane and worker replicas. */
async function waitAfterMove(
  run: PhaseRun,
  prepared: PreparedCluster,
  target: ClusterConnection,
): Promise<void> {
  await run.step('wait-control-plane-after-move', () =>
    waitForObject(
      run,
      target.client,
      capiClusterRef(prepared),
      (o) => controlPlaneInitialized(o, prepared.contract),
      'control plane initialized (after the move)',
      prepared.timeouts.controlPlaneAfterMoveMs,
    ),
  );
  await run.step('wait-replicas-ready', () => {
    // The control plane and worker groups the cluster is made of, by the names they were rendered with.
    const refs = prepared.capiObjects
      .filter((o) => o.kind === 'KubeadmControlPlane' || o.kind === 'MachineDeployment')
      .map((o) => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: EKSA_SYSTEM_NAMESPACE,
        name: o.metadata.name,
      }));
    return pollUntil(
      run,
      `control plane and worker replicas of ${prepared.clusterName} ready (${refs.map((r) => r.name).join(', ')})`,
      prepared.timeouts.controlPlaneAfterMoveMs,
      async () => {
        const objects = await Promise.all(refs.map((r) => target.client.get(r)));
        return {
          done: objects.every(replicasReady),
          observed: refs.map((r, i) => `${r.kind} ${r.name}: ${describeState(objects[i])}`).join('; '),
        };
      },
    );
  });
}

/** The workload kubeconfig as a file for clusterctl: the one WorkloadCluster wrote, or the input written out. */
async function ensureKubeconfigFile(run: PhaseRun, prepared: PreparedCluster, text: string): Promise<string> {
  const { files } = run.site;
  for (const file of [prepared.paths.kubeconfig, prepared.paths.generatedKubeconfig]) {
    if ((await files.readText(file)) === text) return file;
  }
  await files.writeText(prepared.paths.generatedKubeconfig, text, { secret: true });
  return prepared.paths.generatedKubeconfig;
}

async function bootstrapFile(run: PhaseRun, prepared: PreparedCluster, text: string): Promise<string> {
  const file = prepared.paths.kindKubeconfig;
  if ((await run.site.files.readText(file)) !== text) {
    await run.site.files.writeText(file, text, { secret: true });
  }
  return file;
}
