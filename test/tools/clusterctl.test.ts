import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { FakePrograms } from './fake-programs';
import { backticked, commandArgv, fillEllipses, research, section } from './research';
import {
  ClusterctlProgram,
  ClusterctlProviderSource,
  ClusterctlProviderType,
  moveWithRetry,
  providerFolder,
  RenderInputError,
  renderClusterctlLayout,
  secret,
  ToolError,
  writeClusterctlLayout,
} from '../../src/tools';

const EKSA = research('eksa');
const CAPI = research('capi');
const A1_STEP_4 = section(
  EKSA,
  '4. **install-capi-components-bootstrap**',
  '5. **eksa-components-bootstrap-install**',
);
const A1_STEP_8 = section(EKSA, '8. **capi-management-move**', '9. **eksa-components-workload-install**');
const A2 = section(EKSA, '### A2.', '### A3.');
const A4 = section(EKSA, '### A4.', '### A5.');

/** The docker versions bundle of ../shared/bundles (Kubernetes 1.36), as the layout's provider sources. */
function bundleProviders(): {
  providers: ClusterctlProviderSource[];
  certManager: { version: string; uri: string };
} {
  const bundles = parse(
    readFileSync(path.resolve(__dirname, '../../../shared/bundles/main-bundle-release.yaml'), 'utf8'),
  ) as { spec: { versionsBundles: Array<Record<string, any>> } };
  const vb = bundles.spec.versionsBundles.find((b) => b.kubeVersion === '1.36')!;
  const source = (name: string, type: ClusterctlProviderType, entry: any): ClusterctlProviderSource => ({
    name,
    type,
    version: entry.version,
    components: { uri: entry.components.uri },
    metadata: { uri: entry.metadata.uri },
  });
  return {
    providers: [
      source('cluster-api', 'CoreProvider', vb.clusterAPI),
      source('kubeadm', 'BootstrapProvider', vb.bootstrap),
      source('kubeadm', 'ControlPlaneProvider', vb.controlPlane),
      source('etcdadm-bootstrap', 'BootstrapProvider', vb.etcdadmBootstrap),
      source('etcdadm-controller', 'BootstrapProvider', vb.etcdadmController),
      source('docker', 'InfrastructureProvider', vb.docker),
    ],
    certManager: { version: vb.certManager.version, uri: vb.certManager.manifest.uri },
  };
}

let fakes: FakePrograms;

beforeEach(async () => {
  fakes = await FakePrograms.create();
});

afterEach(async () => {
  await fakes.cleanup();
});

describe('ClusterctlProgram', () => {
  test('init runs the command of EKS-A A1 step 4, with the provider env', async () => {
    await fakes.install('clusterctl', [{}]);
    const versions: Record<string, string> = {
      'cluster-api': 'v1.13.2+abcdef1',
      kubeadm: 'v1.13.2+abcdef1',
      docker: 'v1.13.2+abcdef1',
      'etcdadm-bootstrap': 'v1.0.22+abcdef1',
      'etcdadm-controller': 'v1.0.28+abcdef1',
    };
    const clusterctl = new ClusterctlProgram({ env: fakes.env() });
    await clusterctl.init({
      kubeconfigPath: 'mgmt/generated/mgmt.kind.kubeconfig',
      configPath: '/w/mgmt/generated/clusterctl_tmp.yaml',
      core: { name: 'cluster-api', version: versions['cluster-api'] },
      bootstrap: [
        { name: 'kubeadm', version: versions.kubeadm },
        { name: 'etcdadm-bootstrap', version: versions['etcdadm-bootstrap'] },
        { name: 'etcdadm-controller', version: versions['etcdadm-controller'] },
      ],
      controlPlane: [{ name: 'kubeadm', version: versions.kubeadm }],
      infrastructure: [{ name: 'docker', version: versions.docker }],
      env: { GITHUB_TOKEN: secret('ghp_x'), EXP_CLUSTER_RESOURCE_SET: 'true' },
    });
    const template = backticked(A1_STEP_4, 'clusterctl init --core').replace(
      /(<provider>|[a-z-]+):<v>/g,
      (_, name: string) =>
        `${name === '<provider>' ? 'docker' : name}:${versions[name === '<provider>' ? 'docker' : name]}`,
    );
    const expected = commandArgv(template, {
      'clusterctl_tmp.yaml': '/w/mgmt/generated/clusterctl_tmp.yaml',
      'kind kubeconfig': 'mgmt/generated/mgmt.kind.kubeconfig',
    });
    const [call] = await fakes.calls('clusterctl');
    expect(['clusterctl', ...call.argv]).toEqual(expected);
    expect(call.env.GITHUB_TOKEN).toBe('ghp_x');
    expect(call.env.EXP_CLUSTER_RESOURCE_SET).toBe('true');
  });

  test('init that only adds the etcdadm providers starts with --config (A4 step 3)', async () => {
    await fakes.install('clusterctl', [{}]);
    await new ClusterctlProgram({ env: fakes.env() }).init({
      kubeconfigPath: 'kc',
      configPath: 'cfg.yaml',
      bootstrap: [
        { name: 'etcdadm-bootstrap', version: 'v1.0.22' },
        { name: 'etcdadm-controller', version: 'v1.0.28' },
      ],
    });
    const prefix = backticked(A4, 'clusterctl init --config').split(' … ')[0]; // "clusterctl init --config"
    const [argv] = await fakes.argvs('clusterctl');
    expect(['clusterctl', ...argv].slice(0, 3)).toEqual(prefix.split(' '));
    expect(argv).toEqual([
      'init',
      '--config',
      'cfg.yaml',
      '--bootstrap',
      'etcdadm-bootstrap:v1.0.22',
      '--bootstrap',
      'etcdadm-controller:v1.0.28',
      '--kubeconfig',
      'kc',
    ]);
  });

  test('move runs the command of A1 step 8', async () => {
    await fakes.install('clusterctl', [{}]);
    await new ClusterctlProgram({ env: fakes.env() }).move({
      fromKubeconfigPath: 'mgmt/generated/mgmt.kind.kubeconfig',
      toKubeconfigPath: 'mgmt/generated/mgmt.kubeconfig',
      namespace: 'eksa-system',
      filterCluster: 'mgmt',
    });
    const expected = commandArgv(backticked(A1_STEP_8, 'clusterctl move --to-kubeconfig'), {
      new: 'mgmt/generated/mgmt.kubeconfig',
      name: 'mgmt',
      kind: 'mgmt/generated/mgmt.kind.kubeconfig',
    });
    expect(['clusterctl', ...(await fakes.argvs('clusterctl'))[0]]).toEqual(expected);
  });

  test('move without a filter omits --filter-cluster (upstream clusterctl)', async () => {
    await fakes.install('clusterctl', [{}]);
    await new ClusterctlProgram({ env: fakes.env() }).move({
      fromKubeconfigPath: 'a',
      toKubeconfigPath: 'b',
      namespace: 'eksa-system',
    });
    expect((await fakes.argvs('clusterctl'))[0]).toEqual([
      'move',
      '--to-kubeconfig',
      'b',
      '--namespace',
      'eksa-system',
      '--kubeconfig',
      'a',
    ]);
  });

  test('the backup runs the command of A4 step 6, passing an empty --filter-cluster', async () => {
    await fakes.install('clusterctl', [{}]);
    await new ClusterctlProgram({ env: fakes.env() }).moveToDirectory({
      kubeconfigPath: 'mgmt/mgmt-eks-a-cluster.kubeconfig',
      directory: 'mgmt/mgmt-backup-2026-01-01T00_00_00',
      namespace: 'eksa-system',
      filterCluster: '',
    });
    const template = backticked(A4, 'clusterctl move --to-directory').replace(
      '--kubeconfig …',
      '--kubeconfig <kc>',
    );
    const expected = commandArgv(template, {
      name: 'mgmt',
      ts: '2026-01-01T00_00_00',
      kc: 'mgmt/mgmt-eks-a-cluster.kubeconfig',
    }).map((w) => (w === '""' ? '' : w));
    expect(['clusterctl', ...(await fakes.argvs('clusterctl'))[0]]).toEqual(expected);
  });

  test('the restore reads the directory into the given cluster', async () => {
    await fakes.install('clusterctl', [{}]);
    await new ClusterctlProgram({ env: fakes.env() }).moveFromDirectory({
      kubeconfigPath: 'target.kubeconfig',
      directory: 'backup',
      namespace: 'eksa-system',
    });
    expect((await fakes.argvs('clusterctl'))[0]).toEqual([
      'move',
      '--from-directory',
      'backup',
      '--kubeconfig',
      'target.kubeconfig',
      '--namespace',
      'eksa-system',
    ]);
  });

  test('upgrade apply runs the command of A4 step 5 with every optional component', async () => {
    await fakes.install('clusterctl', [{}]);
    await new ClusterctlProgram({ env: fakes.env() }).upgradeApply({
      configPath: 'cfg.yaml',
      kubeconfigPath: 'kc',
      core: { namespace: 'capi-system', name: 'cluster-api', version: 'v1.13.2' },
      controlPlane: [{ namespace: 'capi-kubeadm-control-plane-system', name: 'kubeadm', version: 'v1.13.2' }],
      infrastructure: [{ namespace: 'capd-system', name: 'docker', version: 'v1.13.2' }],
      bootstrap: [
        { namespace: 'etcdadm-bootstrap-provider-system', name: 'etcdadm-bootstrap', version: 'v1.0.22' },
      ],
    });
    const filled = fillEllipses(
      backticked(A4, 'clusterctl upgrade apply'),
      { '--config': 'cfg.yaml', '--kubeconfig': 'kc' },
      ['--core', '--control-plane', '--infrastructure', '--bootstrap'],
    ).replace('<ns>/<name>:<v>…', 'etcdadm-bootstrap-provider-system/etcdadm-bootstrap:v1.0.22');
    const expected = commandArgv(filled, { v: 'v1.13.2' });
    expect(['clusterctl', ...(await fakes.argvs('clusterctl'))[0]]).toEqual(expected);
  });

  test('get kubeconfig runs the command of A2 step 3 and returns the kubeconfig unstreamed', async () => {
    await fakes.install('clusterctl', [{ stdout: 'apiVersion: v1\nkind: Config\n# client-key-data: K\n' }]);
    const lines: string[] = [];
    const kubeconfig = await new ClusterctlProgram({
      env: fakes.env(),
      onOutput: (l) => lines.push(l),
    }).getKubeconfig({
      clusterName: 'mgmt',
      namespace: 'eksa-system',
      kubeconfigPath: 'mgmt/generated/mgmt.kind.kubeconfig',
    });
    expect(kubeconfig).toContain('client-key-data: K');
    expect(lines).toEqual([]);
    const expected = commandArgv(backticked(A2, 'clusterctl get kubeconfig'), {
      name: 'mgmt',
      kind: 'mgmt/generated/mgmt.kind.kubeconfig',
    });
    expect(['clusterctl', ...(await fakes.argvs('clusterctl'))[0]]).toEqual(expected);
  });

  test('an upstream clusterctl rejecting --filter-cluster gets a hint about EKS-A’s build', async () => {
    expect(section(CAPI, '### 2.12 EKS-A fork', '### 2.13')).toContain('not upstream');
    await fakes.install('clusterctl', [{ stderr: 'Error: unknown flag: --filter-cluster\n', exitCode: 1 }]);
    const error = await new ClusterctlProgram({ env: fakes.env() })
      .move({
        fromKubeconfigPath: 'a',
        toKubeconfigPath: 'b',
        namespace: 'eksa-system',
        filterCluster: 'mgmt',
      })
      .then(
        () => undefined,
        (e: unknown) => e as ToolError,
      );
    expect(error).toBeInstanceOf(ToolError);
    expect(error!.message).toContain('unknown flag: --filter-cluster');
    expect(error!.message).toMatch(/hint: --filter-cluster exists only in EKS-A's clusterctl build/);
  });

  test('secret provider env values are redacted from a failing init', async () => {
    await fakes.install('clusterctl', [{ stderr: 'login failed for password Pa55word!\n', exitCode: 1 }]);
    const error = await new ClusterctlProgram({ env: fakes.env() })
      .init({
        kubeconfigPath: 'kc',
        configPath: 'cfg',
        core: { name: 'cluster-api', version: 'v1.13.2' },
        env: { VSPHERE_PASSWORD: secret('Pa55word!') },
      })
      .then(
        () => undefined,
        (e: unknown) => e as ToolError,
      );
    expect(error!.message).toContain('login failed for password ***');
    expect(error!.message).not.toContain('Pa55word!');
  });
});

describe('moveWithRetry against the real program', () => {
  test('retries "failed to connect to the management cluster" and then succeeds', async () => {
    await fakes.install('clusterctl', [
      {
        sequence: [
          {
            stderr: 'Error: failed to connect to the management cluster: dial tcp 127.0.0.1:6443: refused\n',
            exitCode: 1,
          },
          { stderr: 'Error: failed to connect to the management cluster: timeout\n', exitCode: 1 },
          {},
        ],
      },
    ]);
    const sleeps: number[] = [];
    let now = 0;
    const clock = {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    const clusterctl = new ClusterctlProgram({ env: fakes.env() });
    await moveWithRetry(
      clusterctl,
      { fromKubeconfigPath: 'a', toKubeconfigPath: 'b', namespace: 'eksa-system' },
      { clock },
    );
    expect(await fakes.calls('clusterctl')).toHaveLength(3);
    // 10 s × 1.5ⁿ (A1 step 8).
    expect(A1_STEP_8).toContain('exponential back-off 10 s×1.5ⁿ');
    expect(sleeps).toEqual([10_000, 15_000]);
  });

  test('any other failure is not retried', async () => {
    await fakes.install('clusterctl', [
      { stderr: 'Error: cluster mgmt is not provisioned yet\n', exitCode: 1 },
    ]);
    let slept = false;
    const clock = {
      now: () => 0,
      sleep: async () => {
        slept = true;
      },
    };
    await expect(
      moveWithRetry(
        new ClusterctlProgram({ env: fakes.env() }),
        { fromKubeconfigPath: 'a', toKubeconfigPath: 'b', namespace: 'eksa-system' },
        { clock },
      ),
    ).rejects.toThrow(/not provisioned yet/);
    expect(await fakes.calls('clusterctl')).toHaveLength(1);
    expect(slept).toBe(false);
  });
});

describe('renderClusterctlLayout', () => {
  const clusterDir = '/work/mgmt';

  test('the overrides hold the folders A1 step 4 lists, with the bundle manifests under <folder>/<version>/', () => {
    const { providers, certManager } = bundleProviders();
    const layout = renderClusterctlLayout({
      clusterDir,
      providers,
      certManager: { version: certManager.version, manifest: { uri: certManager.uri } },
    });
    // "(cert-manager, cluster-api, bootstrap-kubeadm, …, infrastructure-<provider>/<version>/ manifests + metadata …)"
    const listed = /overrides\/` \(([^)]*)\)/
      .exec(A1_STEP_4)![1]
      .split(/,\s*/)
      .map((f) =>
        f
          .replace(/\/<version>\/.*$/, '')
          .replace('<provider>', 'docker')
          .trim(),
      );
    expect(listed).toContain('bootstrap-etcdadm-controller');
    const overrides = path.join(clusterDir, 'generated', 'overrides');
    expect(layout.overridesDir).toBe(overrides);
    const folders = new Set(layout.files.map((f) => path.relative(overrides, f.path).split(path.sep)[0]));
    expect([...folders].sort()).toEqual([...listed].sort());
    // Each file is <folder>/<bundle version>/<the URI's file name>, and keeps its source URI for the caller to fetch.
    for (const p of providers) {
      for (const source of [p.components, p.metadata]) {
        const file = layout.files.find((f) => f.sourceUri === source.uri)!;
        expect(file.path).toBe(
          path.join(overrides, providerFolder(p), p.version, path.posix.basename(source.uri)),
        );
        expect(file.content).toBeUndefined();
      }
    }
    expect(layout.configPath).toBe(path.join(clusterDir, 'generated', 'clusterctl_tmp.yaml'));
  });

  test('provider folders are clusterctl’s inventory names', () => {
    // The table of capi.md §4.2 names the four standard providers.
    const table = section(CAPI, '### 4.2 The four standard providers', '- The namespaces');
    const rows = [...table.matchAll(/\| `([a-z-]+)` \| (\w+Provider) \|/g)].map((m) => [m[1], m[2]]);
    expect(rows).toHaveLength(4);
    const nameOf: Record<string, string> = {
      'cluster-api': 'cluster-api',
      'bootstrap-kubeadm': 'kubeadm',
      'control-plane-kubeadm': 'kubeadm',
      'infrastructure-docker': 'docker',
    };
    for (const [inventory, type] of rows) {
      expect(providerFolder({ name: nameOf[inventory], type: type as ClusterctlProviderType })).toBe(
        inventory,
      );
    }
  });

  test('the config lists every provider with a URL at its components file, and the cert-manager source', () => {
    const { providers, certManager } = bundleProviders();
    const layout = renderClusterctlLayout({
      clusterDir,
      providers,
      certManager: { version: certManager.version, manifest: { uri: certManager.uri } },
      images: [
        {
          component: 'infrastructure-docker',
          image: 'capd-manager',
          repository: 'public.ecr.aws/release-container-registry/kubernetes-sigs/cluster-api',
          tag: 'v1.13.2-eks-a-v0.0.0-dev-build.1',
        },
      ],
    });
    const config = parse(layout.config) as {
      providers: Array<{ name: string; url: string; type: string; version: string }>;
      overridesFolder: string;
      images: Record<string, { repository: string; tag: string }>;
      'cert-manager': { url: string; version: string; timeout: string };
    };
    expect(config.providers).toHaveLength(providers.length);
    for (const p of providers) {
      const entry = config.providers.find((e) => e.name === p.name && e.type === p.type)!;
      expect(entry.version).toBe(p.version);
      expect(layout.files.find((f) => f.path === entry.url)!.sourceUri).toBe(p.components.uri);
      // clusterctl reads the release's metadata.yaml from the same folder as the components.
      expect(layout.files.some((f) => f.path === path.join(path.dirname(entry.url), 'metadata.yaml'))).toBe(
        true,
      );
    }
    expect(config.overridesFolder).toBe(layout.overridesDir);
    expect(config.images['infrastructure-docker/capd-manager'].tag).toBe('v1.13.2-eks-a-v0.0.0-dev-build.1');
    expect(config['cert-manager'].version).toBe(certManager.version);
    expect(layout.files.find((f) => f.path === config['cert-manager'].url)!.sourceUri).toBe(certManager.uri);
    // clusterctl's default cert-manager wait is 10 minutes; EKS-A's config allows 30.
    expect(config['cert-manager'].timeout).toBe('30m');
  });

  test('bad input is rejected with every problem', () => {
    const { providers } = bundleProviders();
    let error: RenderInputError | undefined;
    try {
      renderClusterctlLayout({
        clusterDir: 'mgmt',
        providers: [
          ...providers,
          { ...providers[0] },
          { ...providers[5], name: 'Docker_Provider', version: '1.0', components: { uri: 'https://x/' } },
        ],
      });
    } catch (e) {
      error = e as RenderInputError;
    }
    expect(error).toBeInstanceOf(RenderInputError);
    const text = error!.problems.join('\n');
    expect(text).toContain("clusterDir: 'mgmt' must be an absolute path");
    expect(text).toContain('2 core providers');
    expect(text).toContain("name: 'Docker_Provider'");
    expect(text).toContain("version: '1.0'");
    expect(text).toContain("no file name in uri 'https://x/'");
  });

  test('writeClusterctlLayout writes config and manifests, loading those given only by URI', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'eksa-iac-layout-'));
    try {
      const { providers } = bundleProviders();
      const withContent = providers.map((p, i) =>
        i === 0 ? { ...p, components: { ...p.components, content: 'inline: core\n' } } : p,
      );
      const layout = renderClusterctlLayout({ clusterDir: dir, providers: withContent });
      const loaded: string[] = [];
      await writeClusterctlLayout(layout, async (uri) => {
        loaded.push(uri);
        return `from: ${uri}\n`;
      });
      expect(await fs.readFile(layout.configPath, 'utf8')).toBe(layout.config);
      const core = layout.files[0];
      expect(await fs.readFile(core.path, 'utf8')).toBe('inline: core\n');
      expect(loaded).not.toContain(core.sourceUri);
      const metadata = layout.files[1];
      expect(await fs.readFile(metadata.path, 'utf8')).toBe(`from: ${metadata.sourceUri}\n`);
      expect(loaded).toHaveLength(layout.files.length - 1);
      await expect(writeClusterctlLayout(layout)).rejects.toThrow(/no loader was given/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
