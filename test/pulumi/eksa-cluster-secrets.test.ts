/**
 * Kubeconfigs and credentials never appear in plaintext in the outputs, the state, the log or the step records of
 * `pulumi up`, nor in a file that others can read. The secrets of a run: the API tokens of the bootstrap and the
 * new cluster (inside their kubeconfigs, as given by kind and by CAPI), the registry mirror's password (in the kind
 * node's containerd config and the CAPI manifests) and the GitHub token (Flux).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { SimulatedStack } from './support/simulated-stack';
import { EksaCluster } from '../../src/pulumi';
import { EngineRunError } from '../../src/testing';
import { config, DOCKER_MGMT_GITOPS } from '../workflow/support/configs';

const REGISTRY_PASSWORD = 'registry-pa55word-0123456789';
const GITHUB_TOKEN = 'ghp_simulatedtoken0123456789abcdef';
const WITH_MIRROR = DOCKER_MGMT_GITOPS.replace(
  '  managementCluster:',
  '  registryMirrorConfiguration:\n    endpoint: mirror.example.internal\n    port: "5000"\n    authenticate: true\n    insecureSkipVerify: true\n  managementCluster:',
);

/** The forms in which a secret could leak into text. */
function leaksIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => [s, Buffer.from(s).toString('base64')].some((f) => text.includes(f)));
}

let stack: SimulatedStack;
beforeEach(async () => {
  stack = await SimulatedStack.create({
    env: { EKSA_GITHUB_TOKEN: GITHUB_TOKEN, REGISTRY_USERNAME: 'robot', REGISTRY_PASSWORD },
  });
});
afterEach(async () => {
  await stack.close();
});

const program = () => () => {
  const cluster = new EksaCluster('dev', stack.args({ config: config(WITH_MIRROR) }));
  return { kubeconfig: cluster.kubeconfig, endpoint: cluster.endpoint };
};

/**
 * The API token of a kubeconfig. The bootstrap cluster is deleted by the end of the up, so its token is read from
 * its kubeconfig in the (decrypted) state; a polling timer would race the simulated site's own short timers.
 */
function tokenOf(kubeconfig: unknown): string {
  const doc = parse(String(kubeconfig)) as { users: { user: { token?: string } }[] };
  const token = doc.users[0]?.user.token;
  if (!token) throw new Error('no token in the kubeconfig');
  return token;
}

test('no kubeconfig or credential in plaintext in outputs, state, log, step records or files others can read', async () => {
  const { sim, engine } = stack;
  const result = await engine.up(program());
  const tokens = [tokenOf(engine.revealOutputs('dev-bootstrap').kubeconfig), sim.cluster('dev')!.token];
  expect(new Set(tokens).size).toBe(2);
  const basicAuth = Buffer.from(`robot:${REGISTRY_PASSWORD}`).toString('base64');
  const secrets = [...tokens, REGISTRY_PASSWORD, GITHUB_TOKEN, basicAuth];

  // The secrets were there to leak: the run used them, and the state holds both kubeconfigs (encrypted).
  expect(sim.operations.some((o) => o.type === 'tool' && o.program === 'flux')).toBe(true);
  expect(engine.revealOutputs('dev-bootstrap').kubeconfig).toContain(tokens[0]);
  expect(engine.revealOutputs('dev-workload').kubeconfig).toContain(tokens[1]);
  expect(engine.revealOutputs('dev-capi-providers').bootstrapKubeconfig).toContain(tokens[0]);

  expect(result.outputs).toMatchObject({ kubeconfig: '[secret]' });
  expect(leaksIn(JSON.stringify(result.outputs), secrets)).toEqual([]);
  expect(leaksIn(engine.stateJson(), secrets)).toEqual([]);
  expect(engine.logText().split('\n').length).toBeGreaterThan(50);
  expect(leaksIn(engine.logText(), secrets)).toEqual([]);
  expect(leaksIn(JSON.stringify(engine.steps), secrets)).toEqual([]);
  expect(leaksIn(JSON.stringify(engine.resources()), secrets)).toEqual([]);

  // Every kubeconfig, in and out, is a secret of the state (the engine stores it sealed).
  const state = engine.state() as unknown as {
    deployment: { resources: { urn: string; inputs?: object; outputs?: object }[] };
  };
  const kubeconfigFields = state.deployment.resources.flatMap((r) =>
    [...Object.entries(r.inputs ?? {}), ...Object.entries(r.outputs ?? {})]
      .filter(([key]) => /kubeconfig$/i.test(key) && !/Path$/.test(key))
      .map(([key, value]) => ({ key, secret: isSealed(value) })),
  );
  expect(kubeconfigFields.length).toBeGreaterThan(10);
  expect(kubeconfigFields.filter((f) => !f.secret)).toEqual([]);

  // Files: what holds a credential is 0600, and only the files that must hold one do.
  const holding: string[] = [];
  for (const [file, mode] of sim.filesWithModes()) {
    if (leaksIn(fs.readFileSync(path.join(sim.workDir, file), 'utf8'), secrets).length === 0) continue;
    holding.push(file);
    expect({ file, mode: mode.toString(8) }).toEqual({ file, mode: '600' });
  }
  expect(holding.sort()).toEqual(
    [
      'dev/dev-eks-a-cluster.kubeconfig',
      'dev/generated/certs.d/mirror.example.internal:5000/hosts.toml',
      'dev/generated/certs.d/public.ecr.aws/hosts.toml',
      'dev/generated/dev-capi.yaml',
    ].sort(),
  );
});

test('no secret in the error, the state, the log or the diagnostics of a failed pulumi up', async () => {
  const { sim, engine } = stack;
  sim.stopped.add('capi');
  const error = await engine.up(program()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineRunError);
  const secrets = [sim.cluster('dev-eks-a-cluster')!.token, REGISTRY_PASSWORD, GITHUB_TOKEN];
  expect(engine.revealOutputs('dev-bootstrap').kubeconfig).toContain(secrets[0]);

  const message = (error as Error).message;
  expect(message).toContain('step wait-external-etcd failed');
  expect(leaksIn(message, secrets)).toEqual([]);
  expect(leaksIn(engine.stateJson(), secrets)).toEqual([]);
  expect(leaksIn(engine.logText(), secrets)).toEqual([]);
  expect(leaksIn(JSON.stringify(engine.steps), secrets)).toEqual([]);
  const dir = /diagnostics: (\S+)/.exec(message)![1];
  for (const [file, mode] of sim.filesWithModes()) {
    if (!file.startsWith(dir) && mode === 0o600) continue;
    const leaked = leaksIn(fs.readFileSync(path.join(sim.workDir, file), 'utf8'), secrets);
    expect({ file, leaked }).toEqual({ file, leaked: [] });
  }
});

/** A value the engine's state stores as a secret (the checkpoint's secret envelope). */
function isSealed(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)['4dabf18193072939515e22adb298388d'] ===
      '1b47061264138c4ac30d75fd1eb44270'
  );
}
