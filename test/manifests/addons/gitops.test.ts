import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { builtInViolations } from './builtin-shape';
import { backticked, currentBundle, dockerConfig, rawVersionsBundle, researchSection } from './fixtures';
import {
  fluxBootstrapRequest,
  fluxKustomizationRef,
  fluxSettingsOf,
  gitOpsCleanup,
  gitOpsCreateCommit,
  gitOpsCredentialsFromEnv,
  gitOpsRepositoryFiles,
  gitOpsUpdateCommit,
  type ManifestObject,
} from '../../../src/manifests/addons';
import type { FluxBootstrapGitOptions, FluxBootstrapGithubOptions } from '../../../src/tools';

const A1_10 = researchSection('10. **gitops-manager-install**', '11. **write-cluster-config**');
const CLUSTER_YAML =
  'apiVersion: anywhere.eks.amazonaws.com/v1alpha1\nkind: Cluster\nmetadata:\n  name: mgmt\n';

function fluxDoc(spec: string): string {
  return `---\napiVersion: anywhere.eks.amazonaws.com/v1alpha1\nkind: FluxConfig\nmetadata:\n  name: flux\nspec:\n${spec}`;
}
const GITOPS_REF = '  gitOpsRef:\n    kind: FluxConfig\n    name: flux\n';
const github = (name = 'mgmt', extraSpec = '') =>
  dockerConfig({
    name,
    extraSpec: `${GITOPS_REF}${extraSpec}`,
    extraDocs: fluxDoc('  github:\n    owner: acme\n    repository: fleet\n    personal: true\n'),
  });

/** The research's file list (`<path>/a.yaml` + `b.yaml`, `<path>/{a,b}`), with its placeholders filled in. */
function researchPaths(clusterConfigPath: string, cluster: string, fluxNamespace: string): string[] {
  const entries = [...A1_10.matchAll(/`(<clusterConfigPath>[^`]+)`(?: \+ `([^`]+)`)?/g)];
  expect(entries).toHaveLength(2);
  return entries.flatMap(([, span, sibling]) => {
    const filled = span
      .replace('<clusterConfigPath>', clusterConfigPath)
      .replace('<cluster>', cluster)
      .replace('<flux ns>', fluxNamespace);
    const brace = /^(.*)\/\{(.+)\}$/.exec(filled);
    if (brace) return brace[2].split(',').map((f) => `${brace[1]}/${f}`);
    return sibling ? [filled, `${filled.slice(0, filled.lastIndexOf('/'))}/${sibling}`] : [filled];
  });
}

describe('GitOps repository content', () => {
  test("a management cluster gets the research's files under the default clusterConfigPath", async () => {
    const files = gitOpsRepositoryFiles(github(), await currentBundle(), CLUSTER_YAML)!;
    // Research (d): clusterConfigPath defaults to clusters/<management cluster name>, Flux to flux-system.
    expect(Object.keys(files).sort()).toEqual(researchPaths('clusters/mgmt', 'mgmt', 'flux-system').sort());
    expect(files['clusters/mgmt/mgmt/eksa-system/eksa-cluster.yaml']).toBe(CLUSTER_YAML);
    expect(parseYaml(files['clusters/mgmt/mgmt/eksa-system/kustomization.yaml'])).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['eksa-cluster.yaml'],
    });
    expect(parseYaml(files['clusters/mgmt/flux-system/kustomization.yaml'])).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'flux-system',
      resources: ['gotk-components.yaml', 'gotk-sync.yaml'],
      patchesStrategicMerge: ['gotk-patches.yaml'],
    });
    expect(files['clusters/mgmt/flux-system/gotk-sync.yaml']).toBe('');
  });

  test("gotk-patches pins every Flux controller to the bundle's image", async () => {
    const files = gitOpsRepositoryFiles(github(), await currentBundle('1.30'), CLUSTER_YAML)!;
    const patches = parseAllDocuments(files['clusters/mgmt/flux-system/gotk-patches.yaml']).map(
      (d) => d.toJS() as ManifestObject,
    );
    const flux = rawVersionsBundle('1.30').flux;
    const images = Object.fromEntries(
      patches.map((p) => [
        p.metadata.name,
        (p.spec as any).template.spec.containers.map((c: any) => [c.name, c.image]),
      ]),
    );
    expect(images).toEqual({
      'source-controller': [['manager', flux.sourceController.uri]],
      'kustomize-controller': [['manager', flux.kustomizeController.uri]],
      'helm-controller': [['manager', flux.helmController.uri]],
      'notification-controller': [['manager', flux.notificationController.uri]],
    });
    for (const p of patches) {
      expect(p.metadata.namespace).toBe('flux-system');
      expect(await builtInViolations(p)).toEqual([]);
    }
  });

  test("a workload cluster only adds its eksa-system folder under its management cluster's path", async () => {
    const config = github('w1', '  managementCluster:\n    name: mgmt\n');
    const files = gitOpsRepositoryFiles(config, await currentBundle(), CLUSTER_YAML)!;
    expect(Object.keys(files)).toEqual([
      'clusters/mgmt/w1/eksa-system/eksa-cluster.yaml',
      'clusters/mgmt/w1/eksa-system/kustomization.yaml',
    ]);
  });

  test('a GitOpsConfig is read like the FluxConfig EKS-A converts it to, and custom paths are honoured', async () => {
    const config = dockerConfig({
      extraSpec: '  gitOpsRef:\n    kind: GitOpsConfig\n    name: old\n',
      extraDocs:
        '---\napiVersion: anywhere.eks.amazonaws.com/v1alpha1\nkind: GitOpsConfig\nmetadata:\n  name: old\nspec:\n  flux:\n    github:\n      owner: acme\n      repository: fleet\n      branch: prod\n      clusterConfigPath: infra/clusters\n      fluxSystemNamespace: gitops\n',
    });
    expect(fluxSettingsOf(config)).toMatchObject({
      systemNamespace: 'gitops',
      branch: 'prod',
      clusterConfigPath: 'infra/clusters',
      github: { owner: 'acme', repository: 'fleet' },
    });
    const files = gitOpsRepositoryFiles(config, await currentBundle(), CLUSTER_YAML)!;
    expect(Object.keys(files)).toEqual([
      'infra/clusters/mgmt/eksa-system/eksa-cluster.yaml',
      'infra/clusters/mgmt/eksa-system/kustomization.yaml',
      'infra/clusters/gitops/kustomization.yaml',
      'infra/clusters/gitops/gotk-sync.yaml',
      'infra/clusters/gitops/gotk-patches.yaml',
    ]);
    expect(gitOpsCreateCommit(config, await currentBundle(), CLUSTER_YAML)?.add).toBe('infra');
  });

  test('no gitOpsRef, no GitOps content', async () => {
    const plain = dockerConfig();
    expect(gitOpsRepositoryFiles(plain, await currentBundle(), CLUSTER_YAML)).toBeUndefined();
    expect(fluxBootstrapRequest(plain, { kubeconfigPath: 'k', credentials: {} })).toBeUndefined();
    expect(gitOpsCleanup(plain)).toBeUndefined();
    expect(fluxKustomizationRef(plain)).toBeUndefined();
  });
});

describe('commits and cleanup', () => {
  test('create adds the parent of clusterConfigPath; update only the cluster folder', async () => {
    const config = github();
    const create = gitOpsCreateCommit(config, await currentBundle(), CLUSTER_YAML)!;
    expect(create.add).toBe('clusters');
    expect(create.files).toEqual(gitOpsRepositoryFiles(config, await currentBundle(), CLUSTER_YAML));
    const update = gitOpsUpdateCommit(config, 'updated')!;
    expect(update.add).toBe('clusters/mgmt/mgmt/eksa-system');
    expect(Object.keys(update.files)).toEqual([
      'clusters/mgmt/mgmt/eksa-system/eksa-cluster.yaml',
      'clusters/mgmt/mgmt/eksa-system/kustomization.yaml',
    ]);
    expect(update.files['clusters/mgmt/mgmt/eksa-system/eksa-cluster.yaml']).toBe('updated');
    expect(create.message).not.toBe(update.message);
  });

  test("delete removes a workload cluster's folder, or a management cluster's whole configuration path", () => {
    expect(gitOpsCleanup(github('w1', '  managementCluster:\n    name: mgmt\n'))?.remove).toBe(
      'clusters/mgmt/w1/eksa-system',
    );
    expect(gitOpsCleanup(github())?.remove).toBe('clusters/mgmt');
  });
});

describe('Flux bootstrap', () => {
  const command = backticked(A1_10).find((s) => s.startsWith('flux bootstrap github'))!;

  test('github: owner, repository, personal, branch, path and namespace as the research command has them', () => {
    for (const flag of ['--repository', '--owner', '--path', '[--personal]', '--branch', '--namespace']) {
      expect(command).toContain(flag);
    }
    const request = fluxBootstrapRequest(github(), {
      kubeconfigPath: '/k',
      credentials: { githubToken: 't0ken' },
    });
    expect(request).toEqual({
      provider: 'github',
      options: {
        kubeconfigPath: '/k',
        path: 'clusters/mgmt',
        branch: 'main',
        namespace: 'flux-system',
        owner: 'acme',
        repository: 'fleet',
        personal: true,
        token: 't0ken',
      },
    });
    // What the tools layer's flux wrapper takes.
    if (request?.provider === 'github') {
      const options: FluxBootstrapGithubOptions = request.options;
      expect(options.token).toBe('t0ken');
    }
  });

  test('git: url and private key file (research: --url … --private-key-file …)', () => {
    expect(backticked(A1_10)).toContain('flux bootstrap git --url … --private-key-file …');
    const config = dockerConfig({
      extraSpec: GITOPS_REF,
      extraDocs: fluxDoc(
        '  branch: ops\n  git:\n    repositoryUrl: ssh://git@git.example.com/acme/fleet.git\n    sshKeyAlgorithm: ed25519\n',
      ),
    });
    const request = fluxBootstrapRequest(config, {
      kubeconfigPath: '/k',
      credentials: gitOpsCredentialsFromEnv({
        EKSA_GIT_PRIVATE_KEY: '/keys/id',
        EKSA_GIT_SSH_KEY_PASSPHRASE: 'pw',
        EKSA_GIT_KNOWN_HOSTS: '/keys/known_hosts',
      }),
    });
    expect(request?.provider).toBe('git');
    if (request?.provider === 'git') {
      const options: FluxBootstrapGitOptions = request.options;
      expect(options).toEqual({
        kubeconfigPath: '/k',
        path: 'clusters/mgmt',
        branch: 'ops',
        namespace: 'flux-system',
        url: 'ssh://git@git.example.com/acme/fleet.git',
        privateKeyFile: '/keys/id',
        password: 'pw',
        knownHostsFile: '/keys/known_hosts',
        sshKeyAlgorithm: 'ed25519',
      });
    }
    expect(() => fluxBootstrapRequest(config, { kubeconfigPath: '/k', credentials: {} })).toThrow(
      /EKSA_GIT_PRIVATE_KEY/,
    );
  });

  test('a missing GitHub token names the variable; workload clusters are not bootstrapped', () => {
    expect(() => fluxBootstrapRequest(github(), { kubeconfigPath: '/k', credentials: {} })).toThrow(
      /EKSA_GITHUB_TOKEN/,
    );
    const workload = github('w1', '  managementCluster:\n    name: mgmt\n');
    expect(
      fluxBootstrapRequest(workload, { kubeconfigPath: '/k', credentials: { githubToken: 't' } }),
    ).toBeUndefined();
  });

  test("the Kustomization suspended around upgrades is named like Flux's namespace (research A4 step 4)", () => {
    expect(researchSection('4. pause-controllers-reconcile', '5. upgrade-core-components')).toContain(
      '`flux suspend ks <ns> --namespace <ns>`',
    );
    expect(fluxKustomizationRef(github())).toEqual({ name: 'flux-system', namespace: 'flux-system' });
  });
});
