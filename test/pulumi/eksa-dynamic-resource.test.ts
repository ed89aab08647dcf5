import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { sourceRequire } from './fixtures/source-require';
import { Widget, WidgetInputs, WidgetOutputs, widgetSchema } from './fixtures/widget';
import { EksaDynamicResource, ResourceArgs } from '../../src/pulumi';
import { PulumiTestEngine } from '../../src/testing';

let dir: string;
let engine: PulumiTestEngine;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-resource-'));
  engine = new PulumiTestEngine({ requireModule: sourceRequire() });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('declared outputs exist on the resource; secret outputs and secret inputs are secret', async () => {
  const result = await engine.up(() => {
    const w = new Widget('w', { dir, widgetName: 'w', size: 1, password: 'plain-given-password' });
    return {
      endpoint: w.endpoint,
      phase: w.phase,
      schemaVersion: w.schemaVersion,
      kubeconfigIsSecret: pulumi.isSecret(w.kubeconfig),
      sizeIsSecret: pulumi.isSecret(w.size),
    };
  });

  expect(result.outputs).toEqual({
    endpoint: 'https://127.0.0.1:6443/w',
    phase: 'ready',
    schemaVersion: 2,
    kubeconfigIsSecret: true,
    sizeIsSecret: false,
  });
  const stored = engine.state().deployment.resources.find((r) => r.urn.endsWith('::w'));
  expect(stored?.type).toBe('pulumi-nodejs:dynamic/eksa-iac/test:Widget');
  expect(stored?.additionalSecretOutputs).toEqual(['kubeconfig', 'password']);
  expect(engine.resource('w')?.inputs.password).toBe('[secret]');
  expect(engine.stateJson()).not.toContain('plain-given-password');
});

test('only declared inputs reach the handler', async () => {
  const args = { dir, widgetName: 'w', size: 1, colour: 'red' } as ResourceArgs<WidgetInputs>;
  await engine.up(() => new Widget('w', args));
  expect(engine.resource('w')?.inputs).not.toHaveProperty('colour');
});

test('subclass outputs must be `declare`d: a plain class field erases the output the base class set', async () => {
  class Careless extends EksaDynamicResource<WidgetInputs, WidgetOutputs> {
    public readonly endpoint!: pulumi.Output<string>;
    constructor(name: string, args: ResourceArgs<WidgetInputs>) {
      super(widgetSchema, name, args);
    }
  }
  await engine.up(() => {
    const careless = new Careless('c', { dir, widgetName: 'c', size: 1 });
    expect(careless.endpoint).toBeUndefined();
    expect(new Widget('w', { dir, widgetName: 'w', size: 1 }).endpoint).toBeDefined();
  });
});
