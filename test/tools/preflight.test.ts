import * as path from 'node:path';
import { FakePrograms } from './fake-programs';
import { research, section } from './research';
import {
  checkTools,
  MINIMUM_TOOL_VERSIONS,
  preflight,
  PreflightError,
  toolRequirements,
} from '../../src/tools';

let fakes: FakePrograms;

beforeEach(async () => {
  fakes = await FakePrograms.create();
});

afterEach(async () => {
  await fakes.cleanup();
});

/** Fakes that print what the real programs print for their version commands. */
async function installTools(versions: {
  kind?: string;
  clusterctl?: string;
  helm?: string;
  flux?: string;
  docker?: string;
  dockerInfo?: Record<string, unknown>;
}): Promise<void> {
  if (versions.kind) {
    await fakes.install('kind', [
      { match: ['version'], stdout: `kind ${versions.kind} go1.26.0 linux/amd64\n` },
    ]);
  }
  if (versions.clusterctl) {
    await fakes.install('clusterctl', [
      {
        match: ['version', '-o', 'json'],
        stdout: JSON.stringify({
          clusterctl: { major: '1', gitVersion: versions.clusterctl, goVersion: 'go1.24.1' },
        }),
      },
    ]);
  }
  if (versions.helm) {
    await fakes.install('helm', [{ match: ['version', '--short'], stdout: `${versions.helm}\n` }]);
  }
  if (versions.flux) {
    await fakes.install('flux', [{ match: ['version', '--client'], stdout: `flux: ${versions.flux}\n` }]);
  }
  if (versions.docker) {
    await fakes.install('docker', [
      { match: ['version'], stdout: `${versions.docker}\n` },
      {
        match: ['info'],
        stdout: JSON.stringify(
          versions.dockerInfo ?? { ServerVersion: versions.docker, MemTotal: 16_000_000_000 },
        ),
      },
    ]);
  }
}

const onlyFakes = () => ({ env: { PATH: fakes.dir } });

describe('preflight', () => {
  test('every tool present and recent enough: the versions found are reported', async () => {
    await installTools({
      kind: 'v0.32.0',
      clusterctl: 'v1.13.2-eks-a-v0.26.1',
      helm: 'v3.16.2+g13654a5',
      flux: 'v2.8.8',
      docker: '27.3.1',
    });
    const report = await preflight(
      toolRequirements({ kubernetesVersion: '1.36', gitOps: true }),
      onlyFakes(),
    );
    expect(report.problems).toEqual([]);
    expect(Object.fromEntries(report.checks.map((c) => [c.tool, c.version]))).toEqual({
      docker: '27.3.1',
      kind: 'v0.32.0',
      clusterctl: 'v1.13.2-eks-a-v0.26.1',
      helm: 'v3.16.2+g13654a5',
      flux: 'v2.8.8',
    });
    expect(report.checks.find((c) => c.tool === 'kind')!.executable).toBe(path.join(fakes.dir, 'kind'));
    expect(report.warnings).toEqual([]);
    expect((await fakes.argvs('clusterctl'))[0]).toEqual(['version', '-o', 'json']);
    expect((await fakes.argvs('docker')).map((a) => a[0])).toEqual(['version', 'info']);
  });

  test('all problems are reported at once: missing, too old, unreadable, engine down', async () => {
    await installTools({
      kind: 'v0.31.0',
      clusterctl: 'v1.10.4',
      docker: '27.3.1',
      dockerInfo: { ServerErrors: ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock'] },
    });
    await fakes.install('helm', [{ stdout: 'something unexpected\n' }]);
    let error: PreflightError | undefined;
    try {
      await preflight(toolRequirements({ kubernetesVersion: '1.36', gitOps: true }), onlyFakes());
    } catch (e) {
      error = e as PreflightError;
    }
    expect(error).toBeInstanceOf(PreflightError);
    const byTool = Object.fromEntries(error!.problems.map((p) => [p.tool, p]));
    expect(Object.keys(byTool).sort()).toEqual(['clusterctl', 'docker', 'flux', 'helm', 'kind']);
    expect(byTool.flux.kind).toBe('missing');
    expect(byTool.kind).toMatchObject({ kind: 'too-old', found: 'v0.31.0', minVersion: 'v0.32.0' });
    expect(byTool.clusterctl).toMatchObject({ kind: 'too-old', found: 'v1.10.4', minVersion: 'v1.11.0' });
    expect(byTool.helm.kind).toBe('unknown-version');
    expect(byTool.docker.kind).toBe('not-working');

    const message = error!.message;
    expect(message).toMatch(
      /^preflight: 5 required programs are missing, too old or not working; nothing was created/,
    );
    expect(message).toContain('flux: not found on PATH');
    expect(message).toContain(`kind: found v0.31.0 (${path.join(fakes.dir, 'kind')}), need v0.32.0 or newer`);
    expect(message).toContain('Kubernetes 1.36 needs kind ≥ v0.32.0');
    expect(message).toContain('clusterctl: found v1.10.4');
    expect(message).toContain('cannot read a version from `helm version --short`');
    expect(message).toContain(
      'Docker engine is not reachable: docker info: the Docker engine is not reachable',
    );
    // Each comes with the official install page, and a command for the needed version where there is one.
    expect(message).toContain('install: https://kind.sigs.k8s.io/docs/user/quick-start/#installation');
    expect(message).toMatch(
      /curl -Lo \.\/kind https:\/\/kind\.sigs\.k8s\.io\/dl\/v0\.32\.0\/kind-(linux|darwin)-(amd64|arm64)/,
    );
    expect(message).toContain('install: https://cluster-api.sigs.k8s.io/user/quick-start#install-clusterctl');
    expect(message).toContain('/releases/download/v1.11.0/clusterctl-');
    expect(message).toContain('install: https://fluxcd.io/flux/installation/#install-the-flux-cli');
    expect(message).toContain('install: https://helm.sh/docs/intro/install/');
    expect(message).toContain('install: https://docs.docker.com/engine/install/');
  });

  test('checkTools returns the same problems without throwing', async () => {
    const report = await checkTools([{ tool: 'helm' }], onlyFakes());
    expect(report.problems.map((p) => [p.tool, p.kind])).toEqual([['helm', 'missing']]);
    expect(report.checks).toEqual([{ tool: 'helm', minVersion: MINIMUM_TOOL_VERSIONS.helm, ok: false }]);
  });

  test('a configured path is checked instead of PATH, and a wrong path is named', async () => {
    const file = await fakes.install('kind-custom', [{ stdout: 'kind v0.32.0 go1.26.0 linux/amd64\n' }]);
    const ok = await preflight([{ tool: 'kind' }], { env: { PATH: '/nonexistent' }, paths: { kind: file } });
    expect(ok.checks[0]).toMatchObject({ executable: file, version: 'v0.32.0', ok: true });
    const missing = path.join(fakes.dir, 'no-such-kind');
    await expect(
      preflight([{ tool: 'kind' }], { env: { PATH: '' }, paths: { kind: missing } }),
    ).rejects.toThrow(`kind: not found at ${missing}`);
  });

  test('little Docker memory is a warning, not a failure', async () => {
    await installTools({
      docker: '24.0.7',
      dockerInfo: { ServerVersion: '24.0.7', MemTotal: 4_000_000_000 },
    });
    const report = await preflight([{ tool: 'docker' }], onlyFakes());
    expect(report.warnings).toEqual([
      'docker: the engine has 4.0 GB of memory; EKS-A recommends at least 6.2 GB for a bootstrap and a docker-provider cluster',
    ]);
  });

  test('a version command that fails is reported with its stderr', async () => {
    await fakes.install('clusterctl', [{ stderr: 'exec format error\n', exitCode: 126 }]);
    await expect(preflight([{ tool: 'clusterctl' }], onlyFakes())).rejects.toThrow(
      /clusterctl: .* failed to report its version: .*exited with code 126[\s\S]*exec format error/,
    );
  });
});

describe('toolRequirements', () => {
  const minOf = (reqs: ReturnType<typeof toolRequirements>, tool: string) =>
    reqs.filter((r) => r.tool === tool).map((r) => r.minVersion);

  test('Kubernetes 1.36 raises kind to v0.32.0; earlier versions keep the default', () => {
    expect(minOf(toolRequirements({ kubernetesVersion: '1.36' }), 'kind')).toContain('v0.32.0');
    expect(minOf(toolRequirements({ kubernetesVersion: '1.35' }), 'kind')).toEqual([undefined]);
  });

  test('flux only with GitOps; helm unless switched off; docker, kind and clusterctl always', () => {
    const tools = (input: Parameters<typeof toolRequirements>[0]) => [
      ...new Set(toolRequirements(input).map((r) => r.tool)),
    ];
    expect(tools({})).toEqual(['docker', 'kind', 'clusterctl', 'helm']);
    expect(tools({ gitOps: true })).toContain('flux');
    expect(tools({ helm: false })).not.toContain('helm');
  });

  test('the v1beta1 contract lowers the clusterctl minimum', async () => {
    await installTools({ clusterctl: 'v1.10.4' });
    const reqs = toolRequirements({ capiContract: 'v1beta1' }).filter((r) => r.tool === 'clusterctl');
    const report = await preflight(reqs, onlyFakes());
    expect(report.checks[0]).toMatchObject({
      tool: 'clusterctl',
      version: 'v1.10.4',
      minVersion: 'v1.6.0',
      ok: true,
    });
  });

  test('the clusterctl minimum is the release that moved to the v1beta2 contract (capi.md §6)', () => {
    const row = section(
      research('capi'),
      '## 6. Behaviour by clusterctl version',
      'Earlier clusterctl versions',
    )
      .split('|')
      .map((c) => c.trim());
    const at = row.findIndex((c) => c.startsWith('v1beta2 status fields'));
    expect(at).toBeGreaterThan(0);
    expect(MINIMUM_TOOL_VERSIONS.clusterctl).toBe(row[at + 1]);
  });
});
