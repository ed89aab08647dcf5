import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CURRENT_BUNDLES, fileMode, filesUnder, REPO_ROOT, runCli, tempDir } from '../helpers/cli-runner';

const BUNDLES = path.join(CURRENT_BUNDLES, 'main-bundle-release.yaml');
const EKSD_136 = path.join(CURRENT_BUNDLES, 'kubernetes-1-36-eks-6.yaml');
const QUICKSTART = path.join(REPO_ROOT, 'examples', 'quickstart', 'cluster.yaml');
const synthArgs = (out: string, ...extra: string[]) => [
  'synth',
  '-f',
  QUICKSTART,
  '--bundles',
  BUNDLES,
  '--eksd-release',
  EKSD_136,
  '--out',
  out,
  ...extra,
];

describe('eksa-iac dispatch', () => {
  test('--help lists the commands and exits 0', async () => {
    const run = await runCli(['--help'], { cwd: REPO_ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: eksa-iac <command>/);
    expect(run.stdout).toMatch(/\n {2}synth +Write/);
    expect(run.stdout).toMatch(/\n {2}validate +Check/);
    expect(run.stdout).toMatch(/\n {2}bundles +Fetch/);
  });

  test('no command prints the usage to stderr and exits 2', async () => {
    const run = await runCli([], { cwd: REPO_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Usage: eksa-iac/);
  });

  test('an unknown command prints the usage and exits 2', async () => {
    const run = await runCli(['synthesize'], { cwd: REPO_ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'synthesize'/);
    expect(run.stderr).toMatch(/Commands:/);
  });

  test('a command --help prints its options', async () => {
    const run = await runCli(['synth', '--help'], { cwd: REPO_ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--contract v1beta1\|v1beta2/);
    expect(run.stdout).toMatch(/--no-validate/);
  });
});

describe('eksa-iac synth usage errors (exit 2, nothing written)', () => {
  test.each([
    [['synth'], /-f CLUSTER.yaml is required/],
    [
      ['synth', '-f', 'x.yaml', '--contract', 'v1alpha4'],
      /--contract must be v1beta1 or v1beta2, got 'v1alpha4'/,
    ],
    [['synth', '-f', 'x.yaml', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['synth', '-f', 'x.yaml', 'extra'], /Unexpected argument 'extra'/],
  ])('%j', async (argv, message) => {
    const out = tempDir('usage');
    try {
      const run = await runCli(argv, { cwd: out.dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(filesUnder(out.dir)).toStrictEqual([]);
    } finally {
      out.remove();
    }
  });
});

describe('eksa-iac synth', () => {
  test('writes the EKS-A config and the CAPI manifests under <out>/<cluster>/generated', async () => {
    const out = tempDir('synth');
    try {
      const run = await runCli(synthArgs(out.dir), { cwd: REPO_ROOT });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(filesUnder(out.dir)).toStrictEqual([
        'quickstart/generated/quickstart-capi.yaml',
        'quickstart/generated/quickstart-eks-a-cluster.yaml',
      ]);
      const eksa = parseAllDocuments(
        readFileSync(path.join(out.dir, 'quickstart/generated/quickstart-eks-a-cluster.yaml'), 'utf8'),
      ).map((d) => d.toJS());
      expect(eksa.map((o) => o.kind)).toStrictEqual(['Cluster', 'DockerDatacenterConfig']);
      // After defaults: the worker group's MachineHealthCheck limit is filled in.
      expect(eksa[0].spec.workerNodeGroupConfigurations[0].machineHealthCheck.maxUnhealthy).toBe('40%');
      const capi = parseAllDocuments(
        readFileSync(path.join(out.dir, 'quickstart/generated/quickstart-capi.yaml'), 'utf8'),
      ).map((d) => d.toJS());
      expect(capi.map((o) => `${o.kind}/${o.metadata.name}`)).toStrictEqual([
        'Cluster/quickstart',
        'DockerCluster/quickstart',
        'DockerMachineTemplate/quickstart-control-plane-1',
        'KubeadmControlPlane/quickstart',
        'EtcdadmCluster/quickstart-etcd',
        'DockerMachineTemplate/quickstart-etcd-1',
        'KubeadmConfigTemplate/quickstart-md-0-1',
        'MachineDeployment/quickstart-md-0',
        'DockerMachineTemplate/quickstart-md-0-1',
        'MachineHealthCheck/quickstart-kcp-unhealthy',
        'MachineHealthCheck/quickstart-md-0-worker-unhealthy',
      ]);
      expect(capi[3].spec.version).toBe('v1.36.2-eks-1-36-6');
      expect(fileMode(path.join(out.dir, 'quickstart/generated/quickstart-capi.yaml'))).toBe(0o644);
    } finally {
      out.remove();
    }
  });

  test('--contract v1beta1 renders the v1beta1 API', async () => {
    const out = tempDir('synth-v1beta1');
    try {
      const run = await runCli(synthArgs(out.dir, '--contract', 'v1beta1'), { cwd: REPO_ROOT });
      expect(run.code).toBe(0);
      const capi = parseAllDocuments(
        readFileSync(path.join(out.dir, 'quickstart/generated/quickstart-capi.yaml'), 'utf8'),
      ).map((d) => d.toJS());
      const byKind = (k: string) => capi.find((o) => o.kind === k);
      expect(byKind('Cluster').apiVersion).toBe('cluster.x-k8s.io/v1beta1');
      expect(byKind('KubeadmControlPlane').spec.rolloutStrategy.type).toBe('RollingUpdate');
      expect(byKind('KubeadmControlPlane').spec.machineTemplate.infrastructureRef.namespace).toBe(
        'eksa-system',
      );
    } finally {
      out.remove();
    }
  });

  test('registry credentials come from REGISTRY_USERNAME/PASSWORD, only into a 0600 file, never to the terminal', async () => {
    const out = tempDir('synth-auth');
    try {
      const config = readFileSync(QUICKSTART, 'utf8').replace(
        '  workerNodeGroupConfigurations:',
        '  registryMirrorConfiguration:\n    endpoint: mirror.example\n    port: "5000"\n    authenticate: true\n  workerNodeGroupConfigurations:',
      );
      const file = path.join(out.dir, 'cluster.yaml');
      writeFileSync(file, config);
      const env = { REGISTRY_USERNAME: 'robot', REGISTRY_PASSWORD: 's3cr3t-pa55' };
      const run = await runCli(
        ['synth', '-f', file, '--bundles', BUNDLES, '--eksd-release', EKSD_136, '--out', out.dir],
        { cwd: out.dir, env },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(`${run.stdout}${run.stderr}`).not.toContain('s3cr3t-pa55');
      expect(`${run.stdout}${run.stderr}`).not.toContain(Buffer.from('s3cr3t-pa55').toString('base64'));
      const capiFile = path.join(out.dir, 'quickstart/generated/quickstart-capi.yaml');
      expect(fileMode(capiFile)).toBe(0o600);
      const capi = parseAllDocuments(readFileSync(capiFile, 'utf8')).map((d) => d.toJS());
      const secret = capi.find((o) => o.kind === 'Secret');
      expect(secret.metadata).toStrictEqual({
        name: 'registry-credentials',
        namespace: 'eksa-system',
        labels: { 'clusterctl.cluster.x-k8s.io/move': 'true' },
      });
      expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('s3cr3t-pa55');
      expect(Buffer.from(secret.data.username, 'base64').toString()).toBe('robot');
      expect(fileMode(path.join(out.dir, 'quickstart/generated/quickstart-eks-a-cluster.yaml'))).toBe(0o644);
    } finally {
      out.remove();
    }
  });

  test('a Kubernetes version the bundle does not support is rejected with the supported list', async () => {
    const out = tempDir('synth-version');
    try {
      const file = path.join(out.dir, 'cluster.yaml');
      writeFileSync(
        file,
        readFileSync(QUICKSTART, 'utf8').replace('kubernetesVersion: "1.36"', 'kubernetesVersion: "1.29"'),
      );
      const run = await runCli(
        ['synth', '-f', file, '--bundles', BUNDLES, '--eksd-release', EKSD_136, '--out', out.dir],
        { cwd: out.dir },
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('spec.kubernetesVersion');
      expect(run.stderr).toContain('1.36');
      expect(filesUnder(out.dir)).toStrictEqual(['cluster.yaml']);
    } finally {
      out.remove();
    }
  });

  test('malformed YAML fails even with --no-validate; an unknown field is only a warning there', async () => {
    const out = tempDir('synth-no-validate');
    try {
      const broken = path.join(out.dir, 'broken.yaml');
      writeFileSync(
        broken,
        'apiVersion: anywhere.eks.amazonaws.com/v1alpha1\nkind: Cluster\nmetadata: [name: x\n',
      );
      const bad = await runCli(
        [
          'synth',
          '--no-validate',
          '-f',
          broken,
          '--bundles',
          BUNDLES,
          '--eksd-release',
          EKSD_136,
          '--out',
          out.dir,
        ],
        { cwd: out.dir },
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/broken\.yaml:\d+:\d+: .*malformed YAML/);

      const unknown = path.join(out.dir, 'unknown.yaml');
      writeFileSync(
        unknown,
        readFileSync(QUICKSTART, 'utf8').replace(
          '    count: 1\n  datacenterRef',
          '    count: 1\n    colour: blue\n  datacenterRef',
        ),
      );
      const strict = await runCli(
        ['synth', '-f', unknown, '--bundles', BUNDLES, '--eksd-release', EKSD_136, '--out', out.dir],
        { cwd: out.dir },
      );
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain('spec.controlPlaneConfiguration.colour');
      expect(filesUnder(out.dir)).toStrictEqual(['broken.yaml', 'unknown.yaml']);
      const lenient = await runCli(
        [
          'synth',
          '--no-validate',
          '-f',
          unknown,
          '--bundles',
          BUNDLES,
          '--eksd-release',
          EKSD_136,
          '--out',
          out.dir,
        ],
        { cwd: out.dir },
      );
      expect(lenient.code).toBe(0);
      expect(lenient.stderr).toMatch(/warning: spec\.controlPlaneConfiguration\.colour/);
    } finally {
      out.remove();
    }
  });

  test('validate prints every problem and writes nothing', async () => {
    const out = tempDir('validate');
    try {
      const file = path.join(out.dir, 'cluster.yaml');
      writeFileSync(
        file,
        readFileSync(QUICKSTART, 'utf8')
          .replace('name: quickstart\nspec:', 'name: 9-starts-with-a-digit\nspec:')
          .replace(
            '  externalEtcdConfiguration:\n    count: 1',
            '  externalEtcdConfiguration:\n    count: 2',
          ),
      );
      const run = await runCli(['validate', '-f', file, '--bundles', BUNDLES, '--eksd-release', EKSD_136], {
        cwd: out.dir,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('metadata.name');
      expect(run.stderr).toContain('spec.externalEtcdConfiguration.count');
      expect(filesUnder(out.dir)).toStrictEqual(['cluster.yaml']);
    } finally {
      out.remove();
    }
  });
});
