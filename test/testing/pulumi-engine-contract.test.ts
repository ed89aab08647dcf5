import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as command from '@pulumi/command';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { MockOperation, PulumiTestEngine } from '../../src/testing';

// These tests use plain `pulumi.dynamic.Resource`s, not our shim, to show that the test engine follows the real
// engine and dynamic-provider host where our code depends on it, bugs included (research/pulumi-peers.md §1).

class Raw extends pulumi.dynamic.Resource {
  declare public readonly token: pulumi.Output<string | undefined>;
  declare public readonly size: pulumi.Output<number>;

  constructor(
    provider: pulumi.dynamic.ResourceProvider,
    name: string,
    props: { size: number; dir?: string },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(provider, name, { token: undefined, ...props }, opts, 'test', 'Raw');
  }
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-contract-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dynamic-provider host rules', () => {
  test('an update that returns nothing loses every output, as in the real host (pulumi#13983)', async () => {
    const provider: pulumi.dynamic.ResourceProvider = {
      async create(inputs) {
        return { id: 'r1', outs: { ...inputs, token: 'from-create' } };
      },
      async update() {
        return undefined as unknown as pulumi.dynamic.UpdateResult;
      },
    };
    const engine = new PulumiTestEngine();
    const program = (size: number) => () => ({ token: new Raw(provider, 'r', { size }).token });
    const first = await engine.up(program(1));
    expect(first.outputs).toEqual({ token: 'from-create' });

    const second = await engine.up(program(2));

    expect(engine.operations({ run: second.run })).toEqual(['update Raw r']);
    expect(engine.resource('r')?.outputs).toEqual({});
    expect(second.outputs).toEqual({});
  });

  test('init-failure properties are stored as given: without __provider a later destroy cannot load the provider', async () => {
    const provider: pulumi.dynamic.ResourceProvider = {
      async create() {
        throw Object.assign(new Error('half done'), {
          id: 'r1',
          properties: { phase: 'half' },
          reasons: ['half done'],
        });
      },
    };
    const engine = new PulumiTestEngine();

    await expect(engine.up(() => new Raw(provider, 'r', { size: 1 }))).rejects.toThrow(/half done/);
    expect(engine.resource('r')).toMatchObject({
      id: 'r1',
      outputs: { phase: 'half' },
      initErrors: ['half done'],
    });

    await expect(engine.destroy()).rejects.toThrow(/code must be a string, not undefined/);
  });

  test('without a diff method the engine compares inputs, __provider included: new provider code is an update', async () => {
    const v1: pulumi.dynamic.ResourceProvider = {
      async create(inputs) {
        return { id: 'x', outs: inputs };
      },
    };
    const v2: pulumi.dynamic.ResourceProvider = {
      async create(inputs) {
        return { id: 'x', outs: { ...inputs } };
      },
      async update(_id, _olds, news) {
        return { outs: news };
      },
    };
    const engine = new PulumiTestEngine();
    await engine.up(() => new Raw(v1, 'r', { size: 1 }));

    const changedCode = await engine.up(() => new Raw(v2, 'r', { size: 1 }));
    const unchanged = await engine.up(() => new Raw(v2, 'r', { size: 1 }));

    expect(engine.operations({ run: changedCode.run })).toEqual(['update Raw r']);
    expect(engine.operations({ run: unchanged.run })).toEqual(['same Raw r']);
  });

  test('replaceOnChanges applies to the inputs the engine saw change', async () => {
    const provider: pulumi.dynamic.ResourceProvider = {
      async create(inputs) {
        return { id: `r-${inputs.size}`, outs: inputs };
      },
    };
    const engine = new PulumiTestEngine();
    await engine.up(() => new Raw(provider, 'r', { size: 1 }, { replaceOnChanges: ['size'] }));

    const second = await engine.up(() => new Raw(provider, 'r', { size: 2 }, { replaceOnChanges: ['size'] }));

    expect(engine.operations({ run: second.run })).toEqual([
      'create-replacement Raw r',
      'replace Raw r',
      'delete-replaced Raw r',
    ]);
    expect(engine.resource('r')?.id).toBe('r-2');
  });

  test('a resource removed from the program is deleted by the code in its state, not the code of the program', async () => {
    const journal = path.join(dir, 'journal.log');
    const writer = (version: string): pulumi.dynamic.ResourceProvider => ({
      async create(inputs) {
        return { id: `id-${version}`, outs: inputs };
      },
      async delete(_id, props) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('fs').appendFileSync(`${props.dir}/journal.log`, `deleted by ${props.version}\n`);
      },
    });
    const v1 = writer('v1');
    const v2 = writer('v2');
    const engine = new PulumiTestEngine();
    await engine.up(() => new VersionedRaw(v1, 'old', { size: 1, dir, version: 'v1' }));

    await engine.up(() => new VersionedRaw(v2, 'new', { size: 1, dir, version: 'v2' }));

    expect(engine.operations({ run: 2 })).toEqual(['create Raw new', 'delete Raw old']);
    expect(fs.readFileSync(journal, 'utf8')).toBe('deleted by v1\n');
  });
});

class VersionedRaw extends pulumi.dynamic.Resource {
  constructor(
    provider: pulumi.dynamic.ResourceProvider,
    name: string,
    props: { size: number; dir: string; version: string },
  ) {
    super(provider, name, props, {}, 'test', 'Raw');
  }
}

describe('runs and isolation', () => {
  const echo: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
      return { id: `id-${inputs.size}`, outs: inputs };
    },
  };

  test('two engines keep separate states and settings, even when their runs overlap', async () => {
    const projectBefore = pulumi.getProject();
    const one = new PulumiTestEngine({ project: 'p1', stack: 's1' });
    const two = new PulumiTestEngine({ project: 'p2', stack: 's2' });
    const program = (name: string) => () => {
      new Raw(echo, name, { size: 1 });
      return { stack: pulumi.getStack(), project: pulumi.getProject(), dryRun: pulumi.runtime.isDryRun() };
    };

    const [a, b, c] = await Promise.all([
      one.up(program('x')),
      two.up(program('y')),
      one.preview(program('z')),
    ]);

    expect(a.outputs).toEqual({ stack: 's1', project: 'p1', dryRun: false });
    expect(b.outputs).toEqual({ stack: 's2', project: 'p2', dryRun: false });
    expect(c.steps.filter((s) => s.custom).map((s) => `${s.op} ${s.name}`)).toEqual(['create z', 'delete x']);
    expect(one.resources().map((r) => r.urn)).toEqual([
      'urn:pulumi:s1::p1::pulumi:pulumi:Stack::p1-s1',
      'urn:pulumi:s1::p1::pulumi:pulumi:Stack$pulumi-nodejs:dynamic/test:Raw::x',
    ]);
    expect(two.resources().map((r) => r.name)).toEqual(['p2-s2', 'y']);
    expect(pulumi.getProject()).toBe(projectBefore);
  });

  test("the caller's own setMocks keeps working after engine runs", async () => {
    await new PulumiTestEngine().preview(() => new Raw(echo, 'x', { size: 1 }));
    await pulumi.runtime.setMocks({
      newResource: (args) => ({ id: `${args.name}-mocked`, state: args.inputs }),
      call: () => ({}),
    });

    const resource = new Raw(echo, 'plain', { size: 3 });

    const id = await new Promise((resolve) => resource.id.apply(resolve));
    expect(id).toBe('plain-mocked');
    expect(pulumi.runtime.isDryRun()).toBe(false);
  });

  test('stack config reaches the program', async () => {
    const engine = new PulumiTestEngine({ config: { 'project:size': '4' } });

    const result = await engine.up(() => ({ size: new pulumi.Config().requireNumber('size') }));

    expect(result.outputs).toEqual({ size: 4 });
  });

  test('an exception in the program fails the run', async () => {
    const engine = new PulumiTestEngine();
    await expect(
      engine.up(() => {
        throw new Error('bad program');
      }),
    ).rejects.toThrow(/the program failed: bad program/);
  });
});

describe('resources that are not dynamic go to mocks', () => {
  test('a kubernetes Provider and a command echo their inputs by default; the kubeconfig stays sealed', async () => {
    const kubeconfig = 'apiVersion: v1\nusers: [{ name: admin, user: { token: s3cr3t-t0ken-value } }]';
    const engine = new PulumiTestEngine();

    await engine.up(() => {
      const provider = new k8s.Provider('cluster', { kubeconfig: pulumi.secret(kubeconfig) });
      new command.local.Command('smoke', { create: 'kubectl get nodes' }, { dependsOn: [provider] });
    });

    expect(engine.operations()).toEqual(['create kubernetes cluster', 'create Command smoke']);
    expect(engine.resource('cluster')?.inputs.kubeconfig).toBe('[secret]');
    expect(engine.resource('smoke')?.outputs.create).toBe('kubectl get nodes');
    expect(engine.stateJson()).not.toContain('s3cr3t-t0ken-value');
  });

  test('a mock answers creates and is told about deletes', async () => {
    const seen: MockOperation[] = [];
    const engine = new PulumiTestEngine({
      mocks: {
        'command:local:Command': {
          create: (op) => {
            seen.push(op);
            return { id: 'cmd-1', outputs: { ...op.inputs, stdout: 'node/ready' } };
          },
          delete: (op) => {
            seen.push(op);
          },
        },
      },
    });

    const created = await engine.up(() => ({
      stdout: new command.local.Command('smoke', { create: 'true' }).stdout,
    }));
    await engine.up(() => undefined);

    expect(created.outputs).toEqual({ stdout: 'node/ready' });
    expect(seen.map((op) => `${op.op} ${op.name} ${op.id ?? ''}`.trim())).toEqual([
      'create smoke',
      'delete smoke cmd-1',
    ]);
  });
});
