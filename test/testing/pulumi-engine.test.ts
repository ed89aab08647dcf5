import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ComponentResource } from '@pulumi/pulumi';
import { createHandlerDispatcher, defineHandler, UNKNOWN_VALUE } from '../../src/pulumi';
import { EngineRunError, PulumiTestEngine } from '../../src/testing';
import { sourceRequire } from '../pulumi/fixtures/source-require';
import { Widget, WIDGET_HANDLER_MODULE, WidgetInputs } from '../pulumi/fixtures/widget';
import * as widgetModule from '../pulumi/fixtures/widget-handler';

// The widget handler runs in this process but only through the text serialized into each resource's __provider:
// the engine loads that text and calls handler(), as the dynamic-provider host does.

let dir: string;
let engine: PulumiTestEngine;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-engine-'));
  engine = new PulumiTestEngine({ requireModule: sourceRequire() });
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function journal(): string[] {
  const file = path.join(dir, 'journal.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
}

/** Two widgets, b pointing at a's endpoint; `a` and `b` override inputs. */
function pair(a: Partial<WidgetInputs> = {}, b: Partial<WidgetInputs> = {}, opts: { dbr?: boolean } = {}) {
  return () => {
    const first = new Widget('a', { dir, widgetName: 'a', size: 1, ...a }, { deleteBeforeReplace: opts.dbr });
    const second = new Widget('b', { dir, widgetName: 'b', size: 1, upstream: first.endpoint, ...b });
    return { endpoint: second.endpoint, kubeconfig: first.kubeconfig };
  };
}

describe('up', () => {
  test('creates each widget through its serialized handler, in dependency order, storing __provider', async () => {
    const result = await engine.up(pair());

    expect(engine.operations()).toEqual(['create Widget a', 'create Widget b']);
    expect(journal()).toEqual([
      'allocate a',
      'configure a',
      'start a',
      'allocate b',
      'configure b',
      'start b',
    ]);
    expect(engine.resource('b')?.outputs).toMatchObject({
      phase: 'ready',
      endpoint: 'https://127.0.0.1:6443/b',
      upstream: 'https://127.0.0.1:6443/a',
      schemaVersion: 2,
      kubeconfig: '[secret]',
    });
    const stored = engine.state().deployment.resources.find((r) => r.urn.endsWith('::a'));
    expect(typeof stored?.outputs.__provider).toBe('string');
    expect(stored?.type).toBe('pulumi-nodejs:dynamic/eksa-iac/test:Widget');
    expect(result.outputs).toEqual({ endpoint: 'https://127.0.0.1:6443/b', kubeconfig: '[secret]' });
  });

  test('a second up with no change does nothing', async () => {
    await engine.up(pair());
    const before = journal();

    const second = await engine.up(pair());

    expect(engine.operations({ run: second.run })).toEqual(['same Widget a', 'same Widget b']);
    expect(second.summary).toEqual({ same: 3 });
    expect(journal()).toEqual(before);
  });

  test('an update returns the full outputs: the secret kubeconfig survives a resize', async () => {
    await engine.up(pair());
    const kubeconfig = engine.revealOutputs('a').kubeconfig;

    const second = await engine.up(pair({ size: 5 }));

    expect(engine.operations({ run: second.run })).toEqual(['update Widget a', 'same Widget b']);
    expect(journal()).toContain('resize a 1->5');
    expect(engine.revealOutputs('a')).toMatchObject({ kubeconfig, size: 5, phase: 'ready' });
  });

  test('an immutable input change replaces, create before delete, with the reason in the log', async () => {
    await engine.up(pair());

    const second = await engine.up(pair({ widgetName: 'a2' }));

    expect(engine.operations({ run: second.run })).toEqual([
      'create-replacement Widget a',
      'replace Widget a',
      'update Widget b',
      'delete-replaced Widget a',
    ]);
    const replace = second.steps.find((s) => s.op === 'replace');
    expect(replace?.replaces).toEqual(['widgetName']);
    expect(replace?.logs.join('\n')).toMatch(
      /replace: 'widgetName' changed: the name is the widget's identity on disk/,
    );
    expect(journal().slice(6)).toEqual([
      'allocate a2',
      'configure a2',
      'start a2',
      'repoint b https://127.0.0.1:6443/a2',
      'delete a revision 1',
    ]);
    expect(fs.existsSync(path.join(dir, 'a.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'a2.json'))).toBe(true);
  });

  test('deleteBeforeReplace deletes the old widget before creating the new one', async () => {
    await engine.up(pair({}, {}, { dbr: true }));

    const second = await engine.up(pair({ widgetName: 'a2' }, {}, { dbr: true }));

    expect(engine.operations({ run: second.run })).toEqual([
      'delete-replaced Widget a',
      'replace Widget a',
      'create-replacement Widget a',
      'update Widget b',
    ]);
    expect(journal().slice(6, 8)).toEqual(['delete a revision 1', 'allocate a2']);
  });

  test('check failures stop the run before anything is created', async () => {
    await expect(engine.up(pair({ size: -1 }))).rejects.toThrow(/size: size must be ≥ 0/);
    expect(journal()).toEqual([]);
    expect(engine.resources().filter((r) => r.custom)).toEqual([]);
  });
});

describe('partial failure and resume', () => {
  test('a create that fails after its first phase is kept in state, and the next up resumes it through update', async () => {
    fs.writeFileSync(path.join(dir, 'fail-configure'), '');

    const failed = await engine.up(pair()).catch((e: unknown) => e);

    expect(failed).toBeInstanceOf(EngineRunError);
    expect((failed as Error).message).toMatch(/phase configure of a failed \(injected\)/);
    const a = engine.resource('a');
    expect(a?.initErrors).toEqual(['phase configure of a failed (injected)']);
    expect(a?.outputs).toMatchObject({ phase: 'allocated', widgetName: 'a', schemaVersion: 2 });
    expect(engine.resource('b')).toBeUndefined();
    expect(journal()).toEqual(['allocate a']);
    const stored = engine.state().deployment.resources.find((r) => r.urn.endsWith('::a'));
    expect(typeof stored?.outputs.__provider).toBe('string');

    fs.rmSync(path.join(dir, 'fail-configure'));
    const resumed = await engine.up(pair());

    // Same inputs, yet an update: the engine's rule for resources with init errors.
    expect(engine.operations({ run: resumed.run })).toEqual(['update Widget a', 'create Widget b']);
    expect(journal()).toEqual([
      'allocate a',
      'resume a after allocated',
      'configure a',
      'start a',
      'allocate b',
      'configure b',
      'start b',
    ]);
    expect(engine.resource('a')?.initErrors).toBeUndefined();
    expect(engine.resource('a')?.outputs.phase).toBe('ready');
  });

  test('a create that fails before anything exists leaves nothing, and the next up creates it', async () => {
    fs.writeFileSync(path.join(dir, 'fail-allocate'), '');
    await expect(engine.up(pair())).rejects.toThrow(/phase allocate of a failed/);
    expect(engine.resource('a')).toBeUndefined();

    fs.rmSync(path.join(dir, 'fail-allocate'));
    const second = await engine.up(pair());
    expect(engine.operations({ run: second.run })).toEqual(['create Widget a', 'create Widget b']);
  });
});

describe('destroy', () => {
  test('deletes dependents first, and after a library upgrade runs the installed handler, not a copy', async () => {
    // The "installed" handler module, swapped below as `npm install eksa-iac@next` would swap it.
    let installed: unknown = widgetModule;
    engine = new PulumiTestEngine({
      requireModule: sourceRequire({ [WIDGET_HANDLER_MODULE]: () => installed }),
    });
    await engine.up(() => {
      const a = new Widget('a', { dir, widgetName: 'a', size: 1 });
      const b = new Widget('b', { dir, widgetName: 'b', size: 1 }, { dependsOn: [a] });
      new Widget('c', { dir, widgetName: 'c', size: 1, upstream: b.endpoint });
    });
    const revision2 = defineHandler({
      ...widgetModule.widgetHandler,
      async delete(id, olds) {
        fs.appendFileSync(path.join(olds.dir, 'journal.log'), `deleted ${id} by revision 2\n`);
      },
    });
    installed = createHandlerDispatcher({ Widget: revision2 });

    const result = await engine.destroy();

    expect(result.steps.filter((s) => s.custom).map((s) => `${s.op} ${s.name}`)).toEqual([
      'delete c',
      'delete b',
      'delete a',
    ]);
    expect(journal().slice(-3)).toEqual([
      'deleted c by revision 2',
      'deleted b by revision 2',
      'deleted a by revision 2',
    ]);
    expect(engine.resources()).toEqual([]);
  });

  test('a component is deleted after its children', async () => {
    await engine.up(() => {
      const parent = new ComponentResource('test:index:Group', 'group', {});
      new Widget('child', { dir, widgetName: 'child', size: 1 }, { parent });
    });

    const result = await engine.destroy();

    expect(result.steps.map((s) => `${s.op} ${s.name}`)).toEqual([
      'delete child',
      'delete group',
      'delete project-stack',
    ]);
  });
});

describe('preview', () => {
  test('plans creates without running them; inputs from outputs not yet known are the unknown sentinel', async () => {
    const result = await engine.preview(pair());

    expect(engine.operations({ includePlanned: true })).toEqual(['create Widget a', 'create Widget b']);
    const b = result.steps.find((s) => s.name === 'b');
    expect(b?.planned).toBe(true);
    expect(b?.inputs?.upstream).toBe(UNKNOWN_VALUE);
    expect(result.outputs).toBeUndefined();
    expect(journal()).toEqual([]);
    expect(engine.resources()).toEqual([]);
  });

  test('plans a replacement with its reason and the update it causes downstream, changing nothing', async () => {
    await engine.up(pair());
    const stateBefore = engine.stateJson();
    const journalBefore = journal();

    const result = await engine.preview(pair({ widgetName: 'a2' }));

    expect(result.steps.filter((s) => s.custom).map((s) => `${s.op} ${s.name}`)).toEqual([
      'create-replacement a',
      'replace a',
      'update b',
      'delete-replaced a',
    ]);
    const b = result.steps.find((s) => s.name === 'b' && s.op === 'update');
    expect(b?.changedInputs).toEqual(['upstream']);
    expect(b?.inputs?.upstream).toBe(UNKNOWN_VALUE);
    expect(result.logs.map((l) => l.message)).toContain(
      "[eksa-iac] Widget: replace: 'widgetName' changed: the name is the widget's identity on disk",
    );
    expect(engine.stateJson()).toBe(stateBefore);
    expect(journal()).toEqual(journalBefore);
  });
});

describe('secrets', () => {
  test('kubeconfigs and passwords never appear in plaintext in state, step records or logs', async () => {
    const password = 'correct-horse-battery-staple';
    await engine.up(pair({ password }));
    await engine.up(pair({ password, size: 2 }));
    const { kubeconfig } = engine.revealOutputs('a') as { kubeconfig: string };
    const keyData = /client-key-data: (\S+) \}/.exec(kubeconfig)?.[1];
    expect(keyData).toBeDefined();

    const everything = [engine.stateJson(), engine.logText(), JSON.stringify(engine.steps)].join('\n');
    for (const secret of [password, kubeconfig, keyData!]) expect(everything).not.toContain(secret);
    // The handler logs the kubeconfig on purpose; the line is there, the key is not.
    expect(engine.logText()).toMatch(/kubeconfig for a:/);
    expect(engine.resource('a')?.inputs.password).toBe('[secret]');
    expect(engine.resource('a')?.outputs).toMatchObject({ password: '[secret]', kubeconfig: '[secret]' });
    // Sealed the way a state file holds secrets.
    expect(engine.stateJson()).toContain(
      '"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"',
    );
  });
});
