import * as path from 'node:path';
import type { ClusterConnection } from './cluster-connection';
import type { PhaseRun } from './phase-run';
import type { PreparedCluster } from './prepare';
import { isKubeApiError } from '../kube/errors';
import { NO_RETRY } from '../kube/retry';

/** A cluster the upgrade and delete workflows talk to, with its kubeconfig as a file (for clusterctl, helm, flux). */
export interface ClusterAccess {
  readonly connection: ClusterConnection;
  /** Relative to the working directory. */
  readonly file: string;
}

/** `<c>/generated/management.kubeconfig`: the management cluster's kubeconfig, given as text, for the programs. */
export function managementKubeconfigPath(prepared: PreparedCluster): string {
  return path.join(prepared.paths.generated, 'management.kubeconfig');
}

/**
 * A workload cluster's management cluster, from the kubeconfig text the caller gave (written 0600 under
 * `<c>/generated/` where programs can read it). Undefined for a self-managed cluster.
 * @throws Error for a workload cluster without it
 */
export async function managementAccess(
  run: PhaseRun,
  prepared: PreparedCluster,
  kubeconfig: string | undefined,
): Promise<ClusterAccess | undefined> {
  if (prepared.selfManaged) return undefined;
  if (!kubeconfig) {
    throw new Error(
      `cluster ${prepared.clusterName} is managed by ${prepared.config.cluster.spec.managementCluster?.name}: give managementKubeconfig`,
    );
  }
  run.secret(kubeconfig);
  const file = managementKubeconfigPath(prepared);
  if ((await run.site.files.readText(file)) !== kubeconfig) {
    await run.site.files.writeText(file, kubeconfig, { secret: true });
  }
  return { connection: await run.connect('management', { file }), file };
}

/**
 * The cluster itself: the kubeconfig text given, else the file the create kept (`<c>/<c>-eks-a-cluster.kubeconfig`,
 * then the one under `<c>/generated/`). Undefined when there is none. With `probe`, reads are not retried: a cluster
 * deleted already answers with a refused connection, which callers treat as "not there".
 */
export async function ownAccess(
  run: PhaseRun,
  prepared: PreparedCluster,
  given: string | undefined,
  options: { readonly probe?: boolean } = {},
): Promise<(ClusterAccess & { readonly text: string }) | undefined> {
  const { files } = run.site;
  let text = given;
  let file: string | undefined;
  if (text) {
    for (const candidate of [prepared.paths.kubeconfig, prepared.paths.generatedKubeconfig]) {
      if ((await files.readText(candidate)) === text) file = candidate;
    }
    if (!file) {
      file = prepared.paths.generatedKubeconfig;
      await files.writeText(file, text, { secret: true });
    }
  } else {
    for (const candidate of [prepared.paths.kubeconfig, prepared.paths.generatedKubeconfig]) {
      text = await files.readText(candidate);
      if (text) {
        file = candidate;
        break;
      }
    }
  }
  if (!text || !file) return undefined;
  run.secret(text);
  const connection = await run.connect(
    'workload',
    { file },
    options.probe ? { retry: { read: NO_RETRY } } : undefined,
  );
  return { connection, file, text };
}

/** True when the cluster's API answers (a deleted cluster's lingering kubeconfig refuses the connection). */
export async function answers(connection: ClusterConnection): Promise<boolean> {
  try {
    await connection.client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' });
    return true;
  } catch (error) {
    if (isKubeApiError(error) && error.statusCode === 0) return false;
    throw error;
  }
}
