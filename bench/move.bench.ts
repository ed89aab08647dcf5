import { formatTable, type BenchModule, type BenchResult } from './harness';
import { moveClusterApi } from '../src/capi/move';
import type { KubeObject } from '../src/kube';
import { Objects, cluster } from '../test/capi/move/fixtures';
import { type Site, type SiteRequest, newSite } from '../test/capi/move/site';

/**
 * `moveClusterApi` between two simulated API servers over loopback HTTP, with about 1,000 objects: four Clusters,
 * each with a control plane of 3 Machines and a worker pool of 57, every Machine with its infrastructure machine,
 * bootstrap config and data Secret; finalizers on Clusters, MachineDeployments, MachineSets and Machines.
 * Requests are counted from the servers' request logs. Target: at most 3 writes per object, plus one list per
 * type and namespace.
 */
const CLUSTERS = 4;
const WORKERS = 57;
const RUNS = 3;

function fixture(): KubeObject[] {
  const objects = new Objects();
  for (let c = 1; c <= CLUSTERS; c++) {
    const name = `c${c}`;
    cluster(
      'eksa-system',
      name,
      {
        controlPlane: { name: `${name}-cp`, machines: [1, 2, 3].map((i) => `${name}-cp-${i}`) },
        machineDeployments: [
          {
            name: `${name}-md`,
            machineSets: [
              { name: `${name}-ms`, machines: Array.from({ length: WORKERS }, (_, i) => `${name}-w-${i}`) },
            ],
          },
        ],
      },
      objects,
    );
  }
  const withFinalizers = new Set(['Cluster', 'MachineDeployment', 'MachineSet', 'Machine']);
  return objects.list.map((o) =>
    withFinalizers.has(o.kind)
      ? { ...o, metadata: { ...o.metadata, finalizers: [`${o.kind.toLowerCase()}.cluster.x-k8s.io`] } }
      : o,
  );
}

interface Run {
  readonly ms: number;
  readonly objects: number;
  readonly types: number;
  readonly from: readonly SiteRequest[];
  readonly to: readonly SiteRequest[];
}

const runs: Run[] = [];
const dryRuns: number[] = [];

const count = (requests: readonly SiteRequest[], verbs: readonly string[]) =>
  requests.filter((r) => verbs.includes(r.verb)).length;
const WRITES = ['create', 'update', 'patch', 'delete'];

async function measure(dryRun: boolean): Promise<void> {
  const objects = fixture();
  const site: Site = await newSite(objects);
  try {
    const started = performance.now();
    const result = await moveClusterApi({
      from: site.from.client,
      to: site.to.client,
      namespace: 'eksa-system',
      dryRun,
      concurrency: 8,
    });
    const ms = performance.now() - started;
    if (dryRun) {
      dryRuns.push(ms);
      return;
    }
    if (site.to.objects().length !== objects.length || site.from.objects().length !== 0) {
      throw new Error(`the bench move is incomplete: ${result.summary}`);
    }
    const types = new Set(site.from.requests.filter((r) => r.verb === 'list').map((r) => r.kind)).size;
    runs.push({ ms, objects: objects.length, types, from: site.from.requests, to: site.to.requests });
  } finally {
    await site.stop();
  }
}

function summarize(name: string, samples: readonly number[]): BenchResult {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    name,
    iterations: sorted.length,
    meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    p50Ms: sorted[Math.floor(sorted.length * 0.5)],
    p95Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))],
  };
}

function requestTable(run: Run): string {
  const rows: string[][] = [['requests', 'source', 'target', 'total', 'per object']];
  const add = (label: string, verbs: string[]) => {
    const from = count(run.from, verbs);
    const to = count(run.to, verbs);
    rows.push([label, String(from), String(to), String(from + to), ((from + to) / run.objects).toFixed(3)]);
  };
  add('writes (create, update, patch, delete)', WRITES);
  add('lists', ['list']);
  add('gets', ['get']);
  add('API discovery', ['discovery']);
  add('all', [...WRITES, 'list', 'get', 'discovery']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const writes = count(run.from, WRITES) + count(run.to, WRITES);
  const lists = count(run.from, ['list']) + count(run.to, ['list']);
  const budget = 3 * run.objects + run.types;
  return [
    `## capi/move: API requests of one move of ${run.objects} objects (${run.types} kinds listed, 1 namespace)`,
    '',
    line(rows[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
    '',
    `writes per object: ${(writes / run.objects).toFixed(3)} (target ≤ 3); lists: ${lists}, ` +
      `${(lists / run.types).toFixed(2)} per kind and namespace (target 1); ` +
      `writes + lists: ${writes + lists} against a budget of 3 × ${run.objects} + ${run.types} = ${budget}`,
    '',
  ].join('\n');
}

export const moveBench: BenchModule = {
  title: 'capi/move: moveClusterApi between two simulated API servers',
  async teardown() {
    console.log(
      formatTable('capi/move: time per move (source seeding excluded)', [
        summarize(
          `move ${runs[0]?.objects ?? 0} objects, 4 clusters, concurrency 8`,
          runs.map((r) => r.ms),
        ),
        summarize('dry run (discover, check, plan)', dryRuns),
      ]),
    );
    if (runs[0]) console.log(requestTable(runs[0]));
  },
  cases: [
    { name: `move ~1,000 objects (${RUNS} runs)`, iterations: RUNS, warmup: 0, run: () => measure(false) },
    { name: `dry run ~1,000 objects (${RUNS} runs)`, iterations: RUNS, warmup: 0, run: () => measure(true) },
  ],
};
