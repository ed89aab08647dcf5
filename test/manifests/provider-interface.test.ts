/**
 * Both providers through the one interface: the registry picks them by datacenter kind, and each says what its
 * bootstrap cluster and tools need, with credentials marked secret.
 */
import * as path from 'node:path';
import { loadDocs, typicalDocs } from './vsphere-fixtures';
import { DockerProvider, providerFor, VSphereProvider, type ProviderContext } from '../../src/manifests';
import { REPO_ROOT } from '../helpers/cli-runner';
import { loadSynthInput } from '../helpers/synth-fixtures';

const DOCKER = path.join(REPO_ROOT, 'test/fixtures/spec/valid/docker-typical.yaml');

test('the registry renders docker and vSphere configs with their provider', async () => {
  expect(providerFor((await loadSynthInput(DOCKER)).config)).toBeInstanceOf(DockerProvider);
  expect(providerFor((await loadDocs(typicalDocs())).config)).toBeInstanceOf(VSphereProvider);
});

test('docker: the bootstrap node mounts the Docker socket; a GitHub token is a secret; no setup, no env needs', async () => {
  const { config } = await loadSynthInput(DOCKER);
  const docker = new DockerProvider();
  expect(docker.bootstrapClusterOptions({ config } as unknown as ProviderContext)).toStrictEqual({
    extraMounts: [{ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock' }],
  });
  expect(docker.toolEnvironment(config, { GITHUB_TOKEN: 'ghp_x' })).toStrictEqual([
    { name: 'GITHUB_TOKEN', value: 'ghp_x', secret: true },
  ]);
  expect(docker.toolEnvironment(config, {})).toStrictEqual([]);
  expect(docker.setupDefaults(config)).toBe(config);
  expect(docker.environmentIssues()).toStrictEqual([]);
});

test('docker: a proxy reaches the bootstrap node', async () => {
  const input = await loadSynthInput(DOCKER);
  const config = {
    ...input.config,
    cluster: {
      ...input.config.cluster,
      spec: {
        ...input.config.cluster.spec,
        proxyConfiguration: {
          httpProxy: 'http://p:3128',
          httpsProxy: 'http://p:3129',
          noProxy: ['', '.corp'],
        },
      },
    },
  };
  expect(
    new DockerProvider().bootstrapClusterOptions({ config } as unknown as ProviderContext).env,
  ).toStrictEqual({
    HTTP_PROXY: 'http://p:3128',
    HTTPS_PROXY: 'http://p:3129',
    NO_PROXY: '.corp',
  });
});

test('credentials environment variables are declared, so the chart writes the CAPI file 0600', () => {
  expect(new DockerProvider().credentialEnvVars).toStrictEqual([]);
  expect(new VSphereProvider().credentialEnvVars).toStrictEqual([
    'EKSA_VSPHERE_USERNAME',
    'EKSA_VSPHERE_PASSWORD',
    'EKSA_VSPHERE_CP_USERNAME',
    'EKSA_VSPHERE_CP_PASSWORD',
  ]);
});
