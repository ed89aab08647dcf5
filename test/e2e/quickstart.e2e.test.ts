/**
 * Opt-in end to end (`EKSA_E2E=1`): the root Pulumi project (examples/quickstart) with the real programs — `pulumi
 * up` creates the docker cluster, an edited config upgrades it one Kubernetes minor with `pulumi up`, and `pulumi
 * destroy` deletes it. It needs Docker, kind, clusterctl, helm, the Pulumi CLI and a compiled `lib/` (`npm ci`), and
 * takes tens of minutes. CI and this project's shared machine have none of these programs, so it is skipped there;
 * the same chain runs in every CI build through the in-process engine against the simulated site (test/pulumi).
 *
 * The stack is a fresh one on the project's local file backend (.pulumi-state/), removed at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpKubeClient } from '../../src/kube/client';

const ROOT = path.resolve(__dirname, '../..');
const ENABLED = process.env.EKSA_E2E === '1';
const PROGRAMS = ['pulumi', 'docker', 'kind', 'clusterctl', 'helm'];
const HOUR = 60 * 60 * 1000;

const run = ENABLED ? describe : describe.skip;

run('pulumi up, upgrade and destroy of examples/quickstart with the real tools (opt-in: EKSA_E2E=1)', () => {
  const stack = `e2e-${randomBytes(4).toString('hex')}`;
  let work: string;
  let env: NodeJS.ProcessEnv;

  const pulumi = (...args: string[]): string =>
    execFileSync('pulumi', [...args, '--stack', stack, '--non-interactive'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  const configFile = (version: string): string => {
    const file = path.join(work, `cluster-${version}.yaml`);
    const yaml = fs
      .readFileSync(path.join(ROOT, 'examples/quickstart/cluster.yaml'), 'utf8')
      .replace(/kubernetesVersion: ["'][0-9.]+["']/, `kubernetesVersion: '${version}'`);
    fs.writeFileSync(file, yaml);
    return file;
  };
  const nodeVersions = async (): Promise<string[]> => {
    const file = pulumi('stack', 'output', 'kubeconfigPath').trim();
    const client = await HttpKubeClient.connect({ kubeconfig: { file } });
    try {
      const nodes = await client.list('v1', 'Node');
      return nodes.map(
        (n) =>
          (n as { status?: { nodeInfo?: { kubeletVersion?: string } } }).status?.nodeInfo?.kubeletVersion ??
          '?',
      );
    } finally {
      client.close();
    }
  };

  beforeAll(
    () => {
      const missing = PROGRAMS.filter(
        (p) => spawnSync(p, ['version'], { stdio: 'ignore' }).error !== undefined,
      );
      if (missing.length > 0) {
        throw new Error(`EKSA_E2E=1 needs ${missing.join(', ')} on PATH (and Docker running)`);
      }
      if (!fs.existsSync(path.join(ROOT, 'lib/pulumi/handlers/index.js'))) {
        throw new Error('EKSA_E2E=1 needs the compiled library: run npm ci (or npx projen compile) first');
      }
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-e2e-'));
      env = {
        ...process.env,
        PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString('hex'),
        PULUMI_SKIP_UPDATE_CHECK: 'true',
        NODE_OPTIONS: '',
      };
      pulumi('stack', 'init');
      pulumi('config', 'set', 'workDir', path.join(work, 'out'));
      pulumi('config', 'set', 'clusterConfig', configFile('1.35'));
    },
    5 * 60 * 1000,
  );

  afterAll(() => {
    if (!work) return;
    // Whatever happened, leave no stack behind (the cluster itself is the destroy test's to delete).
    spawnSync('pulumi', ['stack', 'rm', '--yes', '--force', '--stack', stack], { cwd: ROOT, env });
  });

  test(
    'pulumi up creates the cluster; its kubeconfig is a secret output and a 0600 file',
    async () => {
      pulumi('up', '--yes', '--skip-preview');
      expect(pulumi('stack', 'output', 'kubeconfig')).toContain('[secret]');
      const file = pulumi('stack', 'output', 'kubeconfigPath').trim();
      expect(fs.statSync(file).mode % 0o1000).toBe(0o600);
      expect((await nodeVersions()).every((v) => v.startsWith('v1.35'))).toBe(true);
      // The bootstrap cluster is gone.
      expect(execFileSync('kind', ['get', 'clusters'], { encoding: 'utf8' })).not.toContain(
        'quickstart-eks-a-cluster',
      );
      // A second up changes nothing.
      expect(pulumi('preview', '--expect-no-changes')).toBeDefined();
    },
    HOUR,
  );

  test(
    'a one-minor upgrade previews its rollout, then pulumi up rolls every node to the new version',
    async () => {
      pulumi('config', 'set', 'clusterConfig', configFile('1.36'));
      const preview = pulumi('preview', '--diff');
      expect(preview).toMatch(/WorkloadCluster/);
      expect(preview).toMatch(/control plane: .*1\.35.*1\.36/);
      pulumi('up', '--yes', '--skip-preview');
      expect((await nodeVersions()).every((v) => v.startsWith('v1.36'))).toBe(true);
    },
    HOUR,
  );

  test(
    'pulumi destroy deletes the cluster: no kind cluster, no CAPD containers, no state',
    () => {
      pulumi('destroy', '--yes', '--skip-preview');
      expect(execFileSync('kind', ['get', 'clusters'], { encoding: 'utf8' })).not.toContain('quickstart');
      const containers = execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' });
      expect(containers.split('\n').filter((n) => n.startsWith('quickstart-'))).toEqual([]);
      expect(JSON.parse(pulumi('stack', 'export')).deployment.resources ?? []).toEqual([]);
    },
    HOUR,
  );
});

if (!ENABLED) {
  // Say why in the run's output, not only in this file.
  test.skip('skipped: set EKSA_E2E=1 on a machine with Docker, kind, clusterctl, helm and the Pulumi CLI', () => {});
}
