/**
 * A small benchmark harness: a module is a titled list of cases; each case runs a few warm-up rounds, then timed
 * iterations, and reports time per iteration and the heap it retains. `bench/main.ts` runs every module and prints
 * one table per module.
 */
export interface BenchCase {
  readonly name: string;
  /** Timed iterations. @default 20 */
  readonly iterations?: number;
  /** Untimed rounds before timing. @default 2 */
  readonly warmup?: number;
  run(): unknown;
}

export interface BenchModule {
  readonly title: string;
  readonly cases: readonly BenchCase[];
  /** Runs once before the cases (e.g. to create fixtures); its result is not timed. */
  setup?(): Promise<void> | void;
  teardown?(): Promise<void> | void;
}

export interface BenchResult {
  readonly name: string;
  readonly iterations: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Heap still in use after the timed iterations and a GC, relative to before (needs --expose-gc). */
  readonly retainedKiB?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

export async function runCase(c: BenchCase): Promise<BenchResult> {
  const iterations = c.iterations ?? 20;
  for (let i = 0; i < (c.warmup ?? 2); i++) await c.run();
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const times: number[] = [];
  const kept: unknown[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    kept.push(await c.run());
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  gc?.();
  // Results are kept alive until here so the heap figure shows what one iteration's result costs.
  const retained = gc ? (process.memoryUsage().heapUsed - heapBefore) / 1024 / iterations : undefined;
  kept.length = 0;
  times.sort((a, b) => a - b);
  return {
    name: c.name,
    iterations,
    meanMs: times.reduce((a, b) => a + b, 0) / iterations,
    p50Ms: times[Math.floor(iterations * 0.5)],
    p95Ms: times[Math.min(iterations - 1, Math.floor(iterations * 0.95))],
    ...(retained !== undefined ? { retainedKiB: retained } : {}),
  };
}

export function formatTable(title: string, results: readonly BenchResult[]): string {
  const rows = [
    ['case', 'iterations', 'mean ms', 'p50 ms', 'p95 ms', 'retained KiB/iter'],
    ...results.map((r) => [
      r.name,
      String(r.iterations),
      r.meanMs.toFixed(2),
      r.p50Ms.toFixed(2),
      r.p95Ms.toFixed(2),
      r.retainedKiB === undefined ? 'n/a (no --expose-gc)' : r.retainedKiB.toFixed(0),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  return [
    `## ${title}`,
    '',
    line(rows[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
    '',
  ].join('\n');
}
