import * as path from 'node:path';
import { CURRENT, CURRENT_BUNDLES, CURRENT_EKSD_FILES, DOCKER_SUPPORT } from './paths';
import { loadVersionsBundles, VersionsBundlesError } from '../../../src/spec/bundles';

// Expected values below were read by hand from the data files (and the table in shared/bundles/README.md).

describe('derivation from the current-era bundles (shared/bundles)', () => {
  const readmeTable: Array<[string, string, string]> = [
    ['1.30', 'kubernetes-1-30-eks-58', 'v1.30.14-eks-1-30-58'],
    ['1.31', 'kubernetes-1-31-eks-47', 'v1.31.14-eks-1-31-47'],
    ['1.32', 'kubernetes-1-32-eks-40', 'v1.32.13-eks-1-32-40'],
    ['1.33', 'kubernetes-1-33-eks-30', 'v1.33.13-eks-1-33-30'],
    ['1.34', 'kubernetes-1-34-eks-21', 'v1.34.9-eks-1-34-21'],
    ['1.35', 'kubernetes-1-35-eks-12', 'v1.35.6-eks-1-35-12'],
    ['1.36', 'kubernetes-1-36-eks-6', 'v1.36.2-eks-1-36-6'],
  ];

  test.each(readmeTable)(
    'Kubernetes %s resolves to %s with kube-apiserver tag %s',
    async (kube, release, tag) => {
      const bundles = await loadVersionsBundles({
        bundles: CURRENT_BUNDLES,
        eksdReleases: Object.values(CURRENT_EKSD_FILES).map((f) => path.join(CURRENT, f)),
        offline: true,
      });
      const resolved = await bundles.resolve(kube);
      expect(resolved.kubeDistro.eksdReleaseName).toBe(release);
      expect(resolved.kubeDistro.kubernetes).toStrictEqual({
        repository: 'public.ecr.aws/eks-distro/kubernetes',
        tag,
      });
      expect(resolved.sources.eksdRelease).toBe(path.join(CURRENT, `${release}.yaml`));
    },
  );

  test('every derived field of 1.30', async () => {
    const bundles = await loadVersionsBundles({
      bundles: CURRENT_BUNDLES,
      eksdReleases: [path.join(CURRENT, 'kubernetes-1-30-eks-58.yaml')],
      offline: true,
    });
    expect(bundles.supportedKubernetesVersions).toStrictEqual([
      '1.30',
      '1.31',
      '1.32',
      '1.33',
      '1.34',
      '1.35',
      '1.36',
    ]);
    const { kubeDistro, bundle } = await bundles.resolve('1.30');
    expect(kubeDistro).toStrictEqual({
      eksdReleaseName: 'kubernetes-1-30-eks-58',
      eksdChannel: '1-30',
      eksdNumber: 58,
      eksdManifestUrl: 'https://distro.eks.amazonaws.com/kubernetes-1-30/kubernetes-1-30-eks-58.yaml',
      kubernetes: { repository: 'public.ecr.aws/eks-distro/kubernetes', tag: 'v1.30.14-eks-1-30-58' },
      coreDns: { repository: 'public.ecr.aws/eks-distro/coredns', tag: 'v1.11.1-eks-1-30-58' },
      etcd: { repository: 'public.ecr.aws/eks-distro/etcd-io', tag: 'v3.5.12-eks-1-30-58' },
      etcdImage: {
        uri: 'public.ecr.aws/eks-distro/etcd-io/etcd:v3.5.12-eks-1-30-58',
        repository: 'public.ecr.aws/eks-distro/etcd-io/etcd',
        tag: 'v3.5.12-eks-1-30-58',
      },
      etcdVersion: '3.5.12',
      // The arm64 archive is listed first in the file; the amd64 one must be picked.
      etcdUrl:
        'https://distro.eks.amazonaws.com/kubernetes-1-30/releases/58/artifacts/etcd/v3.5.12/etcd-linux-amd64-v3.5.12.tar.gz',
      pause: {
        uri: 'public.ecr.aws/eks-distro/kubernetes/pause:v1.30.14-eks-1-30-58',
        repository: 'public.ecr.aws/eks-distro/kubernetes/pause',
        tag: 'v1.30.14-eks-1-30-58',
      },
      kubeProxy: {
        uri: 'public.ecr.aws/eks-distro/kubernetes/kube-proxy:v1.30.14-eks-1-30-58',
        repository: 'public.ecr.aws/eks-distro/kubernetes/kube-proxy',
        tag: 'v1.30.14-eks-1-30-58',
      },
      awsIamAuthenticator: {
        uri: 'public.ecr.aws/eks-distro/kubernetes-sigs/aws-iam-authenticator:v0.6.20-eks-1-30-58',
        repository: 'public.ecr.aws/eks-distro/kubernetes-sigs/aws-iam-authenticator',
        tag: 'v0.6.20-eks-1-30-58',
      },
    });
    // The raw bundle is carried through, typed.
    expect(bundle.clusterAPI?.version).toBe('v1.13.2+abcdef1');
    expect(bundle.cilium?.helmChart?.uri).toBe('public.ecr.aws/eks/cilium/cilium:1.19.4-1');
    expect(bundle.eksD.kindNode?.uri).toBe(
      'public.ecr.aws/release-container-registry/kubernetes-sigs/kind/node:v1.30.14-eks-d-1-30-58-eks-a-v0.0.0-dev-build.1',
    );
  });
});

describe('derivation from the oracle bundles (_support)', () => {
  test('Kubernetes 1.21 of _support/bundles.yaml with kubernetes-1-21-eks-4.yaml', async () => {
    const bundles = await loadVersionsBundles({
      bundles: path.join(DOCKER_SUPPORT, 'bundles.yaml'),
      eksdReleases: [path.join(DOCKER_SUPPORT, 'kubernetes-1-21-eks-4.yaml')],
      offline: true,
    });
    const { kubeDistro } = await bundles.resolve('1.21');
    expect(kubeDistro.kubernetes).toStrictEqual({
      repository: 'public.ecr.aws/eks-distro/kubernetes',
      tag: 'v1.21.2-eks-1-21-4',
    });
    expect(kubeDistro.coreDns).toStrictEqual({
      repository: 'public.ecr.aws/eks-distro/coredns',
      tag: 'v1.8.3-eks-1-21-4',
    });
    expect(kubeDistro.etcd).toStrictEqual({
      repository: 'public.ecr.aws/eks-distro/etcd-io',
      tag: 'v3.4.16-eks-1-21-4',
    });
    expect(kubeDistro.etcdVersion).toBe('3.4.16');
    expect(kubeDistro.etcdUrl).toBe(
      'https://distro.eks.amazonaws.com/kubernetes-1-21/releases/4/artifacts/etcd/v3.4.16/etcd-linux-amd64-v3.4.16.tar.gz',
    );
    expect(kubeDistro.pause.uri).toBe('public.ecr.aws/eks-distro/kubernetes/pause:v1.21.2-eks-1-21-4');
    expect(kubeDistro.kubeProxy.uri).toBe(
      'public.ecr.aws/eks-distro/kubernetes/kube-proxy:v1.21.2-eks-1-21-4',
    );
    expect(kubeDistro.awsIamAuthenticator.uri).toBe(
      'public.ecr.aws/eks-distro/kubernetes-sigs/aws-iam-authenticator:v0.5.2-eks-1-21-4',
    );
  });

  test('go-test-bundles.yaml serves the fixed 1.19-era image set for 1.24 (README "Two bundle sets")', async () => {
    const bundles = await loadVersionsBundles({
      bundles: path.join(DOCKER_SUPPORT, 'go-test-bundles.yaml'),
      eksdReleases: [path.join(DOCKER_SUPPORT, 'go-test-eksd-1-24.yaml')],
      offline: true,
    });
    expect(bundles.supportedKubernetesVersions).toStrictEqual(['1.19', '1.21', '1.24']);
    const { kubeDistro } = await bundles.resolve('1.24');
    expect(kubeDistro.kubernetes.tag).toBe('v1.19.6-eks-1-19-2');
    expect(kubeDistro.coreDns.tag).toBe('v1.8.0-eks-1-19-2');
    expect(kubeDistro.etcd.tag).toBe('v3.4.14-eks-1-19-2');
    expect(kubeDistro.etcdVersion).toBe('3.4.14');
  });

  test('_support/bundles.yaml has duplicate keys; the last value wins, as with Go', async () => {
    const bundles = await loadVersionsBundles({
      bundles: path.join(DOCKER_SUPPORT, 'bundles.yaml'),
      offline: true,
    });
    // In the 1.19 versions bundle the second `cloudStack` mapping carries a (mis-indented) `nutanix` key that the
    // first one lacks, so it shows which of the two was kept.
    const cloudStack = bundles.versionsBundle('1.19').cloudStack as unknown as Record<string, unknown>;
    expect(cloudStack.nutanix).toBeDefined();
    expect(cloudStack.version).toBe('v0.4.0-alpha+e3b0c44');
  });
});

describe('errors', () => {
  test('an unsupported version lists the supported ones and names the bundles file', async () => {
    const file = path.join(DOCKER_SUPPORT, 'go-test-bundles.yaml');
    const bundles = await loadVersionsBundles({ bundles: file, offline: true });
    await expect(bundles.resolve('1.30')).rejects.toThrow(
      `${file}: Kubernetes 1.30 is not supported by this Bundles manifest; supported versions: 1.19, 1.21, 1.24`,
    );
    expect(() => bundles.versionsBundle('1.2')).toThrow(VersionsBundlesError);
  });

  test('a release that is not given is only an error when its version is resolved', async () => {
    const bundles = await loadVersionsBundles({
      bundles: path.join(DOCKER_SUPPORT, 'bundles.yaml'),
      eksdReleases: [path.join(DOCKER_SUPPORT, 'kubernetes-1-21-eks-4.yaml')],
      offline: true,
    });
    await expect(bundles.resolve('1.21')).resolves.toBeDefined();
    await expect(bundles.resolve('1.20')).rejects.toThrow(
      /Kubernetes 1\.20 needs the EKS-D release kubernetes-1-20-eks-1\.yaml \(eksD\.manifestUrl embed:\/\/\/testdata\/kubernetes-1-20-eks-1\.yaml\), which is not among the given --eksd-release files \(kubernetes-1-21-eks-4\.yaml\), and "embed" URLs cannot be downloaded\. Pass it with --eksd-release PATH\/kubernetes-1-20-eks-1\.yaml/,
    );
  });

  test('matching is by file name only: a release with another name is not used', async () => {
    // go-test-eksd-1-21.yaml is a valid release, but 1.21 of bundles.yaml points at kubernetes-1-21-eks-4.yaml.
    const bundles = await loadVersionsBundles({
      bundles: path.join(DOCKER_SUPPORT, 'bundles.yaml'),
      eksdReleases: [path.join(DOCKER_SUPPORT, 'go-test-eksd-1-21.yaml')],
      offline: true,
    });
    await expect(bundles.resolve('1.21')).rejects.toThrow(
      /needs the EKS-D release kubernetes-1-21-eks-4\.yaml/,
    );
  });
});
