import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { FakePrograms } from './fake-programs';
import { backticked, commandArgv, fillEllipses, research, section } from './research';
import { DockerProgram, FluxProgram, HelmProgram, ociChart, ToolError } from '../../src/tools';

const EKSA = research('eksa');
const CILIUM = section(EKSA, '13. Cilium (not CAPI)', 'Legacy/PRE (v1beta1)');
const A1_STEP_6 = section(
  EKSA,
  '6. **workload-cluster-init**',
  '7. **install-resources-on-management-cluster**',
);
const A1_STEP_10 = section(EKSA, '10. **gitops-manager-install**', '11. **write-cluster-config**');
const A1_STEP_13 = section(EKSA, '13. **install-curated-packages**', '### A2.');
const A4 = section(EKSA, '### A4.', '### A5.');

let fakes: FakePrograms;

beforeEach(async () => {
  fakes = await FakePrograms.create();
});

afterEach(async () => {
  await fakes.cleanup();
});

function bundleCilium(): { helmChart: { uri: string } } {
  const bundles = parse(
    readFileSync(path.resolve(__dirname, '../../../shared/bundles/main-bundle-release.yaml'), 'utf8'),
  ) as { spec: { versionsBundles: Array<Record<string, any>> } };
  return bundles.spec.versionsBundles[0].cilium;
}

describe('HelmProgram', () => {
  test('template renders the bundle’s Cilium chart with the command of §c.13, values on stdin', async () => {
    await fakes.install('helm', [{ stdout: 'apiVersion: v1\nkind: ServiceAccount\n' }]);
    const { chart, version } = ociChart(bundleCilium().helmChart.uri);
    const values = { cni: { chainingMode: 'portmap' }, ipam: { mode: 'kubernetes' }, routingMode: 'tunnel' };
    const out = await new HelmProgram({ env: fakes.env() }).template({
      chart,
      version,
      namespace: 'kube-system',
      values,
      kubeVersion: 'v1.36.2',
    });
    expect(out).toBe('apiVersion: v1\nkind: ServiceAccount\n');
    const [call] = await fakes.calls('helm');
    const expected = commandArgv(backticked(CILIUM, 'helm template oci://'), {
      'bundle cilium helmChart': chart.replace(/^oci:\/\//, ''),
      tag: version,
    });
    expect(['helm', ...call.argv.slice(0, expected.length - 1)]).toEqual(expected);
    expect(call.argv.slice(expected.length - 1)).toEqual(['--kube-version', 'v1.36.2', '-f', '-']);
    expect(parse(call.stdin)).toEqual(values);
    expect(call.env.HELM_EXPERIMENTAL_OCI).toBe('1');
  });

  test('ociChart splits a chart image reference into chart and version', () => {
    expect(ociChart('public.ecr.aws/eks/cilium/cilium:1.19.4-1')).toEqual({
      chart: 'oci://public.ecr.aws/eks/cilium/cilium',
      version: '1.19.4-1',
    });
    expect(ociChart('mirror.local:443/eks/cilium/cilium:1.19.4-1').chart).toBe(
      'oci://mirror.local:443/eks/cilium/cilium',
    );
    expect(() => ociChart('mirror.local:443/eks/cilium/cilium')).toThrow(/has no tag/);
  });

  test('upgrade --install puts the packages controller in eksa-packages; credentials stay off argv', async () => {
    expect(A1_STEP_13).toContain('namespace `eksa-packages`');
    await fakes.install('helm', [{}]);
    await new HelmProgram({ env: fakes.env() }).upgradeInstall({
      release: 'eks-anywhere-packages',
      chart: 'oci://public.ecr.aws/eks-anywhere/eks-anywhere-packages',
      version: '0.4.17',
      namespace: 'eksa-packages',
      kubeconfigPath: 'mgmt/mgmt-eks-a-cluster.kubeconfig',
      values: { clusterName: 'mgmt', registry: { password: 'pw-in-values' } },
      waitTimeoutMs: 600_000,
    });
    const [call] = await fakes.calls('helm');
    expect(call.argv).toEqual([
      'upgrade',
      '--install',
      'eks-anywhere-packages',
      'oci://public.ecr.aws/eks-anywhere/eks-anywhere-packages',
      '--version',
      '0.4.17',
      '--namespace',
      'eksa-packages',
      '--create-namespace',
      '--kubeconfig',
      'mgmt/mgmt-eks-a-cluster.kubeconfig',
      '--wait',
      '--timeout',
      '600s',
      '-f',
      '-',
    ]);
    expect(call.argv.join(' ')).not.toContain('pw-in-values');
    expect(parse(call.stdin)).toEqual({ clusterName: 'mgmt', registry: { password: 'pw-in-values' } });
  });

  test('uninstall of a release that is not there reports not-found; other failures throw', async () => {
    await fakes.install('helm', [
      {
        match: ['uninstall', 'gone'],
        stderr: 'Error: uninstall: Release not loaded: gone: release: not found\n',
        exitCode: 1,
      },
      { match: ['uninstall', 'present'] },
      { match: ['uninstall', 'broken'], stderr: 'Error: Kubernetes cluster unreachable\n', exitCode: 1 },
    ]);
    const helm = new HelmProgram({ env: fakes.env() });
    const ref = { namespace: 'eksa-packages', kubeconfigPath: 'kc' };
    expect(await helm.uninstall({ release: 'gone', ...ref })).toBe('not-found');
    expect(await helm.uninstall({ release: 'present', ...ref })).toBe('uninstalled');
    await expect(helm.uninstall({ release: 'broken', ...ref })).rejects.toThrow(/cluster unreachable/);
    expect((await fakes.argvs('helm'))[1]).toEqual([
      'uninstall',
      'present',
      '--namespace',
      'eksa-packages',
      '--kubeconfig',
      'kc',
    ]);
  });
});

describe('FluxProgram', () => {
  test('bootstrap github runs the command of A1 step 10; the token goes in GITHUB_TOKEN only', async () => {
    await fakes.install('flux', [{ stderr: 'connecting with token ghp_TOKEN123\n', exitCode: 1 }]);
    const error = await new FluxProgram({ env: fakes.env() })
      .bootstrapGithub({
        owner: 'acme',
        repository: 'fleet',
        path: 'clusters/mgmt',
        personal: true,
        branch: 'main',
        namespace: 'flux-system',
        kubeconfigPath: 'mgmt/mgmt-eks-a-cluster.kubeconfig',
        token: 'ghp_TOKEN123',
      })
      .then(
        () => undefined,
        (e: unknown) => e as ToolError,
      );
    const expected = commandArgv(
      fillEllipses(
        backticked(A1_STEP_10, 'flux bootstrap github'),
        {
          '--repository': 'fleet',
          '--owner': 'acme',
          '--path': 'clusters/mgmt',
          '--branch': 'main',
          '--namespace': 'flux-system',
        },
        ['--personal'],
      ),
      {},
    );
    const [call] = await fakes.calls('flux');
    expect(['flux', ...call.argv]).toEqual([
      ...expected,
      '--kubeconfig',
      'mgmt/mgmt-eks-a-cluster.kubeconfig',
    ]);
    expect(call.env.GITHUB_TOKEN).toBe('ghp_TOKEN123');
    expect(call.argv.join(' ')).not.toContain('ghp_TOKEN123');
    expect(error!.message).toContain('connecting with token ***');
    expect(error!.message).not.toContain('ghp_TOKEN123');
  });

  test('bootstrap github without --personal leaves it out', async () => {
    await fakes.install('flux', [{}]);
    await new FluxProgram({ env: fakes.env() }).bootstrapGithub({
      owner: 'acme',
      repository: 'fleet',
      path: 'clusters/mgmt',
      kubeconfigPath: 'kc',
      token: 't',
    });
    expect((await fakes.argvs('flux'))[0]).not.toContain('--personal');
  });

  test('bootstrap git passes --url and --private-key-file (A1 step 10), the passphrase redacted', async () => {
    await fakes.install('flux', [{ stderr: 'decrypting key with key-passphrase\n' }]);
    const lines: string[] = [];
    await new FluxProgram({ env: fakes.env(), onOutput: (l) => lines.push(l) }).bootstrapGit({
      url: 'ssh://git@git.local/fleet.git',
      path: 'clusters/mgmt',
      privateKeyFile: '/home/u/.ssh/id_ecdsa',
      password: 'key-passphrase',
      knownHostsFile: '/home/u/.ssh/known_hosts',
      branch: 'main',
      kubeconfigPath: 'kc',
    });
    const [call] = await fakes.calls('flux');
    const prefix = commandArgv(
      fillEllipses(backticked(A1_STEP_10, 'flux bootstrap git '), {
        '--url': 'ssh://git@git.local/fleet.git',
        '--private-key-file': '/home/u/.ssh/id_ecdsa',
      }),
      {},
    );
    // Every flag/value pair of the research command is there.
    for (let i = 3; i < prefix.length; i += 2) {
      expect(call.argv[call.argv.indexOf(prefix[i]) + 1]).toBe(prefix[i + 1]);
    }
    expect(call.argv.slice(0, 2)).toEqual(['bootstrap', 'git']);
    expect(call.argv[call.argv.indexOf('--password') + 1]).toBe('key-passphrase');
    expect(call.argv).toContain('--silent');
    expect(call.env.SSH_KNOWNHOSTS).toBe('/home/u/.ssh/known_hosts');
    expect(lines).toEqual(['decrypting key with ***']);
  });

  test('suspend, resume and reconcile use the commands of A4 steps 4 and 9', async () => {
    await fakes.install('flux', [{}]);
    const flux = new FluxProgram({ env: fakes.env() });
    const ref = { name: 'flux-system', namespace: 'flux-system', kubeconfigPath: 'kc' };
    await flux.suspendKustomization(ref);
    await flux.reconcileSourceGit(ref);
    await flux.resumeKustomization(ref);
    const [suspend, reconcile, resume] = await fakes.argvs('flux');
    const withKubeconfig = (argv: string[]) => [...argv, '--kubeconfig', 'kc'];
    expect(['flux', ...suspend]).toEqual(
      withKubeconfig(commandArgv(backticked(A4, 'flux suspend ks'), { ns: 'flux-system' })),
    );
    const reconcileTemplate = commandArgv(backticked(A4, 'flux reconcile source git'), { ns: 'flux-system' });
    expect(['flux', ...reconcile]).toEqual(
      withKubeconfig([...reconcileTemplate, '--namespace', 'flux-system']),
    );
    const resumePrefix = backticked(A4, 'flux resume ks').split(' ');
    expect(['flux', ...resume]).toEqual(
      withKubeconfig([...resumePrefix, 'flux-system', '--namespace', 'flux-system']),
    );
  });
});

describe('DockerProgram', () => {
  test('hostPort runs `docker port <name>-lb 6443/tcp` (A1 step 6) and reads the IPv4 binding', async () => {
    await fakes.install('docker', [{ stdout: '[::]:32768\n0.0.0.0:32768\n' }]);
    const port = await new DockerProgram({ env: fakes.env() }).hostPort('mgmt-lb', '6443/tcp');
    expect(port).toEqual({ hostIp: '0.0.0.0', port: 32768 });
    const expected = commandArgv(backticked(A1_STEP_6, 'docker port'), { name: 'mgmt' });
    expect(['docker', ...(await fakes.argvs('docker'))[0]]).toEqual(expected);
  });

  test('hostPort of an unpublished port fails clearly', async () => {
    await fakes.install('docker', [{ stdout: '' }]);
    await expect(new DockerProgram({ env: fakes.env() }).hostPort('mgmt-lb', '6443/tcp')).rejects.toThrow(
      /docker port mgmt-lb 6443\/tcp: no published port/,
    );
  });

  test('info reads engine version and memory; an unreachable engine is an error', async () => {
    await fakes.install('docker', [
      {
        sequence: [
          {
            stdout: JSON.stringify({ ServerVersion: '27.3.1', MemTotal: 8_000_000_000, CgroupVersion: '2' }),
          },
          {
            stdout: JSON.stringify({
              ServerErrors: ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock'],
            }),
          },
        ],
      },
    ]);
    const docker = new DockerProgram({ env: fakes.env() });
    expect(await docker.info()).toEqual({
      serverVersion: '27.3.1',
      memTotalBytes: 8_000_000_000,
      cgroupVersion: '2',
      operatingSystem: undefined,
    });
    expect((await fakes.argvs('docker'))[0]).toEqual(['info', '--format', '{{json .}}']);
    await expect(docker.info()).rejects.toThrow(/not reachable: Cannot connect to the Docker daemon/);
  });
});
