import type { BenchModule } from './harness';
import { parseClusterConfig } from '../src/spec/parse';
import { createCluster } from '../src/workflow/create-cluster';
import { DOCKER_MGMT, FAST_TIMEOUTS } from '../test/workflow/support/configs';
import { InstantSite, OFFLINE_BUNDLES } from '../test/workflow/support/instant-site';

/**
 * A full create of a docker management cluster (external etcd, 1 control plane and 2 worker machines) on the
 * simulated site with instant controllers: the time is the workflow's own orchestration (programs answer at once,
 * controllers reconcile at once), and the API requests are those the workflow and its mover send. Also the re-run
 * of a finished create, which must change nothing. A table of requests and the slowest steps follows.
 */
const config = parseClusterConfig(DOCKER_MGMT, { file: 'dev.yaml' });
const options = { bundles: OFFLINE_BUNDLES, timeouts: { ...FAST_TIMEOUTS, controlPlaneMs: 60_000 } };
const done: InstantSite[] = [];
const samples: { name: string; requests: number; writes: number; steps: { step: string; ms: number }[] }[] =
  [];
let existing: InstantSite | undefined;

async function measuredCreate(sim: InstantSite, name: string): Promise<void> {
  const requestsBefore = sim.apiRequestCount();
  const opsBefore = sim.operations.length;
  sim.journal.clear();
  await createCluster(sim.site, config, options);
  samples.push({
    name,
    requests: sim.apiRequestCount() - requestsBefore,
    writes: sim.operations.slice(opsBefore).filter((o) => o.type === 'api').length,
    steps: sim.journal.entries.map((e) => ({ step: `${e.phase}/${e.step}`, ms: e.durationMs })),
  });
}

export const workflowBench: BenchModule = {
  title: 'workflow: create on the simulated site (instant controllers)',
  async setup() {
    existing = await InstantSite.create();
    await createCluster(existing.site, config, options);
  },
  cases: [
    {
      name: 'create: management cluster, docker, 1 CP + 2 workers + 1 etcd',
      iterations: 3,
      warmup: 1,
      async run() {
        const sim = await InstantSite.create();
        done.push(sim);
        await measuredCreate(sim, 'create');
      },
    },
    {
      name: 're-run of the finished create (no change)',
      iterations: 5,
      warmup: 1,
      run: () => measuredCreate(existing!, 're-run'),
    },
  ],
  async teardown() {
    for (const sim of done.splice(0)) await sim.close();
    await existing?.close();
    const rows = ['create', 're-run'].map((name) => {
      const of = samples.filter((s) => s.name === name);
      const mean = (f: (s: (typeof of)[number]) => number) =>
        (of.reduce((n, s) => n + f(s), 0) / of.length).toFixed(0);
      return `| ${name.padEnd(7)} | ${mean((s) => s.requests).padStart(12)} | ${mean((s) => s.writes).padStart(13)} |`;
    });
    console.log(
      [
        '| run     | API requests | of them writes |',
        '|---------|--------------|----------------|',
        ...rows,
        '',
      ].join('\n'),
    );
    const creates = samples.filter((s) => s.name === 'create');
    const byStep = new Map<string, number>();
    for (const s of creates) {
      for (const st of s.steps) byStep.set(st.step, (byStep.get(st.step) ?? 0) + st.ms / creates.length);
    }
    const slowest = [...byStep].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(
      [
        'slowest steps of a create (mean ms):',
        ...slowest.map(([step, ms]) => `  ${ms.toFixed(0).padStart(6)}  ${step}`),
        '',
      ].join('\n'),
    );
  },
};
