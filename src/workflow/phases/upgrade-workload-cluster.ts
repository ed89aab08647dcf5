import * as path from 'node:path';
import { fluxKustomizationRef } from '../../manifests/addons/flux-bootstrap';
import { gitOpsUpdateCommit } from '../../manifests/addons/gitops-repository';
import type { ClusterConfig } from '../../spec/cluster-config';
import { setClusterDefaults } from '../../spec/defaults';
import { throwIfErrors } from '../../spec/issue';
import { parseClusterConfig } from '../../spec/parse';
import { validateUpdate } from '../../spec/validate-update';
import { applyObjects } from '../apply';
import { locateCapiObjects, moveCapiObjects, type HolderCandidate } from '../capi-holder';
import { initProviders, upgradeProviders, waitForProviderControllers } from '../capi-providers';
import type { ClusterConnection } from '../cluster-connection';
import type { ClusterInputs, KubeconfigText } from '../inputs';
import { kubeconfigServer } from '../kubeconfig-text';
import { runPhase, type PhaseOptions, type PhaseRun } from '../phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from '../prepare';
import { planRollout, type RolloutPlan } from '../rollout-plan';
import type { Site } from '../site';
import { deleteTemporaryBootstrap, ensureTemporaryBootstrap, findBootstrap } from '../temporary-bootstrap';
import { applyEksaObjects, releaseVersion } from './eksa-components';
import { backupCapiObjects, removeBackups } from '../upgrade/capi-backup';
import { eksaClusterObject, upgradeCilium, upgradeEksaComponents } from '../upgrade/core-components';
import { readLiveClusterConfig } from '../upgrade/live-config';
import {
  infrastructureClustersOf,
  readLiveCapiObjects,
  templateKindsOf,
  withLiveTemplates,
} from '../upgrade/live-objects';
import { pauseReconcile, resumeReconcile, type ReconcileTarget } from '../upgrade/reconcile-pause';
import { replicasRolledOut, rollOut, unfinishedRollouts } from '../upgrade/rollout';
import { waitForObject } from '../waits';
import { kubeconfigFile } from './gitops';
import type { WorkloadClusterOutputs } from './workload-cluster';

/**
 * How a management cluster is upgraded. `inPlace`: the new manifests are applied where the cluster is managed (the
 * cluster itself) and its own CAPI controllers roll its machines, as EKS-A does since v0.18. `bootstrap`: the seed's
 * classic flow — a kind bootstrap cluster with CAPI, management moved to it, the upgrade there, management moved
 * back, the bootstrap cluster deleted. A workload cluster is always upgraded through its management cluster.
 */
export type UpgradeStrategy = 'inPlace' | 'bootstrap';

export const UPGRADE_STRATEGIES: readonly UpgradeStrategy[] = ['inPlace', 'bootstrap'];

export interface UpgradeWorkloadClusterInputs extends ClusterInputs {
  /**
   * The config the cluster was last created or upgraded with, for EKS-A's update checks (immutable fields, version
   * skew) and the plan. @default read from the cluster's EKS-A objects, else from `<c>/<c>-eks-a-cluster.yaml`
   */
  readonly previousConfig?: ClusterConfig;
  /** The cluster's own kubeconfig. @default `<c>/<c>-eks-a-cluster.kubeconfig` */
  readonly workloadKubeconfig?: KubeconfigText;
  /** A workload cluster's management cluster (research A4, workload path). */
  readonly managementKubeconfig?: KubeconfigText;
  /** @default "inPlace" */
  readonly strategy?: UpgradeStrategy;
}

export interface UpgradeWorkloadClusterOutputs extends WorkloadClusterOutputs {
  readonly strategy: UpgradeStrategy;
  /** What the upgrade found to roll, as the plan's lines (`control plane: 1 machine roll v1.33 → v1.34`). */
  readonly rolloutPlan: readonly string[];
  /** False when nothing had to roll (the seed's "verify the needed upgrade" stopped it). */
  readonly rolled: boolean;
}

/**
 * The seed's upgrade of a cluster (research A4; WorkloadCluster's update): validation (EKS-A's update rules against
 * the config the cluster runs) → secrets → the etcdadm providers present → core components the new versions bundle
 * changes (CAPI providers by `clusterctl upgrade apply`, Cilium, EKS-A components) → the rollout plan (nothing to
 * roll: no pause, no backup, no apply) → EKS-A reconciliation and Flux paused → a backup of the CAPI objects under
 * `<c>/<c>-backup-<time>/` → the new manifests applied by strategy, stage by stage (external etcd, control plane,
 * workers; removed groups deleted) → the EKS-A objects and the GitOps files updated → reconciliation resumed →
 * the backup removed. Writing the config files is ClusterConfigFiles' part.
 *
 * Every step decides from the clusters, not from earlier state, so a failed upgrade run again continues: finished
 * component upgrades and stages are seen as finished, the first backup is kept, and a move that was interrupted is
 * completed in its direction before anything else.
 */
export function upgradeWorkloadCluster(
  site: Site,
  inputs: UpgradeWorkloadClusterInputs,
  options: PhaseOptions = {},
): Promise<UpgradeWorkloadClusterOutputs> {
  const strategy = inputs.strategy ?? 'inPlace';
  const docker = inputs.config?.datacenter?.kind === 'DockerDatacenterConfig';
  const tools = [...(docker ? (['docker'] as const) : []), 'helm', 'kind', 'clusterctl'] as const;
  return runPhase(
    site,
    'WorkloadCluster',
    inputs,
    options,
    { tools: [...tools], managementKubeconfigGiven: !!inputs.managementKubeconfig },
    async (run, prepared) => {
      if (!UPGRADE_STRATEGIES.includes(strategy)) {
        throw new Error(
          `strategy: '${String(strategy)}' is not an upgrade strategy (give inPlace or bootstrap)`,
        );
      }
      const own = await ownKubeconfig(run, prepared, inputs.workloadKubeconfig);
      const workload = await run.connect('workload', { file: own.file });
      let management: { connection: ClusterConnection; file: string } | undefined;
      const candidates: HolderCandidate[] = [];
      if (prepared.selfManaged) {
        candidates.push({ role: 'self', connection: workload });
        const leftover = await findBootstrap(run, prepared);
        if (leftover) candidates.push({ role: 'bootstrap', connection: leftover.connection });
      } else {
        if (!inputs.managementKubeconfig) {
          throw new Error(`workload cluster ${prepared.clusterName}: give managementKubeconfig`);
        }
        run.secret(inputs.managementKubeconfig);
        const file = path.join(prepared.paths.generated, 'management.kubeconfig');
        if ((await site.files.readText(file)) !== inputs.managementKubeconfig) {
          await site.files.writeText(file, inputs.managementKubeconfig, { secret: true });
        }
        management = { connection: await run.connect('management', { file }), file };
        candidates.push({ role: 'management', connection: management.connection });
      }
      const reconcileTarget: ReconcileTarget = management
        ? { connection: management.connection, kubeconfigPath: management.file }
        : { connection: workload, kubeconfigPath: own.file };

      const location = await run.step('locate-manager', async (control) => {
        const found = await locateCapiObjects(prepared, candidates);
        if (found.state === 'absent') {
          throw new Error(
            `no cluster holds Cluster ${EKSA_SYSTEM_NAMESPACE}/${prepared.clusterName}: the cluster does not exist; create it first`,
          );
        }
        control.note(
          found.state === 'held'
            ? `the ${found.holder.role} cluster holds it`
            : `an interrupted move from the ${found.from.role} to the ${found.to.role} cluster`,
        );
        return found;
      });

      const previous = await run.step('validate-update', async (control) => {
        const before = await previousConfigOf(run, prepared, inputs.previousConfig, reconcileTarget);
        if (!before) {
          control.skipped('the config the cluster runs is not known (no EKS-A objects, no config file)');
          return undefined;
        }
        throwIfErrors(
          validateUpdate(before, prepared.config, { file: prepared.config.file }),
          `cluster ${prepared.clusterName} cannot be upgraded to this config`,
        );
        control.note(`against the config from ${before.file ?? 'the caller'}`);
        return before;
      });

      let manager: HolderCandidate;
      if (location.state === 'moving') {
        await run.step('complete-interrupted-move', (control) =>
          moveCapiObjects(run, prepared, location.from, location.to, control),
        );
        manager = location.to;
      } else {
        manager = location.holder;
      }

      const { live, desired, eksaCluster } = await run.step('read-cluster', async (control) => {
        const objects = await readLiveCapiObjects(
          manager.connection.client,
          prepared.clusterName,
          prepared.contract,
          templateKindsOf(prepared.capiObjects),
          infrastructureClustersOf(prepared.capiObjects),
        );
        control.note(`${objects.current.length} CAPI objects, ${objects.templates.length} templates`);
        return {
          live: objects,
          // The new manifests named after the templates the manager holds: unchanged ones keep their names.
          desired: withLiveTemplates(prepared, objects.templates, site.env),
          eksaCluster: await eksaClusterObject(prepared, reconcileTarget.connection),
        };
      });

      await run.step('update-secrets', async (control) => {
        const secrets = desired.capiObjects.filter((o) => o.kind === 'Secret');
        if (secrets.length === 0) {
          control.skipped('the cluster has no credentials Secrets');
          return;
        }
        await applyObjects(run, manager.connection.client, secrets, 'credentials');
        control.note(secrets.map((s) => s.metadata.name).join(', '));
      });
      await run.step('ensure-etcdadm-providers', async (control) => {
        if (!prepared.selfManaged) {
          control.skipped('the management cluster runs the providers');
          return;
        }
        await initProviders(run, desired, workload, own.file, control, 'name');
      });
      await run.step('upgrade-capi-providers', async (control) => {
        if (!prepared.selfManaged) {
          control.skipped('the management cluster runs the providers');
          return;
        }
        const upgraded = await upgradeProviders(run, desired, workload, own.file, control);
        if (upgraded.length > 0) await waitForProviderControllers(run, desired, workload);
      });
      await run.step('upgrade-cilium', (control) =>
        upgradeCilium(run, desired, workload, eksaCluster, control),
      );
      await run.step('upgrade-eksa-components', async (control) => {
        if (!prepared.selfManaged) {
          control.skipped('the management cluster runs the EKS-A components');
          return;
        }
        await upgradeEksaComponents(run, desired, workload, eksaCluster, control);
      });

      const { plan, unfinished } = await run.step('plan-rollout', async (control) => {
        const result: RolloutPlan = planRollout(
          { config: previous ?? desired.config, capiObjects: live.current },
          { config: desired.config, capiObjects: [...desired.capiObjects, ...desired.machineHealthChecks] },
          { previousIsLive: true },
        );
        control.note(result.lines.join('; '));
        // An earlier run that failed after it applied: its machines may still roll (wait for them), or the
        // bootstrap cluster holds the objects (finish the round trip). One that failed later, after the rollout,
        // left only a paused cluster or a backup: nothing rolls again, it is resumed.
        const rolling = [
          ...unfinishedRollouts(live, prepared.contract).map((what) => `${what} still rolling`),
          ...(manager.role === 'bootstrap' ? ['the bootstrap cluster holds the CAPI objects'] : []),
        ];
        if (rolling.length > 0) control.note(`an earlier upgrade is unfinished: ${rolling.join(', ')}`);
        return { plan: result, unfinished: rolling.length > 0 };
      });
      const viaBootstrap = prepared.selfManaged && (strategy === 'bootstrap' || manager.role === 'bootstrap');
      const needed = plan.rolls || plan.otherChanges.length > 0 || unfinished;
      if (needed) {
        await run.step('pause-reconcile', (control) =>
          pauseReconcile(run, desired, reconcileTarget, control),
        );
        await run.step('backup-capi', (control) =>
          backupCapiObjects(run, desired, manager.connection, control),
        );
        if (viaBootstrap) {
          const bootstrap = await ensureTemporaryBootstrap(run, desired);
          const target: HolderCandidate = { role: 'bootstrap', connection: bootstrap.connection };
          const there = await run.step('move-to-bootstrap', async (control) => {
            if (manager.role === 'bootstrap') {
              control.skipped('the bootstrap cluster holds the CAPI objects already');
            } else {
              await moveCapiObjects(run, desired, manager, target, control);
            }
            return readLiveCapiObjects(
              bootstrap.connection.client,
              prepared.clusterName,
              prepared.contract,
              templateKindsOf(prepared.capiObjects),
              infrastructureClustersOf(prepared.capiObjects),
            );
          });
          await rollOut(run, desired, bootstrap.connection, there);
          await run.step('move-back', (control) =>
            moveCapiObjects(run, desired, target, { role: 'self', connection: workload }, control),
          );
          await run.step('wait-control-plane-after-move', () => waitForControlPlane(run, desired, workload));
        } else {
          await rollOut(run, desired, manager.connection, live);
        }
      } else {
        await run.step('pause-reconcile', async (control) => control.skipped('nothing to roll'));
      }
      await run.step('delete-bootstrap-cluster', async (control) => {
        if (!viaBootstrap) {
          control.skipped(`strategy ${strategy}: no bootstrap cluster`);
          return;
        }
        await deleteTemporaryBootstrap(run, desired, control);
      });

      await run.step('update-eksa-objects', async (control) => {
        if (!eksaCluster) {
          control.skipped('no EKS-A objects yet (the EksaComponents phase creates them)');
          return;
        }
        await applyEksaObjects(
          run,
          desired,
          reconcileTarget.connection,
          prepared.selfManaged ? releaseVersion(desired) : '',
          control,
        );
      });
      await run.step('update-git', async (control) => {
        const commit = gitOpsUpdateCommit(desired.config, desired.synthesized.eksaYaml());
        if (!commit) {
          control.skipped('no gitOpsRef');
          return;
        }
        let changed = 0;
        for (const [file, content] of Object.entries(commit.files)) {
          const target = path.join(desired.paths.gitOpsDir, file);
          if ((await site.files.readText(target)) === content) continue;
          await site.files.writeText(target, content);
          changed++;
        }
        if (changed === 0) {
          control.skipped(`the repository files under ${desired.paths.gitOpsDir} are up to date`);
          return;
        }
        const ref = fluxKustomizationRef(desired.config);
        const kustomization = ref
          ? await reconcileTarget.connection.client
              .get({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', ...ref })
              .catch(() => undefined)
          : undefined;
        if (ref && kustomization) {
          await site.tools.flux.reconcileSourceGit(
            { ...ref, kubeconfigPath: site.files.resolve(reconcileTarget.kubeconfigPath) },
            { signal: site.signal },
          );
        }
        control.note(`${changed} files under ${desired.paths.gitOpsDir} (commit them: ${commit.message})`);
      });
      await run.step('resume-reconcile', (control) =>
        resumeReconcile(run, desired, reconcileTarget, control),
      );
      await run.step('remove-backup', (control) => removeBackups(run, desired, control));

      return {
        clusterName: prepared.clusterName,
        namespace: EKSA_SYSTEM_NAMESPACE,
        kubeconfig: own.text,
        kubeconfigPath: own.file,
        endpoint: kubeconfigServer(own.text, 'the cluster kubeconfig'),
        manifestDigest: prepared.manifestDigest,
        managedBy: prepared.selfManaged ? 'self' : 'management',
        strategy,
        rolloutPlan: plan.lines,
        rolled: needed,
      };
    },
  );
}

/** The cluster's kubeconfig: the given text (written where programs can read it), or the file the create kept. */
async function ownKubeconfig(
  run: PhaseRun,
  prepared: PreparedCluster,
  given: string | undefined,
): Promise<{ text: string; file: string }> {
  const { files } = run.site;
  const text =
    given ||
    (await files.readText(prepared.paths.kubeconfig)) ||
    (await files.readText(prepared.paths.generatedKubeconfig));
  if (!text) {
    throw new Error(
      `no kubeconfig of cluster ${prepared.clusterName} (${prepared.paths.kubeconfig} does not exist): create the cluster first, or give its kubeconfig`,
    );
  }
  run.secret(text);
  return { text, file: await kubeconfigFile(run.site, prepared.paths, text) };
}

/**
 * The config the cluster runs now: given by the caller (Pulumi's state), else the EKS-A objects on the cluster
 * that holds them, else the `<c>/<c>-eks-a-cluster.yaml` the last create or upgrade wrote. With EKS-A's defaults.
 */
async function previousConfigOf(
  run: PhaseRun,
  prepared: PreparedCluster,
  given: ClusterConfig | undefined,
  target: ReconcileTarget,
): Promise<ClusterConfig | undefined> {
  const defaults = (config: ClusterConfig) => setClusterDefaults(config, { env: run.site.env });
  if (given) return defaults(given);
  const live = await readLiveClusterConfig(
    target.connection.client,
    prepared.clusterName,
    prepared.config.cluster.metadata.namespace || undefined,
  );
  if (live.found) return defaults(live.config);
  run.log.debug?.(live.reason);
  const text = await run.site.files.readText(prepared.paths.clusterConfig);
  if (text === undefined) return undefined;
  return defaults(parseClusterConfig(text, { file: prepared.paths.clusterConfig }));
}

/** After management moved back: the control plane answers in the cluster itself with every replica ready. */
async function waitForControlPlane(
  run: PhaseRun,
  prepared: PreparedCluster,
  target: ClusterConnection,
): Promise<void> {
  const kcp = prepared.capiObjects.find((o) => o.kind === 'KubeadmControlPlane');
  if (!kcp) return;
  await waitForObject(
    run,
    target.client,
    { apiVersion: kcp.apiVersion, kind: kcp.kind, namespace: EKSA_SYSTEM_NAMESPACE, name: kcp.metadata.name },
    (o) => replicasRolledOut(o, prepared.contract, true),
    'control plane replicas ready (after the move back)',
    prepared.timeouts.controlPlaneAfterMoveMs,
  );
}
