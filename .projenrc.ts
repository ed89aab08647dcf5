import { JsonFile, javascript, typescript } from 'projen';
import { registerCrdImportTask } from './projenrc/crd-imports';

const project = new typescript.TypeScriptProject({
  name: 'eksa-iac',
  description:
    'Amazon EKS Anywhere cluster lifecycle as infrastructure-as-code: cdk8s constructs for EKS-A and Cluster API manifests, Pulumi resources for the bootstrap workflow.',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  prettier: true,
  prettierOptions: { settings: { singleQuote: true, printWidth: 110 } },
  github: false,
  release: false,
  depsUpgrade: false,
  minNodeVersion: '20.19.0',
  typescriptVersion: '~5.9.3',
  bin: { 'eksa-iac': 'bin/eksa-iac' },

  deps: [
    'cdk8s-plus-27@^2.9.5',
    'yaml@^2.9.1',
    // Kubernetes client (kubeconfig loading and authentication). 1.x is ESM-only and is loaded with a real
    // dynamic import(); 2.x needs Node 22, which this project does not require.
    '@kubernetes/client-node@^1.4.0',
  ],
  peerDeps: [
    'cdk8s@^2.70.0',
    'constructs@^10.4.0',
    '@pulumi/pulumi@^3.200.0',
    '@pulumi/kubernetes@^4.0.0',
    '@pulumi/command@^1.0.0',
  ],
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    'cdk8s@^2.70.106',
    'constructs@^10.8.1',
    // The last @pulumi/pulumi line that supports Node 20 (3.249+ needs Node 22).
    '@pulumi/pulumi@3.248.0',
    '@pulumi/kubernetes@^4.34.2',
    '@pulumi/command@^1.2.1',
    'cdk8s-cli@^2.207.60',
    'require-from-string@^2.0.2',
    '@types/require-from-string@^1.2.3',
    '@types/node@^20',
  ],

  tsconfig: {
    compilerOptions: {
      // node16 keeps `await import()` as a real dynamic import in CommonJS output (needed for ESM-only deps).
      module: 'node16',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
      target: 'ES2022',
      lib: ['es2022'],
      skipLibCheck: true,
      isolatedModules: true,
    },
  },
  tsconfigDev: {
    compilerOptions: {
      module: 'node16',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
      target: 'ES2022',
      lib: ['es2022'],
      skipLibCheck: true,
    },
  },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    junitReporting: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/src/manifests/imports/'],
      testTimeout: 60_000,
      // Tests talk HTTP to simulated API servers; keep workers few on a 2-core machine.
      maxWorkers: 2,
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'projenrc', 'bench', 'examples'],
    ignorePatterns: ['src/manifests/imports/**', 'src/testing/generated/**'],
  },
  // '/node_modules' without the slash also matches the node_modules symlink of a git worktree, which projen's
  // 'node_modules/' does not (one was committed by accident and replaced main's node_modules).
  gitignore: ['/out/', '/.eksa-iac-test/', '*.tsbuildinfo', '/node_modules'],
  npmignoreEnabled: true,
});

project.package.addField('peerDependenciesMeta', {
  '@pulumi/kubernetes': { optional: true },
  '@pulumi/command': { optional: true },
});
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './testing': { types: './lib/testing/index.d.ts', default: './lib/testing/index.js' },
  './pulumi': { types: './lib/pulumi/index.d.ts', default: './lib/pulumi/index.js' },
  // Handler-side API without the Pulumi SDK, for handler modules.
  './pulumi/runtime': {
    types: './lib/pulumi/handler-runtime.d.ts',
    default: './lib/pulumi/handler-runtime.js',
  },
  // The handler module that serialized dynamic providers require() in the provider process. Its specifier is stored
  // in users' state, so this subpath is a stable contract.
  './pulumi/handlers': {
    types: './lib/pulumi/handlers/index.d.ts',
    default: './lib/pulumi/handlers/index.js',
  },
  './package.json': './package.json',
});

// Generated code is marked as such for reviewers and tools.
project.gitattributes.addAttributes('/src/manifests/imports/**', 'linguist-generated');
project.gitattributes.addAttributes('/src/testing/generated/**', 'linguist-generated');

// ESM-only dependencies (@kubernetes/client-node 1.x) load in jest only through a real dynamic import with VM
// modules enabled.
const testTask = project.tasks.tryFind('test')!;
testTask.env('NODE_OPTIONS', '--experimental-vm-modules --no-warnings=ExperimentalWarning');
// ts-jest runs transpile-only; the type check is its own step of `test`.
testTask.prependExec('tsc --noEmit -p tsconfig.dev.json', { name: 'typecheck' });

// One type-checking view over everything that is not shipped: tests, benchmarks, examples and projen helpers.
new JsonFile(project, 'tsconfig.dev.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '.', types: ['jest', 'node'] },
    include: [
      'src/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'examples/**/*.ts',
      'projenrc/**/*.ts',
      '.projenrc.ts',
    ],
    exclude: ['node_modules', 'lib'],
  },
});

// Benchmarks are type-checked and linted like tests (eslint's project service needs a tsconfig that owns them).
new JsonFile(project, 'bench/tsconfig.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '..', types: ['node'] },
    include: ['**/*.ts'],
    exclude: ['node_modules'],
  },
});

// Examples too: they are type-checked and linted like tests.
new JsonFile(project, 'examples/tsconfig.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '..', types: ['node'] },
    include: ['**/*.ts'],
    exclude: ['node_modules'],
  },
});

registerCrdImportTask(project);

// `npm ci` / `npm install` in a clone also compiles: bin/eksa-iac runs lib/, so the README's quick start works right
// after install.
project.addTask('prepare', {
  description: 'Compile after install (bin/eksa-iac runs lib/)',
  steps: [{ spawn: 'compile' }],
});

// Moves the built-in EKS-A release (DEFAULT_EKSA_VERSION) after verifying the new one resolves; needs internet.
project.addTask('bundles:pin', {
  description:
    'Pin the default EKS-A release: `npx projen bundles:pin [VERSION]` (default: latest; needs internet)',
  env: { TS_NODE_PROJECT: 'tsconfig.dev.json', TS_NODE_TRANSPILE_ONLY: 'true' },
  steps: [{ exec: 'node -r ts-node/register projenrc/pin-eksa-release.ts', receiveArgs: true }],
});

project.addTask('bench', {
  description: 'Benchmarks: synthesis, simulated site, move, create (prints tables)',
  env: { TS_NODE_PROJECT: 'tsconfig.dev.json', TS_NODE_TRANSPILE_ONLY: 'true' },
  steps: [{ spawn: 'compile' }, { exec: 'node --expose-gc -r ts-node/register bench/main.ts' }],
});

project.synth();
