import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import requireFromString from 'require-from-string';
import { sourceRequire } from './fixtures/source-require';
import { Widget, widgetSchema } from './fixtures/widget';
import { providerShim, SHIM_PROTOCOL } from '../../src/pulumi';
import { PulumiTestEngine } from '../../src/testing';

// The bound is what six one-line methods cost after Pulumi's closure serializer wraps each in its own scope
// (about 2.1 KB); it does not grow with the library, because nothing of the library is captured.
const MAX_SHIM_BYTES = 2560;

async function serialized(ref = widgetSchema.handler): Promise<string> {
  const provider = providerShim(ref);
  // What pulumi.dynamic.Resource does with a provider object (the variable name is part of the text).
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

describe('providerShim', () => {
  test('serializes to a small text holding only the module specifier and the handler name', async () => {
    const text = await serialized();

    expect(Buffer.byteLength(text)).toBeLessThan(MAX_SHIM_BYTES);
    expect(text).toContain('moduleSpecifier: "eksa-iac-test-widget", handlerName: "Widget"');
    expect(text).toContain('require(moduleSpecifier)');
    expect(text).toContain(`protocol: ${SHIM_PROTOCOL}`);
    // No library code, no paths, no other captured values.
    for (const absent of [
      'createHandlerDispatcher',
      'redact',
      'schemaVersion',
      '@pulumi',
      'node_modules',
      __dirname,
    ]) {
      expect(text).not.toContain(absent);
    }
    expect([...text.matchAll(/require\(/g)]).toHaveLength(1);
    const captured = [...text.matchAll(/with\(\{ ([^}]*) \}\)/g)].map((m) =>
      m[1].split(', ').map((v) => v.split(':')[0]),
    );
    expect(new Set(captured.flat())).toEqual(
      new Set(['moduleSpecifier', 'handlerName', 'call', 'provider', 'this', 'arguments']),
    );
  });

  test('is one object per handler, so the SDK serializes it once; its text does not change between runs', async () => {
    expect(providerShim({ ...widgetSchema.handler })).toBe(providerShim(widgetSchema.handler));
    expect(providerShim({ module: 'x', name: 'Widget' })).not.toBe(providerShim(widgetSchema.handler));
    expect(await serialized()).toBe(await serialized({ ...widgetSchema.handler }));
  });

  test('is the __provider stored in the state of a widget', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-shim-'));
    const engine = new PulumiTestEngine({ requireModule: sourceRequire() });
    await engine.up(() => new Widget('w', { dir, widgetName: 'w', size: 1 }));

    const stored = engine.state().deployment.resources.find((r) => r.urn.endsWith('::w'));

    expect(stored?.outputs.__provider).toBe(await serialized());
    expect(stored?.inputs.__provider).toBe(await serialized());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('resolves its handler module only when a method runs, from the working directory', async () => {
    const text = await serialized({ module: 'eksa-iac-no-such-module', name: 'Widget' });
    const provider = (requireFromString(text) as { handler(): pulumi.dynamic.ResourceProvider }).handler();

    await expect(provider.create({})).rejects.toThrow(/Cannot find module 'eksa-iac-no-such-module'/);
  });
});
