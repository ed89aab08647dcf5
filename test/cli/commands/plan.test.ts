/**
 * `eksa-iac plan -f NEW.yaml --kubeconfig LIVE` against running clusters (the workflow tests' simulated site:
 * simulated API servers over HTTPS, reached by the CLI's real HTTP client from the kubeconfig file). The expected
 * lines follow the issue's examples (`control plane: 3 machines v1.30 → v1.31`, `md-0: 2 machines`) and the
 * upgrade order (etcd, control plane, workers).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createCluster } from '../../../src/workflow/create-cluster';
import { filesUnder, runCli, tempDir } from '../../helpers/cli-runner';
import { config, DOCKER_MGMT, DOCKER_WORKLOAD, FAST_TIMEOUTS } from '../../workflow/support/configs';
import { InstantSite, OFFLINE_BUNDLES } from '../../workflow/support/instant-site';

const bundleArgs = [
  '--bundles',
  OFFLINE_BUNDLES.bundles,
  ...OFFLINE_BUNDLES.eksdReleases.flatMap((f) => ['--eksd-release', f]),
];
const V134 = DOCKER_MGMT.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.34"');

let sim: InstantSite;
let kubeconfig: string;
let dir: { dir: string; remove: () => void };
beforeAll(async () => {
  sim = await InstantSite.create();
  const created = await createCluster(sim.site, config(DOCKER_MGMT), {
    bundles: OFFLINE_BUNDLES,
    timeouts: FAST_TIMEOUTS,
  });
  kubeconfig = created.kubeconfig;
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  dir = tempDir('plan');
  writeFileSync(path.join(dir.dir, 'live.kubeconfig'), kubeconfig, { mode: 0o600 });
});
afterEach(() => dir.remove());

/** Every object of the cluster with its uid, generation and annotations: a plan must change none. */
function snapshot(): Map<string, string> {
  const server = sim.cluster('dev')!;
  return new Map(
    [...server.engine.store.entries()].map((e) => [
      `${e.key} ${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`,
      `${e.object.metadata.uid} ${e.object.metadata.generation} ${JSON.stringify(e.object.metadata.annotations ?? {})}`,
    ]),
  );
}

async function plan(yaml: string, ...extra: string[]) {
  writeFileSync(path.join(dir.dir, 'new.yaml'), yaml);
  return runCli(['plan', '-f', 'new.yaml', '--kubeconfig', 'live.kubeconfig', ...bundleArgs, ...extra], {
    cwd: dir.dir,
  });
}

test('a kubernetesVersion change: etcd, the control plane, then md-0 roll, printed from the live cluster, which is left unchanged', async () => {
  const before = snapshot();
  const run = await plan(V134);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('Plan for cluster dev (its CAPI objects read from the cluster itself):');
  expect(lines.slice(1)).toEqual([
    expect.stringMatching(/^ {2}etcd: 1 machine roll .*etcd 3\.5\.\d+ → 3\.6\.\d+/),
    expect.stringMatching(/^ {2}control plane: 1 machine roll v1\.33 → v1\.34/),
    expect.stringMatching(/^ {2}md-0: 2 machines roll v1\.33 → v1\.34/),
  ]);
  expect(snapshot()).toEqual(before);
  // Nothing written beside the inputs.
  expect(filesUnder(dir.dir)).toEqual(['live.kubeconfig', 'new.yaml']);
});

test('the config the cluster runs: nothing to roll; --detailed-exitcode tells the two apart', async () => {
  const same = await plan(DOCKER_MGMT, '--detailed-exitcode');
  expect(same.stdout).toContain('\n  nothing to roll\n');
  expect(same.code).toBe(0);
  const changed = await plan(V134, '--detailed-exitcode');
  expect(changed.code).toBe(2);
  const scaled = await plan(
    DOCKER_MGMT.replace('  - count: 2\n    name: md-0', '  - count: 4\n    name: md-0'),
    '--json',
  );
  expect(scaled.code).toBe(0);
  const json = JSON.parse(scaled.stdout) as { cluster: string; groups: unknown[]; rolls: boolean };
  expect(json.cluster).toBe('dev');
  expect(json.groups).toEqual([
    expect.objectContaining({ name: 'md-0', action: 'scale', previousMachines: 2, machines: 4 }),
  ]);
});

test('an immutable field (the pods CIDR): the replacement and its reason printed, exit 1', async () => {
  const run = await plan(DOCKER_MGMT.replace('cidrBlocks: [192.168.0.0/16]', 'cidrBlocks: [10.244.0.0/16]'));
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(
    /\n {2}replace: .*spec\.clusterNetwork\.pods\.cidrBlocks.*pods CIDR cannot change/,
  );
  expect(run.stderr).toMatch(/cluster dev cannot be upgraded in place to new\.yaml/);
});

test("a workload cluster is planned through its management cluster (the kubeconfig given is the manager's)", async () => {
  await createCluster(sim.site, config(DOCKER_WORKLOAD, 'w1.yaml'), {
    bundles: OFFLINE_BUNDLES,
    timeouts: FAST_TIMEOUTS,
    managementKubeconfig: kubeconfig,
  });
  const run = await plan(DOCKER_WORKLOAD.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.34"'));
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/^Plan for cluster w1 \(its CAPI objects read from its management cluster\):\n/);
  expect(run.stdout).toMatch(
    / {2}control plane: 1 machine roll v1\.33 → v1\.34.*\n {2}md-0: 1 machine roll v1\.33 → v1\.34/s,
  );
});

test('usage and input errors: missing options (2), an unreadable kubeconfig (1)', async () => {
  const missing = await runCli(['plan', '-f', 'new.yaml'], { cwd: dir.dir });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/--kubeconfig FILE is required/);
  writeFileSync(path.join(dir.dir, 'new.yaml'), V134);
  const unreadable = await runCli(['plan', '-f', 'new.yaml', '--kubeconfig', 'nope', ...bundleArgs], {
    cwd: dir.dir,
  });
  expect(unreadable.code).toBe(1);
  expect(unreadable.stderr).toMatch(/nope: cannot read the kubeconfig: ENOENT/);
});
