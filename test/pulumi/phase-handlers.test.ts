/**
 * The parts of the phase resources that the stack tests do not isolate: the handler table and the schemas, the
 * site a handler opens (real tools by default, a registered site only when asked), and the site registry.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { handlerNames } from '../../src/pulumi/handlers';
import { openSite, siteProblems, toWorkflowLogger } from '../../src/pulumi/handlers/site';
import { createHandlerLogger, type LogLevel } from '../../src/pulumi/redacting-logger';
import { dynamicTypeToken, secretInputKeys, secretOutputKeys } from '../../src/pulumi/resource-schema';
import * as schemas from '../../src/pulumi/resources/schemas';
import { registerSite, registeredSite } from '../../src/pulumi/site-registry';
import { KindProgram } from '../../src/tools/kind-cli';
import { createLocalSite } from '../../src/workflow/site';

const PHASE_SCHEMAS = [
  schemas.bootstrapClusterSchema,
  schemas.capiProvidersSchema,
  schemas.workloadClusterSchema,
  schemas.managementMoveSchema,
  schemas.eksaComponentsSchema,
  schemas.gitOpsSchema,
  schemas.clusterConfigFilesSchema,
  schemas.bootstrapCleanupSchema,
  schemas.curatedPackagesSchema,
];

function capture() {
  const lines: string[] = [];
  const logger = createHandlerLogger({
    label: 'WorkloadCluster',
    sink: { write: (level: LogLevel, line: string) => lines.push(`${level} ${line}`) },
    debug: true,
  });
  return { lines, logger };
}

test('every phase schema is served by the handler module under its own name, with a token of its own', () => {
  expect(PHASE_SCHEMAS.map((s) => s.handler)).toEqual(
    PHASE_SCHEMAS.map((s) => ({ module: 'eksa-iac/pulumi/handlers', name: s.type })),
  );
  expect([...handlerNames].sort()).toEqual(PHASE_SCHEMAS.map((s) => s.type).sort());
  expect(new Set(PHASE_SCHEMAS.map(dynamicTypeToken)).size).toBe(PHASE_SCHEMAS.length);
  expect(dynamicTypeToken(schemas.workloadClusterSchema)).toBe(
    'pulumi-nodejs:dynamic/eksa-iac/cluster:WorkloadCluster',
  );
  // Every kubeconfig, input or output, is a secret; nothing else is.
  for (const schema of PHASE_SCHEMAS) {
    const all = [...Object.keys(schema.inputs), ...Object.keys(schema.outputs)];
    const kubeconfigs = all.filter((k) => /kubeconfig$/i.test(k) && !/Path|File$/.test(k)).sort();
    expect([...secretInputKeys(schema), ...secretOutputKeys(schema)].sort()).toEqual(kubeconfigs);
    // The status a resume needs is an output of every phase.
    expect(Object.keys(schema.outputs)).toEqual(
      expect.arrayContaining(['status', 'failedStep', 'diagnosticsDir']),
    );
  }
  // Fixed names: a replacement cannot exist beside the old one.
  expect(schemas.bootstrapClusterSchema.deleteBeforeReplace).toBe(true);
  expect(schemas.workloadClusterSchema.deleteBeforeReplace).toBe(true);
  expect(schemas.workloadClusterSchema.inputs.clusterName.replaceReason).toMatch(/identity/);
});

test('without a ref, a handler runs the real programs under the working directory, with the configured paths', async () => {
  const { logger } = capture();
  const workDir = path.join(os.tmpdir(), 'eksa-iac-site-test');
  const site = openSite({ workDir, toolPaths: { kind: '/opt/nowhere/kind' } }, logger);
  expect(site.files.root).toBe(workDir);
  expect(site.tools.kind).toBeInstanceOf(KindProgram);
  expect(site.signal).toBeUndefined();
  // The preflight checks the configured executable, not the name on PATH.
  const report = await site
    .preflight([{ tool: 'kind', reason: 'test' }], { env: { PATH: '' } })
    .catch((e: { report?: { problems: { message: string }[] } }) => e.report);
  expect(report?.problems.map((p) => p.message).join('\n')).toContain('/opt/nowhere/kind');
  // A relative working directory is relative to the provider process's directory (the project directory).
  expect(openSite(undefined, logger).files.root).toBe(process.cwd());
  expect(openSite({ workDir: 'out' }, logger).files.root).toBe(path.resolve('out'));
});

test('a registered site is used only by resources that name it, and only while registered', () => {
  const { logger } = capture();
  const made: string[] = [];
  const unregister = registerSite('phase-handlers-test', (request) => {
    made.push(request.workDir);
    return createLocalSite({ workDir: os.tmpdir(), logger: request.logger });
  });
  try {
    expect(() => registerSite('phase-handlers-test', () => createLocalSite())).toThrow(
      /registered as .* already/,
    );
    const site = openSite({ ref: 'phase-handlers-test', workDir: 'out' }, logger);
    expect(site.files.root).toBe(os.tmpdir());
    expect(made).toEqual(['out']);
    expect(siteProblems({ ref: 'phase-handlers-test' })).toEqual([]);
  } finally {
    unregister();
  }
  expect(registeredSite('phase-handlers-test')).toBeUndefined();
  expect(() => openSite({ ref: 'phase-handlers-test' }, logger)).toThrow(
    /names no site registered in this process/,
  );
  expect(
    siteProblems({ ref: 'phase-handlers-test', toolPaths: { kubectl: 'x' } as never, workDir: '' }),
  ).toEqual([
    'workDir must be a non-empty path',
    'toolPaths.kubectl: not a program eksa-iac runs (it runs docker, kind, clusterctl, helm, flux)',
    expect.stringContaining("ref 'phase-handlers-test' names no site registered"),
  ]);
});

test('the registry is shared by every copy of the library in a process', () => {
  const unregister = registerSite('shared-copy-test', () => createLocalSite());
  try {
    jest.isolateModules(() => {
      // A second copy of the module, as when a test imports the sources and a handler requires the package.
      type Registry = typeof import('../../src/pulumi/site-registry');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const copy = require('../../src/pulumi/site-registry') as Registry;
      expect(copy.registeredSite).not.toBe(registeredSite);
      expect(copy.registeredSite('shared-copy-test')).toBeDefined();
    });
  } finally {
    unregister();
  }
});

test('workflow lines reach the handler logger without the repeated phase name, redacted', () => {
  const { lines, logger } = capture();
  logger.addSecret('s3cr3t-token-value');
  const workflow = toWorkflowLogger(logger, 'WorkloadCluster');
  workflow.info('WorkloadCluster dev: wait-control-plane: done');
  workflow.warn('WorkloadCluster dev: token s3cr3t-token-value seen');
  workflow.debug?.('other text');
  expect(lines).toEqual([
    'info [eksa-iac] WorkloadCluster: dev: wait-control-plane: done',
    'warn [eksa-iac] WorkloadCluster: dev: token [redacted] seen',
    'debug [eksa-iac] WorkloadCluster: other text',
  ]);
});
