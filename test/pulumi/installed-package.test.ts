import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

// A user's Pulumi project with eksa-iac installed under node_modules, built from this repository's sources. The
// program serializes a widget in one process; the serialized text is then loaded the way the dynamic-provider host
// loads it (require-from-string, then handler()) in other processes, from the project directory and from a
// directory without the package. Nothing here goes through jest's module system.

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { default: string }>;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

let work: string;
let project: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-installed-'));
  project = path.join(work, 'project');
  const modules = path.join(project, 'node_modules');
  fs.mkdirSync(path.join(modules, '@pulumi'), { recursive: true });
  // What npm installs beside eksa-iac: its dependencies and its required peers (the optional peers stay out).
  const installed = [
    ...Object.keys(PACKAGE.dependencies),
    ...Object.keys(PACKAGE.peerDependencies).filter((name) => !PACKAGE.peerDependenciesMeta[name]?.optional),
  ];
  for (const name of new Set(installed)) {
    fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name));
  }

  // eksa-iac as npm would install it: its own package.json exports, compiled JavaScript (here: src/ layout).
  const eksa = path.join(modules, 'eksa-iac');
  const pulumiEntries = Object.entries(PACKAGE.exports)
    .filter(([subpath]) => subpath.startsWith('./pulumi'))
    .map(([, target]) =>
      path.join(
        ROOT,
        (target as { default: string }).default.replace('./lib/', 'src/').replace(/\.js$/, '.ts'),
      ),
    );
  for (const file of importClosure(pulumiEntries)) {
    emit(file, path.join(eksa, path.relative(ROOT, file).replace(/\.ts$/, '.js')));
  }
  const exportsMap = Object.fromEntries(
    Object.entries(PACKAGE.exports).map(([subpath, target]) => [
      subpath,
      typeof target === 'string' ? target : target.default.replace('./lib/', './src/'),
    ]),
  );
  fs.writeFileSync(
    path.join(eksa, 'package.json'),
    JSON.stringify({ name: 'eksa-iac', version: PACKAGE.version, exports: exportsMap }),
  );

  // The test widget as a separate package that depends on eksa-iac, like a third-party handler module.
  const widget = path.join(modules, 'eksa-iac-test-widget');
  for (const name of ['widget', 'widget-schema', 'widget-handler']) {
    emit(path.join(__dirname, 'fixtures', `${name}.ts`), path.join(widget, `${name}.js`), (code) =>
      code
        .replace(
          /require\("\.\.\/\.\.\/\.\.\/src\/pulumi\/handler-runtime"\)/g,
          'require("eksa-iac/pulumi/runtime")',
        )
        .replace(/require\("\.\.\/\.\.\/\.\.\/src\/pulumi"\)/g, 'require("eksa-iac/pulumi")'),
    );
  }
  fs.writeFileSync(
    path.join(widget, 'package.json'),
    JSON.stringify({ name: 'eksa-iac-test-widget', main: 'widget-handler.js' }),
  );

  // The program: registers a widget under Pulumi mocks and keeps the __provider text the SDK serialized.
  fs.writeFileSync(
    path.join(project, 'program.js'),
    `const fs = require('fs');
const pulumi = require('@pulumi/pulumi');
const { libraryHandler, providerShim } = require('eksa-iac/pulumi');
const { Widget } = require('eksa-iac-test-widget/widget');
pulumi.runtime.setMocks({
  newResource(args) {
    if (args.inputs.__provider) fs.writeFileSync('widget-provider.txt', args.inputs.__provider);
    return { id: args.name, state: args.inputs };
  },
  call: () => ({}),
});
new Widget('w', { dir: process.cwd(), widgetName: 'w', size: 1 });
const library = providerShim(libraryHandler('NoSuchPhase'));
pulumi.runtime.serializeFunction(() => library, { allowSecrets: true })
  .then((f) => fs.writeFileSync('library-provider.txt', f.text));
`,
  );
  // The host's part: load a serialized provider as the dynamic-provider host does and call one method.
  fs.writeFileSync(
    path.join(work, 'host.js'),
    `const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');
const pulumiDir = path.dirname(require.resolve(${JSON.stringify(path.join(ROOT, 'node_modules/@pulumi/pulumi/package.json'))}));
const requireFromString = createRequire(path.join(pulumiDir, 'index.js'))('require-from-string');
const [file, method, ...args] = process.argv.slice(2);
const provider = requireFromString(fs.readFileSync(file, 'utf8')).handler();
const sdkLoaded = () => Object.keys(require.cache).some((f) => f.includes('@pulumi/pulumi'));
provider[method](...args.map((a) => JSON.parse(a)))
  .then((result) => ({ ok: result ?? null }), (error) => ({ error: error.message }))
  .then((answer) => process.stdout.write('RESULT ' + JSON.stringify({ ...answer, sdkLoaded: sdkLoaded() }) + '\\n'));
`,
  );
  node(project, 'program.js');
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface HostAnswer {
  readonly ok?: unknown;
  readonly error?: string;
  /** Whether the call loaded the Pulumi SDK into the provider process. */
  readonly sdkLoaded: boolean;
  /** What the handlers printed (the host forwards it to the CLI). */
  readonly logs: string;
}

function host(cwd: string, file: string, method: string, ...args: unknown[]): HostAnswer {
  const out = node(
    cwd,
    path.join(work, 'host.js'),
    path.join(project, file),
    method,
    ...args.map((a) => JSON.stringify(a)),
  );
  const lines = out.trimEnd().split('\n');
  const result = lines.pop() ?? '';
  if (!result.startsWith('RESULT ')) throw new Error(`host.js printed no result:\n${out}`);
  return {
    ...(JSON.parse(result.slice('RESULT '.length)) as Omit<HostAnswer, 'logs'>),
    logs: lines.join('\n'),
  };
}

const widgetInputs = () => ({ dir: project, widgetName: 'w', size: 1 });

test('the program serializes a shim with no library code in it', () => {
  const text = fs.readFileSync(path.join(project, 'widget-provider.txt'), 'utf8');
  expect(text).toContain('moduleSpecifier: "eksa-iac-test-widget", handlerName: "Widget"');
  expect(text).not.toMatch(/node_modules|createHandlerDispatcher|eksa-iac\/pulumi|__pulumi/);
  expect(Buffer.byteLength(text)).toBeLessThan(2560);
});

test('from the project directory, the serialized handlers resolve the installed package and run', () => {
  const checked = host(project, 'widget-provider.txt', 'check', {}, widgetInputs());
  expect(checked.ok).toEqual({ inputs: widgetInputs(), failures: [] });

  const created = host(project, 'widget-provider.txt', 'create', { ...widgetInputs(), __provider: 'x' });
  expect(created.ok).toMatchObject({
    id: 'w',
    outs: { phase: 'ready', revision: 1, schemaVersion: 2, widgetName: 'w' },
  });
  expect(created.logs).toContain('[eksa-iac] Widget: start w');
  expect(fs.readFileSync(path.join(project, 'journal.log'), 'utf8')).toContain('start w');
  // Handlers import the handler runtime only: the provider process does not load the user's Pulumi SDK.
  expect(created.sdkLoaded).toBe(false);
});

test('the library handler module resolves through package.json exports and names a missing handler clearly', () => {
  const result = host(project, 'library-provider.txt', 'create', {});
  expect(result.error).toMatch(/No handler named 'NoSuchPhase'/);
});

test('from a directory without the package, the same text cannot find its handler module', () => {
  const elsewhere = fs.mkdtempSync(path.join(work, 'elsewhere-'));
  expect(host(elsewhere, 'widget-provider.txt', 'check', {}, widgetInputs()).error).toMatch(
    /Cannot find module 'eksa-iac-test-widget'/,
  );
  expect(host(elsewhere, 'library-provider.txt', 'create', {}).error).toMatch(
    /Cannot find module 'eksa-iac\/pulumi\/handlers'/,
  );
});

test('after an upgrade of the installed package, delete from the old text runs the new code', () => {
  const handlerFile = path.join(project, 'node_modules/eksa-iac-test-widget/widget-handler.js');
  fs.writeFileSync(
    handlerFile,
    fs.readFileSync(handlerFile, 'utf8').replace('HANDLER_REVISION = 1', 'HANDLER_REVISION = 2'),
  );

  const olds = {
    ...widgetInputs(),
    phase: 'ready',
    revision: 1,
    schemaVersion: 2,
    endpoint: 'e',
    kubeconfig: 'k',
  };
  const deleted = host(project, 'widget-provider.txt', 'delete', 'w', olds);
  expect(deleted.ok).toBeNull();
  expect(deleted.logs).toContain('deleting w (handler revision 2, state revision 1)');
  expect(fs.readFileSync(path.join(project, 'journal.log'), 'utf8')).toMatch(/delete w revision 2\n$/);
});

function node(cwd: string, script: string, ...args: string[]): string {
  return execFileSync(process.execPath, [script, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function emit(source: string, target: string, edit: (code: string) => string = (code) => code): void {
  const output = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
    fileName: source,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, edit(output.outputText));
}

/** The entry files and every TypeScript file they import by relative path. */
function importClosure(entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const base = path.resolve(path.dirname(file), match[1]);
      visit(fs.existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, 'index.ts'));
    }
  };
  entries.forEach(visit);
  return [...seen];
}
