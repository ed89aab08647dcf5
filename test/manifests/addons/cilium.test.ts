import { readFileSync } from 'node:fs';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { builtInViolations } from './builtin-shape';
import {
  at,
  backticked,
  currentBundle,
  dockerConfig,
  ORACLE_BUNDLES,
  rawVersionsBundle,
  researchSection,
} from './fixtures';
import {
  ciliumAllowAllPolicies,
  ciliumHelmValues,
  ciliumInstallation,
  ciliumManifest,
  ciliumPreflightInstallation,
  cniInstallation,
  configureKindnetdManifest,
  kindnetdInstallation,
  planCiliumReconcile,
  planCiliumUpgrade,
  type ManifestObject,
} from '../../../src/manifests/addons';
import type { ResolvedVersionsBundle } from '../../../src/spec';
import type { HelmTemplateOptions } from '../../../src/tools';

/** Research (c) item 13: the values EKS-A renders the Cilium chart with. */
const ITEM_13 = researchSection('13. Cilium (not CAPI)', 'Legacy/PRE');

/** Spans of item 13 written as `path value`, e.g. `cni.chainingMode portmap`. */
function researchPairs(): [string, unknown][] {
  return backticked(ITEM_13)
    .filter((s) => /^[A-Za-z][A-Za-z.]* [A-Za-z0-9]+$/.test(s))
    .map((s) => {
      const [path, raw] = s.split(' ');
      return [path, raw === 'false' ? false : raw === 'true' ? true : raw];
    });
}

describe('Cilium values', () => {
  test('every `path value` of the research is rendered for the default (overlay) cluster', async () => {
    const pairs = researchPairs();
    // The research names at least these; the test must not pass vacuously.
    expect(pairs.map(([p]) => p)).toEqual(
      expect.arrayContaining([
        'cni.chainingMode',
        'ipam.mode',
        'identityAllocationMode',
        'routingMode',
        'tunnelProtocol',
        'envoy.enabled',
      ]),
    );
    const values = ciliumHelmValues(dockerConfig(), await currentBundle());
    for (const [path, expected] of pairs) {
      expect([path, at(values, path)]).toEqual([path, expected]);
    }
  });

  test("the research's switches without a value are on", async () => {
    const spans = backticked(ITEM_13);
    const values = ciliumHelmValues(dockerConfig(), await currentBundle());
    for (const key of ['prometheus.enabled', 'rollOutCiliumPods']) {
      expect(spans).toContain(key);
      expect(at(values, key)).toBe(true);
    }
  });

  test("agent and operator images are the bundle's; the operator repository has no -generic suffix", async () => {
    const raw = rawVersionsBundle('1.30').cilium;
    const values = ciliumHelmValues(dockerConfig(), await currentBundle('1.30'));
    expect(`${at(values, 'image.repository')}:${at(values, 'image.tag')}`).toBe(raw.cilium.uri);
    expect(`${at(values, 'operator.image.repository')}-generic:${at(values, 'operator.image.tag')}`).toBe(
      raw.operator.uri,
    );
    expect(String(at(values, 'operator.image.repository'))).not.toMatch(/-generic$/);
    expect(at(values, 'operator.prometheus.enabled')).toBe(true);
  });

  test('routingMode direct renders native routing with direct node routes and the native routing CIDRs', async () => {
    const item = ITEM_13;
    expect(item).toContain('`native` + `autoDirectNodeRoutes` + `ipv4NativeRoutingCIDR`');
    const config = dockerConfig({
      cniConfig:
        '      cilium:\n        routingMode: direct\n        ipv4NativeRoutingCIDR: 192.168.0.0/16\n        ipv6NativeRoutingCIDR: fd00::/104',
    });
    const values = ciliumHelmValues(config, await currentBundle());
    expect(values.routingMode).toBe('native');
    expect(values.autoDirectNodeRoutes).toBe(true);
    expect(values.ipv4NativeRoutingCIDR).toBe('192.168.0.0/16');
    expect(values.ipv6NativeRoutingCIDR).toBe('fd00::/104');
    expect(values).not.toHaveProperty('tunnelProtocol');
  });

  test('one operator replica only on single-node clusters', async () => {
    const bundle = await currentBundle();
    expect(
      at(ciliumHelmValues(dockerConfig({ workers: 0, controlPlaneCount: 1 }), bundle), 'operator.replicas'),
    ).toBe(1);
    expect(
      at(ciliumHelmValues(dockerConfig({ workers: 1, controlPlaneCount: 1 }), bundle), 'operator.replicas'),
    ).toBeUndefined();
    expect(
      at(ciliumHelmValues(dockerConfig({ workers: 0, controlPlaneCount: 3 }), bundle), 'operator.replicas'),
    ).toBeUndefined();
  });

  test('the operator never tolerates every taint, but does tolerate control plane and not-ready nodes', async () => {
    const tolerations = at(
      ciliumHelmValues(dockerConfig(), await currentBundle()),
      'operator.tolerations',
    ) as Record<string, string>[];
    expect(tolerations.every((t) => typeof t.key === 'string' && t.key !== '')).toBe(true);
    expect(tolerations.map((t) => t.key)).toEqual(
      expect.arrayContaining(['node-role.kubernetes.io/control-plane', 'node.kubernetes.io/not-ready']),
    );
  });

  test('policy mode, masquerade interfaces and CNI exclusivity come from the spec, only when set', async () => {
    const bundle = await currentBundle();
    const plain = ciliumHelmValues(dockerConfig(), bundle);
    expect(plain).not.toHaveProperty('policyEnforcementMode');
    expect(plain).not.toHaveProperty('egressMasqueradeInterfaces');
    expect(plain.cni).toEqual({ chainingMode: 'portmap' });
    const set = ciliumHelmValues(
      dockerConfig({
        cniConfig:
          '      cilium:\n        policyEnforcementMode: never\n        egressMasqueradeInterfaces: eth0\n        cniExclusive: false',
      }),
      bundle,
    );
    expect(set.policyEnforcementMode).toBe('never');
    expect(set.egressMasqueradeInterfaces).toBe('eth0');
    expect(at(set, 'cni.exclusive')).toBe(false);
  });

  test('helmValues replace the whole value set (v0.26.1), or extend it with the merge strategy', async () => {
    expect(ITEM_13).toContain('`helmValues` in the spec replace the whole value set');
    const bundle = await currentBundle();
    const config = dockerConfig({
      cniConfig:
        '      cilium:\n        helmValues:\n          hubble:\n            enabled: true\n          envoy:\n            enabled: true',
    });
    expect(ciliumHelmValues(config, bundle)).toEqual({ hubble: { enabled: true }, envoy: { enabled: true } });
    const merged = ciliumHelmValues(config, bundle, { helmValuesStrategy: 'merge' });
    expect(merged.hubble).toEqual({ enabled: true });
    expect(at(merged, 'envoy.enabled')).toBe(true);
    expect(at(merged, 'ipam.mode')).toBe('kubernetes');
  });

  test('upgradeCompatibility is the major.minor of the Cilium being replaced', async () => {
    const values = ciliumHelmValues(dockerConfig(), await currentBundle(), {
      upgradeFromVersion: 'v1.17.8-0',
    });
    expect(values.upgradeCompatibility).toBe('1.17');
    expect(() => ciliumHelmValues(dockerConfig(), dockerBundleless(), { upgradeFromVersion: 'x' })).toThrow();
  });
});

/** A bundle object good enough to reach the version check (never used for rendering). */
function dockerBundleless(): ResolvedVersionsBundle {
  return { bundle: {} } as unknown as ResolvedVersionsBundle;
}

describe('Cilium helm template request', () => {
  test("chart, version and namespace follow the research command and the bundle's helmChart", async () => {
    const command = backticked(ITEM_13).find((s) => s.startsWith('helm template'));
    expect(command).toBeDefined();
    const namespace = /--namespace (\S+)/.exec(command!)?.[1];
    const chartUri: string = rawVersionsBundle('1.30').cilium.helmChart.uri;
    const [repository, tag] = chartUri.split(':');
    const { template } = ciliumInstallation(dockerConfig(), await currentBundle('1.30'));
    expect(template.chart).toBe(`oci://${repository}`);
    expect(template.version).toBe(tag);
    expect(template.namespace).toBe(namespace);
    expect(template.kubeVersion).toBe('1.30');
    // The request is what the tools layer's helm wrapper takes.
    const options: HelmTemplateOptions = template;
    expect(options.values).toBe(template.values);
  });

  test('a registry mirror serves the chart, skips TLS verification when asked, and needs a login with authenticate', async () => {
    const config = dockerConfig({
      extraSpec:
        '  registryMirrorConfiguration:\n    endpoint: 10.0.0.5\n    port: "5000"\n    authenticate: true\n    insecureSkipVerify: true\n    ociNamespaces:\n    - registry: public.ecr.aws\n      namespace: ecr-public\n',
    });
    const installation = ciliumInstallation(config, await currentBundle());
    expect(installation.template.chart).toBe('oci://10.0.0.5:5000/ecr-public/eks/cilium/cilium');
    expect(installation.template.insecureSkipTlsVerify).toBe(true);
    expect(installation.registryLogin).toBe('10.0.0.5:5000');
  });

  test('the preflight renders the agent image as preflight, with agent and operator off', async () => {
    const raw = rawVersionsBundle('1.30').cilium;
    const { template } = ciliumPreflightInstallation(dockerConfig(), await currentBundle());
    expect(at(template.values, 'preflight.enabled')).toBe(true);
    expect(
      `${at(template.values, 'preflight.image.repository')}:${at(template.values, 'preflight.image.tag')}`,
    ).toBe(raw.cilium.uri);
    expect(template.values.agent).toBe(false);
    expect(at(template.values, 'operator.enabled')).toBe(false);
  });
});

/** Namespaces the research lists for the management components (A1 step 4). */
function researchManagementNamespaces(): string[] {
  const step4 = researchSection(
    '4. **install-capi-components-bootstrap**',
    '5. **eksa-components-bootstrap-install**',
  );
  return [...new Set(step4.match(/\b(?:[a-z]+-)+system\b|\bcert-manager\b/g) ?? [])];
}

describe('allow-all network policies (policyEnforcementMode: always)', () => {
  const always = '      cilium:\n        policyEnforcementMode: always';

  test('none unless the mode is always', async () => {
    expect(ciliumAllowAllPolicies(dockerConfig(), await currentBundle())).toEqual([]);
    expect(ciliumInstallation(dockerConfig(), await currentBundle()).networkPolicies).toEqual([]);
  });

  test('a management cluster opens kube-system, eksa-system and every management namespace, each allowing all', async () => {
    const objects = ciliumAllowAllPolicies(dockerConfig({ cniConfig: always }), await currentBundle());
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const opened = policies.map((p) => p.metadata.namespace);
    expect(opened).toEqual(expect.arrayContaining(['kube-system', ...researchManagementNamespaces()]));
    for (const p of policies) {
      expect(p.spec).toEqual({
        podSelector: {},
        ingress: [{}],
        egress: [{}],
        policyTypes: ['Ingress', 'Egress'],
      });
      expect(await builtInViolations(p)).toEqual([]);
    }
    // Every namespace but kube-system is created with its policy.
    const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(new Set(namespaces)).toEqual(new Set(opened.filter((n) => n !== 'kube-system')));
    for (const n of objects.filter((o) => o.kind === 'Namespace')) {
      expect(await builtInViolations(n)).toEqual([]);
    }
  });

  test("with GitOps, Flux's namespace is opened too", async () => {
    const config = dockerConfig({
      cniConfig: always,
      extraSpec: '  gitOpsRef:\n    kind: FluxConfig\n    name: flux\n',
      extraDocs:
        '---\napiVersion: anywhere.eks.amazonaws.com/v1alpha1\nkind: FluxConfig\nmetadata:\n  name: flux\nspec:\n  systemNamespace: gitops\n  github:\n    owner: me\n    repository: fleet\n',
    });
    const namespaces = ciliumAllowAllPolicies(config, await currentBundle()).map((o) => o.metadata.namespace);
    expect(namespaces).toContain('gitops');
  });

  test('a workload cluster only allows traffic within kube-system', async () => {
    const config = dockerConfig({
      name: 'w1',
      cniConfig: always,
      extraSpec: '  managementCluster:\n    name: mgmt\n',
    });
    const objects = ciliumAllowAllPolicies(config, await currentBundle());
    expect(objects).toHaveLength(1);
    const selector = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } };
    expect(objects[0].spec).toEqual({
      podSelector: {},
      ingress: [{ from: [selector] }],
      egress: [{ to: [selector] }],
      policyTypes: ['Ingress', 'Egress'],
    });
    expect(await builtInViolations(objects[0])).toEqual([]);
  });

  test("the manifest is the chart's output followed by the policies", async () => {
    const installation = ciliumInstallation(dockerConfig({ cniConfig: always }), await currentBundle());
    const rendered =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: cilium\n  namespace: kube-system';
    const docs = parseAllDocuments(ciliumManifest(rendered, installation)).map(
      (d) => d.toJS() as ManifestObject,
    );
    expect(docs[0]).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'cilium', namespace: 'kube-system' },
    });
    expect(docs.slice(1)).toEqual(installation.networkPolicies);
    expect(ciliumManifest(rendered, ciliumInstallation(dockerConfig(), await currentBundle()))).toBe(
      rendered,
    );
  });
});

/** The 1.30 versions bundle with the Cilium of the oracle's older bundle (v1.17.8-0): a Cilium upgrade. */
async function withOracleCilium(): Promise<ResolvedVersionsBundle> {
  const oracle = parseYaml(readFileSync(ORACLE_BUNDLES, 'utf8'), { uniqueKeys: false }) as {
    spec: { versionsBundles: Record<string, any>[] };
  };
  const cilium = oracle.spec.versionsBundles.find((vb) => vb.kubeVersion === '1.29')!.cilium;
  const current = await currentBundle();
  return { ...current, bundle: { ...current.bundle, cilium } };
}

describe('Cilium upgrade decisions', () => {
  test('skipUpgrade leaves Cilium alone', async () => {
    const old = { config: dockerConfig(), bundle: await withOracleCilium() };
    const next = {
      config: dockerConfig({ cniConfig: '      cilium:\n        skipUpgrade: true' }),
      bundle: await currentBundle(),
    };
    expect(planCiliumUpgrade(old, next).action).toBe('skip');
  });

  test("new images mean a version upgrade from the old agent's version", async () => {
    const decision = planCiliumUpgrade(
      { config: dockerConfig(), bundle: await withOracleCilium() },
      { config: dockerConfig(), bundle: await currentBundle() },
    );
    expect(decision.action).toBe('upgrade');
    expect(decision).toMatchObject({ upgradeFromVersion: 'v1.17.8-0' });
  });

  test('changed settings with the same images mean the manifest is applied again', async () => {
    const bundle = await currentBundle();
    const decision = planCiliumUpgrade(
      { config: dockerConfig(), bundle },
      { config: dockerConfig({ cniConfig: '      cilium:\n        policyEnforcementMode: always' }), bundle },
    );
    expect(decision.action).toBe('reconfigure');
    expect(decision.reasons.join(' ')).toContain('policyEnforcementMode');
  });

  test('nothing changed: nothing to do', async () => {
    const bundle = await currentBundle();
    expect(
      planCiliumUpgrade({ config: dockerConfig(), bundle }, { config: dockerConfig(), bundle }).action,
    ).toBe('none');
  });

  test('reconcile from observed state follows the controller', async () => {
    const bundle = await currentBundle();
    const raw = rawVersionsBundle('1.30').cilium;
    const desired = { config: dockerConfig(), bundle };
    const skip = { config: dockerConfig({ cniConfig: '      cilium:\n        skipUpgrade: true' }), bundle };
    const running = {
      agentImages: [raw.cilium.uri, raw.cilium.uri],
      operatorImage: raw.operator.uri,
      config: { 'enable-policy': 'default' },
      installedByEksa: true,
    };
    expect(planCiliumReconcile({ installedByEksa: false }, desired).action).toBe('install');
    // A new cluster always gets a CNI, even when the user means to manage Cilium later.
    expect(planCiliumReconcile({ installedByEksa: false }, skip).action).toBe('install');
    expect(planCiliumReconcile({ installedByEksa: true }, skip).action).toBe('skip');
    expect(planCiliumReconcile(running, desired).action).toBe('none');
    const stale = planCiliumReconcile(
      { ...running, agentImages: ['public.ecr.aws/eks/cilium/cilium:v1.18.2-0'] },
      desired,
    );
    expect(stale).toMatchObject({ action: 'upgrade', upgradeFromVersion: 'v1.18.2-0' });
    expect(planCiliumReconcile({ ...running, config: { 'enable-policy': 'always' } }, desired).action).toBe(
      'reconfigure',
    );
  });
});

describe('CNI choice and kindnetd', () => {
  test('Cilium unless the docker cluster asks for kindnetd; kindnetd comes from the bundle manifest', async () => {
    const bundle = await currentBundle();
    expect(cniInstallation(dockerConfig(), bundle).plugin).toBe('cilium');
    const kindnetd = cniInstallation(dockerConfig({ cniConfig: '      kindnetd: {}' }), bundle);
    expect(kindnetd).toEqual({ plugin: 'kindnetd', kindnetd: kindnetdInstallation(bundle) });
    expect(kindnetdInstallation(bundle).manifestUri).toBe(rawVersionsBundle('1.30').kindnetd.manifest.uri);
  });

  test("the kindnetd DaemonSet gets the cluster's pod CIDR; other objects are kept as published", async () => {
    const manifest = [
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: kindnet\n  namespace: kube-system',
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: kindnet\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels: {app: kindnet}\n  template:\n    metadata:\n      labels: {app: kindnet}\n    spec:\n      containers:\n      - name: kindnet-cni\n        image: kindest/kindnetd:v0.32.0\n        env:\n        - name: HOST_IP\n          valueFrom: {fieldRef: {fieldPath: status.hostIP}}\n        - name: POD_SUBNET\n          value: 10.244.0.0/16',
    ].join('\n---\n');
    const objects = configureKindnetdManifest(manifest, dockerConfig({ cniConfig: '      kindnetd: {}' }));
    expect(objects[0]).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'kindnet', namespace: 'kube-system' },
    });
    const env = at(objects[1], 'spec.template.spec.containers') as {
      env: { name: string; value?: string }[];
    }[];
    expect(env[0].env.find((e) => e.name === 'POD_SUBNET')?.value).toBe('192.168.0.0/16');
    expect(env[0].env.find((e) => e.name === 'HOST_IP')).toEqual({
      name: 'HOST_IP',
      valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } },
    });
    expect(await builtInViolations(objects[1])).toEqual([]);
    expect(() => configureKindnetdManifest('kind: ConfigMap\nmetadata: {name: x}', dockerConfig())).toThrow(
      /no DaemonSet/,
    );
  });
});
