// Runs every benchmark module and prints one table per module. Add a module: write bench/<area>.bench.ts exporting
// a BenchModule and list it below. Run with `npm run bench` (or pass module titles to filter:
// `node --expose-gc -r ts-node/register bench/main.ts bundles`).
import { bundlesBench } from './bundles.bench';
import { formatTable, runCase, type BenchModule } from './harness';
import { kubeBench } from './kube.bench';
import { lifecycleBench } from './lifecycle.bench';
import { manifestsBench } from './manifests.bench';
import { moveBench } from './move.bench';
import { siteBench } from './site.bench';
import { specBench } from './spec.bench';
import { vsphereBench } from './vsphere.bench';
import { workflowBench } from './workflow.bench';

const MODULES: readonly BenchModule[] = [
  bundlesBench,
  specBench,
  manifestsBench,
  vsphereBench,
  kubeBench,
  moveBench,
  siteBench,
  workflowBench,
  lifecycleBench,
];

async function main(filters: readonly string[]): Promise<void> {
  const selected = MODULES.filter((m) => filters.length === 0 || filters.some((f) => m.title.includes(f)));
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}\n`);
  for (const module of selected) {
    await module.setup?.();
    try {
      const results = [];
      for (const c of module.cases) results.push(await runCase(c));
      console.log(formatTable(module.title, results));
    } finally {
      await module.teardown?.();
    }
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
