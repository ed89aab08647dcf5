import { isKubeApiError } from '../../kube/errors';
import { NO_RETRY } from '../../kube/retry';
import { capiApiVersion } from '../../manifests/contract';
import { kindClusterName } from '../../tools/kind-cli';
import { isProvisioned } from '../capi-status';
import type { ClusterInputs } from '../inputs';
import { runPhase, type PhaseOptions } from '../phase-run';
import type { Site } from '../site';

export type BootstrapCleanupInputs = ClusterInputs;

export interface BootstrapCleanupOutputs {
  readonly kindClusterName: string;
  /** `deleted` by this run, or `absent` (there was no bootstrap cluster). */
  readonly state: 'deleted' | 'absent';
}

/** The bootstrap cluster still manages a provisioned cluster: deleting it would orphan that cluster's machines. */
export class BootstrapInUseError extends Error {
  public constructor(
    public readonly kindCluster: string,
    public readonly clusters: readonly string[],
  ) {
    super(
      `refusing to delete the bootstrap cluster ${kindCluster}: it still manages the provisioned CAPI Cluster(s) ${clusters.join(', ')}; ` +
        'move their management first (ManagementMove), then run this again',
    );
    this.name = 'BootstrapInUseError';
  }
}

/**
 * Phase 8: the bootstrap cluster deleted (EKS-A A1.12): `kind get clusters`, then — unless a CAPI Cluster in it is
 * still Provisioned, which would be orphaned — `kind delete cluster` and its kubeconfig file removed.
 */
export function bootstrapCleanup(
  site: Site,
  inputs: BootstrapCleanupInputs,
  options: PhaseOptions = {},
): Promise<BootstrapCleanupOutputs> {
  return runPhase(site, 'BootstrapCleanup', inputs, options, { tools: ['kind'] }, async (run, prepared) => {
    const name = kindClusterName(prepared.clusterName);
    const present = await run.step('find-bootstrap-cluster', async (control) => {
      const clusters = await site.tools.kind.getClusters({ signal: site.signal });
      if (!clusters.includes(name)) control.skipped(`no kind cluster ${name}`);
      return clusters.includes(name);
    });
    if (!present) {
      await site.files.remove(prepared.paths.kindKubeconfig);
      return { kindClusterName: name, state: 'absent' };
    }
    await run.step('check-no-provisioned-clusters', async () => {
      // kind's answer now, not a file an earlier run left: the cluster may have been re-created since.
      const kubeconfig = await site.tools.kind.getKubeconfig(name, { signal: site.signal });
      run.secret(kubeconfig);
      const connection = await run.connect(
        'bootstrap',
        { yaml: kubeconfig, name: `kind cluster ${name}` },
        {
          retry: { read: NO_RETRY },
        },
      );
      let clusters: { metadata: { name?: string; namespace?: string }; status?: unknown }[] = [];
      try {
        clusters = await connection.client.list(capiApiVersion('core', prepared.contract), 'Cluster');
      } catch (error) {
        // CAPI is not installed in it: nothing can be orphaned.
        if (!(isKubeApiError(error) && error.statusCode === 404)) throw error;
      }
      const provisioned = clusters.filter((c) => isProvisioned(c as never));
      if (provisioned.length > 0) {
        throw new BootstrapInUseError(
          name,
          provisioned.map((c) => `${c.metadata.namespace}/${c.metadata.name}`),
        );
      }
    });
    await run.step('delete-bootstrap-cluster', async (control) => {
      await site.tools.kind.deleteCluster(name, { signal: site.signal });
      await site.files.remove(prepared.paths.kindKubeconfig);
      control.note(`kind delete cluster --name ${name}`);
    });
    return { kindClusterName: name, state: 'deleted' };
  });
}
