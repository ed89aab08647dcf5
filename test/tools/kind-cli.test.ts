import * as path from 'node:path';
import { FakePrograms } from './fake-programs';
import { backticked, commandArgv, research, section } from './research';
import { ensureKindCluster, KindProgram, kindClusterName, ToolError } from '../../src/tools';

const A1_STEP_2 = section(research('eksa'), '2. **bootstrap-cluster-init**', '3. **update-secrets-create**');
const A1_STEP_12 = section(
  research('eksa'),
  '12. **delete-kind-cluster**',
  '13. **install-curated-packages**',
);

let fakes: FakePrograms;

beforeEach(async () => {
  fakes = await FakePrograms.create();
});

afterEach(async () => {
  await fakes.cleanup();
});

const nodeImage = 'public.ecr.aws/eks-anywhere/kubernetes-sigs/kind/node:v1.31.14-eks-d-1-31-47-eks-a-1';

describe('KindProgram', () => {
  test('create cluster runs the command of EKS-A A1 step 2, with the env given', async () => {
    await fakes.install('kind', [{}]);
    const kind = new KindProgram({ env: fakes.env() });
    await kind.createCluster({
      name: kindClusterName('mgmt'),
      kubeconfigPath: 'mgmt/generated/mgmt.kind.kubeconfig',
      nodeImage,
      configPath: 'mgmt/generated/kind_tmp.yaml',
      env: { HTTPS_PROXY: 'http://proxy:3128' },
    });
    const expected = commandArgv(backticked(A1_STEP_2, 'kind create cluster'), {
      name: 'mgmt',
      'EKS-D kind node image': nodeImage,
    });
    const [call] = await fakes.calls('kind');
    expect(['kind', ...call.argv]).toEqual(expected);
    expect(call.env.HTTPS_PROXY).toBe('http://proxy:3128');
  });

  test('the bootstrap cluster name follows EKS-A (`<name>-eks-a-cluster`)', () => {
    const name = backticked(A1_STEP_2, 'kind create cluster').split('--name ')[1].split(' ')[0];
    expect(kindClusterName('mgmt')).toBe(name.replace('<name>', 'mgmt'));
  });

  test('delete cluster and get clusters use the commands of A1 step 12', async () => {
    await fakes.install('kind', [
      { match: ['get', 'clusters'], stdout: 'other\nmgmt-eks-a-cluster\n' },
      { match: ['delete'] },
    ]);
    const kind = new KindProgram({ env: fakes.env() });
    expect(await kind.getClusters()).toEqual(['other', 'mgmt-eks-a-cluster']);
    await kind.deleteCluster('mgmt-eks-a-cluster');
    const argvs = await fakes.argvs('kind');
    expect(['kind', ...argvs[0]]).toEqual(commandArgv(backticked(A1_STEP_12, 'kind get clusters'), {}));
    expect(['kind', ...argvs[1]]).toEqual(
      commandArgv(backticked(A1_STEP_12, 'kind delete cluster'), { name: 'mgmt' }),
    );
  });

  test('no clusters (kind says so on stderr) is an empty list', async () => {
    await fakes.install('kind', [{ stderr: 'No kind clusters found.\n' }]);
    expect(await new KindProgram({ env: fakes.env() }).getClusters()).toEqual([]);
  });

  test('get kubeconfig returns the kubeconfig and never streams it', async () => {
    const kubeconfig = 'apiVersion: v1\nkind: Config\nusers:\n- user:\n    client-key-data: SECRETKEY\n';
    await fakes.install('kind', [{ stdout: kubeconfig }]);
    const lines: string[] = [];
    const kind = new KindProgram({ env: fakes.env(), onOutput: (l) => lines.push(l) });
    expect(await kind.getKubeconfig('mgmt-eks-a-cluster')).toBe(kubeconfig);
    expect((await fakes.argvs('kind'))[0]).toEqual(['get', 'kubeconfig', '--name', 'mgmt-eks-a-cluster']);
    expect(lines.join('\n')).not.toContain('SECRETKEY');
  });

  test('a configured path is used instead of PATH', async () => {
    const file = await fakes.install('kind-v0.32', [{ stdout: 'a\n' }]);
    const kind = new KindProgram({ path: file, env: { PATH: '/nonexistent' } });
    expect(await kind.getClusters()).toEqual(['a']);
  });

  test('a failed create names the command and the stderr tail', async () => {
    await fakes.install('kind', [
      {
        stderr:
          'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "mgmt-eks-a-cluster"\n',
        exitCode: 1,
      },
    ]);
    const kind = new KindProgram({ env: fakes.env() });
    const error = await kind
      .createCluster({ name: 'mgmt-eks-a-cluster', kubeconfigPath: 'k', nodeImage, configPath: 'c' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).message).toContain('kind create cluster --name mgmt-eks-a-cluster');
    expect((error as ToolError).message).toContain('node(s) already exist');
  });
});

describe('ensureKindCluster', () => {
  const options = {
    name: 'mgmt-eks-a-cluster',
    kubeconfigPath: path.join('mgmt', 'generated', 'mgmt.kind.kubeconfig'),
    nodeImage,
    configPath: path.join('mgmt', 'generated', 'kind_tmp.yaml'),
  };

  test('creates the cluster when `kind get clusters` does not list it', async () => {
    await fakes.install('kind', [
      { match: ['get', 'clusters'], stdout: 'unrelated\n' },
      { match: ['create'] },
    ]);
    const result = await ensureKindCluster(new KindProgram({ env: fakes.env() }), options);
    expect(result).toEqual({ created: true });
    expect((await fakes.argvs('kind')).map((a) => a.slice(0, 2))).toEqual([
      ['get', 'clusters'],
      ['create', 'cluster'],
    ]);
  });

  test('adopts an existing cluster and returns its current kubeconfig', async () => {
    await fakes.install('kind', [
      { match: ['get', 'clusters'], stdout: 'mgmt-eks-a-cluster\n' },
      { match: ['get', 'kubeconfig'], stdout: 'apiVersion: v1\nkind: Config\n' },
      { match: ['create'], exitCode: 1, stderr: 'must not be called' },
    ]);
    const result = await ensureKindCluster(new KindProgram({ env: fakes.env() }), options);
    expect(result).toEqual({ created: false, kubeconfig: 'apiVersion: v1\nkind: Config\n' });
    expect((await fakes.argvs('kind')).some((a) => a[0] === 'create')).toBe(false);
  });
});
