/**
 * Every synthesized object, in both contracts, validates against its CRD's structural schema (the simulated API
 * server's validator over the CRDs of ../shared/crds). Core objects (Secrets) have no CRD and are skipped.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CAPI_CONTRACTS, synthesizeCluster } from '../../src/manifests';
import { formatViolation, validateAgainstCrd } from '../../src/testing';
import { DOCKER_ORACLE, REPO_ROOT } from '../helpers/cli-runner';
import { loadSynthInput, type SynthInput } from '../helpers/synth-fixtures';

interface Fixture {
  readonly name: string;
  load(): Promise<SynthInput>;
}

const oracleCases: { case: string; input: string; bundles: string; eksdReleases: string[] }[] = JSON.parse(
  readFileSync(path.join(DOCKER_ORACLE, 'cases.json'), 'utf8'),
);

const fixtures: Fixture[] = [
  {
    name: 'examples/quickstart',
    load: () => loadSynthInput(path.join(REPO_ROOT, 'examples/quickstart/cluster.yaml')),
  },
  {
    name: 'spec valid docker-typical',
    load: () => loadSynthInput(path.join(REPO_ROOT, 'test/fixtures/spec/valid/docker-typical.yaml')),
  },
  {
    name: 'spec valid docker-full',
    load: () => loadSynthInput(path.join(REPO_ROOT, 'test/fixtures/spec/valid/docker-full.yaml')),
  },
  {
    name: 'worker kubelet configuration and registry CA',
    load: () => {
      const file = path.join(REPO_ROOT, 'test/fixtures/spec/valid/docker-full.yaml');
      const text = readFileSync(file, 'utf8')
        .replace(
          '    labels:\n      pool: general\n',
          '    labels:\n      pool: general\n    kubeletConfiguration:\n      maxPods: 50\n',
        )
        .replace(
          '    authenticate: true\n',
          '    authenticate: true\n    insecureSkipVerify: true\n    caCertContent: "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----"\n',
        );
      return loadSynthInput(file, undefined, undefined, text);
    },
  },
  ...oracleCases.map((c) => ({
    name: `oracle ${c.case}`,
    load: () =>
      loadSynthInput(
        path.join(DOCKER_ORACLE, c.input),
        path.join(DOCKER_ORACLE, c.bundles),
        c.eksdReleases.map((f) => path.join(DOCKER_ORACLE, f)),
      ),
  })),
];

/**
 * EKS-A's Cluster API build adds `Cluster.spec.managedExternalEtcdRef` (external etcd); the upstream CRDs in
 * ../shared/crds do not declare it. It is the one field allowed to be unknown, and only there.
 */
const EKSA_CAPI_FORK_FIELD = 'spec.managedExternalEtcdRef';

describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
  test.each(CAPI_CONTRACTS.map((c) => [c]))('every object matches its CRD schema (%s)', async (contract) => {
    const input = await fixture.load();
    const result = synthesizeCluster({
      ...input,
      contract,
      env: { REGISTRY_USERNAME: 'u', REGISTRY_PASSWORD: 'p' },
    });
    const objects = [...result.eksaObjects, ...result.capiObjects].filter((o) => o.apiVersion !== 'v1');
    expect(objects.length).toBeGreaterThan(5);
    const violations = objects.flatMap((o) =>
      validateAgainstCrd(o)
        .filter(
          (v) =>
            !(
              o.kind === 'Cluster' &&
              o.apiVersion.startsWith('cluster.x-k8s.io/') &&
              v.path === EKSA_CAPI_FORK_FIELD
            ),
        )
        .map((v) => `${o.kind} ${o.metadata.name}: ${formatViolation(v)}`),
    );
    expect(violations).toStrictEqual([]);
  });
});

test('the allowance is needed: upstream CRDs really reject managedExternalEtcdRef', async () => {
  const input = await loadSynthInput(path.join(REPO_ROOT, 'examples/quickstart/cluster.yaml'));
  const cluster = synthesizeCluster(input).capiObjects.find((o) => o.kind === 'Cluster')!;
  expect(validateAgainstCrd(cluster).map((v) => v.path)).toStrictEqual([EKSA_CAPI_FORK_FIELD]);
});
