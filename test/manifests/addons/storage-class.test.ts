import { builtInViolations } from './builtin-shape';
import { dockerConfig, researchSection, vsphereOracleConfig } from './fixtures';
import {
  DEFAULT_STORAGE_CLASS_ANNOTATION,
  parseStorageClassYaml,
  storageClassesFor,
  validateStorageClasses,
  vsphereDefaultStorageClass,
} from '../../../src/manifests/addons';
import { ClusterConfigError } from '../../../src/spec';

/** Research A2 step 5: the storage class EKS-A installed before v0.16. */
const A2_STORAGE = researchSection('5. Storage class (vSphere only', '6. `InstallMachineHealthChecks`');

function storageClass(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner: 'example.com/csi',
    ...extra,
  };
}

describe('the built-in shape check used below', () => {
  test('reports unknown fields and wrong types, and accepts a valid object', async () => {
    expect(await builtInViolations(storageClass('ok', { reclaimPolicy: 'Retain' }))).toEqual([]);
    const bad = await builtInViolations(
      storageClass('bad', { provisoner: 'typo', allowVolumeExpansion: 'yes' }),
    );
    expect(bad).toEqual(
      expect.arrayContaining([
        expect.stringContaining('provisoner'),
        expect.stringContaining('allowVolumeExpansion'),
      ]),
    );
  });
});

describe('default StorageClass per provider', () => {
  test("vSphere gets the research's default `standard` class with the vSphere CSI provisioner", async () => {
    const name = /default `(\w+)` StorageClass/.exec(A2_STORAGE)?.[1];
    const provisioner = /StorageClass with `([^`]+)`/.exec(A2_STORAGE)?.[1];
    expect([name, provisioner]).toEqual(['standard', 'csi.vsphere.vmware.com']);
    const objects = storageClassesFor(vsphereOracleConfig('pre-main'));
    expect(objects).toHaveLength(1);
    const sc = objects[0];
    expect(sc.metadata.name).toBe(name);
    expect(sc.provisioner).toBe(provisioner);
    expect(sc.metadata.annotations?.[DEFAULT_STORAGE_CLASS_ANNOTATION]).toBe('true');
    expect(sc.metadata.namespace).toBeUndefined();
    expect(await builtInViolations(sc)).toEqual([]);
    expect(validateStorageClasses(objects)).toEqual([]);
  });

  test('docker gets none: CAPD enables the host-path provisioner instead', () => {
    expect(A2_STORAGE).toContain('docker never had one');
    expect(storageClassesFor(dockerConfig())).toEqual([]);
  });

  test('the vSphere storage policy and class name can be chosen', () => {
    const sc = vsphereDefaultStorageClass({ name: 'fast', storagePolicyName: 'Gold' });
    expect(sc.metadata.name).toBe('fast');
    expect(sc.parameters).toEqual({ storagePolicyName: 'Gold' });
  });
});

describe('user-supplied StorageClasses', () => {
  test('replace the provider default, on docker and vSphere alike', async () => {
    const mine = storageClass('local', {
      metadata: { name: 'local', annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: 'true' } },
    });
    expect(storageClassesFor(dockerConfig(), { storageClasses: [mine] })).toEqual([mine]);
    expect(storageClassesFor(vsphereOracleConfig('pre-main'), { storageClasses: [mine] })).toEqual([mine]);
    expect(await builtInViolations(mine)).toEqual([]);
  });

  test('every problem is reported at once, with index and field, and nothing is returned', () => {
    const input = [
      {
        apiVersion: 'storage.k8s.io/v1beta1',
        kind: 'StorageClass',
        metadata: { name: 'a', namespace: 'default' },
      },
      storageClass('b', {
        metadata: { name: 'b', annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: 'true' } },
      }),
      storageClass('c', {
        metadata: { name: 'c', annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: 'true' } },
        reclaimPolicy: 'Keep',
      }),
      { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'Not_Valid' }, provisioner: 'x', data: {} },
      storageClass('b', { parameters: { replicas: 3 } }),
    ];
    let error: unknown;
    try {
      storageClassesFor(dockerConfig(), { storageClasses: input, file: 'storage.yaml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClusterConfigError);
    const issues = (error as ClusterConfigError).issues;
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'storageClasses[0].apiVersion',
        'storageClasses[0].metadata.namespace',
        'storageClasses[0].provisioner',
        'storageClasses[2].reclaimPolicy',
        'storageClasses[3].kind',
        'storageClasses[3].data',
        'storageClasses[3].metadata.name',
        'storageClasses[4].metadata.name',
        'storageClasses[4].parameters.replicas',
        'storageClasses',
      ]),
    );
    expect(issues.every((i) => i.file === 'storage.yaml' && i.fix.length > 0)).toBe(true);
    expect(issues.find((i) => i.path === 'storageClasses')?.message).toMatch(
      /2 classes are marked default \(b, c\)/,
    );
    expect((error as Error).message).toContain('storage.yaml: storageClasses[0].apiVersion');
  });

  test('YAML input is parsed, and YAML errors are issues', () => {
    const { objects, issues } = parseStorageClassYaml(
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: a\nprovisioner: x\n---\n---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: b}\nprovisioner: y\n',
    );
    expect(issues).toEqual([]);
    expect(objects.map((o) => (o as { metadata: { name: string } }).metadata.name)).toEqual(['a', 'b']);
    expect(parseStorageClassYaml('a: [1,\n', 'sc.yaml').issues[0]).toMatchObject({
      file: 'sc.yaml',
      rule: 'yaml',
    });
  });
});
