import type { HandlerLogger } from '../redacting-logger';
import type { CheckFailure } from '../resource-handler';
import type { PhaseInputs } from '../resources/phase-schema';
import { containsUnknownValue } from '../unknown-value';
import { openSite, siteProblems } from './site';
import { VersionsBundlesError } from '../../spec/bundles/errors';
import { ClusterConfigError, formatIssue } from '../../spec/issue';
import type { ClusterInputs } from '../../workflow/inputs';
import type { PhaseName } from '../../workflow/journal';
import { clusterPaths } from '../../workflow/paths';
import { PhaseRun, VALIDATE_STEP } from '../../workflow/phase-run';
import { createToolNames } from '../../workflow/phases/bootstrap-cluster';
import { preflightTools, prepareCluster, type PreparedCluster } from '../../workflow/prepare';
import type { Site } from '../../workflow/site';
import { DEFAULT_TIMEOUTS, resolveTimeouts } from '../../workflow/timeouts';

/** The outcome of validating a phase resource's cluster inputs in `check`. */
export interface ValidatedInputs {
  readonly failures: readonly CheckFailure[];
  /** sha256 of the rendered manifests, when valid. */
  readonly manifestDigest?: string;
}

/** The cluster inputs of a phase resource, as the workflow phases take them. */
export function clusterInputsOf(inputs: PhaseInputs): ClusterInputs {
  return {
    config: inputs.config,
    ...(inputs.bundles !== undefined ? { bundles: inputs.bundles } : {}),
    ...(inputs.contract !== undefined ? { contract: inputs.contract } : {}),
    ...(inputs.timeouts !== undefined ? { timeouts: inputs.timeouts } : {}),
    ...(inputs.featureFlags !== undefined ? { featureFlags: inputs.featureFlags } : {}),
  };
}

// One deployment is one provider process, whose phase resources all work on the same cluster inputs: the cluster is
// prepared (validated, bundles resolved, manifests rendered) once per process and inputs, as createCluster prepares
// it once for all its phases, and the programs are preflighted once. Bounded: a long-lived process (a test runner)
// keeps only the latest few.
const MEMO_LIMIT = 4;
const prepared = new Map<string, Promise<PreparedCluster>>();
const preflighted = new Set<string>();

function memoKey(inputs: PhaseInputs): string {
  return JSON.stringify([clusterInputsOf(inputs), inputs.site ?? {}]);
}

/** The prepared cluster of these inputs (validation without preflight), computed once per process. */
function preparedCluster(site: Site, inputs: PhaseInputs, phase: PhaseName): Promise<PreparedCluster> {
  const key = memoKey(inputs);
  let entry = prepared.get(key);
  if (!entry) {
    const run = new PhaseRun(
      site,
      phase,
      inputs.clusterName,
      clusterPaths(inputs.clusterName),
      DEFAULT_TIMEOUTS,
    );
    // The EKS-A components are needed by every cluster (EksaComponents checks for them in its own validation).
    entry = prepareCluster(run, clusterInputsOf(inputs), { components: ['eksa'] }).finally(() => run.close());
    // A failure is not kept: the next call (after the cause is fixed) validates again.
    entry.catch(() => prepared.delete(key));
    prepared.set(key, entry);
    if (prepared.size > MEMO_LIMIT) prepared.delete(prepared.keys().next().value as string);
  }
  return entry;
}

/**
 * `check` of every phase resource: the validation a phase runs before it changes anything (EKS-A's rules on the
 * defaulted config, the versions bundles, the rendered manifests), without the preflight and without touching a
 * cluster, so that bad input fails `pulumi preview` and `pulumi up` before anything is created, and an unchanged
 * `pulumi up` runs no program and sends no request. Inputs not known yet (a preview) are not validated.
 */
export async function validatePhaseInputs(
  inputs: PhaseInputs,
  phase: PhaseName,
  logger: HandlerLogger,
): Promise<ValidatedInputs> {
  const clusterPart = [
    inputs.clusterName,
    inputs.config,
    inputs.bundles,
    inputs.contract,
    inputs.timeouts,
    inputs.featureFlags,
    inputs.site,
  ];
  if (containsUnknownValue(clusterPart)) return { failures: [] };
  const failures: CheckFailure[] = siteProblems(inputs.site).map((reason) => ({ property: 'site', reason }));
  const name = inputs.config?.cluster?.metadata?.name;
  if (typeof inputs.clusterName !== 'string' || inputs.clusterName !== name) {
    failures.push({
      property: 'clusterName',
      reason: `'${String(inputs.clusterName)}' is not the config's cluster name '${String(name)}'`,
    });
  }
  try {
    resolveTimeouts(inputs.timeouts);
  } catch (error) {
    failures.push({ property: 'timeouts', reason: (error as Error).message });
  }
  if (failures.length > 0) return { failures };
  try {
    const cluster = await preparedCluster(openSite(inputs.site, logger, { type: phase }), inputs, phase);
    return { failures: [], manifestDigest: cluster.manifestDigest };
  } catch (error) {
    return { failures: failuresOf(error) };
  }
}

/**
 * The validation step of a phase run by a handler: the prepared cluster (shared by the phases of one process),
 * and once per process the preflight of every program the create runs, so that a missing program stops the
 * first phase before anything is created. Journaled as `<Phase>/validate` when it does work; a failure is a
 * WorkflowError of that step (nothing was changed).
 */
export async function prepareForRun(
  site: Site,
  inputs: PhaseInputs,
  phase: PhaseName,
): Promise<PreparedCluster> {
  const key = memoKey(inputs);
  if (preflighted.has(key) && prepared.has(key)) return preparedCluster(site, inputs, phase);
  const name = inputs.clusterName;
  const run = new PhaseRun(site, phase, name, clusterPaths(name), DEFAULT_TIMEOUTS);
  try {
    return await run.step(VALIDATE_STEP, async () => {
      const cluster = await preparedCluster(site, inputs, phase);
      if (!preflighted.has(key)) {
        await preflightTools(run, cluster, createToolNames(cluster));
        preflighted.add(key);
        if (preflighted.size > MEMO_LIMIT) preflighted.delete(preflighted.values().next().value as string);
      }
      return cluster;
    });
  } finally {
    run.close();
  }
}

/** The validation's error as check failures, each on the input it is about. */
export function failuresOf(error: unknown): CheckFailure[] {
  if (error instanceof ClusterConfigError) {
    return error.errors.map((issue) => ({ property: 'config', reason: formatIssue(issue) }));
  }
  if (error instanceof VersionsBundlesError) return [{ property: 'bundles', reason: error.message }];
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('contract:')) return [{ property: 'contract', reason: message }];
  return [{ property: 'config', reason: message }];
}
