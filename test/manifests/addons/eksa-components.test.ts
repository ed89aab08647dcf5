import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { builtInViolations } from './builtin-shape';
import {
  backticked,
  currentBundle,
  currentBundles,
  dockerConfig,
  EKSA_COMPONENTS_MANIFEST,
  rawVersionsBundle,
  research,
  researchSection,
  vsphereOracleConfig,
} from './fixtures';
import {
  ALLOW_DELETE_WHEN_PAUSED_ANNOTATION,
  allowDeleteWhenPausedPatch,
  annotationMergePatch,
  configureEksaComponents,
  eksaComponentsPlan,
  eksaReleaseName,
  MANAGED_BY_CLI_ANNOTATION,
  MANAGEMENT_COMPONENTS_VERSION_ANNOTATION,
  managementComponentsVersionPatch,
  PAUSED_ANNOTATION,
  pauseReconcilePatches,
  resumeReconcilePatches,
  withAnnotations,
  type ManifestObject,
} from '../../../src/manifests/addons';
import { validateAgainstCrd } from '../../../src/testing';

const A1_5 = researchSection('5. **eksa-components-bootstrap-install**', '6. **workload-cluster-init**');
const RELEASE = {
  version: 'v0.26.1',
  date: '2026-07-30',
  gitCommit: 'aebd9a0',
  bundleManifestUrl: 'https://example.test/bundles.yaml',
};

describe('EKS-A components plan', () => {
  test("manifests come from the bundle; the wait is the research's controller Deployment", async () => {
    const bundles = await currentBundles();
    const plan = eksaComponentsPlan(bundles, [await currentBundle('1.30')], RELEASE);
    const raw = rawVersionsBundle('1.30');
    expect(plan.eksdCrdManifestUris).toEqual([raw.eksD.components]);
    expect(plan.componentsManifestUri).toBe(raw.eksa.components.uri);
    expect(A1_5).toContain('`eksa-system/eksa-controller-manager` Available, 30 min');
    const { namespace, name, condition, timeoutMs } = plan.controllerDeployment;
    expect([`${namespace}/${name}`, condition, timeoutMs]).toEqual([
      'eksa-system/eksa-controller-manager',
      'Available',
      30 * 60_000,
    ]);
  });

  test('Bundles and EKSARelease objects are valid against their CRDs and point at each other', async () => {
    const bundles = await currentBundles();
    const plan = eksaComponentsPlan(bundles, [await currentBundle()], RELEASE);
    expect(validateAgainstCrd(plan.bundles)).toEqual([]);
    expect(validateAgainstCrd(plan.eksaRelease)).toEqual([]);
    expect(plan.bundles.metadata).toEqual({ name: 'bundles-1', namespace: 'eksa-system' });
    expect(plan.bundles.spec).toEqual(bundles.manifest.spec);
    expect(plan.eksaRelease.metadata).toEqual({ name: 'eksa-v0-26-1', namespace: 'eksa-system' });
    expect(plan.eksaRelease.spec).toEqual({
      releaseDate: RELEASE.date,
      version: RELEASE.version,
      gitCommit: RELEASE.gitCommit,
      bundleManifestUrl: RELEASE.bundleManifestUrl,
      bundlesRef: {
        apiVersion: 'anywhere.eks.amazonaws.com/v1alpha1',
        name: 'bundles-1',
        namespace: 'eksa-system',
      },
    });
  });

  test("a hand-given Bundles file records the version only; names follow EKS-A's scheme", async () => {
    const plan = eksaComponentsPlan(await currentBundles(), [await currentBundle()], {
      version: 'v0.0.0-dev+build.7',
    });
    expect(validateAgainstCrd(plan.eksaRelease)).toEqual([]);
    expect(plan.eksaRelease.metadata.name).toBe('eksa-v0-0-0-dev-plus-build-7');
    expect(eksaReleaseName('v0.19.0')).toBe('eksa-v0-19-0');
  });

  test('one EKS-D Release object per release used, in eksa-system', async () => {
    const b130 = await currentBundle('1.30');
    const b131 = await currentBundle('1.31');
    const plan = eksaComponentsPlan(await currentBundles(), [b130, b131, b130], RELEASE);
    expect(plan.eksdReleases.map((r) => [r.metadata.name, r.metadata.namespace])).toEqual([
      [rawVersionsBundle('1.30').eksD.name, 'eksa-system'],
      [rawVersionsBundle('1.31').eksD.name, 'eksa-system'],
    ]);
    expect(plan.eksdReleases[0].status).toEqual(b130.eksdRelease.status);
  });

  test("the upgrader ConfigMap maps each EKS-D release to the bundle's upgrader image and keeps older entries", async () => {
    const plan = eksaComponentsPlan(await currentBundles(), [await currentBundle()], RELEASE, {
      existingUpgraderImages: { 'v1.29.0-eks-1-29-4': 'old-upgrader' },
    });
    const data = plan.upgraderImages.data as Record<string, string>;
    for (const kube of ['1.30', '1.36']) {
      const vb = rawVersionsBundle(kube);
      const number = String(vb.eksD.name).split('-').pop();
      expect(data[`${vb.eksD.kubeVersion}-eks-${vb.eksD.channel}-${number}`]).toBe(vb.upgrader.upgrader.uri);
    }
    expect(data['v1.29.0-eks-1-29-4']).toBe('old-upgrader');
    expect(Object.keys(data)).toHaveLength(8);
    expect(await builtInViolations(plan.upgraderImages)).toEqual([]);
  });
});

describe('EKS-A components manifest', () => {
  const manifest = readFileSync(EKSA_COMPONENTS_MANIFEST, 'utf8');
  const published = parseAllDocuments(manifest)
    .map((d) => d.toJS() as ManifestObject | null)
    .filter((o): o is ManifestObject => !!o);
  const controller = (objects: ManifestObject[]) =>
    objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'eksa-controller-manager')!;
  const envOf = (d: ManifestObject) =>
    (d.spec as any).template.spec.containers[0].env as { name: string; value?: string }[];

  test('without a proxy the manifest is applied as published', () => {
    expect(configureEksaComponents(manifest, dockerConfig())).toEqual(published);
  });

  test('a proxy is passed to the controller, NO_PROXY extended with the cluster networks', async () => {
    const config = dockerConfig({
      extraSpec:
        '  proxyConfiguration:\n    httpProxy: http://proxy:3128\n    httpsProxy: http://proxy:3129\n    noProxy: [.internal]\n',
    });
    const objects = configureEksaComponents(manifest, config);
    expect(objects).toHaveLength(published.length);
    expect(objects.filter((o) => o.kind !== 'Deployment')).toEqual(
      published.filter((o) => o.kind !== 'Deployment'),
    );
    const env = envOf(controller(objects));
    const before = envOf(controller(published));
    expect(env.slice(0, before.length)).toEqual(before);
    expect(env.slice(before.length)).toEqual([
      { name: 'HTTPS_PROXY', value: 'http://proxy:3129' },
      { name: 'HTTP_PROXY', value: 'http://proxy:3128' },
      { name: 'NO_PROXY', value: '.internal,192.168.0.0/16,10.96.0.0/12' },
    ]);
    expect(await builtInViolations(controller(objects))).toEqual([]);
    // Configuring an already configured manifest does not repeat the variables.
    const again = configureEksaComponents(objects.map((o) => JSON.stringify(o)).join('\n---\n'), config);
    expect(envOf(controller(again))).toEqual(env);
  });

  test('the vSphere in-place upgrade feature flag reaches the controller', () => {
    const env = envOf(
      controller(
        configureEksaComponents(manifest, dockerConfig(), { featureFlags: ['VSPHERE_IN_PLACE_UPGRADE'] }),
      ),
    );
    expect(env).toContainEqual({ name: 'VSPHERE_IN_PLACE_UPGRADE', value: 'true' });
  });

  test('a manifest without the controller is refused', () => {
    expect(() =>
      configureEksaComponents('apiVersion: v1\nkind: Namespace\nmetadata: {name: x}', dockerConfig(), {
        source: 'x.yaml',
      }),
    ).toThrow(/x\.yaml: has no Deployment eksa-controller-manager/);
  });
});

describe('pause / resume annotations', () => {
  test("the annotation keys are the research's", () => {
    const spans = backticked(researchSection('Annotations used to coordinate CLI vs controller', '### A1.'));
    expect(spans).toContain(PAUSED_ANNOTATION);
    for (const key of [
      MANAGED_BY_CLI_ANNOTATION,
      MANAGEMENT_COMPONENTS_VERSION_ANNOTATION,
      ALLOW_DELETE_WHEN_PAUSED_ANNOTATION,
    ]) {
      expect(spans).toContain(`…/${key.split('/')[1]}`);
    }
  });

  test('pause covers the datacenter config, every machine config and the Cluster (with managed-by-cli), as A1.8 says', () => {
    expect(research()).toContain('paused annotation on\n   datacenter config, machine configs and Cluster');
    const config = vsphereOracleConfig('pre-main');
    const patches = pauseReconcilePatches(config);
    const machineConfigs = Object.keys(config.machineConfigs ?? {});
    expect(machineConfigs.length).toBeGreaterThan(0);
    expect(patches.map((p) => `${p.kind}/${p.name}`)).toEqual([
      `VSphereDatacenterConfig/${config.datacenter.metadata.name}`,
      ...machineConfigs.map((m) => `VSphereMachineConfig/${m}`),
      `Cluster/${config.cluster.metadata.name}`,
    ]);
    expect(patches.every((p) => p.annotations[PAUSED_ANNOTATION] === 'true')).toBe(true);
    // The oracle's objects live in their own namespace; the patches must target it.
    expect(new Set(patches.map((p) => p.namespace))).toEqual(new Set(['test-namespace']));
    expect(patches[patches.length - 1].annotations[MANAGED_BY_CLI_ANNOTATION]).toBe('true');
  });

  test('resume removes what pause set; the annotated objects stay valid against the EKS-A CRDs', () => {
    const config = vsphereOracleConfig('pre-main');
    const resumed = resumeReconcilePatches(config);
    expect(resumed[0]).toMatchObject({
      kind: 'Cluster',
      annotations: { [PAUSED_ANNOTATION]: null, [MANAGED_BY_CLI_ANNOTATION]: null },
    });
    expect(annotationMergePatch(resumed[0])).toEqual({
      metadata: { annotations: { [PAUSED_ANNOTATION]: null, [MANAGED_BY_CLI_ANNOTATION]: null } },
    });
    const paused = withAnnotations(config.cluster, pauseReconcilePatches(config).at(-1)!);
    expect(paused.metadata.annotations).toEqual({
      [PAUSED_ANNOTATION]: 'true',
      [MANAGED_BY_CLI_ANNOTATION]: 'true',
    });
    expect(validateAgainstCrd(paused, undefined, { nulls: 'prune' })).toEqual([]);
    const back = withAnnotations(paused, resumed[0]);
    expect(back.metadata.annotations).toBeUndefined();
    const versioned = withAnnotations(back, managementComponentsVersionPatch(config.cluster, 'v0.26.1'));
    expect(versioned.metadata.annotations).toEqual({ [MANAGEMENT_COMPONENTS_VERSION_ANNOTATION]: 'v0.26.1' });
    expect(allowDeleteWhenPausedPatch(config.cluster).annotations).toEqual({
      [ALLOW_DELETE_WHEN_PAUSED_ANNOTATION]: 'true',
    });
  });
});
