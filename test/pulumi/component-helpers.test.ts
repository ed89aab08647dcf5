import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { sourceRequire } from './fixtures/source-require';
import { WidgetCluster } from './fixtures/widget-cluster';
import { chainedOptions } from '../../src/pulumi';
import { PulumiTestEngine } from '../../src/testing';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-component-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the component pattern (WidgetCluster, the shape EksaCluster follows)', () => {
  test('creates its chain in order as children, with a secret kubeconfig feeding a Kubernetes provider', async () => {
    const providerInputs: Array<Readonly<Record<string, unknown>>> = [];
    const engine = new PulumiTestEngine({
      requireModule: sourceRequire(),
      mocks: {
        'pulumi:providers:kubernetes': { create: (op) => (providerInputs.push(op.inputs ?? {}), {}) },
      },
    });

    const result = await engine.up(() => {
      const cluster = new WidgetCluster('dev', { dir, size: 3 });
      return { kubeconfig: cluster.kubeconfig, endpoint: cluster.endpoint };
    });

    expect(engine.operations()).toEqual([
      'create Widget dev-bootstrap',
      'create Widget dev-workload',
      'create Widget dev-cleanup',
      'create kubernetes dev-k8s',
    ]);
    const component = engine.resource('dev');
    expect(component?.type).toBe('eksa-iac:test:WidgetCluster');
    for (const child of ['dev-bootstrap', 'dev-workload', 'dev-cleanup', 'dev-k8s']) {
      expect(engine.resource(child)?.parent).toBe(component?.urn);
    }
    expect(engine.resource('dev-workload')?.dependencies).toContain(engine.resource('dev-bootstrap')?.urn);
    expect(engine.resource('dev-cleanup')?.dependencies).toContain(engine.resource('dev-workload')?.urn);
    // registerOutputs reached the engine; the kubeconfig is secret in the component, the provider and the stack.
    expect(component?.outputs).toEqual({
      kubeconfig: '[secret]',
      endpoint: 'https://127.0.0.1:6443/dev-workload',
    });
    expect(engine.resource('dev-k8s')?.inputs.kubeconfig).toBe('[secret]');
    expect(result.outputs).toEqual({
      kubeconfig: '[secret]',
      endpoint: 'https://127.0.0.1:6443/dev-workload',
    });
    const kubeconfig = engine.revealOutputs('dev-workload').kubeconfig as string;
    expect(providerInputs).toEqual([expect.objectContaining({ kubeconfig })]);
    expect(engine.stateJson()).not.toContain(kubeconfig);
  });

  test('destroy unwinds the chain in reverse', async () => {
    const engine = new PulumiTestEngine({ requireModule: sourceRequire() });
    await engine.up(() => new WidgetCluster('dev', { dir, size: 1 }));

    const result = await engine.destroy();

    expect(result.steps.map((s) => `${s.op} ${s.name}`)).toEqual([
      'delete dev-k8s',
      'delete dev-cleanup',
      'delete dev-workload',
      'delete dev-bootstrap',
      'delete dev',
      'delete project-stack',
    ]);
  });
});

describe('chainedOptions', () => {
  test('parents the link and adds the previous link to its dependencies', async () => {
    await pulumi.runtime.setMocks({
      newResource: (a) => ({ id: a.name, state: a.inputs }),
      call: () => ({}),
    });
    const parent = new pulumi.ComponentResource('test:index:C', 'c', {});
    const first = new pulumi.ComponentResource('test:index:D', 'd', {});
    const extra = new pulumi.ComponentResource('test:index:E', 'e', {});

    expect(chainedOptions(parent)).toEqual({ parent, dependsOn: [] });
    expect(chainedOptions(parent, first, { dependsOn: [extra], protect: true })).toEqual({
      parent,
      dependsOn: [extra, first],
      protect: true,
    });
  });
});

describe('createKubernetesProvider', () => {
  test('names the optional peer and how to install it when it is missing', () => {
    jest.isolateModules(() => {
      jest.doMock('@pulumi/kubernetes', () => {
        throw new Error("Cannot find module '@pulumi/kubernetes'");
      });
      type Helpers = typeof import('../../src/pulumi/component-helpers');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const helpers: Helpers = require('../../src/pulumi/component-helpers');
      expect(() => helpers.createKubernetesProvider('k', { kubeconfig: 'x' })).toThrow(
        /needs the optional peer dependency @pulumi\/kubernetes\. Install it in your Pulumi project: npm install @pulumi\/kubernetes/,
      );
    });
  });
});
