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
import { PhaseRun } from '../../workflow/phase-run';
import { prepareCluster } from '../../workflow/prepare';
import { resolveTimeouts, DEFAULT_TIMEOUTS } from '../../workflow/timeouts';

/** The outcome of validating a phase resource's cluster inputs. */
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

// One deployment is one provider process, where every phase resource checks the same cluster inputs: they are
// validated once. Results only (issues, a digest), never the prepared cluster, and a bounded number of them.
const MEMO_LIMIT = 16;
const memo = new Map<string, Promise<ValidatedInputs>>();

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

  const key = JSON.stringify([clusterInputsOf(inputs), inputs.site ?? {}]);
  let validated = memo.get(key);
  if (!validated) {
    validated = prepareForCheck(inputs, phase, logger);
    memo.set(key, validated);
    if (memo.size > MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  }
  return validated;
}

async function prepareForCheck(
  inputs: PhaseInputs,
  phase: PhaseName,
  logger: HandlerLogger,
): Promise<ValidatedInputs> {
  const site = openSite(inputs.site, logger, { type: phase });
  const run = new PhaseRun(
    site,
    phase,
    inputs.clusterName,
    clusterPaths(inputs.clusterName),
    DEFAULT_TIMEOUTS,
  );
  try {
    const prepared = await prepareCluster(run, clusterInputsOf(inputs));
    return { failures: [], manifestDigest: prepared.manifestDigest };
  } catch (error) {
    return { failures: failuresOf(error) };
  } finally {
    run.close();
  }
}

/** The validation's error as check failures, one per problem, each on the input it is about. */
export function failuresOf(error: unknown): CheckFailure[] {
  if (error instanceof ClusterConfigError) {
    return error.errors.map((issue) => ({ property: 'config', reason: formatIssue(issue) }));
  }
  if (error instanceof VersionsBundlesError) return [{ property: 'bundles', reason: error.message }];
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('contract:')) return [{ property: 'contract', reason: message }];
  return [{ property: 'config', reason: message }];
}
