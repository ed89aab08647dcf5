import { at, currentBundle, dockerConfig, rawVersionsBundle, researchSection } from './fixtures';
import {
  curatedPackagesCredentialsFromEnv,
  curatedPackagesInstallation,
  packageResourcesToDelete,
} from '../../../src/manifests/addons';
import type { HelmUpgradeInstallOptions } from '../../../src/tools';

const A1_13 = researchSection('13. **install-curated-packages**', '### A2.');
const A3 = researchSection('### A3.', '### A4.');
const WORKLOAD = '  managementCluster:\n    name: mgmt\n';
const CREDENTIALS = { awsAccessKeyId: 'AKIAEXAMPLE', awsSecretAccessKey: 's3cret', awsRegion: 'us-west-2' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('curated packages controller install', () => {
  test("the bundle's eks-anywhere-packages chart, in the research's namespace", async () => {
    const namespace = /namespace `([^`]+)`/.exec(A1_13)?.[1];
    expect(A1_13).toContain('eks-anywhere-packages controller chart');
    const chart = rawVersionsBundle('1.30').packageController.helmChart;
    const [repository, tag] = String(chart.uri).split(':');
    const installation = curatedPackagesInstallation(dockerConfig(), await currentBundle('1.30'), {
      credentials: CREDENTIALS,
    })!;
    expect(installation.target).toBe('self');
    expect(installation.install).toMatchObject({
      chart: `oci://${repository}`,
      version: tag,
      release: chart.name,
      namespace,
      createNamespace: true,
    });
    expect(installation.install.skipCrds).toBeUndefined();
    expect(installation.install.values.clusterName).toBe('mgmt');
    // The helm wrapper's input, once the workflow adds the kubeconfig.
    const options: HelmUpgradeInstallOptions = { ...installation.install, kubeconfigPath: '/k' };
    expect(options.values).toBe(installation.install.values);
  });

  test('packages.disable: nothing to install', async () => {
    const config = dockerConfig({ extraSpec: '  packages:\n    disable: true\n' });
    expect(A1_13).toContain('unless `packages.disable`');
    expect(curatedPackagesInstallation(config, await currentBundle())).toBeUndefined();
  });

  test("credentials become the chart's base64 secret values; without them the token refresher is suspended", async () => {
    const bundle = await currentBundle();
    const withCreds = curatedPackagesInstallation(dockerConfig(), bundle, { credentials: CREDENTIALS })!
      .install.values;
    expect(at(withCreds, 'awsSecret.id')).toBe(b64('AKIAEXAMPLE'));
    expect(at(withCreds, 'awsSecret.secret')).toBe(b64('s3cret'));
    expect(at(withCreds, 'awsSecret.region')).toBe(b64('us-west-2'));
    expect(at(withCreds, 'cronjob.suspend')).toBeUndefined();
    expect(withCreds.defaultRegistry).toBe(withCreds.sourceRegistry);
    const bare = curatedPackagesInstallation(dockerConfig(), bundle)!.install.values;
    expect(at(bare, 'cronjob.suspend')).toBe(true);
    expect(at(bare, 'awsSecret.id')).toBe('');
  });

  test('another AWS region moves the package image registry to that region; a verified regional registry is used', async () => {
    const bundle = await currentBundle();
    const west = curatedPackagesInstallation(dockerConfig(), bundle, { credentials: CREDENTIALS })!.install
      .values;
    const east = curatedPackagesInstallation(dockerConfig(), bundle, {
      credentials: { ...CREDENTIALS, awsRegion: 'eu-west-1' },
    })!.install.values;
    expect(String(west.defaultImageRegistry)).toContain('us-west-2');
    expect(east.defaultImageRegistry).toBe(
      String(west.defaultImageRegistry).replace('us-west-2', 'eu-west-1'),
    );
    const regional = curatedPackagesInstallation(dockerConfig(), bundle, {
      credentials: CREDENTIALS,
      regionalRegistry: 'r.example',
    })!;
    expect([regional.install.values.defaultRegistry, regional.install.values.defaultImageRegistry]).toEqual([
      'r.example',
      'r.example',
    ]);
  });

  test('a registry mirror serves the chart and the registries, and its credentials reach the chart', async () => {
    const config = dockerConfig({
      extraSpec:
        '  registryMirrorConfiguration:\n    endpoint: mirror.local\n    port: "8443"\n    authenticate: true\n    ociNamespaces:\n    - registry: public.ecr.aws\n      namespace: ecr\n    - registry: 783794618700.dkr.ecr.us-west-2.amazonaws.com\n      namespace: packages\n',
    });
    const installation = curatedPackagesInstallation(config, await currentBundle(), {
      credentials: curatedPackagesCredentialsFromEnv({ REGISTRY_USERNAME: 'u', REGISTRY_PASSWORD: 'p' }),
    })!;
    expect(installation.install.chart.startsWith('oci://mirror.local:8443/ecr/')).toBe(true);
    expect(String(installation.install.values.sourceRegistry).startsWith('mirror.local:8443/ecr/')).toBe(
      true,
    );
    expect(installation.install.values.defaultImageRegistry).toBe('mirror.local:8443/packages');
    expect(installation.registryLogin).toBe('mirror.local:8443');
    expect(at(installation.install.values, 'registryMirrorSecret.username')).toBe(b64('u'));
    expect(at(installation.install.values, 'registryMirrorSecret.endpoint')).toBe(b64('mirror.local:8443'));
    // With a mirror the refresher has work even without AWS credentials.
    expect(at(installation.install.values, 'cronjob.suspend')).toBeUndefined();
  });

  test('packages.controller and packages.cronjob become chart values', async () => {
    const config = dockerConfig({
      extraSpec:
        '  packages:\n    controller:\n      repository: my-repo\n      tag: my-tag\n      digest: my-digest\n      disableWebhooks: true\n      env: ["A=B", "URL=x=y"]\n      resources:\n        requests: {cpu: 100m}\n        limits: {memory: 1Gi}\n    cronjob:\n      repository: cron-repo\n      tag: cron-tag\n      disable: true\n',
    });
    const values = curatedPackagesInstallation(config, await currentBundle(), { credentials: CREDENTIALS })!
      .install.values;
    expect(values.controller).toEqual({
      digest: 'my-digest',
      enableWebhooks: false,
      repository: 'my-repo',
      tag: 'my-tag',
      resources: { limits: { memory: '1Gi' }, requests: { cpu: '100m' } },
      env: [
        { name: 'A', value: 'B' },
        { name: 'URL', value: 'x=y' },
      ],
    });
    expect(values.cronjob).toEqual({ repository: 'cron-repo', suspend: true, tag: 'cron-tag' });
    const bad = dockerConfig({ extraSpec: '  packages:\n    controller:\n      env: ["NOEQUALS"]\n' });
    const bundle = await currentBundle();
    expect(() => curatedPackagesInstallation(bad, bundle)).toThrow(/env\[0\] 'NOEQUALS'/);
  });

  test('a workload cluster gets its own release on the management cluster, without CRDs', async () => {
    expect(A3).toContain('namespace `eksa-packages-<cluster>`');
    const chart = rawVersionsBundle('1.30').packageController.helmChart;
    const installation = curatedPackagesInstallation(
      dockerConfig({ name: 'w1', extraSpec: WORKLOAD }),
      await currentBundle(),
      {
        credentials: CREDENTIALS,
      },
    )!;
    expect(installation.target).toBe('management');
    expect(installation.packagesNamespace).toBe('eksa-packages-w1');
    expect(installation.install).toMatchObject({
      release: `${chart.name}-w1`,
      namespace: 'eksa-packages',
      skipCrds: true,
    });
    expect(installation.install.values).toMatchObject({
      workloadPackageOnly: true,
      managementClusterName: 'mgmt',
      clusterName: 'w1',
    });
  });
});

describe('package resources at delete', () => {
  test("the cluster's PackageBundleController and packages namespace; a workload cluster's release too", async () => {
    const mgmt = packageResourcesToDelete(dockerConfig());
    expect(mgmt.objects).toEqual([
      {
        apiVersion: 'packages.eks.amazonaws.com/v1alpha1',
        kind: 'PackageBundleController',
        name: 'mgmt',
        namespace: 'eksa-packages',
      },
      { apiVersion: 'v1', kind: 'Namespace', name: 'eksa-packages-mgmt' },
    ]);
    expect(mgmt.helmReleases).toEqual([]);
    const chart = rawVersionsBundle('1.30').packageController.helmChart;
    const workload = packageResourcesToDelete(
      dockerConfig({ name: 'w1', extraSpec: WORKLOAD }),
      await currentBundle(),
    );
    expect(workload.helmReleases).toEqual([{ release: `${chart.name}-w1`, namespace: 'eksa-packages' }]);
  });
});
