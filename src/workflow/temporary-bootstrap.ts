import { ensureNamespace } from './apply';
import { initProviders, waitForProviderControllers } from './capi-providers';
import type { ClusterConnection } from './cluster-connection';
import type { PhaseRun, StepControl } from './phase-run';
import { isKubeApiError } from '../kube/errors';
import { NO_RETRY } from '../kube/retry';
import { capiApiVersion } from '../manifests/contract';
import { kindClusterName } from '../tools/kind-cli';
import { startKindCluster, writeKindConfig } from './phases/bootstrap-cluster';
import { EKSA_SYSTEM_NAMESPACE, type PreparedCluster } from './prepare';

/** A kind bootstrap cluster the upgrade or delete workflow made (or found left by an interrupted run). */
export interface TemporaryBootstrap {
  readonly kindClusterName: string;
  /** `<c>/generated/<c>.kind.kubeconfig` */
  readonly kubeconfigPath: string;
  readonly connection: ClusterConnection;
}

/**
 * A bootstrap cluster with the Cluster API providers, for the workflows that need one again after the create:
 * the seed's delete ("create a management cluster, install CAPI") and the `bootstrap` upgrade strategy. The same
 * kind cluster and providers as the create's (steps `create-bootstrap-cluster`, `install-bootstrap-providers`,
 * `wait-bootstrap-providers`); one left by an interrupted run is adopted, and providers already there are kept.
 */
export async function ensureTemporaryBootstrap(
  run: PhaseRun,
  prepared: PreparedCluster,
): Promise<TemporaryBootstrap> {
  const name = kindClusterName(prepared.clusterName);
  const kubeconfigPath = prepared.paths.kindKubeconfig;
  await run.step('create-bootstrap-cluster', async (control) => {
    const configPath = await writeKindConfig(run, prepared);
    await startKindCluster(run, prepared, configPath, control);
  });
  const connection = await run.connect('bootstrap', { file: kubeconfigPath });
  await run.step('install-bootstrap-providers', async (control) => {
    await ensureNamespace(connection.client, EKSA_SYSTEM_NAMESPACE);
    await initProviders(run, prepared, connection, kubeconfigPath, control);
  });
  await run.step('wait-bootstrap-providers', () => waitForProviderControllers(run, prepared, connection));
  return { kindClusterName: name, kubeconfigPath, connection };
}

/**
 * The bootstrap cluster of this cluster if kind runs one (asked of kind, never of a file: an interrupted run may
 * have left it, or a finished one deleted it), connected with the kubeconfig kind gives now.
 */
export async function findBootstrap(
  run: PhaseRun,
  prepared: PreparedCluster,
): Promise<TemporaryBootstrap | undefined> {
  const name = kindClusterName(prepared.clusterName);
  const clusters = await run.site.tools.kind.getClusters({ signal: run.site.signal });
  if (!clusters.includes(name)) return undefined;
  const kubeconfig = await run.site.tools.kind.getKubeconfig(name, { signal: run.site.signal });
  run.secret(kubeconfig);
  const kubeconfigPath = prepared.paths.kindKubeconfig;
  if ((await run.site.files.readText(kubeconfigPath)) !== kubeconfig) {
    await run.site.files.writeText(kubeconfigPath, kubeconfig, { secret: true });
  }
  const connection = await run.connect('bootstrap', { file: kubeconfigPath }, { retry: { read: NO_RETRY } });
  return { kindClusterName: name, kubeconfigPath, connection };
}

/**
 * Deletes the bootstrap cluster and its kubeconfig file, unless it still holds this cluster's CAPI Cluster (its
 * machines would be orphaned: move them out first). A cluster that is not there is fine. True when it was deleted.
 */
export async function deleteTemporaryBootstrap(
  run: PhaseRun,
  prepared: PreparedCluster,
  control: StepControl,
): Promise<boolean> {
  const found = await findBootstrap(run, prepared);
  if (!found) {
    await run.site.files.remove(prepared.paths.kindKubeconfig);
    control.skipped(`no kind cluster ${kindClusterName(prepared.clusterName)}`);
    return false;
  }
  let holds = false;
  try {
    holds =
      (await found.connection.client.get({
        apiVersion: capiApiVersion('core', prepared.contract),
        kind: 'Cluster',
        namespace: EKSA_SYSTEM_NAMESPACE,
        name: prepared.clusterName,
      })) !== undefined;
  } catch (error) {
    if (!(isKubeApiError(error) && (error.statusCode === 404 || error.statusCode === 0))) throw error;
  }
  if (holds) {
    throw new Error(
      `refusing to delete the bootstrap cluster ${found.kindClusterName}: it still holds Cluster ${EKSA_SYSTEM_NAMESPACE}/${prepared.clusterName}; ` +
        'run the workflow again to move it back (or delete the cluster) first',
    );
  }
  run.release(found.connection);
  await run.site.tools.kind.deleteCluster(found.kindClusterName, { signal: run.site.signal });
  await run.site.files.remove(prepared.paths.kindKubeconfig);
  control.note(`kind delete cluster --name ${found.kindClusterName}`);
  return true;
}
