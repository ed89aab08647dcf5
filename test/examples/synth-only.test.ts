import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthOnlyApp } from '../../examples/synth-only/main';
import { validateAgainstCrd } from '../../src/testing';
import { tempDir } from '../helpers/cli-runner';

test('the synth-only example app writes the cluster next to its own objects, all schema-valid', async () => {
  const out = tempDir('synth-only');
  try {
    await synthOnlyApp(out.dir);
    expect(readdirSync(out.dir)).toStrictEqual(['platform.k8s.yaml']);
    const objects = parseAllDocuments(readFileSync(path.join(out.dir, 'platform.k8s.yaml'), 'utf8')).map(
      (d) => d.toJS(),
    );
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names.slice(0, 3)).toStrictEqual([
      'Namespace/platform-dev',
      'Cluster/dev',
      'DockerDatacenterConfig/dev',
    ]);
    expect(names).toEqual(
      expect.arrayContaining([
        'KubeadmControlPlane/dev',
        'MachineDeployment/dev-apps',
        'MachineDeployment/dev-batch',
        'MachineHealthCheck/dev-batch-worker-unhealthy',
      ]),
    );
    const batch = objects.find((o) => o.metadata.name === 'dev-batch' && o.kind === 'MachineDeployment');
    expect(batch.spec.replicas).toBeUndefined();
    expect(batch.spec.template.spec.version).toBe('v1.35.6-eks-1-35-12');
    const kcp = objects.find((o) => o.kind === 'KubeadmControlPlane');
    expect(kcp.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.certSANs).toStrictEqual([
      'localhost',
      '127.0.0.1',
      'dev.example.internal',
    ]);
    for (const o of objects.filter((x) => x.apiVersion !== 'v1')) {
      expect(validateAgainstCrd(o).filter((v) => v.path !== 'spec.managedExternalEtcdRef')).toStrictEqual([]);
    }
  } finally {
    out.remove();
  }
});
