import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import type { BenchModule } from './harness';
import { resolveClusterBundles, synthesizeCluster, type KubeObject } from '../src/manifests';
import { readClusterConfig, setClusterDefaults, type ClusterConfig } from '../src/spec';
import { loadVersionsBundles, type ResolvedVersionsBundle } from '../src/spec/bundles';

const ROOT = path.resolve(__dirname, '..');
const BUNDLES_DIR = path.resolve(ROOT, '../shared/bundles');
const BUNDLES = path.join(BUNDLES_DIR, 'main-bundle-release.yaml');
const EKSD = path.join(BUNDLES_DIR, 'kubernetes-1-36-eks-6.yaml');
const QUICKSTART = path.join(ROOT, 'examples/quickstart/cluster.yaml');

/** The quick start cluster reshaped: `cp` control plane nodes, external etcd 3, `groups` worker groups. */
function clusterWith(cp: number, groups: number): ClusterConfig {
  const parsed = readClusterConfig(readFileSync(QUICKSTART, 'utf8'), { file: QUICKSTART });
  const base = parsed.config!;
  const spec = base.cluster.spec;
  return setClusterDefaults({
    ...base,
    cluster: {
      ...base.cluster,
      spec: {
        ...spec,
        controlPlaneConfiguration: { ...spec.controlPlaneConfiguration, count: cp },
        externalEtcdConfiguration: { count: 3 },
        workerNodeGroupConfigurations: Array.from({ length: groups }, (_, i) => ({
          name: `md-${i}`,
          count: 2,
          labels: { pool: `p${i}` },
        })),
      },
    },
  });
}

let bundles: ResolvedVersionsBundle[] = [];
const typical = clusterWith(3, 2);
const wide = clusterWith(3, 200);
// What one synthesis yields (EKS-A and CAPI objects): the objects bare cdk8s renders for the comparison.
let typicalObjects: readonly KubeObject[] = [];
let wideObjects: readonly KubeObject[] = [];

/** Our synthesis, objects only (what bare cdk8s is compared with). */
function oursObjects(config: ClusterConfig): unknown {
  const r = synthesizeCluster({ config, bundles });
  return [r.eksaObjects, r.capiObjects];
}

/** Bare cdk8s: the same objects as plain ApiObjects in a chart, rendered. The baseline synthesis is held to. */
function bareCdk8s(objects: readonly KubeObject[]): unknown {
  const chart = new Chart(new App(), 'bare', { disableResourceNameHashes: true });
  objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
  return chart.toJson();
}

/** Peak RSS (MiB) and wall time of one process running `args`, measured inside the child at exit. */
function processRun(args: readonly string[]): { ms: number; peakMiB: number; code: number | null } {
  const preload = path.join(__dirname, 'report-peak-rss.js');
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--require', preload, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, EKSA_IAC_OFFLINE: '1', EKSA_IAC_CACHE_DIR: '/nonexistent-eksa-iac-cache' },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const match = /PEAK_RSS_KIB=(\d+)/.exec(run.stderr);
  return { ms, peakMiB: match ? Number(match[1]) / 1024 : NaN, code: run.status };
}

const SYNTH_ARGS = [
  'bin/eksa-iac',
  'synth',
  '-f',
  QUICKSTART,
  '--bundles',
  BUNDLES,
  '--eksd-release',
  EKSD,
  '--out',
  path.join(ROOT, 'out', 'bench'),
];

/** Synthesis of EKS-A and CAPI objects (after module load), against bare cdk8s, and the CLI as a process. */
export const manifestsBench: BenchModule = {
  title: 'manifests: synthesis and CLI cold start',
  async setup() {
    const versionsBundles = await loadVersionsBundles({
      bundles: BUNDLES,
      eksdReleases: [EKSD],
      offline: true,
      env: {},
    });
    bundles = await resolveClusterBundles(typical, versionsBundles);
    const objectsOf = (config: ClusterConfig) => {
      const r = synthesizeCluster({ config, bundles });
      return [...r.eksaObjects, ...r.capiObjects];
    };
    typicalObjects = objectsOf(typical);
    wideObjects = objectsOf(wide);
    console.log(
      `typical: ${typicalObjects.length} objects (EKS-A + CAPI); 200 groups: ${wideObjects.length} objects\n`,
    );
  },
  cases: [
    {
      name: 'synth typical (3 CP, etcd 3, 2 groups), objects only',
      iterations: 50,
      warmup: 5,
      run: () => oursObjects(typical),
    },
    {
      name: 'synth typical (3 CP, etcd 3, 2 groups), objects + YAML',
      iterations: 50,
      warmup: 5,
      run: () => {
        const r = synthesizeCluster({ config: typical, bundles });
        return [r.eksaYaml(), r.capiYaml()];
      },
    },
    {
      name: 'bare cdk8s, same typical objects',
      iterations: 50,
      warmup: 5,
      run: () => bareCdk8s(typicalObjects),
    },
    {
      name: 'synth 200 worker groups, objects only',
      iterations: 10,
      warmup: 2,
      run: () => oursObjects(wide),
    },
    {
      name: 'synth 200 worker groups, objects + YAML',
      iterations: 10,
      warmup: 2,
      run: () => {
        const r = synthesizeCluster({ config: wide, bundles });
        return [r.eksaYaml(), r.capiYaml()];
      },
    },
    {
      name: 'bare cdk8s, same 200-group objects',
      iterations: 10,
      warmup: 2,
      run: () => bareCdk8s(wideObjects),
    },
    {
      name: 'process: bin/eksa-iac --help',
      iterations: 5,
      warmup: 1,
      run: () => processRun(['bin/eksa-iac', '--help']),
    },
    {
      name: 'process: bin/eksa-iac synth quickstart (with --bundles)',
      iterations: 5,
      warmup: 1,
      run: () => processRun(SYNTH_ARGS),
    },
  ],
  teardown() {
    printAlternatingComparison();
    // Peak memory of whole processes: module load + one synthesis (the harness reports per-iteration heap only).
    const lib = path.join(ROOT, 'lib');
    const once = (groups: number) => [
      '-e',
      `const m=require(${JSON.stringify(`${lib}/manifests`)});const s=require(${JSON.stringify(`${lib}/spec`)});` +
        `(async()=>{const c=${JSON.stringify(groups === 2 ? typical : wide)};` +
        `const vb=await s.loadVersionsBundles({bundles:${JSON.stringify(BUNDLES)},eksdReleases:[${JSON.stringify(EKSD)}],offline:true,env:{}});` +
        `const r=m.synthesizeCluster({config:c,bundles:await m.resolveClusterBundles(c,vb)});r.capiYaml();r.eksaYaml();})()`,
    ];
    const rows = [
      ['process', 'wall ms', 'peak RSS MiB'],
      ...(
        [
          ['load + synth typical', once(2)],
          ['load + synth 200 groups', once(200)],
          ['bin/eksa-iac --help', ['bin/eksa-iac', '--help']],
          ['bin/eksa-iac synth quickstart', SYNTH_ARGS],
        ] as const
      ).map(([name, args]) => {
        const r = processRun(args);
        if (r.code !== 0) throw new Error(`${name} exited ${r.code}`);
        return [name, r.ms.toFixed(0), r.peakMiB.toFixed(1)];
      }),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    const line = (row: readonly string[]) =>
      `| ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
    console.log(
      [
        '## manifests: peak memory (one process each)',
        '',
        line(rows[0]),
        line(widths.map((w) => '-'.repeat(w))),
        ...rows.slice(1).map(line),
        '',
      ].join('\n'),
    );
  },
};

/** Median of `times` (ms). */
function median(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Ours against bare cdk8s for the same objects, one run of each in turn, so both see the same machine load (the
 * machine is shared; separate case tables drift with it). Prints the medians and their ratio (target ≤ 1.5).
 */
function printAlternatingComparison(): void {
  const pairs = [
    ['typical', () => oursObjects(typical), () => bareCdk8s(typicalObjects), typicalObjects.length, 60],
    ['200 worker groups', () => oursObjects(wide), () => bareCdk8s(wideObjects), wideObjects.length, 30],
  ] as const;
  const rows = [
    ['objects only, alternating', 'objects', 'rounds', 'ours p50 ms', 'bare p50 ms', 'ours / bare'],
  ];
  for (const [name, ours, bare, count, rounds] of pairs) {
    for (let i = 0; i < 3; i++) {
      ours();
      bare();
    }
    const oursMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let start = process.hrtime.bigint();
      ours();
      oursMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      start = process.hrtime.bigint();
      bare();
      bareMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const [o, b] = [median(oursMs), median(bareMs)];
    rows.push([name, String(count), String(rounds), o.toFixed(2), b.toFixed(2), (o / b).toFixed(2)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(
    [
      `## manifests: ours vs bare cdk8s (load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
      '',
      line(rows[0]),
      line(widths.map((w) => '-'.repeat(w))),
      ...rows.slice(1).map(line),
      '',
    ].join('\n'),
  );
}
