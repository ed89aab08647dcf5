/**
 * Bad input fails `pulumi preview` and `pulumi up` before anything is created, with the spec's messages: the
 * program validates the arguments before it registers anything; what needs the versions bundles is checked by the
 * first resource's `check`, which also runs before anything is created; a missing program stops the first phase in
 * its preflight.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SimulatedStack } from './support/simulated-stack';
import { EksaCluster, EksaClusterArgsError, resolveEksaClusterArgs } from '../../src/pulumi';
import { EngineRunError } from '../../src/testing';
import { config, DOCKER_MGMT, DOCKER_MGMT_GITOPS, DOCKER_WORKLOAD } from '../workflow/support/configs';

let stack: SimulatedStack;
let dir: string;
beforeEach(async () => {
  stack = await SimulatedStack.create();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-args-'));
});
afterEach(async () => {
  await stack.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const BAD = DOCKER_MGMT.replace('count: 1\n  datacenterRef', 'count: 0\n  datacenterRef').replace(
  'count: 2\n    name: md-0',
  'count: -1\n    name: md-0',
);

test('an invalid config file fails the preview with every problem, file, line and field; nothing is registered', async () => {
  const file = path.join(dir, 'bad.yaml');
  fs.writeFileSync(file, BAD);
  const error = await stack.engine
    .preview(() => {
      new EksaCluster('dev', stack.args({ config: file }));
    })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineRunError);
  const message = (error as Error).message;
  expect(message).toContain('EksaCluster dev: 2 problems; nothing was created');
  expect(message).toMatch(/bad\.yaml:\d+:\d+: spec\.controlPlaneConfiguration\.count: .* Fix: /);
  expect(message).toMatch(/bad\.yaml:\d+:\d+: spec\.workerNodeGroupConfigurations\[0\]\.count: .* Fix: /);
  // Not even the component: the arguments are checked before super().
  expect(stack.engine.resources().filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  expect(stack.sim.operations).toEqual([]);
});

test('a config file that does not parse, or does not exist, is named with what to do', () => {
  const file = path.join(dir, 'typo.yaml');
  fs.writeFileSync(file, DOCKER_MGMT.replace('kubernetesVersion', 'kubernetesVersoin'));
  expect(() => resolveEksaClusterArgs('dev', { config: file })).toThrow(
    /typo\.yaml:\d+:\d+: spec\.kubernetesVersoin: .*kubernetesVersion/,
  );
  expect(() => resolveEksaClusterArgs('dev', { config: path.join(dir, 'missing.yaml') })).toThrow(
    /missing\.yaml: .*cannot read the file \(ENOENT\)/,
  );
});

test('every problem with the other arguments is reported at once', () => {
  let error: unknown;
  try {
    resolveEksaClusterArgs('dev', {
      config: config(DOCKER_MGMT),
      contract: 'v1alpha4' as never,
      timeouts: { controlPlaneMs: -1, soonMs: 5 } as never,
      toolPaths: { kubectl: '/usr/bin/kubectl', kind: '' } as never,
      moveWith: 'rsync' as never,
      storageClasses: [{ kind: 'ConfigMap' }],
      gitOps: true,
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(EksaClusterArgsError);
  const problems = (error as EksaClusterArgsError).problems;
  expect(problems).toEqual([
    "contract: 'v1alpha4' is not a CAPI contract; give v1beta1 or v1beta2",
    expect.stringMatching(/timeouts\.controlPlaneMs: -1 is not a positive number.*timeouts\.soonMs: unknown/),
    'toolPaths.kubectl: not a program eksa-iac runs (it runs docker, kind, clusterctl, helm, flux)',
    'toolPaths.kind: give a path or a program name',
    "moveWith: 'rsync' is not a move method; give native or clusterctl",
    'storageClasses[0]: not a StorageClass object (kind: StorageClass)',
    'gitOps: true, but the config has no spec.gitOpsRef (a FluxConfig or GitOpsConfig) to bootstrap',
  ]);
});

test('a workload cluster needs its management cluster, the one its config names', () => {
  const workload = config(DOCKER_WORKLOAD, 'w1.yaml');
  expect(() => resolveEksaClusterArgs('w1', { config: workload })).toThrow(
    /managementCluster: the config names the management cluster dev/,
  );
  expect(() =>
    resolveEksaClusterArgs('w1', { config: workload, managementCluster: { name: 'prod', kubeconfig: 'x' } }),
  ).toThrow(/managementCluster: it is prod, but the config names dev/);
  expect(() =>
    resolveEksaClusterArgs('dev', {
      config: config(DOCKER_MGMT),
      managementCluster: { name: 'dev', kubeconfig: 'x' },
    }),
  ).toThrow(/given, but the config's cluster dev manages itself/);
  const resolved = resolveEksaClusterArgs('w1', {
    config: workload,
    managementCluster: { name: 'dev', kubeconfig: 'x' },
  });
  expect(resolved).toMatchObject({
    selfManaged: false,
    managementKubeconfig: 'x',
    gitOps: false,
    curatedPackages: true,
  });
  expect(resolveEksaClusterArgs('dev', { config: config(DOCKER_MGMT_GITOPS) }).gitOps).toBe(true);
});

test('a Kubernetes version the bundles do not have fails the first check: nothing is created', async () => {
  const old = config(
    DOCKER_MGMT.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.29"'),
    'old.yaml',
  );
  for (const run of [() => stack.engine.preview(program(old)), () => stack.engine.up(program(old))]) {
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineRunError);
    const message = (error as Error).message;
    expect(message).toContain("BootstrapCluster resource 'dev-bootstrap' has a problem");
    // File and field (the line is lost once the config crosses to the provider as JSON).
    expect(message).toMatch(
      /config: old\.yaml: spec\.kubernetesVersion: Kubernetes 1\.29 is not in the versions bundle.*Fix: /,
    );
  }
  expect(stack.engine.resources().filter((r) => r.custom)).toEqual([]);
  expect(stack.sim.operations).toEqual([]);
});

test('a site ref that names no registered site fails the check, saying it is a testing aid', async () => {
  const error = await stack.engine
    .preview(() => {
      new EksaCluster('dev', { ...stack.args({ config: config(DOCKER_MGMT) }), siteRef: 'nowhere' });
    })
    .catch((e: unknown) => e);
  expect((error as Error).message).toMatch(/site: ref 'nowhere' names no site registered in this process/);
  expect((error as Error).message).toContain('remove siteRef to run with the real tools');
});

test('a missing program stops pulumi up in the first preflight: nothing created, written or kept in state', async () => {
  stack.sim.missingTools.add('kind');
  const error = await stack.engine.up(program(config(DOCKER_MGMT))).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineRunError);
  const message = (error as Error).message;
  expect(message).toContain('BootstrapCluster of cluster dev: step validate failed');
  expect(message).toContain('kind: not found on PATH');
  // A plain failure, not a partial create: the engine keeps nothing, the next up starts afresh.
  expect(stack.engine.resources().filter((r) => r.custom)).toEqual([]);
  expect(stack.sim.operations.map((o) => (o.type === 'tool' ? `${o.program} ${o.verb}` : o.type))).toEqual([
    'preflight docker,kind,clusterctl,helm',
  ]);
  expect(stack.sim.filesWithModes().size).toBe(0);

  stack.sim.clearFaults();
  await stack.engine.up(program(config(DOCKER_MGMT)));
  expect(stack.engine.operations({ run: 2 })[0]).toBe('create BootstrapCluster dev-bootstrap');
});

function program(clusterConfig: ReturnType<typeof config>) {
  return () => {
    new EksaCluster('dev', stack.args({ config: clusterConfig }));
  };
}
