import type { BenchModule } from './harness';
import type { KubeObject } from '../src/kube';
import { createSimulatedSite } from '../src/testing';
import {
  applyAll,
  bootstrapCluster,
  connect,
  installCilium,
  workloadKubeconfig,
  workspace,
} from '../test/testing/site/fixture';
import { synthDocker } from '../test/testing/site/synth';

/**
 * The simulated site end to end, at instant speed: kind and clusterctl init, then a synthesized docker cluster from
 * apply to Available (kubeconfig through `docker port`, Cilium), then closing the site. What it costs bounds how
 * long the lifecycle tests take; the request counts (every client: providers, programs and the bench's own) say how chatty the site is.
 */
const requests: Record<string, number> = {};

async function bringUp(
  label: string,
  size: { controlPlane: number; etcd: number; workers: number },
): Promise<void> {
  const site = await createSimulatedSite();
  const ws = workspace('sim-bench-');
  try {
    const { kubeconfigPath, client } = await bootstrapCluster(site, ws, 'bench');
    const objects: KubeObject[] = await synthDocker({
      name: 'bench',
      kubernetesVersion: '1.31',
      contract: 'v1beta2',
      ...size,
    });
    await applyAll(client, objects);
    const ref = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      name: 'bench',
      namespace: 'eksa-system',
    };
    await client.waitFor(ref, (c: any) => c?.status?.initialization?.controlPlaneInitialized === true, {
      timeoutMs: 120_000,
    });
    const workload = await connect({ yaml: await workloadKubeconfig(site, 'bench', kubeconfigPath) });
    await installCilium(site, workload);
    await client.waitFor(
      ref,
      (c: any) =>
        (c?.status?.conditions ?? []).some((x: any) => x.type === 'Available' && x.status === 'True'),
      { timeoutMs: 120_000 },
    );
    requests[label] = site
      .clusters()
      .reduce((n, c) => n + site.apiServer(c.name, c.type).requests.count(), 0);
    client.close();
    workload.close();
  } finally {
    await site.close();
    ws.remove();
  }
}

export const siteBench: BenchModule = {
  title: 'simulated site: docker cluster from nothing to Available (instant speed)',
  cases: [
    {
      name: 'kind + init + 1 CP, 1 worker',
      iterations: 3,
      warmup: 1,
      run: () => bringUp('small', { controlPlane: 1, etcd: 0, workers: 1 }),
    },
    {
      name: 'kind + init + 3 etcd, 3 CP, 3 workers',
      iterations: 3,
      warmup: 1,
      run: () => bringUp('full', { controlPlane: 3, etcd: 3, workers: 3 }),
    },
  ],
  teardown: () => {
    console.log(
      `API requests per bring-up, last iteration (all clusters, all clients): ${Object.entries(requests)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}\n`,
    );
  },
};
