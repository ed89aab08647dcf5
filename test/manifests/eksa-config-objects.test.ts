import * as path from 'node:path';
import { synthesizeCluster } from '../../src/manifests';
import { configObjects } from '../../src/spec';
import { REPO_ROOT } from '../helpers/cli-runner';
import { loadSynthInput } from '../helpers/synth-fixtures';

const FULL = path.join(REPO_ROOT, 'test/fixtures/spec/valid/docker-full.yaml');

/** JSON equality without undefined fields. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('EKS-A config objects (<c>-eks-a-cluster.yaml)', () => {
  test('every object of the defaulted config comes out with its spec unchanged, Cluster first', async () => {
    const input = await loadSynthInput(FULL);
    const { eksaObjects } = synthesizeCluster(input);
    const source = configObjects(input.config);
    expect(eksaObjects.map((o) => `${o.kind}/${o.metadata.name}`)).toStrictEqual(
      source.map((o) => `${o.kind}/${o.metadata.name}`),
    );
    expect(eksaObjects[0].kind).toBe('Cluster');
    for (const [i, object] of source.entries()) {
      expect(eksaObjects[i].apiVersion).toBe('anywhere.eks.amazonaws.com/v1alpha1');
      expect(plain(eksaObjects[i].spec)).toStrictEqual(plain(object.spec));
    }
    // Fields the generated classes spell differently survive the round trip.
    const iam = eksaObjects.find((o) => o.kind === 'AWSIamConfig') as unknown as {
      spec: { mapRoles: { roleARN: string }[] };
    };
    expect(iam.spec.mapRoles[0].roleARN).toBe('arn:aws:iam::123456789012:role/admin');
    const cluster = eksaObjects[0] as unknown as { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(cluster.spec.clusterNetwork.cniConfig.cilium.ipv4NativeRoutingCIDR).toBe('192.168.0.0/16');
    expect(cluster.spec.controlPlaneConfiguration.machineHealthCheck.maxUnhealthy).toBe(1);
    expect(cluster.spec.workerNodeGroupConfigurations[1].machineHealthCheck.maxUnhealthy).toBe('50%');
    expect(cluster.spec.controlPlaneConfiguration.kubeletConfiguration).toStrictEqual({
      kind: 'KubeletConfiguration',
      maxPods: 110,
    });
  });

  test('taints with timeAdded render (a Date in the generated props made cdk8s throw), as Kubernetes writes times', async () => {
    const input = await loadSynthInput(FULL);
    const spec = input.config.cluster.spec;
    const taint = { key: 'dedicated', value: 'gpu', effect: 'PreferNoSchedule' as const };
    const cluster = {
      ...input.config.cluster,
      spec: {
        ...spec,
        controlPlaneConfiguration: {
          ...spec.controlPlaneConfiguration,
          taints: [{ ...taint, timeAdded: '2026-01-02T03:04:05Z' }],
        },
        workerNodeGroupConfigurations: spec.workerNodeGroupConfigurations!.map((group, i) =>
          i === 0 ? { ...group, taints: [{ ...taint, timeAdded: '2026-01-02T04:04:05+01:00' }] } : group,
        ),
      },
    };
    const { eksaObjects, capiObjects } = synthesizeCluster({
      ...input,
      config: { ...input.config, cluster },
    });
    const rendered = eksaObjects[0] as unknown as { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    // metav1.Time marshals as RFC 3339 in UTC with second precision.
    expect(rendered.spec.controlPlaneConfiguration.taints).toStrictEqual([
      { ...taint, timeAdded: '2026-01-02T03:04:05Z' },
    ]);
    expect(rendered.spec.workerNodeGroupConfigurations[0].taints).toStrictEqual([
      { ...taint, timeAdded: '2026-01-02T03:04:05Z' },
    ]);
    const kcp = capiObjects.find((o) => o.kind === 'KubeadmControlPlane') as unknown as {
      spec: { kubeadmConfigSpec: { initConfiguration: { nodeRegistration: { taints: unknown[] } } } };
    };
    expect(kcp.spec.kubeadmConfigSpec.initConfiguration.nodeRegistration.taints).toContainEqual({
      ...taint,
      timeAdded: '2026-01-02T03:04:05Z',
    });
  });

  test('metadata is reduced to name, namespace and annotations', async () => {
    const input = await loadSynthInput(FULL);
    const cluster = {
      ...input.config.cluster,
      metadata: {
        ...input.config.cluster.metadata,
        labels: { team: 'a' },
        annotations: { 'example.com/owner': 'platform' },
      },
    };
    const { eksaObjects } = synthesizeCluster({ ...input, config: { ...input.config, cluster } });
    expect(eksaObjects[0].metadata).toStrictEqual({
      name: 'full-1',
      namespace: 'eksa',
      annotations: { 'example.com/owner': 'platform' },
    });
  });

  test('clusterNetwork.dns is dropped when it has no resolvConf, kept when it has one', async () => {
    const input = await loadSynthInput(FULL);
    const spec = input.config.cluster.spec;
    const withoutResolv = {
      ...input.config,
      cluster: {
        ...input.config.cluster,
        spec: { ...spec, clusterNetwork: { ...spec.clusterNetwork, dns: {} } },
      },
    };
    const dropped = synthesizeCluster({ ...input, config: withoutResolv }).eksaObjects[0] as unknown as {
      spec: { clusterNetwork: object };
    };
    expect(Object.keys(dropped.spec.clusterNetwork)).not.toContain('dns');
    const kept = synthesizeCluster(input).eksaObjects[0] as unknown as {
      spec: { clusterNetwork: { dns: unknown } };
    };
    expect(kept.spec.clusterNetwork.dns).toStrictEqual({ resolvConf: { path: '/etc/my-resolv.conf' } });
  });
});
