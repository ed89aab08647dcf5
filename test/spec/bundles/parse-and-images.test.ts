import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CURRENT, CURRENT_BUNDLES, DOCKER_SUPPORT } from './paths';
import {
  deriveKubeDistro,
  dockerProviderImages,
  loadVersionsBundles,
  manifestFileName,
  parseBundlesManifest,
  parseEksdRelease,
  parseImageReference,
  requireComponent,
  versionedRepository,
  vsphereProviderImages,
  type ResolvedVersionsBundle,
} from '../../../src/spec/bundles';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'eksa-iac-bundles-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

describe('image references', () => {
  test('splits repository, tag and digest; a registry port is not a tag', () => {
    expect(parseImageReference('localhost:5000/a/b/kube-apiserver:v1.30.14')).toStrictEqual({
      uri: 'localhost:5000/a/b/kube-apiserver:v1.30.14',
      repository: 'localhost:5000/a/b/kube-apiserver',
      tag: 'v1.30.14',
    });
    expect(parseImageReference('localhost:5000/a/pause')).toMatchObject({
      repository: 'localhost:5000/a/pause',
      tag: '',
    });
    expect(parseImageReference('r.io/x/y:1@sha256:abc')).toMatchObject({
      repository: 'r.io/x/y',
      tag: '1',
      digest: 'sha256:abc',
    });
    expect(versionedRepository('public.ecr.aws/eks-distro/etcd-io/etcd:v3.5.12-eks-1-30-58')).toStrictEqual({
      repository: 'public.ecr.aws/eks-distro/etcd-io',
      tag: 'v3.5.12-eks-1-30-58',
    });
  });

  test('manifest URLs match files by their last path segment', () => {
    expect(manifestFileName('embed:///testdata/kubernetes-1-21-eks-4.yaml')).toBe(
      'kubernetes-1-21-eks-4.yaml',
    );
    expect(
      manifestFileName('https://distro.eks.amazonaws.com/kubernetes-1-30/kubernetes-1-30-eks-58.yaml?x=1#y'),
    ).toBe('kubernetes-1-30-eks-58.yaml');
    expect(manifestFileName('/some/dir/kubernetes-1-30-eks-58.yaml')).toBe('kubernetes-1-30-eks-58.yaml');
  });
});

describe('parsing', () => {
  test('malformed YAML names the file, line and column', () => {
    expect(() => parseBundlesManifest('spec:\n  versionsBundles: [\n', 'b.yaml')).toThrow(
      /^b\.yaml: not valid YAML\n {2}- line \d+, column \d+: /,
    );
  });

  test('a file of another kind says what it is and which flag takes it', () => {
    const eksd = readFileSync(path.join(CURRENT, 'kubernetes-1-30-eks-58.yaml'), 'utf8');
    expect(() => parseBundlesManifest(eksd, 'x.yaml')).toThrow(
      'x.yaml: expected an EKS-A Bundles manifest (apiVersion anywhere.eks.amazonaws.com/v1alpha1, kind Bundles), found apiVersion "distro.eks.amazonaws.com/v1alpha1", kind "Release". This is an EKS-D Release; pass it with --eksd-release.',
    );
    const bundles = readFileSync(path.join(DOCKER_SUPPORT, 'go-test-bundles.yaml'), 'utf8');
    expect(() => parseEksdRelease(bundles, 'y.yaml')).toThrow(
      /This is an EKS-A Bundles manifest; pass it with --bundles\./,
    );
  });

  test('all structural problems of a Bundles manifest are reported at once, with field paths', () => {
    const text = [
      'apiVersion: anywhere.eks.amazonaws.com/v1alpha1',
      'kind: Bundles',
      'spec:',
      '  number: 1',
      '  versionsBundles:',
      '  - kubeVersion: 1.30', // unquoted: a number
      '    eksD: {manifestUrl: a.yaml}',
      '  - kubeVersion: "1.31"',
      '    eksD: {}',
      '  - kubeVersion: "1.31"',
      '    eksD: {manifestUrl: c.yaml}',
    ].join('\n');
    let message = '';
    try {
      parseBundlesManifest(text, 'bad.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toStrictEqual([
      'bad.yaml: invalid Bundles manifest',
      '  - spec.versionsBundles[0].kubeVersion: is the number 1.3; quote it as a string, e.g. "1.30"',
      '  - spec.versionsBundles[1].eksD.manifestUrl: missing',
      '  - spec.versionsBundles[2].kubeVersion: "1.31" repeats spec.versionsBundles[1]',
    ]);
  });

  test('an empty file is an error', () => {
    expect(() => parseEksdRelease('# nothing\n', 'e.yaml')).toThrow(
      'e.yaml: expected exactly one YAML document, found 0 (the file is empty)',
    );
  });
});

describe('missing EKS-D assets', () => {
  test('every missing required asset is named, with the release file', async () => {
    const original = readFileSync(path.join(CURRENT, 'kubernetes-1-30-eks-58.yaml'), 'utf8');
    const release = parseEksdRelease(original, 'orig');
    const stripped = {
      ...release,
      status: {
        components: release.status!.components!.map((c) => ({
          ...c,
          assets: c.assets!.filter(
            (a) => !['pause-image', 'kube-proxy-image', 'aws-iam-authenticator-image'].includes(a.name),
          ),
        })),
      },
    };
    const file = scratchFile('kubernetes-1-30-eks-58.yaml', JSON.stringify(stripped));
    const bundles = await loadVersionsBundles({
      bundles: CURRENT_BUNDLES,
      eksdReleases: [file],
      offline: true,
    });
    await expect(bundles.resolve('1.30')).rejects.toThrow(
      [
        `${file}: EKS-D release "kubernetes-1-30-eks-58" (for Kubernetes 1.30) cannot be used`,
        '  - image asset "pause-image" is missing (status.components[].assets[].name)',
        '  - image asset "aws-iam-authenticator-image" is missing (status.components[].assets[].name)',
        '  - image asset "kube-proxy-image" is missing (status.components[].assets[].name)',
      ].join('\n'),
    );
  });

  test('etcd without gitTag or amd64 archive is reported', () => {
    const release = parseEksdRelease(
      readFileSync(path.join(DOCKER_SUPPORT, 'go-test-eksd-1-19.yaml'), 'utf8'),
      'r',
    );
    const noEtcd = {
      ...release,
      status: {
        components: release.status!.components!.map((c) =>
          c.name === 'etcd'
            ? { ...c, gitTag: undefined, assets: c.assets!.filter((a) => a.type !== 'Archive') }
            : c,
        ),
      },
    };
    const bundle = { kubeVersion: '1.19', eksD: { manifestUrl: 'embed:///x.yaml' } };
    expect(() => deriveKubeDistro(bundle, noEtcd, 'r.yaml')).toThrow(
      /- component "etcd" has no gitTag\n {2}- component "etcd" has no archive asset whose first arch is amd64$/,
    );
  });
});

describe('provider images', () => {
  async function resolvedFrom(bundlesText: string, kube: string): Promise<ResolvedVersionsBundle> {
    const bundles = await loadVersionsBundles({
      bundles: scratchFile('bundles.yaml', bundlesText),
      eksdReleases: [path.join(DOCKER_SUPPORT, 'go-test-eksd-1-19.yaml')],
      offline: true,
    });
    return bundles.resolve(kube);
  }
  const goTest = () => readFileSync(path.join(DOCKER_SUPPORT, 'go-test-bundles.yaml'), 'utf8');

  test('haproxy outside public.ecr.aws/<ns>/kubernetes-sigs/kind gives a tag but no repository', async () => {
    const text = goTest().replace(
      'uri: public.ecr.aws/l0g8r8j6/kubernetes-sigs/kind/haproxy:v0.11.1-eks-a-v0.0.0-dev-build.1464',
      'uri: registry.example.com:5000/mirror/haproxy:v0.11.1',
    );
    const resolved = await resolvedFrom(text, '1.19');
    expect(dockerProviderImages(resolved).haproxy).toStrictEqual({ tag: 'v0.11.1' });
  });

  test('the EKS-A haproxy image gives repository and tag', async () => {
    const resolved = await resolvedFrom(goTest(), '1.19');
    expect(dockerProviderImages(resolved)).toStrictEqual({
      kindNode: parseImageReference(
        'public.ecr.aws/eks-distro/kubernetes-sigs/kind/node:v1.18.16-eks-1-18-4-216edda697a37f8bf16651af6c23b7e2bb7ef42f-62681885fe3a97ee4f2b110cc277e084e71230fa',
      ),
      haproxy: {
        repository: 'public.ecr.aws/l0g8r8j6/kubernetes-sigs/kind',
        tag: 'v0.11.1-eks-a-v0.0.0-dev-build.1464',
      },
    });
  });

  test('a missing component names the bundles file and version', async () => {
    const resolved = await resolvedFrom(goTest(), '1.19');
    expect(() => vsphereProviderImages(resolved)).toThrow(
      `${path.join(scratch, 'bundles.yaml')}: the versions bundle for Kubernetes 1.19 has no "vSphere" component; use a Bundles manifest that includes it.`,
    );
    expect(requireComponent(resolved, 'docker').version).toBe('v0.3.19');
  });

  test('vSphere images of the current bundle, with Bottlerocket host containers', async () => {
    const bundles = await loadVersionsBundles({
      bundles: CURRENT_BUNDLES,
      eksdReleases: [path.join(CURRENT, 'kubernetes-1-30-eks-58.yaml')],
      offline: true,
    });
    const images = vsphereProviderImages(await bundles.resolve('1.30'));
    expect(images.kubeVip.uri).toBe(
      'public.ecr.aws/release-container-registry/kube-vip/kube-vip:v1.2.0-eks-a-v0.0.0-dev-build.1',
    );
    expect(images.manager.tag).toBe('v1.30.2-eks-d-1-30-eks-a-v0.0.0-dev-build.1');
    expect(images.bottlerocketHostContainers?.admin?.uri).toBe(
      'public.ecr.aws/bottlerocket/bottlerocket-admin:v0.21.1',
    );
    expect(images.bottlerocketHostContainers?.kubeadmBootstrap?.tag).toBe(
      'v1-30-58-eks-a-v0.0.0-dev-build.1',
    );
  });
});

describe('given files', () => {
  test('two files with the same name are rejected, as are unreadable ones, all at once', async () => {
    const a = path.join(CURRENT, 'kubernetes-1-30-eks-58.yaml');
    const b = scratchFile('kubernetes-1-30-eks-58.yaml', readFileSync(a, 'utf8'));
    const missing = path.join(scratch, 'nope.yaml');
    await expect(
      loadVersionsBundles({ bundles: CURRENT_BUNDLES, eksdReleases: [a, b, missing], offline: true }),
    ).rejects.toThrow(
      [
        'cannot use the given EKS-D releases',
        `  - ${b} and ${a} have the same file name kubernetes-1-30-eks-58.yaml; give only one`,
        `  - cannot read EKS-D release ${missing}: no such file`,
      ].join('\n'),
    );
  });

  test('relative paths are taken from cwd', async () => {
    const bundles = await loadVersionsBundles({
      cwd: CURRENT,
      bundles: 'main-bundle-release.yaml',
      eksdReleases: ['kubernetes-1-31-eks-47.yaml'],
      offline: true,
    });
    expect((await bundles.resolve('1.31')).kubeDistro.eksdReleaseName).toBe('kubernetes-1-31-eks-47');
  });

  test('an embed:// bundles reference cannot be read', async () => {
    await expect(
      loadVersionsBundles({ bundles: 'embed:///config/bundles.yaml', offline: true }),
    ).rejects.toThrow(
      'cannot read Bundles manifest from embed:///config/bundles.yaml: "embed://" URLs cannot be downloaded (only http, https and file paths)',
    );
  });
});
