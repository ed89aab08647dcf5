import { type Discovery, discover, readInventory } from './discovery';
import { MoveError } from './move-error';
import { moveSequence } from './move-sequence';
import { type MovePlan, buildPlan, describePlan, kindCounts, refOf } from './plan';
import {
  checkContracts,
  checkNotDeleting,
  checkNotPaused,
  checkProviders,
  checkProvisioning,
  contractOf,
} from './preconditions';
import { type MoveRetryOptions, resolveBackoffs } from './retry';
import { type MovedObject, SourceWriter, TargetWriter } from './writers';
import type { KubeClient } from '../../kube/types';

/** Options of {@link moveClusterApi}. */
export interface MoveClusterApiOptions {
  /** The management cluster the Cluster API objects are in. */
  readonly from: KubeClient;
  /** The management cluster to move them to (its providers installed). Not needed for a dry run. */
  readonly to?: KubeClient;
  /** The namespace to move; `''` moves every namespace. EKS-A keeps its CAPI objects in `eksa-system`. */
  readonly namespace: string;
  /**
   * Move only this Cluster's objects, with the semantics of EKS-A's `--filter-cluster` (see cluster-filter.ts).
   * @default - every Cluster of the namespace
   */
  readonly clusterName?: string;
  /** Discover, check and plan, write nothing. @default false */
  readonly dryRun?: boolean;
  /** Receives progress lines (one per phase and per layer). Never receives object contents. */
  readonly onProgress?: (line: string) => void;
  /** Backoffs for reads, writes and the block-move wait. @default - clusterctl's presets */
  readonly retry?: MoveRetryOptions;
  /** Objects of one layer written at once. @default 4 */
  readonly concurrency?: number;
  /**
   * Which source managedFields to restore on the target copy (one more write per object that has them).
   * `apply` restores them for objects with server-side-apply managers, whose field ownership later applies depend
   * on; `all` does so for every object, as clusterctl does; `none` never.
   * @default 'apply'
   */
  readonly managedFields?: 'apply' | 'all' | 'none';
}

/** What a move did (or, for a dry run, would do). */
export interface MoveResult {
  readonly dryRun: boolean;
  readonly plan: MovePlan;
  /** Every planned object with what happened to it in the target and in the source (empty for a dry run). */
  readonly objects: readonly MovedObject[];
  readonly warnings: readonly string[];
  /** One line: how many objects moved, were copied, adopted. */
  readonly summary: string;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function validate(options: MoveClusterApiOptions): void {
  const problems: string[] = [];
  if (!options.from) problems.push("'from': the source KubeClient is required");
  if (!options.dryRun && !options.to) {
    problems.push("'to': the target KubeClient is required unless 'dryRun' is set");
  }
  if (options.from && options.to && options.from === options.to) {
    problems.push("'from' and 'to' are the same client: a move needs two clusters");
  }
  if (typeof options.namespace !== 'string') {
    problems.push("'namespace': give a namespace, or '' for every namespace");
  } else if (options.namespace !== '' && !NAME.test(options.namespace)) {
    problems.push(
      `'namespace': '${options.namespace}' is not a valid namespace name (lower-case letters, digits, '-')`,
    );
  }
  if (options.clusterName !== undefined && !NAME.test(options.clusterName)) {
    problems.push(`'clusterName': '${options.clusterName}' is not a valid Cluster name`);
  }
  if (
    options.concurrency !== undefined &&
    !(Number.isInteger(options.concurrency) && options.concurrency >= 1)
  ) {
    problems.push(`'concurrency': ${options.concurrency} must be a whole number ≥ 1`);
  }
  if (options.managedFields !== undefined && !['apply', 'all', 'none'].includes(options.managedFields)) {
    problems.push(`'managedFields': '${options.managedFields}' must be 'apply', 'all' or 'none'`);
  }
  if (problems.length > 0) throw new MoveError('Invalid move options', problems);
}

/**
 * Moves the Cluster API objects of a namespace (or of one Cluster) from one management cluster to another, as
 * `clusterctl move` does (research/capi.md §2), and further:
 * - a failure before anything was deleted from the source unpauses the source (clusterctl leaves it paused);
 * - a re-run after a failure or crash at any point completes the move, adopting what is already in the target;
 * - progress is reported per layer, and the result lists what happened to every object.
 *
 * Nothing is written before every check has passed. Secret contents are copied but never logged.
 */
export async function moveClusterApi(options: MoveClusterApiOptions): Promise<MoveResult> {
  validate(options);
  const log = options.onProgress ?? (() => {});
  const backoffs = resolveBackoffs(options.retry);
  const { from, namespace, clusterName } = options;
  const scope = `${clusterName ? `Cluster ${clusterName} in ` : ''}${namespace ? `namespace ${namespace}` : 'all namespaces'}`;

  const sourceInventory = await readInventory(from, backoffs.read);
  const targetInventory = options.dryRun ? undefined : await readInventory(options.to!, backoffs.read);
  const setupProblems = checkContracts(sourceInventory, targetInventory);
  if (targetInventory && setupProblems.length === 0) {
    setupProblems.push(...checkProviders(sourceInventory, targetInventory));
  }
  if (setupProblems.length > 0) throw new MoveError(`Cannot move ${scope}`, setupProblems);

  const discoverSource = () =>
    discover(from, { namespace, clusterName, inventory: sourceInventory, backoff: backoffs.read });
  const first = await discoverSource();
  log(`Discovered ${first.graph.nodes.filter((n) => !n.virtual).length} objects in the source (${scope})`);

  const target = targetInventory
    ? new TargetWriter(
        options.to!,
        backoffs,
        options.concurrency ?? 4,
        options.managedFields ?? 'apply',
        `cluster.x-k8s.io/${contractOf(targetInventory)}`,
      )
    : undefined;

  if (first.clusterMissing) {
    // A re-run after the source side finished: the Cluster only needs unpausing in the target.
    if (target && (await target.holdsCluster(namespace, clusterName!))) {
      const unpaused = await target.unpause(namespace, clusterName);
      log(
        `Cluster ${clusterName} is no longer in the source; it is in the target (unpaused ${unpaused} objects there)`,
      );
      const plan = buildPlan({ groups: [], unplaced: [] }, { namespace, clusterName });
      return {
        dryRun: false,
        plan,
        objects: [],
        warnings: [],
        summary: `Cluster ${clusterName} was already moved`,
      };
    }
    throw new MoveError(`Cannot move ${scope}`, [
      `Cluster ${namespace ? `${namespace}/` : ''}${clusterName} not found in the source`,
    ]);
  }

  const checkGraph = (d: Discovery, withProvisioning: boolean) => {
    const nodes = d.graph.moveNodes();
    return [
      ...checkNotPaused(nodes),
      ...checkNotDeleting(nodes),
      ...(withProvisioning ? checkProvisioning(nodes) : []),
    ];
  };
  const firstSequence = moveSequence(first.graph);
  const plan = buildPlan(firstSequence, { namespace, clusterName });
  for (const warning of plan.warnings) log(warning);
  const problems = checkGraph(first, !options.dryRun);
  if (problems.length > 0) throw new MoveError(`Cannot move ${scope}`, problems);

  if (options.dryRun) {
    for (const line of describePlan(plan)) log(line);
    return {
      dryRun: true,
      plan,
      objects: [],
      warnings: plan.warnings,
      summary: `Dry run: ${countPlanned(plan)} objects would move`,
    };
  }

  const source = new SourceWriter(from, backoffs, options.concurrency ?? 4);
  let snapshot: Discovery | undefined;
  let deleting = false;
  try {
    const paused = await source.pause(first.graph.moveNodes());
    log(`Paused ${paused} Clusters and ClusterClasses in the source`);
    // Read again now that controllers are paused: this is what is copied.
    snapshot = await discoverSource();
    const late = checkGraph(snapshot, true);
    if (late.length > 0) throw new MoveError(`Cannot move ${scope}: the source changed while pausing`, late);
    await source.waitForBlockMove(snapshot.graph.moveNodes());

    const sequence = moveSequence(snapshot.graph);
    const finalPlan = buildPlan(sequence, { namespace, clusterName });
    for (const warning of finalPlan.warnings) if (!plan.warnings.includes(warning)) log(warning);
    await target!.ensureNamespaces(sequence.groups.flat());

    for (const [i, group] of sequence.groups.entries()) {
      const outcomes = await target!.createGroup(group);
      log(
        `Layer ${i + 1}/${sequence.groups.length}: ${describeOutcomes(outcomes)} in the target (${kindCounts(group.map(refOf))})`,
      );
    }

    deleting = true;
    const deletable = sequence.groups.map((g) => g.filter((n) => n.deletable));
    for (let i = deletable.length - 1; i >= 0; i--) {
      if (deletable[i].length === 0) continue;
      const gone = await source.deleteGroup(deletable[i]);
      log(`Layer ${i + 1}/${sequence.groups.length}: deleted ${gone} objects from the source`);
    }
    const leftovers = await source.verifyDeleted(deletable.flat(), namespace);
    if (leftovers > 0) log(`Removed ${leftovers} finalizers re-added in the source during deletion`);
    // Kept objects (ClusterClasses still used in the source) must not stay paused there.
    await source.unpause(sequence.groups.flat().filter((n) => !n.deletable));
    const unpaused = await target!.unpause(namespace, clusterName);
    log(`Unpaused ${unpaused} Clusters and ClusterClasses in the target`);

    const objects = finalPlan.layers
      .flat()
      .map((p) => ({ ...p, target: target!.outcome(p.uid), source: source.outcome(p.uid, p.keptInSource) }));
    const summary = summarize(objects);
    log(summary);
    return { dryRun: false, plan: finalPlan, objects, warnings: finalPlan.warnings, summary };
  } catch (error) {
    if (deleting) {
      throw new MoveError(
        `The move of ${scope} stopped while deleting from the source. Every object is in the target (still paused there); ` +
          're-run the move to finish',
        [error instanceof Error ? error.message : String(error)],
        { cause: error },
      );
    }
    // Nothing was deleted yet: give the source back to its controllers (clusterctl leaves it paused).
    const restore = [...(snapshot?.graph.moveNodes() ?? []), ...first.graph.moveNodes()];
    let unpauseNote = 'the source was unpaused';
    try {
      await source.unpause(restore, { onlyOurs: true });
    } catch (unpauseError) {
      unpauseNote = `unpausing the source failed too (${unpauseError instanceof Error ? unpauseError.message : String(unpauseError)}); re-run the move, or remove spec.paused from its Clusters`;
    }
    const partial = target!.createdCount();
    const leftNote =
      partial > 0
        ? `; ${partial} objects already copied to the target stay there, paused, and a re-run adopts them`
        : '';
    if (error instanceof MoveError) {
      throw new MoveError(`${error.message.split('\n')[0]} (${unpauseNote}${leftNote})`, error.problems, {
        cause: error,
      });
    }
    throw new MoveError(
      `The move of ${scope} failed before deleting anything (${unpauseNote}${leftNote})`,
      [error instanceof Error ? error.message : String(error)],
      { cause: error },
    );
  }
}

function countPlanned(plan: MovePlan): number {
  return plan.layers.reduce((n, l) => n + l.length, 0);
}

function describeOutcomes(outcomes: ReadonlyMap<string, number>): string {
  const parts = [...outcomes].filter(([, n]) => n > 0).map(([what, n]) => `${what} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing to do';
}

function summarize(objects: readonly MovedObject[]): string {
  const moved = objects.filter((o) => o.source === 'deleted' || o.source === 'already-gone').length;
  const copied = objects.filter((o) => o.source === 'kept').length;
  const adopted = objects.filter((o) => o.target !== 'created').length;
  return `Moved ${moved} objects, copied ${copied} that stay in the source too${adopted > 0 ? `; ${adopted} were already in the target` : ''}`;
}
