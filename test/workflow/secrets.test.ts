/**
 * Kubeconfigs and credentials never appear in the log, in error messages, or in any file that is not 0600.
 * The secrets of a run: the API tokens of the bootstrap and the new cluster (in their kubeconfigs), the registry
 * mirror's password (in the kind node's containerd config and the CAPI manifests), the GitHub token (Flux).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { config, DOCKER_MGMT_GITOPS, FAST_TIMEOUTS, SHORT_WAIT } from './support/configs';
import { InstantSite, OFFLINE_BUNDLES } from './support/instant-site';
import { createCluster } from '../../src/workflow/create-cluster';
import { WorkflowError } from '../../src/workflow/errors';

const REGISTRY_PASSWORD = 'registry-pa55word-0123456789';
const GITHUB_TOKEN = 'ghp_simulatedtoken0123456789abcdef';

const WITH_MIRROR = DOCKER_MGMT_GITOPS.replace(
  '  managementCluster:',
  '  registryMirrorConfiguration:\n    endpoint: mirror.example.internal\n    port: "5000"\n    authenticate: true\n    insecureSkipVerify: true\n  managementCluster:',
);

/** Every form in which a secret value could leak into text. */
function forms(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64')];
}

function leaksIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => forms(s).some((f) => text.includes(f)));
}

let sim: InstantSite;
beforeEach(async () => {
  sim = await InstantSite.create({
    env: {
      EKSA_GITHUB_TOKEN: GITHUB_TOKEN,
      REGISTRY_USERNAME: 'robot',
      REGISTRY_PASSWORD: REGISTRY_PASSWORD,
    },
  });
});
afterEach(async () => {
  await sim.close();
});

test('no secret in the log or in a file readable by others, through a whole create', async () => {
  const tokens: string[] = [];
  // The bootstrap cluster is deleted at the end: take its token while it runs.
  const remember = setInterval(() => {
    for (const name of ['dev-eks-a-cluster', 'dev']) {
      const token = sim.cluster(name)?.token;
      if (token && !tokens.includes(token)) tokens.push(token);
    }
  }, 5);
  let result;
  try {
    result = await createCluster(sim.site, config(WITH_MIRROR), {
      bundles: OFFLINE_BUNDLES,
      timeouts: FAST_TIMEOUTS,
    });
  } finally {
    clearInterval(remember);
  }
  expect(tokens).toHaveLength(2);
  const basicAuth = Buffer.from(`robot:${REGISTRY_PASSWORD}`).toString('base64');
  const secrets = [...tokens, REGISTRY_PASSWORD, GITHUB_TOKEN, basicAuth];

  // The run did use them: Flux got the token, the kind node and the machines the registry credentials.
  expect(sim.operations.some((o) => o.type === 'tool' && o.program === 'flux')).toBe(true);
  expect(result.kubeconfig).toContain(tokens[1]);

  expect(sim.logLines.length).toBeGreaterThan(50);
  expect(leaksIn(sim.logLines.join('\n'), secrets)).toEqual([]);

  const files = sim.filesWithModes();
  const holding: string[] = [];
  for (const [file, mode] of files) {
    const leaked = leaksIn(fs.readFileSync(path.join(sim.workDir, file), 'utf8'), secrets);
    if (leaked.length === 0) continue;
    holding.push(file);
    expect({ file, mode: mode.toString(8) }).toEqual({ file, mode: '600' });
  }
  // The files that must hold credentials do, and only they.
  expect(holding.sort()).toEqual(
    [
      'dev/dev-eks-a-cluster.kubeconfig',
      'dev/generated/certs.d/mirror.example.internal:5000/hosts.toml',
      'dev/generated/certs.d/public.ecr.aws/hosts.toml',
      'dev/generated/dev-capi.yaml',
    ].sort(),
  );
});

test('no secret in the error or the diagnostics of a failed step', async () => {
  sim.stopped.add('capi');
  const error = await createCluster(sim.site, config(WITH_MIRROR), {
    bundles: OFFLINE_BUNDLES,
    timeouts: { ...FAST_TIMEOUTS, externalEtcdMs: SHORT_WAIT },
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowError);
  const tokens = [sim.cluster('dev-eks-a-cluster')!.token];
  const secrets = [...tokens, REGISTRY_PASSWORD, GITHUB_TOKEN];
  expect(leaksIn((error as Error).message, secrets)).toEqual([]);
  expect(leaksIn(sim.logLines.join('\n'), secrets)).toEqual([]);
  const dir = (error as WorkflowError).diagnosticsDir!;
  for (const [file, mode] of sim.filesWithModes()) {
    if (!file.startsWith(dir) && mode === 0o600) continue;
    expect({ file, leaked: leaksIn(fs.readFileSync(path.join(sim.workDir, file), 'utf8'), secrets) }).toEqual(
      { file, leaked: [] },
    );
  }
});
