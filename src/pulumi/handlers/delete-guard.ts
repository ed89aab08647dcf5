import { isKubeApiError } from '../../kube/errors';
import { NO_RETRY } from '../../kube/retry';
import { kubeconfigServer } from '../../workflow/kubeconfig-text';
import type { Site } from '../../workflow/site';
import type { HandlerLogger } from '../redacting-logger';

/**
 * `pulumi destroy` of a running cluster needs the seed's delete workflow (a bootstrap cluster, management moved to
 * it, the cluster deleted, the repository cleaned, packages deleted): not in this version. Until it is, the phase
 * resources refuse to be deleted while the cluster answers, so that a destroy neither leaves a running cluster
 * behind untracked nor deletes half of it; nothing is deleted and the state is kept.
 */
export class ClusterStillRunningError extends Error {
  public constructor(
    public readonly clusterName: string,
    public readonly endpoint: string,
    what: string,
  ) {
    super(
      `${what}: cluster ${clusterName} is still running (its API answers at ${endpoint}), and deleting a running ` +
        'EKS-A cluster needs the delete workflow, which this version of eksa-iac does not have yet. Nothing was ' +
        `deleted and the state is kept. Delete the cluster first (e.g. eksctl anywhere delete cluster -f ` +
        `${clusterName}/${clusterName}-eks-a-cluster.yaml --kubeconfig ${clusterName}/${clusterName}-eks-a-cluster.kubeconfig) ` +
        'and run pulumi destroy again, or stop managing it with pulumi state delete.',
    );
    this.name = 'ClusterStillRunningError';
  }
}

/**
 * The seam of the delete workflow (issue 6 replaces the callers' deletes): refuses while the cluster behind
 * `kubeconfig` answers; when it does not (deleted by other means, or never created), the resource is only
 * forgotten, with a line saying so. Never deletes anything.
 */
export async function refuseWhileClusterRuns(
  site: Site,
  clusterName: string,
  kubeconfig: string | null | undefined,
  what: string,
  logger: HandlerLogger,
): Promise<void> {
  if (!kubeconfig) {
    logger.info(
      `${what}: no kubeconfig of cluster ${clusterName} in state (it was never created); nothing to delete`,
    );
    return;
  }
  const endpoint = safeServer(kubeconfig);
  if (await clusterAnswers(site, kubeconfig)) throw new ClusterStillRunningError(clusterName, endpoint, what);
  logger.warn(
    `${what}: cluster ${clusterName} does not answer at ${endpoint}; treating it as deleted. Nothing was deleted: ` +
      'eksa-iac forgets this resource only',
  );
}

/** Whether a cluster's API server answers with this kubeconfig (any HTTP answer counts, errors included). */
export async function clusterAnswers(site: Site, kubeconfig: string): Promise<boolean> {
  let connection;
  try {
    connection = await site.connect(
      { yaml: kubeconfig, name: 'cluster kubeconfig' },
      { retry: { read: NO_RETRY } },
    );
  } catch {
    // A kubeconfig that does not load reaches no cluster.
    return false;
  }
  try {
    await connection.client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' });
    return true;
  } catch (error) {
    return !(isKubeApiError(error) && error.statusCode === 0);
  } finally {
    connection.close();
  }
}

function safeServer(kubeconfig: string): string {
  try {
    return kubeconfigServer(kubeconfig, 'the cluster kubeconfig');
  } catch {
    return 'its kubeconfig server';
  }
}
