import type { BenchModule } from './harness';
import type { ClusterConfig } from '../src/spec/cluster-config';
import { parseClusterConfig } from '../src/spec/parse';
import { createCluster } from '../src/workflow/create-cluster';
import { deleteCluster } from '../src/workflow/delete-cluster';
import { upgradeCluster } from '../src/workflow/upgrade-cluster';
import { DOCKER_MGMT, FAST_TIMEOUTS } from '../test/workflow/support/configs';
import { InstantSite, OFFLINE_BUNDLES } from '../test/workflow/support/instant-site';

/**
 * The upgrade and delete workflows on the simulated site with instant controllers (rolling updates take no time:
 * rollDelayMs 0), for a docker management cluster with external etcd, 1 control plane and 2 worker machines: an
 * in-place upgrade one Kubernetes minor up (etcd, control plane and workers roll), an upgrade to the config the
 * cluster runs (nothing to roll), and the seed's delete (kind, CAPI, move, delete, cleanup). The time is the
 * workflow's own orchestration; the table after it counts the API requests and writes of each.
 */
const at = (minor: number): ClusterConfig =>
  parseClusterConfig(DOCKER_MGMT.replace('kubernetesVersion: "1.33"', `kubernetesVersion: "1.${minor}"`), {
    file: `dev-1.${minor}.yaml`,
  });
const options = { bundles: OFFLINE_BUNDLES, timeouts: FAST_TIMEOUTS };
const samples: { name: string; requests: number; writes: number }[] = [];
let upgrading: InstantSite | undefined;
let minor = 30;
const toDelete: InstantSite[] = [];
const deleted: InstantSite[] = [];

async function measured(sim: InstantSite, name: string, run: () => Promise<unknown>): Promise<void> {
  const requests = sim.apiRequestCount();
  const ops = sim.operations.length;
  await run();
  samples.push({
    name,
    requests: sim.apiRequestCount() - requests,
    writes: sim.operations.slice(ops).filter((o) => o.type === 'api').length,
  });
}

export const lifecycleBench: BenchModule = {
  title: 'workflow: upgrade and delete on the simulated site (instant controllers)',
  async setup() {
    upgrading = await InstantSite.create();
    upgrading.rollDelayMs = 0;
    await createCluster(upgrading.site, at(minor), options);
    for (let i = 0; i < 3; i++) {
      const sim = await InstantSite.create();
      await createCluster(sim.site, at(33), options);
      toDelete.push(sim);
    }
  },
  cases: [
    {
      name: 'upgrade inPlace one minor up (etcd, 1 CP, 2 workers roll)',
      iterations: 4,
      warmup: 1,
      run: () =>
        measured(upgrading!, 'upgrade', async () => {
          await upgradeCluster(upgrading!.site, at(minor), at(minor + 1), options);
          minor++;
        }),
    },
    {
      name: 'upgrade to the running config (nothing to roll)',
      iterations: 5,
      warmup: 1,
      run: () =>
        measured(upgrading!, 'no-op', () => upgradeCluster(upgrading!.site, at(minor), at(minor), options)),
    },
    {
      name: 'delete (kind, CAPI, move, delete, cleanup)',
      iterations: 2,
      warmup: 1,
      async run() {
        const sim = toDelete.shift()!;
        deleted.push(sim);
        await measured(sim, 'delete', () => deleteCluster(sim.site, at(33), options));
      },
    },
  ],
  async teardown() {
    await upgrading?.close();
    for (const sim of [...toDelete, ...deleted]) await sim.close();
    const rows = ['upgrade', 'no-op', 'delete'].map((name) => {
      const of = samples.filter((s) => s.name === name);
      const mean = (f: (s: (typeof of)[number]) => number) =>
        (of.reduce((n, s) => n + f(s), 0) / Math.max(1, of.length)).toFixed(0);
      return `| ${name.padEnd(7)} | ${mean((s) => s.requests).padStart(12)} | ${mean((s) => s.writes).padStart(14)} |`;
    });
    console.log(
      [
        '| run     | API requests | of them writes |',
        '|---------|--------------|----------------|',
        ...rows,
        '',
      ].join('\n'),
    );
  },
};
