/**
 * Every object the vSphere provider synthesizes, in both contracts, validates against its CRD's structural schema
 * from ../shared/crds (validateAgainstCrd); the core objects (Secrets, ConfigMaps) and the manifests embedded in
 * them as text validate against the Kubernetes built-in models.
 *
 * EKS-A's Cluster API build adds fields upstream does not have: `Cluster.spec.managedExternalEtcdRef`, and for
 * Bottlerocket machines the kubeadm `pause`, `bottlerocketBootstrap`, `bottlerocket`, `proxy`, `registryMirror`,
 * `certBundles` fields and the `bottlerocket` format. Those, and only those, are allowed to fail here; a test
 * below shows each allowance is needed.
 */
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  bottlerocketEverything,
  loadDocs,
  typicalDocs,
  ubuntuEverything,
  VSPHERE_TYPICAL,
} from './vsphere-fixtures';
import { VSPHERE_ORACLE } from '../helpers/cli-runner';
import { oracleCases } from '../helpers/oracle-parity';
import { loadSynthInput, type SynthInput } from '../helpers/synth-fixtures';
import { builtInViolations } from './addons/builtin-shape';
import { CAPI_CONTRACTS, synthesizeCluster, type KubeObject } from '../../src/manifests';
import { formatViolation, validateAgainstCrd, type SchemaViolation } from '../../src/testing';

const CREDENTIALS = { EKSA_VSPHERE_USERNAME: 'admin@vsphere.local', EKSA_VSPHERE_PASSWORD: 's3cret!' };

const fixtures: { name: string; load: () => Promise<SynthInput> }[] = [
  { name: 'spec valid vsphere-typical', load: () => loadSynthInput(VSPHERE_TYPICAL) },
  {
    name: 'ubuntu with proxy, mirror, failure domains, kubelet configs',
    load: () => loadDocs(ubuntuEverything()),
  },
  { name: 'bottlerocket with host settings', load: () => loadDocs(bottlerocketEverything()) },
  {
    name: 'bottlerocket, stacked etcd',
    load: () => {
      const docs = bottlerocketEverything().filter((d) => d.metadata?.name !== 'prod-etcd');
      delete docs.find((d) => d.kind === 'Cluster')!.spec.externalEtcdConfiguration;
      return loadDocs(docs);
    },
  },
  ...oracleCases(VSPHERE_ORACLE).map((c) => ({
    name: `oracle ${c.case}`,
    load: () => {
      const arg = (flag: string) => c.argv[c.argv.indexOf(flag) + 1];
      return loadSynthInput(
        path.join(VSPHERE_ORACLE, arg('-f')),
        path.join(VSPHERE_ORACLE, arg('--bundles')),
        [path.join(VSPHERE_ORACLE, arg('--eksd-release'))],
      );
    },
  })),
];

const KUBEADM_SPEC = /^spec\.(kubeadmConfigSpec|template\.spec)\./;
const FORK_FIELD =
  /^spec\.(kubeadmConfigSpec|template\.spec)\.(clusterConfiguration|joinConfiguration)\.(pause|bottlerocketBootstrap|bottlerocket|proxy|registryMirror|certBundles)$/;

/** The violations EKS-A's Cluster API fork accounts for. */
function isForkField(object: KubeObject, v: SchemaViolation): boolean {
  if (object.kind === 'Cluster' && object.apiVersion.startsWith('cluster.x-k8s.io/')) {
    return v.path === 'spec.managedExternalEtcdRef';
  }
  if (object.kind !== 'KubeadmControlPlane' && object.kind !== 'KubeadmConfigTemplate') return false;
  if (FORK_FIELD.test(v.path)) return true;
  return KUBEADM_SPEC.test(v.path) && v.path.endsWith('.format') && /bottlerocket/.test(v.message);
}

/** The objects a ConfigMap or Secret of a ClusterResourceSet carries as manifest text. */
function embeddedObjects(object: KubeObject): unknown[] {
  const texts = [
    ...Object.values((object.data as Record<string, string> | undefined) ?? {}),
    ...Object.values((object.stringData as Record<string, string> | undefined) ?? {}),
  ].filter((t) => t.includes('apiVersion:'));
  return texts.flatMap((t) =>
    parseAllDocuments(t)
      .map((d) => d.toJS())
      .filter((o) => o !== null),
  );
}

describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
  test.each(CAPI_CONTRACTS.map((c) => [c]))('every object matches its CRD schema (%s)', async (contract) => {
    const input = await fixture.load();
    const result = synthesizeCluster({
      ...input,
      contract,
      env: { ...CREDENTIALS, REGISTRY_USERNAME: 'u', REGISTRY_PASSWORD: 'p' },
    });
    const custom = [...result.eksaObjects, ...result.capiObjects].filter((o) => o.apiVersion !== 'v1');
    expect(custom.map((o) => o.kind)).toEqual(
      expect.arrayContaining([
        'VSphereCluster',
        'VSphereMachineTemplate',
        'KubeadmControlPlane',
        'ClusterResourceSet',
      ]),
    );
    const violations = custom.flatMap((o) =>
      validateAgainstCrd(o)
        .filter((v) => !isForkField(o, v))
        .map((v) => `${o.kind} ${o.metadata.name}: ${formatViolation(v)}`),
    );
    expect(violations).toStrictEqual([]);
  });

  test('core objects and the manifests embedded in them match the Kubernetes models', async () => {
    const input = await fixture.load();
    const result = synthesizeCluster({ ...input, env: CREDENTIALS });
    const core = result.capiObjects.filter((o) => o.apiVersion === 'v1');
    const embedded = core.flatMap(embeddedObjects);
    // Credentials Secret, CPI service account and credentials Secrets, CPI manifests ConfigMap; inside them the
    // service account, the kube-system Secret and the six CPI objects.
    expect(core.length).toBeGreaterThanOrEqual(4);
    expect(embedded.map((o) => (o as KubeObject).kind).sort()).toStrictEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'DaemonSet',
        'RoleBinding',
        'Secret',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    const kubeVip = result.capiObjects
      .filter((o) => o.kind === 'KubeadmControlPlane')
      .flatMap((o) => (o.spec as any).kubeadmConfigSpec.files as { path: string; content?: string }[])
      .filter((f) => f.path === '/etc/kubernetes/manifests/kube-vip.yaml')
      .map((f) => parseAllDocuments(f.content!)[0].toJS());
    expect(kubeVip).toHaveLength(1);
    const problems: string[] = [];
    for (const o of [...core, ...embedded, ...kubeVip]) {
      for (const v of await builtInViolations(o)) problems.push(`${(o as KubeObject).kind}: ${v}`);
    }
    expect(problems).toStrictEqual([]);
  });
});

test('the allowances are needed: upstream CRDs reject the fork fields EKS-A renders for Bottlerocket', async () => {
  const input = await loadDocs(bottlerocketEverything());
  const objects = synthesizeCluster({ ...input, env: CREDENTIALS }).capiObjects;
  const kcp = objects.find((o) => o.kind === 'KubeadmControlPlane')!;
  const paths = validateAgainstCrd(kcp).map((v) => v.path);
  for (const field of [
    'pause',
    'bottlerocketBootstrap',
    'bottlerocket',
    'proxy',
    'registryMirror',
    'certBundles',
  ]) {
    expect(paths).toContain(`spec.kubeadmConfigSpec.clusterConfiguration.${field}`);
    expect(paths).toContain(`spec.kubeadmConfigSpec.joinConfiguration.${field}`);
  }
  expect(paths).toContain('spec.kubeadmConfigSpec.format');
  // Ubuntu machines need no allowance at all.
  const ubuntu = synthesizeCluster({ ...(await loadDocs(typicalDocs())), env: CREDENTIALS }).capiObjects;
  expect(
    ubuntu.filter((o) => o.kind !== 'Cluster' && o.apiVersion !== 'v1').flatMap((o) => validateAgainstCrd(o)),
  ).toStrictEqual([]);
});
