import { compareManifestTexts, readManifests } from './manifest-compare';

const full = { match: 'full' } as const;
const subset = { match: 'subset' } as const;

const machineTemplate = (name: string, image = 'kind/node:v1') => `
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DockerMachineTemplate
metadata:
  name: ${name}
  namespace: eksa-system
spec:
  template:
    spec:
      customImage: ${image}
`;

const controlPlane = (templateName: string, replicas = '1') => `
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: c
  namespace: eksa-system
spec:
  replicas: ${replicas}
  machineTemplate:
    spec:
      infrastructureRef:
        apiGroup: infrastructure.cluster.x-k8s.io
        kind: DockerMachineTemplate
        name: ${templateName}
`;

const workers = (templateName: string) => `
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata:
  name: c-md-0
  namespace: eksa-system
spec:
  template:
    spec:
      infrastructureRef:
        kind: DockerMachineTemplate
        name: ${templateName}
---
apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata:
  name: c-md-0-1
  namespace: eksa-system
spec: {}
${'---'}${machineTemplate(templateName)}`;

const docs = (...parts: string[]) => parts.join('\n---\n');

describe('readManifests', () => {
  test('skips empty documents and reads YAML 1.1 scalars', () => {
    const objects = readManifests('---\n---\nkind: A\nx: yes\nn: off\nmode: 0644\nv: "1.30"\n---\n\n');
    expect(objects).toStrictEqual([{ kind: 'A', x: true, false: false, mode: 420, v: '1.30' }]);
  });

  test('rejects malformed YAML', () => {
    expect(() => readManifests('kind: A\n  bad: [')).toThrow(/not valid YAML/);
  });
});

describe('compareManifestTexts', () => {
  test('identical objects in another document order are equal', () => {
    const a = docs(machineTemplate('c-control-plane-1'), controlPlane('c-control-plane-1'));
    const b = docs(controlPlane('c-control-plane-1'), machineTemplate('c-control-plane-1'));
    expect(compareManifestTexts(a, b, full)).toStrictEqual({ equal: true, differences: [], info: [] });
  });

  test('a changed scalar is reported with its path', () => {
    const result = compareManifestTexts(controlPlane('t', '3'), controlPlane('t', '1'), full);
    expect(result.equal).toBe(false);
    expect(result.differences).toStrictEqual([
      'controlplane.cluster.x-k8s.io/v1beta2 KubeadmControlPlane eksa-system/c: spec.replicas: expected 3, got 1',
    ]);
  });

  test('objects pair by API group: a different group is a missing and an extra object', () => {
    const other = machineTemplate('t').replace('infrastructure.cluster.x-k8s.io', 'example.com');
    const result = compareManifestTexts(machineTemplate('t'), other, full);
    expect(result.differences).toHaveLength(2);
    expect(result.differences[0]).toMatch(/missing from the generated output/);
    expect(result.differences[1]).toMatch(
      /example.com\/v1beta2 DockerMachineTemplate .*not in the expected file/,
    );
  });

  test('a different version in the same group is an apiVersion difference', () => {
    const older = machineTemplate('t').replace('/v1beta2', '/v1beta1');
    const result = compareManifestTexts(machineTemplate('t'), older, full);
    expect(result.differences).toHaveLength(1);
    expect(result.differences[0]).toMatch(/apiVersion: expected "infrastructure.cluster.x-k8s.io\/v1beta2"/);
  });

  test('timestamped template names equal the -1 names, in names and references', () => {
    const expected = docs(
      machineTemplate('c-control-plane-template-1234567890000'),
      controlPlane('c-control-plane-template-1234567890000'),
      machineTemplate('c-md-0-1234567890000'),
    );
    const generated = docs(
      machineTemplate('c-control-plane-1'),
      controlPlane('c-control-plane-1'),
      machineTemplate('c-md-0-1'),
    );
    expect(compareManifestTexts(expected, generated, full).equal).toBe(true);
    const wrongRef = docs(
      machineTemplate('c-control-plane-1'),
      controlPlane('c-control-plane-2'),
      machineTemplate('c-md-0-1'),
    );
    expect(compareManifestTexts(expected, wrongRef, full).differences).toStrictEqual([
      'controlplane.cluster.x-k8s.io/v1beta2 KubeadmControlPlane eksa-system/c: spec.machineTemplate.spec.infrastructureRef.name: expected "c-control-plane-1", got "c-control-plane-2"',
    ]);
  });

  test('an unnamed expected object pairs with the one remaining object of its kind, and references follow', () => {
    const expected = docs(machineTemplate('<no value>'), controlPlane('<no value>'));
    expect(
      compareManifestTexts(expected, docs(machineTemplate('c-cp-7'), controlPlane('c-cp-7')), full).equal,
    ).toBe(true);
    const mismatch = compareManifestTexts(
      expected,
      docs(machineTemplate('c-cp-7'), controlPlane('c-cp-8')),
      full,
    );
    expect(mismatch.differences).toHaveLength(1);
    expect(mismatch.differences[0]).toMatch(/infrastructureRef.name: expected "c-cp-7", got "c-cp-8"/);
    const ambiguous = compareManifestTexts(
      expected,
      docs(machineTemplate('a'), machineTemplate('b'), controlPlane('a')),
      full,
    );
    expect(ambiguous.differences[0]).toMatch(
      /exactly one remaining generated DockerMachineTemplate, found 2/,
    );
  });

  test('null equals a missing key, but [] and {} do not', () => {
    const base = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';
    expect(compareManifestTexts(`${base}data: null`, base, full).equal).toBe(true);
    expect(compareManifestTexts(`${base}data:`, base, full).equal).toBe(true);
    expect(compareManifestTexts(`${base}data: []`, base, full).differences[0]).toMatch(
      /data: expected \[\], missing/,
    );
    expect(compareManifestTexts(`${base}data: {}`, base, full).differences[0]).toMatch(
      /data: expected \{\}, missing/,
    );
    expect(compareManifestTexts(base, `${base}data: {}`, full).differences[0]).toMatch(
      /data: unexpected \{\}/,
    );
  });

  test('scalars compare with their type; strings exactly', () => {
    const base = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';
    expect(compareManifestTexts(`${base}v: "3"`, `${base}v: 3`, full).equal).toBe(false);
    expect(compareManifestTexts(`${base}v: ""`, `${base}v: null`, full).equal).toBe(false);
    expect(compareManifestTexts(`${base}v: yes`, `${base}v: "yes"`, full).equal).toBe(false);
    expect(compareManifestTexts(`${base}v: yes`, `${base}v: true`, full).equal).toBe(true);
    expect(compareManifestTexts(`${base}v: 0644`, `${base}v: 420`, full).equal).toBe(true);
    const keep = `${base}v: |\n  a\n`;
    const strip = `${base}v: |-\n  a\n`;
    expect(compareManifestTexts(keep, strip, full).differences[0]).toMatch(/v: expected "a\\n", got "a"/);
    expect(compareManifestTexts(`${base}v: "a "`, `${base}v: "a"`, full).equal).toBe(false);
  });

  test('full mode: lists in order and no extra fields; subset mode: order-free and extras ignored', () => {
    const base = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: ns}\n';
    const ab = `${base}list: [{k: a}, {k: b}]`;
    const ba = `${base}list: [{k: b, extra: 1}, {k: a}]\nmore: 1`;
    const fullResult = compareManifestTexts(ab, ba, full);
    expect([...fullResult.differences].sort()).toStrictEqual(
      [
        'v1 ConfigMap ns/x: list[0].k: expected "a", got "b"',
        'v1 ConfigMap ns/x: list[1].k: expected "b", got "a"',
        'v1 ConfigMap ns/x: list[0].extra: unexpected 1',
        'v1 ConfigMap ns/x: more: unexpected 1',
      ].sort(),
    );
    expect(compareManifestTexts(ab, ba, subset).equal).toBe(true);
    const missingItem = compareManifestTexts(`${base}list: [{k: c}]`, ba, subset);
    expect(missingItem.differences[0]).toMatch(/list\[0\]: no generated item matches/);
  });

  test('subset: an expected object without namespace matches in any namespace; other objects are ignored', () => {
    const expected = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: "1"}';
    const generated = docs(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: eksa-system}\ndata: {a: "1", b: "2"}',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: y}',
    );
    expect(compareManifestTexts(expected, generated, subset).equal).toBe(true);
    expect(compareManifestTexts(expected, generated, full).equal).toBe(false);
  });

  test('full: other generated objects fail, except MachineHealthChecks, which are reported as info', () => {
    const mhc =
      'apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineHealthCheck\nmetadata: {name: c-kcp-unhealthy, namespace: eksa-system}';
    const result = compareManifestTexts(machineTemplate('t'), docs(machineTemplate('t'), mhc), full);
    expect(result.equal).toBe(true);
    expect(result.info).toStrictEqual([
      'cluster.x-k8s.io/v1beta2 MachineHealthCheck eksa-system/c-kcp-unhealthy: tolerated (not in the expected file)',
    ]);
    const extra = compareManifestTexts(
      machineTemplate('t'),
      docs(machineTemplate('t'), machineTemplate('u')),
      full,
    );
    expect(extra.differences).toStrictEqual([
      'infrastructure.cluster.x-k8s.io/v1beta2 DockerMachineTemplate eksa-system/u: not in the expected file',
    ]);
  });

  test('scope controlPlane ignores worker objects; scope workers compares only them', () => {
    const expectedCp = docs(machineTemplate('c-control-plane-1'), controlPlane('c-control-plane-1'));
    const generated = docs(expectedCp, workers('c-md-0-1'));
    expect(compareManifestTexts(expectedCp, generated, { match: 'full', scope: 'controlPlane' }).equal).toBe(
      true,
    );
    expect(compareManifestTexts(expectedCp, generated, full).equal).toBe(false);
    const expectedWorkers = workers('c-md-0-1');
    expect(compareManifestTexts(expectedWorkers, generated, { match: 'full', scope: 'workers' }).equal).toBe(
      true,
    );
    const changedWorker = docs(expectedCp, workers('c-md-0-1').replace('kind/node:v1', 'kind/node:v2'));
    expect(
      compareManifestTexts(expectedCp, changedWorker, { match: 'full', scope: 'controlPlane' }).equal,
    ).toBe(true);
    expect(
      compareManifestTexts(expectedWorkers, changedWorker, { match: 'full', scope: 'workers' }).equal,
    ).toBe(false);
    expect(
      compareManifestTexts(controlPlane('x'), generated, {
        match: 'full',
        scope: { kinds: ['KubeadmControlPlane'] },
      }).differences,
    ).toHaveLength(1);
  });
});
