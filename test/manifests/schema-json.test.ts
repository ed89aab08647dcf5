import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import * as kcp from '../../src/manifests/imports/controlplane.cluster.x-k8s.io';
import {
  GENERATED_PROP_SCHEMA_NAMES,
  addRenderedObject,
  addSchemaObject,
} from '../../src/manifests/schema-json';
import { REPO_ROOT } from '../helpers/cli-runner';

const IMPORTS = path.join(REPO_ROOT, 'src/manifests/imports');

/** Every `'schemaName': …obj.propName…` line of the generated `toJson_…` functions whose two names differ. */
function renamesInGeneratedSources(): Record<string, string> {
  const renames: Record<string, Set<string>> = {};
  for (const file of readdirSync(IMPORTS).filter((f) => f.endsWith('.ts'))) {
    for (const match of readFileSync(path.join(IMPORTS, file), 'utf8').matchAll(
      /^\s+'([^']+)': [^;\n]*?\bobj\.([A-Za-z0-9_]+)/gm,
    )) {
      const [, schemaName, propName] = match;
      if (schemaName !== propName) (renames[propName] ??= new Set()).add(schemaName);
    }
  }
  return Object.fromEntries(
    Object.entries(renames)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([prop, names]) => [prop, [...names].join(' | ')]),
  );
}

test('the rename table is exactly the generated classes’ renames, one schema name per prop name', () => {
  const found = renamesInGeneratedSources();
  expect(Object.keys(found).length).toBeGreaterThan(30);
  expect(found).toStrictEqual({ ...GENERATED_PROP_SCHEMA_NAMES });
});

test('no prop name is renamed in one kind and kept in another (the table applies everywhere)', () => {
  const kept = new Set<string>();
  for (const file of readdirSync(IMPORTS).filter((f) => f.endsWith('.ts'))) {
    for (const match of readFileSync(path.join(IMPORTS, file), 'utf8').matchAll(
      /^\s+'([^']+)': [^;\n]*?\bobj\.([A-Za-z0-9_]+)/gm,
    )) {
      if (match[1] === match[2]) kept.add(match[2]);
    }
  }
  expect(Object.keys(GENERATED_PROP_SCHEMA_NAMES).filter((name) => kept.has(name))).toStrictEqual([]);
});

describe('a JSON body renders as the generated class renders its props', () => {
  // Renamed fields (certSANs, unsafeSkipCAVerification), int-or-string, enums, a map and nested lists.
  const generatedProps: kcp.KubeadmControlPlaneV1Beta2Props = {
    metadata: { name: 'c', namespace: 'eksa-system', labels: { b: '2', a: '1' } },
    spec: {
      version: 'v1.33.1',
      replicas: 3,
      machineTemplate: {
        spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'K', name: 'n' } },
      },
      rollout: {
        strategy: {
          type: kcp.KubeadmControlPlaneV1Beta2SpecRolloutStrategyType.ROLLING_UPDATE,
          rollingUpdate: {
            maxSurge: kcp.KubeadmControlPlaneV1Beta2SpecRolloutStrategyRollingUpdateMaxSurge.fromNumber(1),
          },
        },
      },
      kubeadmConfigSpec: {
        clusterConfiguration: {
          apiServer: { certSaNs: ['10.0.0.1', 'api.example'], extraArgs: [{ name: 'z', value: '1' }] },
          featureGates: { Zeta: true, Alpha: false },
        },
        joinConfiguration: {
          discovery: {
            bootstrapToken: { token: 't', unsafeSkipCaVerification: true, apiServerEndpoint: 'e' },
          },
          nodeRegistration: {
            taints: [{ key: 'k', effect: 'NoSchedule' }],
          },
        },
        files: [{ path: '/etc/x', content: 'x\n', owner: undefined }],
      },
    },
  };
  const json = {
    metadata: { name: 'c', namespace: 'eksa-system', labels: { b: '2', a: '1' } },
    spec: {
      version: 'v1.33.1',
      replicas: 3,
      machineTemplate: {
        spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'K', name: 'n' } },
      },
      rollout: {
        strategy: {
          type: kcp.KubeadmControlPlaneV1Beta2SpecRolloutStrategyType.ROLLING_UPDATE,
          rollingUpdate: { maxSurge: 1 },
        },
      },
      kubeadmConfigSpec: {
        clusterConfiguration: {
          apiServer: { certSANs: ['10.0.0.1', 'api.example'], extraArgs: [{ name: 'z', value: '1' }] },
          featureGates: { Zeta: true, Alpha: false },
        },
        joinConfiguration: {
          discovery: {
            bootstrapToken: { token: 't', unsafeSkipCAVerification: true, apiServerEndpoint: 'e' },
          },
          nodeRegistration: {
            taints: [{ key: 'k', effect: 'NoSchedule' }],
          },
        },
        files: [{ path: '/etc/x', content: 'x\n', owner: undefined }],
      },
    },
  };
  const viaGeneratedClass = () => {
    const chart = Testing.chart();
    new kcp.KubeadmControlPlaneV1Beta2(chart, 'kcp', generatedProps);
    return Testing.synth(chart)[0];
  };

  test('written directly (addSchemaObject): same JSON, same key order', () => {
    const chart = Testing.chart();
    addSchemaObject(chart, 'kcp', kcp.KubeadmControlPlaneV1Beta2, json);
    const rendered = Testing.synth(chart)[0];
    expect(rendered.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.certSANs).toStrictEqual([
      '10.0.0.1',
      'api.example',
    ]);
    expect(JSON.stringify(rendered)).toBe(JSON.stringify(viaGeneratedClass()));
  });

  test('rendered once at construction (addRenderedObject): same JSON, same key order', () => {
    const chart = Testing.chart();
    addRenderedObject(
      chart,
      'kcp',
      kcp.KubeadmControlPlaneV1Beta2,
      kcp.toJson_KubeadmControlPlaneV1Beta2Props,
      generatedProps,
    );
    expect(JSON.stringify(Testing.synth(chart)[0])).toBe(JSON.stringify(viaGeneratedClass()));
  });

  test('a date: the generated class cannot render one (cdk8s 2.70 rejects it), a JSON body carries its ISO text', () => {
    const taints = [{ key: 'k', effect: 'NoSchedule', timeAdded: new Date('2024-05-01T00:00:00Z') }];
    const withDate = (spec: kcp.KubeadmControlPlaneV1Beta2Spec) => ({ ...generatedProps, spec });
    const chart = Testing.chart();
    new kcp.KubeadmControlPlaneV1Beta2(
      chart,
      'kcp',
      withDate({
        ...generatedProps.spec,
        kubeadmConfigSpec: { joinConfiguration: { nodeRegistration: { taints } } },
      }),
    );
    expect(() => Testing.synth(chart)).toThrow(/non-simple object of type 'Date'/);
    expect(
      kcp.toJson_KubeadmControlPlaneV1Beta2SpecKubeadmConfigSpecJoinConfigurationNodeRegistrationTaints(
        taints[0],
      ),
    ).toStrictEqual({ key: 'k', effect: 'NoSchedule', timeAdded: '2024-05-01T00:00:00.000Z' });
  });
});
