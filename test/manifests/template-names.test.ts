import * as path from 'node:path';
import { appliedTemplatesFrom, isDerivative, synthesizeCluster, templateName } from '../../src/manifests';
import { REPO_ROOT } from '../helpers/cli-runner';
import { loadSynthInput } from '../helpers/synth-fixtures';

const spec = {
  template: { spec: { customImage: 'node:v1', extraMounts: [{ hostPath: '/a', containerPath: '/a' }] } },
};

describe('templateName', () => {
  test('the first template is -1', () => {
    expect(templateName('c-md-0', 'DockerMachineTemplate', spec)).toBe('c-md-0-1');
  });

  test('an unchanged spec keeps the highest applied name', () => {
    const applied = [
      {
        kind: 'DockerMachineTemplate',
        name: 'c-md-0-1',
        spec: { template: { spec: { customImage: 'node:v0' } } },
      },
      { kind: 'DockerMachineTemplate', name: 'c-md-0-3', spec },
    ];
    expect(templateName('c-md-0', 'DockerMachineTemplate', spec, applied)).toBe('c-md-0-3');
  });

  test('a changed spec takes the next number', () => {
    const applied = [{ kind: 'DockerMachineTemplate', name: 'c-md-0-3', spec }];
    const changed = { template: { spec: { ...spec.template.spec, customImage: 'node:v2' } } };
    expect(templateName('c-md-0', 'DockerMachineTemplate', changed, applied)).toBe('c-md-0-4');
  });

  test('other kinds, other bases and non-numeric suffixes do not count', () => {
    const applied = [
      { kind: 'KubeadmConfigTemplate', name: 'c-md-0-7', spec: {} },
      { kind: 'DockerMachineTemplate', name: 'c-md-00-5', spec: {} },
      { kind: 'DockerMachineTemplate', name: 'c-md-0-template-1234', spec: {} },
      { kind: 'DockerMachineTemplate', name: 'c-md-0-01', spec: {} },
    ];
    expect(templateName('c-md-0', 'DockerMachineTemplate', spec, applied)).toBe('c-md-0-1');
  });

  test('fields the server filled in (unset in the new spec) are not changes', () => {
    const live = { template: { spec: { ...spec.template.spec, bootstrapTimeout: '3m', preLoadImages: [] } } };
    expect(isDerivative(spec, live)).toBe(true);
    expect(isDerivative(live, spec)).toBe(false);
    expect(isDerivative({ a: [1, 2] }, { a: [1] })).toBe(false);
  });

  test('appliedTemplatesFrom keeps only template kinds', () => {
    expect(
      appliedTemplatesFrom([
        { kind: 'KubeadmControlPlane', metadata: { name: 'c' }, spec: {} },
        { kind: 'DockerMachineTemplate', metadata: { name: 'c-control-plane-1' }, spec: { a: 1 } },
      ]),
    ).toStrictEqual([{ kind: 'DockerMachineTemplate', name: 'c-control-plane-1', spec: { a: 1 } }]);
  });
});

describe('names across an upgrade', () => {
  const names = (objects: readonly { kind: string; metadata: { name: string } }[]) =>
    objects.filter((o) => o.kind.endsWith('Template')).map((o) => `${o.kind}/${o.metadata.name}`);

  test('only the templates whose spec changed get a new number', async () => {
    const input = await loadSynthInput(path.join(REPO_ROOT, 'test/fixtures/spec/valid/docker-full.yaml'));
    const first = synthesizeCluster(input);
    expect(names(first.capiObjects)).toStrictEqual([
      'DockerMachineTemplate/full-1-control-plane-1',
      'KubeadmConfigTemplate/full-1-general-1',
      'DockerMachineTemplate/full-1-general-1',
      'KubeadmConfigTemplate/full-1-gpu-1',
      'DockerMachineTemplate/full-1-gpu-1',
    ]);
    const previousTemplates = appliedTemplatesFrom(first.capiObjects);

    const again = synthesizeCluster({ ...input, previousTemplates });
    expect(names(again.capiObjects)).toStrictEqual(names(first.capiObjects));

    // Upgrade the gpu group to the control plane's Kubernetes version and relabel the general group.
    const clusterSpec = input.config.cluster.spec;
    const groups = clusterSpec.workerNodeGroupConfigurations!;
    const upgraded = {
      ...input.config,
      cluster: {
        ...input.config.cluster,
        spec: {
          ...clusterSpec,
          workerNodeGroupConfigurations: [
            { ...groups[0], labels: { pool: 'general', tier: 'gold' } },
            { ...groups[1], kubernetesVersion: undefined },
          ],
        },
      },
    };
    const bundles = input.bundles.filter((b) => b.kubeVersion === clusterSpec.kubernetesVersion);
    const next = synthesizeCluster({ config: upgraded, bundles, previousTemplates });
    expect(names(next.capiObjects)).toStrictEqual([
      'DockerMachineTemplate/full-1-control-plane-1',
      'KubeadmConfigTemplate/full-1-general-2',
      'DockerMachineTemplate/full-1-general-1',
      // 1.32 and 1.33 join with the same kubeadm configuration: only the node image changes.
      'KubeadmConfigTemplate/full-1-gpu-1',
      'DockerMachineTemplate/full-1-gpu-2',
    ]);
    const gpu = next.capiObjects.find(
      (o) => o.kind === 'MachineDeployment' && o.metadata.name === 'full-1-gpu',
    )!;
    expect(gpu.spec).toMatchObject({
      template: {
        spec: {
          bootstrap: { configRef: { name: 'full-1-gpu-1' } },
          infrastructureRef: { name: 'full-1-gpu-2' },
          version: 'v1.33.13-eks-1-33-30',
        },
      },
    });
  });
});
