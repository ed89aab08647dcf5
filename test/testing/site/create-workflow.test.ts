/**
 * The create workflow (src/workflow) runs unchanged on the simulated site: `site.tools` are the library's real
 * wrappers over the simulated programs, `site.preflight` checks them, the workflow's own HTTP clients talk to the
 * simulated clusters, and the simulated providers provision the machines. Nothing here is a stand-in for the
 * workflow; the bundles and manifests are the offline inputs the workflow tests use.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { conditionOf, connect } from './fixture';
import type { KubeObject } from '../../../src/kube';
import type { FetchFunction } from '../../../src/spec/bundles/versions-bundles';
import { parseClusterConfig } from '../../../src/spec/parse';
import { createSimulatedSite, GENERATED_CRDS, SimulatedSite } from '../../../src/testing';
import { createCluster } from '../../../src/workflow/create-cluster';
import { createLocalSite, type Site } from '../../../src/workflow/site';
import { DOCKER_MGMT, FAST_TIMEOUTS } from '../../workflow/support/configs';
import { OFFLINE_BUNDLES } from '../../workflow/support/instant-site';

jest.setTimeout(300_000);

const NS = 'eksa-system';
const offline: FetchFunction = async (url) => ({
  ok: false,
  status: 404,
  statusText: `no network in tests (${url})`,
  text: async () => '',
});

/** The bundle's manifests as small stand-ins: EKS-A's CRDs and controller, EKS-D's Release CRD; the rest comments. */
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
  // Provider components, metadata, cert-manager: the simulated clusterctl only checks that the files exist.
  return `# ${uri} (stand-in)\n`;
}

let sim: SimulatedSite;
let workDir: string;
let site: Site;
const logLines: string[] = [];
beforeEach(async () => {
  sim = await createSimulatedSite();
  workDir = mkdtempSync(path.join(os.tmpdir(), 'sim-workflow-'));
  logLines.length = 0;
  const log = (level: string) => (line: string) => logLines.push(`${level} ${line}`);
  site = createLocalSite({
    workDir,
    env: {},
    tools: sim.tools,
    preflight: sim.preflight,
    fetch: offline,
    fetchText: async (uri) => manifestFor(uri),
    logger: { info: log('info'), warn: log('warn'), error: log('error'), debug: () => {} },
  });
});
afterEach(async () => {
  await sim.close();
  rmSync(workDir, { recursive: true, force: true });
});

const config = parseClusterConfig(DOCKER_MGMT, { file: 'dev.yaml' });
const options = { bundles: OFFLINE_BUNDLES, timeouts: { ...FAST_TIMEOUTS, controlPlaneMs: 60_000 } };
const firstWords = (commands: string[]) => commands.map((c) => c.split(' ').slice(0, 3).join(' '));

test('createCluster builds a self-managed docker cluster through the simulated programs and providers; a re-run changes nothing', async () => {
  await createCluster(site, config, options);
  expect(sim.errors).toEqual([]);
  // EKS-A's order (research/eksa.md A1): preflight, kind, clusterctl init on the bootstrap cluster, the workload
  // cluster's CNI, clusterctl init on it, the move (native, no clusterctl), bootstrap deleted, curated packages.
  expect(firstWords(sim.invocations.commands())).toEqual([
    'docker version --format',
    'kind version',
    'clusterctl version -o',
    'helm version --short',
    'kind get clusters',
    'kind create cluster',
    'clusterctl init --core',
    'docker port dev-lb',
    'helm template oci://public.ecr.aws/eks/cilium/cilium',
    'clusterctl init --core',
    'kind get clusters',
    'kind get kubeconfig',
    'kind delete cluster',
    'helm upgrade --install',
  ]);
  expect(sim.clusters().map((c) => `${c.type}/${c.name}`)).toEqual(['workload/dev']);
  expect(
    sim
      .containers()
      .map((c) => c.role)
      .sort(),
  ).toEqual(['load-balancer', 'machine', 'machine', 'machine', 'machine']);

  // The kubeconfig the workflow wrote reaches the cluster, which now manages itself.
  const kubeconfig = path.join(workDir, 'dev', 'dev-eks-a-cluster.kubeconfig');
  expect(statSync(kubeconfig).mode % 0o1000).toBe(0o600);
  const client = await connect({ file: kubeconfig });
  try {
    const cluster = await client.get({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      name: 'dev',
      namespace: NS,
    });
    expect(conditionOf(cluster, 'Available')).toBe('True');
    const machines = await client.list<KubeObject>('cluster.x-k8s.io/v1beta2', 'Machine', { namespace: NS });
    expect(machines).toHaveLength(4);
    const nodes = await client.list<KubeObject>('v1', 'Node');
    expect(nodes.map((n) => conditionOf(n, 'Ready'))).toEqual(['True', 'True', 'True']);
    expect((await client.list('cluster.x-k8s.io/v1beta2', 'Cluster', { namespace: NS })).length).toBe(1);
  } finally {
    client.close();
  }

  // A second create finds everything done: no kind cluster, no init, no move.
  const before = sim.invocations.commands().length;
  await createCluster(site, config, options);
  const again = firstWords(sim.invocations.commands().slice(before));
  expect(again.filter((c) => /^kind create|^kind delete|^clusterctl init|^helm upgrade/.test(c))).toEqual([]);
  expect(sim.errors).toEqual([]);
});

test('the site preflight reports a program the site was built without, before anything is created', async () => {
  await sim.close();
  sim = await createSimulatedSite({ missingPrograms: ['clusterctl'] });
  site = { ...site, tools: sim.tools, preflight: sim.preflight };
  const error = await createCluster(site, config, options).catch((e: unknown) => e);
  expect(String((error as Error).message)).toContain('clusterctl: not found on PATH (simulated site)');
  expect(sim.invocations.commands().filter((c) => !c.includes(' version'))).toEqual([]);
  expect(sim.clusters()).toEqual([]);
});

test('the site preflight checks versions as the real one does: too old, not working, and the highest minimum wins', async () => {
  const report = await sim.preflight([
    { tool: 'kind', reason: 'the bootstrap cluster' },
    { tool: 'kind', minVersion: 'v0.32.0', reason: 'Kubernetes 1.36' },
    { tool: 'clusterctl', minVersion: 'v9.0.0', reason: 'a future contract' },
    { tool: 'helm' },
  ]);
  expect(report.checks.map((c) => [c.tool, c.minVersion, c.version, c.ok])).toEqual([
    ['kind', 'v0.32.0', 'v0.32.0', true],
    ['clusterctl', 'v9.0.0', 'v1.13.2', false],
    ['helm', 'v3.8.0', 'v3.16.4+g7877b45', true],
  ]);
  expect(report.problems.map((p) => [p.kind, p.message, p.reasons])).toEqual([
    [
      'too-old',
      'clusterctl: found v1.13.2 (/simulated/bin/clusterctl), need v9.0.0 or newer',
      ['a future contract'],
    ],
  ]);

  sim.toolFaults.add({ program: 'helm', args: 'version', stderr: 'Error: exec format error' });
  const broken = await sim.preflight([{ tool: 'helm' }]);
  expect(broken.problems.map((p) => [p.kind, p.message.includes('exec format error')])).toEqual([
    ['not-working', true],
  ]);
  expect(sim.invocations.commands({ program: 'helm' })).toEqual([
    'helm version --short',
    'helm version --short',
  ]);
});
