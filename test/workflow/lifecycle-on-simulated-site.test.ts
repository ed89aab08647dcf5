/**
 * Upgrade and delete on the project's simulated site (src/testing: the library's real tool wrappers over simulated
 * programs, simulated CAPI/KCP/etcdadm/CAPD providers that roll machines within maxSurge and delete through
 * finalizers): an in-place Kubernetes upgrade replaces every machine with one of the new version, and the seed's
 * delete leaves no cluster and no container. The instant site of the other workflow tests is not involved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { config, DOCKER_MGMT, FAST_TIMEOUTS } from './support/configs';
import { OFFLINE_BUNDLES } from './support/instant-site';
import { HttpKubeClient } from '../../src/kube/client';
import type { KubeObject } from '../../src/kube/types';
import type { FetchFunction } from '../../src/spec/bundles/versions-bundles';
import { createSimulatedSite, GENERATED_CRDS, type SimulatedSite } from '../../src/testing';
import { createCluster } from '../../src/workflow/create-cluster';
import { deleteCluster } from '../../src/workflow/delete-cluster';
import { createLocalSite, type Site } from '../../src/workflow/site';
import { upgradeCluster } from '../../src/workflow/upgrade-cluster';

jest.setTimeout(300_000);

const NS = 'eksa-system';
const offline: FetchFunction = async (url) => ({
  ok: false,
  status: 404,
  statusText: `no network in tests (${url})`,
  text: async () => '',
});

/** EKS-A's CRDs and controller, EKS-D's Release CRD; the provider manifests only need to exist. */
function manifestFor(uri: string): string {
  const docs = (objects: object[]) => objects.map((o) => `---\n${stringify(o)}`).join('');
  if (uri.endsWith('eksa-components.yaml')) {
    return docs([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      ...GENERATED_CRDS.filter((c) => c.spec.group === 'anywhere.eks.amazonaws.com'),
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'eksa-controller-manager', namespace: NS },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'eksa' } },
          template: {
            metadata: { labels: { app: 'eksa' } },
            spec: { containers: [{ name: 'manager', image: 'eksa:sim' }] },
          },
        },
      },
    ]);
  }
  if (uri.includes('releases.distro.eks.amazonaws.com')) {
    return docs([
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'releases.distro.eks.amazonaws.com' },
        spec: {
          group: 'distro.eks.amazonaws.com',
          scope: 'Namespaced',
          names: { plural: 'releases', singular: 'release', kind: 'Release', listKind: 'ReleaseList' },
          versions: [
            {
              name: 'v1alpha1',
              served: true,
              storage: true,
              subresources: { status: {} },
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      },
    ]);
  }
  return `# ${uri} (stand-in)\n`;
}

let sim: SimulatedSite;
let workDir: string;
let site: Site;
beforeEach(async () => {
  sim = await createSimulatedSite();
  workDir = mkdtempSync(path.join(os.tmpdir(), 'sim-lifecycle-'));
  site = createLocalSite({
    workDir,
    env: {},
    tools: sim.tools,
    preflight: sim.preflight,
    fetch: offline,
    fetchText: async (uri) => manifestFor(uri),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
});
afterEach(async () => {
  await sim.close();
  rmSync(workDir, { recursive: true, force: true });
});

const options = { bundles: OFFLINE_BUNDLES, timeouts: { ...FAST_TIMEOUTS, controlPlaneMs: 60_000 } };
// The simulated helm renders Cilium with its own images and the site runs no DaemonSet controller, so Cilium's
// upgrade (its preflight DaemonSet) cannot run there: this cluster keeps Cilium as installed (skipUpgrade).
const MGMT = DOCKER_MGMT.replace('      cilium: {}', '      cilium:\n        skipUpgrade: true');
const V134 = MGMT.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.34"');

test('an in-place upgrade rolls every machine to the new version; the delete leaves no cluster and no container', async () => {
  await createCluster(site, config(MGMT), options);
  const client = await HttpKubeClient.connect({
    kubeconfig: { file: path.join(workDir, 'dev', 'dev-eks-a-cluster.kubeconfig') },
  });
  try {
    const machines = async () =>
      (await client.list<KubeObject>('cluster.x-k8s.io/v1beta2', 'Machine', { namespace: NS })).map(
        (m) => `${m.metadata.name} ${(m.spec as { version?: string }).version ?? 'etcd'}`,
      );
    const before = await machines();
    expect(before).toHaveLength(4);

    const result = await upgradeCluster(site, config(MGMT), config(V134), options);
    expect(result.rolled).toBe(true);
    expect(sim.errors).toEqual([]);
    const after = await machines();
    // Every control plane and worker machine was replaced by one running v1.34; none of the old ones is left.
    const kube = after.filter((m) => !m.endsWith(' etcd'));
    expect(kube).toHaveLength(3);
    for (const m of kube) expect(m).toMatch(/ v1\.34/);
    expect(after.filter((m) => before.includes(m) && !m.endsWith(' etcd'))).toEqual([]);
  } finally {
    client.close();
  }

  const deleted = await deleteCluster(site, config(V134), options);
  expect(deleted.state).toBe('deleted');
  // A simulated controller may lose a race with the garbage collector (a status write to an object just deleted):
  // 404s during the delete are the controllers' own, and they retry; nothing else may fail.
  expect(sim.errors.filter((e) => !/404 NotFound/.test(e.message))).toEqual([]);
  expect(sim.clusters()).toEqual([]);
  expect(sim.containers()).toEqual([]);
});
