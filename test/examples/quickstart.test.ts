/**
 * examples/quickstart, the program the root Pulumi.yaml runs, through `pulumi up` on the simulated site (so that
 * the example cannot rot): the cluster of examples/quickstart/cluster.yaml is created, a second up does nothing,
 * and its stack outputs are the cluster's, the kubeconfig secret.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { quickstart } from '../../examples/quickstart/program';
import { SimulatedStack } from '../pulumi/support/simulated-stack';

const ROOT = path.resolve(__dirname, '../..');

let stack: SimulatedStack;
beforeEach(async () => {
  stack = await SimulatedStack.create();
});
afterEach(async () => {
  await stack.close();
});

test('the quickstart program creates the example docker cluster with pulumi up, and a second up does nothing', async () => {
  const { sim, engine } = stack;
  // The example's own config (its cluster.yaml); the simulated site's bundles, waits and ref.
  const { config: _ours, ...args } = stack.args({ config: 'examples/quickstart/cluster.yaml' });
  const program = () => quickstart(args).outputs;
  const result = await engine.up(program);
  expect(engine.operations()).toEqual([
    'create BootstrapCluster quickstart-bootstrap',
    'create CapiProviders quickstart-capi-providers',
    'create WorkloadCluster quickstart-workload',
    'create ManagementMove quickstart-move',
    'create EksaComponents quickstart-eksa-components',
    'create ClusterConfigFiles quickstart-config-files',
    'create BootstrapCleanup quickstart-bootstrap-cleanup',
    'create CuratedPackages quickstart-packages',
  ]);
  // The cluster of the example's file: its config is the file's (read relative to the working directory).
  const state = engine.resource('quickstart-workload')!;
  expect(state.inputs.config).toMatchObject({ file: 'examples/quickstart/cluster.yaml' });
  const yaml = parseAllDocuments(
    fs.readFileSync(path.join(ROOT, 'examples/quickstart/cluster.yaml'), 'utf8'),
  )[0].toJS() as {
    spec: { kubernetesVersion: string };
  };
  expect(state.inputs.config).toMatchObject({
    cluster: { spec: { kubernetesVersion: yaml.spec.kubernetesVersion } },
  });
  expect(stack.workDirs).toEqual(new Set(['out']));

  expect(result.outputs).toMatchObject({ clusterName: 'quickstart', kubeconfig: '[secret]' });
  expect(result.outputs?.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(result.outputs?.kubeconfigPath).toBe(
    path.join(sim.workDir, 'quickstart/quickstart-eks-a-cluster.kubeconfig'),
  );
  expect(sim.filesWithModes().get('quickstart/quickstart-eks-a-cluster.kubeconfig')).toBe(0o600);
  expect(sim.kindClusters()).toEqual([]);

  await engine.up(program);
  expect(engine.operations({ run: 2 }).every((o) => o.startsWith('same '))).toBe(true);
});

test('the root Pulumi.yaml runs the quickstart on a local file backend, type-checked with the examples tsconfig', () => {
  const project = parse(fs.readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8')) as {
    runtime: { name: string; options: { typescript: boolean; tsconfig: string } };
    main: string;
    backend: { url: string };
  };
  expect(project.runtime.name).toBe('nodejs');
  expect(fs.existsSync(path.join(ROOT, project.main, 'index.ts'))).toBe(true);
  expect(fs.existsSync(path.join(ROOT, project.runtime.options.tsconfig))).toBe(true);
  // No Pulumi Cloud account: the state lives in a directory of the checkout, which exists.
  expect(project.backend.url).toMatch(/^file:\/\/\.\//);
  expect(fs.statSync(path.join(ROOT, project.backend.url.slice('file://'.length))).isDirectory()).toBe(true);
});
