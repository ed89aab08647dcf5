/**
 * A move stopped at every request index in turn (the simulated server stops answering from the Nth request on, as
 * if the process or the network died there), then re-run: the final state must equal a clean move's. Shared by the
 * two fault-injection test files (one per cluster, so that jest runs them in parallel).
 */
import { Objects, cluster, clusterExternalObject, fixtureCrds } from './fixtures';
import { FAST, type Site, newSite as startSite } from './site';

/**
 * The kinds the fixture uses, with permissive schemas: this sweep is about control flow (the other suites validate
 * against the real CAPI schemas), and every extra kind adds list requests to sweep and server start-up time.
 */
const KINDS_USED = new Set([
  'Cluster',
  'Machine',
  'MachineSet',
  'MachineDeployment',
  'GenericInfrastructureCluster',
  'GenericInfrastructureMachine',
  'GenericInfrastructureMachineTemplate',
  'GenericBootstrapConfig',
  'GenericBootstrapConfigTemplate',
  'GenericControlPlane',
  'GenericClusterExternalObject',
]);
const newSite = (objects: KubeObject[]) =>
  startSite(objects, {
    crds: fixtureCrds().filter((c) => KINDS_USED.has((c.spec as { names: { kind: string } }).names.kind)),
  });
import { PAUSED_ANNOTATION, PAUSED_BY_MOVE_ANNOTATION } from '../../../src/capi/move/constants';
import { moveClusterApi } from '../../../src/capi/move/move-cluster-api';
import type { KubeObject } from '../../../src/kube/types';

/** A control plane, a worker pool, user secrets, finalizers on the CAPI objects, and a global object. */
function fixture(): KubeObject[] {
  const objects = cluster('ns1', 'c1', {
    controlPlane: { name: 'c1-cp', machines: ['c1-cp-m1'] },
    machineDeployments: [{ name: 'c1-md', machineSets: [{ name: 'c1-ms', machines: ['c1-w1'] }] }],
    credentialSecret: true,
  });
  clusterExternalObject('shared-object', objects);
  return new Objects().add(
    ...objects.list.map((o) =>
      ['Cluster', 'Machine', 'MachineSet', 'MachineDeployment'].includes(o.kind)
        ? { ...o, metadata: { ...o.metadata, finalizers: [`${o.kind.toLowerCase()}.cluster.x-k8s.io`] } }
        : o,
    ),
  ).list;
}

/** What a cluster holds, comparable across runs: identity, content and owners by name (UIDs differ per server). */
function state(objects: readonly KubeObject[]): string[] {
  const byUid = new Map(objects.map((o) => [o.metadata.uid, o]));
  return objects
    .map((o) => {
      const { metadata, status: _status, ...rest } = o as KubeObject & { status?: unknown };
      const annotations = { ...(metadata.annotations ?? {}) };
      // The source-UID annotation differs per seeded source; its presence is what matters.
      if (annotations['move.eksa-iac.io/source-uid']) annotations['move.eksa-iac.io/source-uid'] = '<set>';
      return JSON.stringify({
        key: `${o.kind} ${metadata.namespace ?? ''}/${metadata.name}`,
        rest,
        labels: metadata.labels ?? {},
        annotations,
        finalizers: metadata.finalizers ?? [],
        deleting: Boolean(metadata.deletionTimestamp),
        owners: (metadata.ownerReferences ?? []).map((r) => {
          const owner = byUid.get(r.uid);
          return `${r.kind} ${r.name} ${owner ? `${owner.kind} ${owner.metadata.name}` : 'MISSING'} ${r.controller ?? ''}`;
        }),
      });
    })
    .sort();
}

const run = (site: Site) =>
  moveClusterApi({ from: site.from.client, to: site.to.client, namespace: 'ns1', retry: FAST });

async function reference() {
  const site = await newSite(fixture());
  await run(site);
  const result = {
    source: state(site.from.objects()),
    target: state(site.to.objects()),
    requests: { from: site.from.requests.length, to: site.to.requests.length },
  };
  await site.stop();
  return result;
}

/** Runs the sweep over every request index of one cluster and asserts each re-run ends like the clean move. */
export async function faultSweep(side: 'from' | 'to'): Promise<void> {
  const clean = await reference();
  // The clean move itself: everything in the target once, unpaused; only the global object left behind.
  expect(clean.source.map((s) => JSON.parse(s).key)).toEqual(['GenericClusterExternalObject /shared-object']);
  expect(clean.target).toHaveLength(fixture().length);
  for (const line of clean.target) {
    const o = JSON.parse(line) as {
      key: string;
      annotations: Record<string, string>;
      rest: { spec?: { paused?: boolean } };
    };
    expect([
      o.key,
      o.annotations[PAUSED_BY_MOVE_ANNOTATION],
      o.annotations[PAUSED_ANNOTATION],
      o.rest.spec?.paused,
    ]).toEqual([o.key, undefined, undefined, undefined]);
    expect(line).not.toContain('MISSING');
  }

  const total = clean.requests[side];
  expect(total).toBeGreaterThan(10);
  const failures: string[] = [];
  let interrupted = 0;
  for (let nth = 1; nth <= total; nth++) {
    const site = await newSite(fixture());
    site[side].fail({ nth, times: Infinity });
    const first = await run(site).then(
      () => 'completed',
      () => 'failed',
    );
    if (first === 'failed') interrupted++;
    site[side].clearFaults();
    try {
      await run(site);
      const source = state(site.from.objects());
      const target = state(site.to.objects());
      if (
        JSON.stringify(source) !== JSON.stringify(clean.source) ||
        JSON.stringify(target) !== JSON.stringify(clean.target)
      ) {
        const diff = (a: string[], b: string[]) =>
          a.filter((x) => !b.includes(x)).map((x) => JSON.parse(x).key);
        failures.push(
          `request ${nth}: source extra ${diff(source, clean.source)} missing ${diff(clean.source, source)}; ` +
            `target extra/different ${diff(target, clean.target)} missing/different ${diff(clean.target, target)}`,
        );
      }
    } catch (error) {
      failures.push(
        `request ${nth}: the re-run failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await site.stop();
  }
  expect(failures).toEqual([]);
  // Every index but the last few (after the move's work was done) really interrupted the first run.
  expect(interrupted).toBeGreaterThan(total * 0.8);
}

/**
 * A single failed request (503) at every fourth request index: the move's own retries (the tests' FAST backoffs; in
 * real use the client's) absorb it and the first run completes like a clean move. Every fourth index keeps the
 * suite's time in bounds; the crash sweep above covers every index.
 */
export async function transientSweep(side: 'from' | 'to'): Promise<void> {
  const clean = await reference();
  const failures: string[] = [];
  for (let nth = 1; nth <= clean.requests[side]; nth += 4) {
    const site = await newSite(fixture());
    site[side].fail({ nth, times: 1 });
    try {
      await run(site);
      if (JSON.stringify(state(site.to.objects())) !== JSON.stringify(clean.target)) {
        failures.push(`request ${nth}: target differs`);
      }
      if (JSON.stringify(state(site.from.objects())) !== JSON.stringify(clean.source)) {
        failures.push(`request ${nth}: source differs`);
      }
    } catch (error) {
      failures.push(`request ${nth}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await site.stop();
  }
  expect(failures).toEqual([]);
}
