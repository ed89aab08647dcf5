import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ociChartReference,
  throughMirror,
  coreEksaMirror,
  curatedPackagesMirror,
  mirrorBase,
} from '../../../src/manifests/addons';

describe('chart references', () => {
  test('registry/path/name:tag becomes oci://registry/path/name and the tag', () => {
    expect(ociChartReference('public.ecr.aws/eks/cilium/cilium:1.19.4-1')).toEqual({
      chart: 'oci://public.ecr.aws/eks/cilium/cilium',
      version: '1.19.4-1',
    });
    expect(ociChartReference('oci://localhost:5000/charts/x:0.1.0@sha256:abc')).toEqual({
      chart: 'oci://localhost:5000/charts/x',
      version: '0.1.0',
    });
    expect(() => ociChartReference('localhost:5000/charts/x')).toThrow(/has no tag/);
  });
});

describe('registry mirror', () => {
  const plain = { endpoint: '10.0.0.1' };
  const namespaced = {
    endpoint: 'mirror.local',
    port: '8443',
    ociNamespaces: [
      { registry: 'public.ecr.aws', namespace: 'ecr' },
      { registry: '346438352937.dkr.ecr.us-west-2.amazonaws.com', namespace: 'curated/' },
    ],
  };

  test('without namespaces only public.ecr.aws is mirrored, at the mirror root on port 443', () => {
    expect(mirrorBase(plain)).toBe('10.0.0.1:443');
    expect(throughMirror('public.ecr.aws/eks/cilium/cilium:1.19.4-1', plain)).toBe(
      '10.0.0.1:443/eks/cilium/cilium:1.19.4-1',
    );
    expect(throughMirror('oci://public.ecr.aws/eks/cilium/cilium', plain)).toBe(
      'oci://10.0.0.1:443/eks/cilium/cilium',
    );
    expect(throughMirror('quay.io/cilium/cilium:v1', plain)).toBe('quay.io/cilium/cilium:v1');
    expect(curatedPackagesMirror(plain)).toBeUndefined();
  });

  test('namespaced mirrors; every regional curated-packages registry maps to the one mirror namespace', () => {
    expect(coreEksaMirror(namespaced)).toBe('mirror.local:8443/ecr');
    expect(curatedPackagesMirror(namespaced)).toBe('mirror.local:8443/curated');
    expect(throughMirror('783794618700.dkr.ecr.eu-west-1.amazonaws.com/pkg:1', namespaced)).toBe(
      'mirror.local:8443/curated/pkg:1',
    );
    expect(throughMirror('public.ecr.aws/x:1', undefined)).toBe('public.ecr.aws/x:1');
  });

  test('IPv6 mirror hosts are bracketed', () => {
    expect(mirrorBase({ endpoint: 'fd00::1', port: '5000' })).toBe('[fd00::1]:5000');
  });
});

describe('layering', () => {
  test('the addons builders import nothing above manifests, nor the testing aids', () => {
    const dir = path.resolve(__dirname, '../../../src/manifests/addons');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const imports = [...readFileSync(path.join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map(
        (m) => m[1],
      );
      for (const spec of imports) {
        expect([file, spec]).not.toEqual([
          file,
          expect.stringMatching(/\/(kube|capi|tools|workflow|pulumi|cli|testing)(\/|$)/),
        ]);
        expect([file, spec]).not.toEqual([file, expect.stringMatching(/^(@kubernetes|@pulumi)/)]);
      }
    }
  });
});
