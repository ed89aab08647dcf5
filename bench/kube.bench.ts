import type { BenchModule, BenchResult } from './harness';
import { formatTable } from './harness';
import { HttpKubeClient, KubeObject } from '../src/kube';
import { CustomResourceDefinition, SimulatedApiServer } from '../src/testing';

/**
 * The simulated API server and the client over loopback HTTPS (the server's default): request latency per verb, throughput with requests
 * in flight, and how fast a watch-based waitFor reacts to a change (from the server committing it to the wait
 * resolving). Target for waitFor: under 1 s, median well under 100 ms.
 */
let server: SimulatedApiServer;
let client: HttpKubeClient;
let counter = 0;
const reactions: number[] = [];
const throughput: { requests: number; ms: number }[] = [];

const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.bench.example' },
  spec: {
    group: 'bench.example',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  size: { type: 'integer' },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
} as unknown as CustomResourceDefinition;

const widget = (name: string, size = 1): KubeObject => ({
  apiVersion: 'bench.example/v1',
  kind: 'Widget',
  metadata: { name, namespace: 'default', labels: { bench: 'yes' } },
  spec: { size, labels: { a: 'b', c: 'd' } },
});

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

/** One waitFor reaction: open the wait, let its watch start, change the object, time commit → resolve. */
async function measureReaction(): Promise<number> {
  const name = `react-${counter++}`;
  await client.create({ ...widget(name), metadata: { name, namespace: 'writes' } });
  const watchesBefore = server.openWatchCount;
  let committedAt = 0;
  const off = server.onChange((event) => {
    if (event.object.metadata.name === name && event.object.status?.ready === true) {
      committedAt = performance.now();
    }
  });
  const waiting = client.waitFor(
    { apiVersion: 'bench.example/v1', kind: 'Widget', name, namespace: 'writes' },
    (o) => (o?.status as { ready?: boolean } | undefined)?.ready === true,
    {
      timeoutMs: 5000,
    },
  );
  while (server.openWatchCount <= watchesBefore) await new Promise((r) => setTimeout(r, 1));
  await client.mergePatch(
    { apiVersion: 'bench.example/v1', kind: 'Widget', name, namespace: 'writes' },
    { status: { ready: true } },
    { status: true },
  );
  await waiting;
  const resolvedAt = performance.now();
  off();
  return resolvedAt - committedAt;
}

export const kubeBench: BenchModule = {
  title: 'kube: simulated API server over loopback HTTPS, HttpKubeClient',
  async setup() {
    server = await SimulatedApiServer.start({ crds: [WIDGET_CRD], garbageCollection: true });
    client = await HttpKubeClient.connect({ kubeconfig: { yaml: server.kubeconfig() } });
    // Writes go to their own namespace so the LIST cases list exactly the 100 ConfigMaps of `default`.
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'writes' } });
    for (let i = 0; i < 100; i++) {
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, namespace: 'default', labels: { i: String(i % 10) } },
        data: { i: String(i) },
      });
    }
    await client.apply(widget('applied', 3));
  },
  async teardown() {
    const extra: BenchResult[] = [summarize('waitFor reaction: server commit → wait resolved', reactions)];
    console.log(formatTable('kube: waitFor reaction time', extra));
    const rates = throughput.map((t) => (t.requests / t.ms) * 1000).sort((a, b) => a - b);
    if (rates.length > 0) {
      const median = rates[Math.floor(rates.length / 2)];
      console.log(
        `throughput (400 GETs, 16 in flight, ${rates.length} runs): median ${median.toFixed(0)} requests/s, best ${rates[rates.length - 1].toFixed(0)}`,
      );
    }
    console.log('');
    client.close();
    await server.stop();
  },
  cases: [
    {
      name: 'GET a ConfigMap',
      iterations: 300,
      run: () => client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm-1', namespace: 'default' }),
    },
    {
      name: 'POST a ConfigMap',
      iterations: 300,
      run: () =>
        client.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `new-${counter++}`, namespace: 'writes' },
          data: { a: '1' },
        }),
    },
    {
      name: 'server-side apply, unchanged (no-op)',
      iterations: 300,
      run: () => client.apply(widget('applied', 3)),
    },
    {
      name: 'server-side apply, changed (validated CR)',
      iterations: 300,
      run: () => client.apply(widget('applied', counter++)),
    },
    {
      name: 'merge patch a CR',
      iterations: 300,
      run: () =>
        client.mergePatch(
          { apiVersion: 'bench.example/v1', kind: 'Widget', name: 'applied', namespace: 'default' },
          { spec: { size: counter++ } },
        ),
    },
    {
      name: 'LIST 100 ConfigMaps (one page)',
      iterations: 100,
      run: () => client.list('v1', 'ConfigMap', { namespace: 'default', labelSelector: 'i' }),
    },
    {
      name: 'LIST 100 ConfigMaps (pages of 10)',
      iterations: 50,
      run: () => client.list('v1', 'ConfigMap', { namespace: 'default', limit: 10 }),
    },
    {
      name: '400 GETs, 16 in flight',
      iterations: 10,
      run: async () => {
        const started = performance.now();
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < 400) {
            next++;
            await client.get({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              name: `cm-${next % 100}`,
              namespace: 'default',
            });
          }
        };
        await Promise.all(Array.from({ length: 16 }, worker));
        throughput.push({ requests: 400, ms: performance.now() - started });
      },
    },
    {
      name: 'waitFor: create, open wait, change, resolve',
      iterations: 100,
      run: async () => {
        reactions.push(await measureReaction());
      },
    },
  ],
};
