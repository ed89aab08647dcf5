import * as path from 'node:path';
import { backupClusterApi } from '../../capi/move/backup';
import type { ClusterConnection } from '../cluster-connection';
import type { PhaseRun, StepControl } from '../phase-run';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from '../prepare';

/** `<c>-backup-<YYYY-MM-DDTHH_MM_SS>`: EKS-A's name for an upgrade's CAPI backup (research A4.6). */
export function backupDirName(clusterName: string, time: Date): string {
  const stamp = time
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/:/g, '_');
  return `${clusterName}-backup-${stamp}`;
}

/** The backup folders of a cluster under `<c>/`, oldest first (relative to the working directory). */
export async function existingBackups(run: PhaseRun, prepared: PreparedCluster): Promise<string[]> {
  const prefix = `${prepared.clusterName}-backup-`;
  return (await run.site.files.list(prepared.paths.dir))
    .filter((name) => name.startsWith(prefix))
    .sort()
    .map((name) => path.join(prepared.paths.dir, name));
}

/**
 * Backs the cluster's CAPI objects up before anything of it changes (EKS-A's `clusterctl move --to-directory`,
 * research/capi.md §2.19): one file per object under `<c>/<c>-backup-<time>/`, 0600, the cluster paused while it
 * is read. An upgrade that failed and runs again keeps the backup it made first: that one holds the cluster as it
 * was before the upgrade began, which a backup of a half-rolled cluster would not.
 */
export async function backupCapiObjects(
  run: PhaseRun,
  prepared: PreparedCluster,
  manager: ClusterConnection,
  control: StepControl,
): Promise<string> {
  const existing = await existingBackups(run, prepared);
  if (existing.length > 0) {
    const kept = existing[existing.length - 1];
    control.adopted(`kept the backup of the interrupted upgrade: ${kept}`);
    return kept;
  }
  const dir = path.join(prepared.paths.dir, backupDirName(prepared.clusterName, run.site.clock.date()));
  const result = await run.during('the backup of the CAPI objects', () =>
    backupClusterApi({
      from: manager.client,
      namespace: EKSA_SYSTEM_NAMESPACE,
      clusterName: prepared.clusterName,
      directory: run.site.files.resolve(dir),
      onProgress: (line) => run.log.debug?.(line),
    }),
  );
  control.note(`${result.files.length} objects in ${dir}`);
  return dir;
}

/** Removes the cluster's upgrade backups once the upgrade succeeded (EKS-A's post-cluster-upgrade). */
export async function removeBackups(
  run: PhaseRun,
  prepared: PreparedCluster,
  control: StepControl,
): Promise<void> {
  const existing = await existingBackups(run, prepared);
  if (existing.length === 0) {
    control.skipped('no backup to remove');
    return;
  }
  for (const dir of existing) await run.site.files.remove(dir);
  control.note(existing.join(', '));
}
