import { locateCapiObjects, type HolderCandidate } from './capi-holder';
import { providerVersionChanges } from './capi-providers';
import type { ClusterConnection } from './cluster-connection';
import { planComponentUpgrades } from './component-upgrades';
import type { ClusterInputs, KubeconfigText } from './inputs';
import { silentLogger } from './logger';
import { clusterPaths } from './paths';
import { PhaseRun, VALIDATE_STEP } from './phase-run';
import { clusterNameOf, EKSA_SYSTEM_NAMESPACE, prepareCluster, type PreparedCluster } from './prepare';
import { planRollout, type PlanObject, type RolloutPlan } from './rollout-plan';
import { createLocalSite, type Site } from './site';
import { DEFAULT_TIMEOUTS } from './timeouts';
import { readLiveClusterConfig } from './upgrade/live-config';
import {
  infrastructureClustersOf,
  readLiveCapiObjects,
  templateKindsOf,
  withLiveTemplates,
} from './upgrade/live-objects';
import { NO_RETRY } from '../kube/retry';
import type { KubeObject } from '../kube/types';
import type { ClusterConfig } from '../spec/cluster-config';
import { setClusterDefaults } from '../spec/defaults';
import { kindClusterName } from '../tools/kind-cli';

/** A plan against a live cluster: the rollout, and the core components the new versions bundle changes. */
export interface LiveRolloutPlan extends RolloutPlan {
  /** `CAPI providers: cluster-api (CoreProvider) v1.10.1 → v1.11.0`, … (also at the top of `lines`). */
  readonly components: readonly string[];
  /** Where the plan read the cluster: which cluster holds its CAPI objects. */
  readonly readFrom: 'self' | 'bootstrap' | 'management';
}

export interface PlanUpgradeInputs extends ClusterInputs {
  /** The cluster's own kubeconfig. @default `<c>/<c>-eks-a-cluster.kubeconfig` */
  readonly workloadKubeconfig?: KubeconfigText;
  /** A workload cluster's management cluster (required there). */
  readonly managementKubeconfig?: KubeconfigText;
  /** The config the cluster runs, for EKS-A's update checks. @default read from the cluster's EKS-A objects */
  readonly previousConfig?: ClusterConfig;
}

/**
 * What upgrading the cluster to `config` would roll, read from the cluster itself (never changing it): the CAPI
 * objects where the cluster is managed now, against `config` rendered with the templates found there (so template
 * names and what rolls follow EKS-A's rules exactly), EKS-A's update checks against the config the cluster runs
 * (its live EKS-A objects unless `previousConfig` is given), and the CAPI providers whose versions change.
 * Nothing is written; kubeconfigs given as text are used as text.
 */
export async function planUpgrade(site: Site, inputs: PlanUpgradeInputs): Promise<LiveRolloutPlan> {
  const name = clusterNameOf(inputs);
  const run = new PhaseRun(site, 'WorkloadCluster', name, clusterPaths(name), DEFAULT_TIMEOUTS);
  try {
    const prepared = await run.step(VALIDATE_STEP, () =>
      prepareCluster(run, inputs, { managementKubeconfigGiven: !!inputs.managementKubeconfig }),
    );
    return await run.step('plan-rollout', async (control) => {
      const candidates: HolderCandidate[] = [];
      // Kubeconfigs given as text are used as text: a plan writes no file.
      let configSource: ClusterConnection | undefined;
      if (!prepared.selfManaged) {
        if (!inputs.managementKubeconfig) {
          throw new Error(
            `cluster ${name} is managed by ${prepared.config.cluster.spec.managementCluster?.name}: give the management cluster's kubeconfig`,
          );
        }
        configSource = await run.connect('management', {
          yaml: inputs.managementKubeconfig,
          name: 'management kubeconfig',
        });
        candidates.push({ role: 'management', connection: configSource });
      } else {
        const source = inputs.workloadKubeconfig
          ? { yaml: inputs.workloadKubeconfig, name: 'cluster kubeconfig' }
          : await ownKubeconfigFile(run, prepared);
        if (!source) {
          throw new Error(
            `no kubeconfig of cluster ${name} (${prepared.paths.kubeconfig} does not exist): give the cluster's kubeconfig`,
          );
        }
        configSource = await run.connect('workload', source);
        candidates.push({ role: 'self', connection: configSource });
        const bootstrap = await bootstrapIfRunning(run, prepared);
        if (bootstrap) candidates.push({ role: 'bootstrap', connection: bootstrap });
      }
      const location = await locateCapiObjects(prepared, candidates);
      if (location.state === 'absent') {
        throw new Error(
          `no cluster holds Cluster ${EKSA_SYSTEM_NAMESPACE}/${name}: the cluster does not exist (create it; there is nothing to upgrade)`,
        );
      }
      const holder = location.state === 'held' ? location.holder : location.from;
      const live = await readLiveCapiObjects(
        holder.connection.client,
        name,
        prepared.contract,
        templateKindsOf(prepared.capiObjects),
        infrastructureClustersOf(prepared.capiObjects),
      );
      const desired = withLiveTemplates(prepared, live.templates, site.env);
      let previous = inputs.previousConfig;
      if (!previous && configSource) {
        const found = await readLiveClusterConfig(
          configSource.client,
          name,
          prepared.config.cluster.metadata.namespace || undefined,
        );
        if (found.found) previous = found.config;
        else control.note(`EKS-A's update checks skipped: ${found.reason}`);
      }
      const components: string[] = [];
      if (prepared.selfManaged) {
        const changes = await providerVersionChanges(prepared, holder.connection);
        if (changes.length > 0) {
          components.push(
            `CAPI providers: ${changes.map((c) => `${c.provider.name} (${c.provider.type}) ${c.from} → ${c.provider.version}`).join(', ')}`,
          );
        }
      }
      const plan = planRollout(
        {
          config: setClusterDefaults(previous ?? prepared.config, { env: site.env }),
          capiObjects: live.current as PlanObject[],
        },
        { config: desired.config, capiObjects: [...desired.capiObjects, ...desired.machineHealthChecks] },
        { previousIsLive: true, componentLines: components },
      );
      control.note(plan.lines.join('; '));
      return { ...plan, components, readFrom: holder.role };
    });
  } finally {
    run.close();
  }
}

/**
 * What upgrading from `previous` to `next` would roll, from the two configs alone (no cluster is asked): both
 * rendered, `next` with `previous`'s templates as the ones applied before — what a Pulumi preview can compute from
 * the old and new inputs. Component lines compare the two versions bundles.
 * @throws ClusterConfigError when `next` is invalid (EKS-A's rules), VersionsBundlesError for bundle problems
 */
export async function planUpgradeFromConfigs(
  site: Site,
  previous: ClusterInputs,
  next: ClusterInputs,
): Promise<RolloutPlan> {
  const name = clusterNameOf(next);
  const run = new PhaseRun(site, 'WorkloadCluster', name, clusterPaths(name), DEFAULT_TIMEOUTS);
  try {
    return await run.step('plan-rollout', async (control) => {
      const before = await prepareCluster(run, previous);
      const after = await prepareCluster(run, next);
      const desired = withLiveTemplates(after, before.capiObjects as unknown as KubeObject[], site.env);
      const plan = planRollout(sideOf(before), sideOf(desired), {
        componentLines: planComponentUpgrades(before, after).lines,
      });
      control.note(plan.lines.join('; '));
      return plan;
    });
  } finally {
    run.close();
  }
}

/** `<c>/<c>-eks-a-cluster.kubeconfig` (or the one under `<c>/generated/`) when the create left one. */
async function ownKubeconfigFile(
  run: PhaseRun,
  prepared: PreparedCluster,
): Promise<{ file: string } | undefined> {
  for (const file of [prepared.paths.kubeconfig, prepared.paths.generatedKubeconfig]) {
    if (await run.site.files.exists(file)) return { file };
  }
  return undefined;
}

/**
 * The cluster's kind bootstrap cluster if one runs (an interrupted `bootstrap` upgrade may have left the CAPI
 * objects there), connected with the kubeconfig kind gives. Without kind installed there is none to ask.
 */
async function bootstrapIfRunning(
  run: PhaseRun,
  prepared: PreparedCluster,
): Promise<ClusterConnection | undefined> {
  const name = kindClusterName(prepared.clusterName);
  let clusters: string[];
  try {
    clusters = await run.site.tools.kind.getClusters({ signal: run.site.signal });
  } catch (error) {
    run.log.debug?.(`kind get clusters: ${(error as Error).message}`);
    return undefined;
  }
  if (!clusters.includes(name)) return undefined;
  const yaml = await run.site.tools.kind.getKubeconfig(name, { signal: run.site.signal });
  return run.connect('bootstrap', { yaml, name: `kind cluster ${name}` }, { retry: { read: NO_RETRY } });
}

/**
 * {@link planUpgradeFromConfigs} for callers without a site of their own (a Pulumi `diff`): a local site under the
 * working directory that logs nothing. Only the versions bundles are read (from the cache, or downloaded).
 */
export function planRolloutFromInputs(
  previous: ClusterInputs,
  next: ClusterInputs,
  site: Site = createLocalSite({ logger: silentLogger }),
): Promise<RolloutPlan> {
  return planUpgradeFromConfigs(site, previous, next);
}

function sideOf(prepared: PreparedCluster) {
  return { config: prepared.config, capiObjects: [...prepared.capiObjects, ...prepared.machineHealthChecks] };
}
