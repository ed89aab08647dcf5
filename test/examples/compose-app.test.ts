/**
 * examples/compose-app through `pulumi up` on the simulated site, with stand-ins for the kubernetes and command
 * providers (their plugins come with the Pulumi CLI): the app is deployed through a provider made from the
 * cluster's secret kubeconfig, after the whole cluster exists, and the smoke check reads the kubeconfig file, never
 * its content.
 */
import { composeApp } from '../../examples/compose-app/program';
import type { MockOperation } from '../../src/testing';
import { SimulatedStack } from '../pulumi/support/simulated-stack';

let stack: SimulatedStack;
const commands: MockOperation[] = [];
beforeEach(async () => {
  commands.length = 0;
  stack = await SimulatedStack.create({
    mocks: {
      'command:local:Command': {
        create: (op) => {
          commands.push(op);
          return {
            outputs: { ...op.inputs, stdout: 'ok\ndeployment "hello" successfully rolled out', stderr: '' },
          };
        },
      },
    },
  });
});
afterEach(async () => {
  await stack.close();
});

test('the app goes to the new cluster through its kubeconfig, and the smoke check runs after it', async () => {
  const { sim, engine } = stack;
  const { config: _ours, ...args } = stack.args({ config: 'examples/quickstart/cluster.yaml' });
  const program = () => {
    const app = composeApp(args);
    return { smokeCheck: app.smokeCheck.stdout };
  };
  const result = await engine.up(program);

  const ops = engine.operations();
  const order = (name: string) => ops.findIndex((o) => o.endsWith(` ${name}`));
  // The cluster's chain first; the provider, the app and the check only once the chain is done.
  expect(order('quickstart-k8s')).toBeGreaterThan(order('quickstart-packages'));
  const onCluster = ops.slice(order('quickstart-k8s'));
  expect(onCluster.slice(0, 2)).toEqual(['create kubernetes quickstart-k8s', 'create Namespace hello']);
  // The Deployment and the Service in either order (neither depends on the other), then the check.
  expect(onCluster.slice(2, 4).sort()).toEqual(['create Deployment hello', 'create Service hello']);
  expect(onCluster.slice(4)).toEqual(['create Command smoke-check']);

  // The provider's kubeconfig is the cluster's, and a secret.
  const provider = engine.resource('quickstart-k8s')!;
  expect(provider.inputs.kubeconfig).toBe('[secret]');
  const kubeconfig = engine.revealOutputs('quickstart-k8s').kubeconfig as string;
  expect(kubeconfig).toBe(await sim.site.files.readText('quickstart/quickstart-eks-a-cluster.kubeconfig'));
  expect(kubeconfig).toContain(sim.cluster('quickstart')!.token);
  const state = engine.state().deployment.resources as unknown as readonly {
    urn: string;
    provider?: string;
    deletedWith?: string;
  }[];
  const deployment = state.find((r) => r.urn.endsWith('::hello') && r.urn.includes('Deployment'))!;
  expect(deployment.provider).toContain(provider.urn);
  expect(deployment.deletedWith).toMatch(/EksaCluster::quickstart$/);

  // The smoke check: the kubeconfig file (0600), never its content, in the command.
  expect(commands).toHaveLength(1);
  const create = String(commands[0].inputs?.create);
  const file = `${sim.workDir}/quickstart/quickstart-eks-a-cluster.kubeconfig`;
  expect(create).toBe(
    `kubectl --kubeconfig '${file}' get --raw=/readyz && kubectl --kubeconfig '${file}' -n hello rollout status deployment/hello --timeout=5m`,
  );
  expect(sim.filesWithModes().get('quickstart/quickstart-eks-a-cluster.kubeconfig')).toBe(0o600);
  expect(JSON.stringify(commands)).not.toContain(sim.cluster('quickstart')!.token);
  const service = state.find((r) => r.urn.endsWith('::hello') && r.urn.includes('Service'))!;
  expect(engine.resource('smoke-check')!.dependencies).toEqual(
    expect.arrayContaining([deployment.urn, service.urn]),
  );
  expect(result.outputs?.smokeCheck).toContain('successfully rolled out');
  expect(engine.stateJson()).not.toContain(sim.cluster('quickstart')!.token);

  // Nothing changes on a second up: the check does not run again.
  await engine.up(program);
  expect(engine.operations({ run: 2 }).every((o) => o.startsWith('same '))).toBe(true);
  expect(commands).toHaveLength(1);
});
