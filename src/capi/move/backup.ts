import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { filterCluster } from './cluster-filter';
import { discover, readInventory } from './discovery';
import { MoveError } from './move-error';
import { moveSequence } from './move-sequence';
import { ObjectGraph } from './object-graph';
import { type MovePlan, buildPlan, kindCounts, refOf } from './plan';
import {
  checkContracts,
  checkNotDeleting,
  checkNotPaused,
  checkProvisioning,
  contractOf,
} from './preconditions';
import { type MoveRetryOptions, resolveBackoffs } from './retry';
import { SourceWriter, TargetWriter } from './writers';
import type { KubeClient, KubeObject } from '../../kube/types';

/** Options of {@link backupClusterApi}. */
export interface BackupClusterApiOptions {
  readonly from: KubeClient;
  /** `''` for every namespace. */
  readonly namespace: string;
  /** Back up only this Cluster's objects (EKS-A's `--filter-cluster`). @default - every Cluster */
  readonly clusterName?: string;
  /** Created if missing (mode 0700); files are written 0600, since Secrets are among them. */
  readonly directory: string;
  readonly onProgress?: (line: string) => void;
  /** @default - clusterctl's presets */
  readonly retry?: MoveRetryOptions;
}

export interface BackupResult {
  readonly directory: string;
  /** File names written, `<Kind>_<namespace>_<name>.yaml`. */
  readonly files: readonly string[];
  readonly plan: MovePlan;
}

/** Options of {@link restoreClusterApi}. */
export interface RestoreClusterApiOptions {
  readonly to: KubeClient;
  /** A directory written by {@link backupClusterApi} (or by `clusterctl move --to-directory`). */
  readonly directory: string;
  /** Restore only this Cluster's objects. @default - everything in the directory */
  readonly clusterName?: string;
  readonly onProgress?: (line: string) => void;
  /** @default - clusterctl's presets */
  readonly retry?: MoveRetryOptions;
}

export interface RestoreResult {
  readonly plan: MovePlan;
  /** How many objects were created; the rest were already in the target and left as they were. */
  readonly created: number;
  readonly existing: number;
}

/** The file a backed-up object is written to (clusterctl's naming). */
export function backupFileName(object: { kind: string; namespace?: string; name: string }): string {
  return `${object.kind}_${object.namespace ?? ''}_${object.name}.yaml`;
}

/**
 * Writes the Cluster API objects of a namespace (or one Cluster) to a directory, one file per object holding the
 * object as one line of JSON, status and source UIDs included (clusterctl `move --to-directory`, §2.19). The same
 * checks as a move run first; the source is paused while it is read, so the copy is consistent, and unpaused
 * afterwards whatever happens. Nothing is deleted.
 */
export async function backupClusterApi(options: BackupClusterApiOptions): Promise<BackupResult> {
  const problems: string[] = [];
  if (!options.from) problems.push("'from': the source KubeClient is required");
  if (typeof options.namespace !== 'string') {
    problems.push("'namespace': give a namespace, or '' for every namespace");
  }
  if (!options.directory) problems.push("'directory': give the directory to write the backup to");
  if (problems.length > 0) throw new MoveError('Invalid backup options', problems);
  const log = options.onProgress ?? (() => {});
  const backoffs = resolveBackoffs(options.retry);
  const { from, namespace, clusterName } = options;

  const inventory = await readInventory(from, backoffs.read);
  const setup = checkContracts(inventory, undefined);
  if (setup.length > 0) throw new MoveError('Cannot back up', setup);
  const run = () => discover(from, { namespace, clusterName, inventory, backoff: backoffs.read });
  const first = await run();
  if (first.clusterMissing) {
    throw new MoveError('Cannot back up', [`Cluster ${clusterName} not found in the source`]);
  }
  const nodes = first.graph.moveNodes();
  const checks = [...checkNotPaused(nodes), ...checkNotDeleting(nodes), ...checkProvisioning(nodes)];
  if (checks.length > 0) throw new MoveError('Cannot back up', checks);

  const source = new SourceWriter(from, backoffs, 4);
  let snapshot: Awaited<ReturnType<typeof run>> | undefined;
  try {
    await source.pause(nodes);
    snapshot = await run();
    const sequence = moveSequence(snapshot.graph);
    const plan = buildPlan(sequence, { namespace, clusterName });
    for (const warning of plan.warnings) log(warning);
    await mkdir(options.directory, { recursive: true, mode: 0o700 });
    const files: string[] = [];
    for (const [i, group] of sequence.groups.entries()) {
      for (const node of group) {
        const file = backupFileName(refOf(node) as { kind: string; namespace?: string; name: string });
        const target = path.join(options.directory, file);
        // Removed first so the new file gets our mode even if an old one had another.
        await rm(target, { force: true });
        await writeFile(target, `${JSON.stringify(node.object)}\n`, { mode: 0o600 });
        files.push(file);
      }
      log(
        `Layer ${i + 1}/${sequence.groups.length}: wrote ${group.length} objects (${kindCounts(group.map(refOf))})`,
      );
    }
    return { directory: options.directory, files, plan };
  } finally {
    await source.unpause([...(snapshot?.graph.moveNodes() ?? []), ...nodes]);
  }
}

/** Reads every file of a backup directory into objects, with every problem named by file. */
export async function readBackup(directory: string): Promise<KubeObject[]> {
  let names: string[];
  try {
    if (!(await stat(directory)).isDirectory()) throw new Error('not a directory');
    names = (await readdir(directory)).sort();
  } catch (error) {
    throw new MoveError(`Cannot read the backup directory ${directory}`, [
      error instanceof Error ? error.message : String(error),
    ]);
  }
  const objects: KubeObject[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const file = path.join(directory, name);
    if (!(await stat(file)).isFile()) continue;
    const docs = parseAllDocuments(await readFile(file, 'utf8'));
    for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
      if (doc.errors.length > 0) {
        problems.push(`${file}: not YAML or JSON (${doc.errors[0].message.split('\n')[0]})`);
        continue;
      }
      const value = doc.toJS() as Partial<KubeObject> | null;
      if (value === null || value === undefined) continue;
      const where = docs.length > 1 ? `${file} (document ${i + 1})` : file;
      const missing = [
        !value.apiVersion && 'apiVersion',
        !value.kind && 'kind',
        !value.metadata?.name && 'metadata.name',
        !value.metadata?.uid && 'metadata.uid',
      ].filter(Boolean);
      if (missing.length > 0) {
        problems.push(`${where}: ${missing.join(', ')} missing: not an object saved by a backup`);
      } else {
        objects.push(value as KubeObject);
      }
    }
  }
  if (problems.length > 0) throw new MoveError(`Cannot restore from ${directory}`, problems);
  return objects;
}

/**
 * Restores a backup directory into a management cluster (clusterctl `move --from-directory`, §2.19): namespaces
 * first, then layer by layer with ownerReferences rewritten to the new UIDs; objects already in the target are left
 * as they are (so a restore can be repeated); finally ClusterClasses and Clusters are unpaused.
 */
export async function restoreClusterApi(options: RestoreClusterApiOptions): Promise<RestoreResult> {
  const problems: string[] = [];
  if (!options.to) problems.push("'to': the target KubeClient is required");
  if (!options.directory) problems.push("'directory': give the backup directory to restore from");
  if (problems.length > 0) throw new MoveError('Invalid restore options', problems);
  const log = options.onProgress ?? (() => {});
  const backoffs = resolveBackoffs(options.retry);

  const objects = await readBackup(options.directory);
  const inventory = await readInventory(options.to, backoffs.read);
  const contract = contractOf(inventory);
  if (!contract) {
    throw new MoveError(
      'Cannot restore',
      checkContracts(inventory, undefined).map((p) => p.replace(/^source/, 'target')),
    );
  }

  const graph = new ObjectGraph(inventory.types);
  for (const o of objects) graph.addObject(o);
  graph.setSoftOwnership();
  graph.setTenants();
  if (options.clusterName) {
    const cluster = graph.clusters().find((c) => c.name === options.clusterName);
    if (!cluster) {
      throw new MoveError('Cannot restore', [
        `Cluster ${options.clusterName} is not in ${options.directory}`,
      ]);
    }
    filterCluster(
      graph,
      cluster,
      objects.filter((o) => o.kind === 'Cluster'),
    );
  }
  const sequence = moveSequence(graph);
  const plan = buildPlan(sequence, { namespace: '', clusterName: options.clusterName });
  for (const warning of plan.warnings) log(warning);

  const target = new TargetWriter(options.to, backoffs, 4, 'none', `cluster.x-k8s.io/${contract}`, {
    keepExisting: true,
  });
  await target.ensureNamespaces(sequence.groups.flat());
  let created = 0;
  let existing = 0;
  for (const [i, group] of sequence.groups.entries()) {
    const counts = await target.createGroup(group);
    created += counts.get('created') ?? 0;
    existing += group.length - (counts.get('created') ?? 0);
    log(
      `Layer ${i + 1}/${sequence.groups.length}: restored ${counts.get('created') ?? 0}, already there ${group.length - (counts.get('created') ?? 0)} (${kindCounts(group.map(refOf))})`,
    );
  }
  await target.unpauseNodes(sequence.groups.flat());
  return { plan, created, existing };
}
