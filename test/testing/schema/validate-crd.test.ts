import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import {
  CustomResourceDefinition,
  JsonSchemaProps,
  SchemaViolation,
  checkAgainstCrd,
  formatViolation,
  validateAgainstCrd,
} from '../../../src/testing';

/** A MachineDeployment v1beta1 that satisfies the upstream schema. */
function machineDeployment(): Record<string, any> {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'MachineDeployment',
    metadata: { name: 'md-0', namespace: 'eksa-system', labels: { 'cluster.x-k8s.io/cluster-name': 'c' } },
    spec: {
      clusterName: 'c',
      replicas: 2,
      selector: { matchLabels: {} },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
      template: {
        metadata: {},
        spec: {
          clusterName: 'c',
          version: 'v1.30.0',
          bootstrap: {
            configRef: {
              apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
              kind: 'KubeadmConfigTemplate',
              name: 'md-0',
            },
          },
          infrastructureRef: {
            apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
            kind: 'DockerMachineTemplate',
            name: 'md-0',
          },
        },
      },
    },
  };
}

function paths(violations: SchemaViolation[]): string[] {
  return violations.map((v) => v.path);
}

/** A one-version CRD with the given schema for `spec`, to exercise one keyword at a time. */
function crdWith(spec: JsonSchemaProps, extra: Partial<JsonSchemaProps> = {}): CustomResourceDefinition[] {
  return [
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  apiVersion: { type: 'string' },
                  kind: { type: 'string' },
                  metadata: { type: 'object' },
                  spec,
                },
                ...extra,
              },
            },
          },
          { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    },
  ];
}

function widget(
  spec: unknown,
  metadata: Record<string, unknown> = { name: 'w', namespace: 'default' },
): Record<string, unknown> {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata, spec };
}

describe('validateAgainstCrd against the generated CRD set', () => {
  test('a valid MachineDeployment has no violations', () => {
    expect(validateAgainstCrd(machineDeployment())).toEqual([]);
  });

  test('an unknown field deep in the template is reported with its full path', () => {
    const md = machineDeployment();
    md.spec.template.spec.foo = 'bar';
    const violations = validateAgainstCrd(md);
    expect(violations).toEqual([
      {
        path: 'spec.template.spec.foo',
        reason: 'FieldValueUnknown',
        message: 'unknown field "spec.template.spec.foo"',
      },
    ]);
  });

  test('every problem is reported at once, each with its path', () => {
    const md = machineDeployment();
    delete md.spec.clusterName;
    md.spec.replicas = 'two';
    md.spec.strategy.type = 'Sideways';
    md.spec.strategy.rollingUpdate.maxSurge = true;
    md.spec.template.spec.clusterName = 'x'.repeat(64);
    md.metadata.name = 'Not_A_Name';
    const violations = validateAgainstCrd(md);
    expect(paths(violations).sort()).toEqual(
      [
        'metadata.name',
        'spec.clusterName',
        'spec.replicas',
        'spec.strategy.rollingUpdate.maxSurge',
        'spec.strategy.type',
        'spec.template.spec.clusterName',
      ].sort(),
    );
    const byPath = Object.fromEntries(violations.map((v) => [v.path, v]));
    expect(byPath['spec.clusterName'].reason).toBe('FieldValueRequired');
    expect(byPath['spec.replicas'].reason).toBe('FieldValueTypeInvalid');
    expect(byPath['spec.strategy.type'].reason).toBe('FieldValueNotSupported');
    expect(byPath['spec.strategy.type'].message).toContain('"RollingUpdate", "OnDelete"');
    expect(byPath['spec.strategy.rollingUpdate.maxSurge'].message).toContain('integer or string');
    expect(byPath['spec.template.spec.clusterName'].reason).toBe('FieldValueTooLong');
    expect(formatViolation(byPath['metadata.name'])).toMatch(/^metadata\.name: Invalid value: "Not_A_Name"/);
  });

  test('an unknown field under metadata is reported; ObjectMeta fields are known', () => {
    const md = machineDeployment();
    md.metadata.uid = 'abc';
    md.metadata.resourceVersion = '7';
    md.metadata.finalizers = ['cluster.x-k8s.io/machinedeployment'];
    md.metadata.labelz = { a: 'b' };
    expect(paths(validateAgainstCrd(md))).toEqual(['metadata.labelz']);
  });

  test('a kind no CRD defines, and a version that is not served, are reported', () => {
    expect(
      validateAgainstCrd({ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Gadget', metadata: { name: 'g' } }),
    ).toEqual([
      {
        path: 'kind',
        reason: 'FieldValueNotSupported',
        message: 'no CustomResourceDefinition defines kind Gadget in cluster.x-k8s.io/v1beta1',
      },
    ]);
    const md = { ...machineDeployment(), apiVersion: 'cluster.x-k8s.io/v1alpha4' };
    const [violation] = validateAgainstCrd(md);
    expect(violation.path).toBe('apiVersion');
    expect(violation.message).toContain('cluster.x-k8s.io/v1beta1, cluster.x-k8s.io/v1beta2');
    expect(validateAgainstCrd(widget({}), crdWith({ type: 'object' })).length).toBe(0);
    expect(
      validateAgainstCrd({ ...widget({}), apiVersion: 'example.com/v0' }, crdWith({ type: 'object' }))[0]
        .path,
    ).toBe('apiVersion');
  });

  test('a missing apiVersion and kind are both reported', () => {
    expect(paths(validateAgainstCrd({ metadata: { name: 'x' } }))).toEqual(['apiVersion', 'kind']);
  });
});

describe('structural schema keywords', () => {
  test('types: integer rejects fractions, number accepts integers, boolean and object are strict', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        i: { type: 'integer' },
        n: { type: 'number' },
        b: { type: 'boolean' },
        o: { type: 'object' },
        a: { type: 'array' },
      },
    });
    expect(validateAgainstCrd(widget({ i: 3, n: 3, b: false, o: {}, a: [] }), crds)).toEqual([]);
    expect(paths(validateAgainstCrd(widget({ i: 1.5, n: '1', b: 'true', o: [], a: {} }), crds))).toEqual([
      'spec.i',
      'spec.n',
      'spec.b',
      'spec.o',
      'spec.a',
    ]);
  });

  test('required fields, and defaults that satisfy them', () => {
    const crds = crdWith({
      type: 'object',
      required: ['mode', 'size'],
      properties: { mode: { type: 'string', default: 'fast' }, size: { type: 'integer' } },
    });
    const result = checkAgainstCrd(widget({}), crds);
    expect(result.violations).toEqual([
      { path: 'spec.size', reason: 'FieldValueRequired', message: 'Required value' },
    ]);
    expect((result.object as any).spec.mode).toBe('fast');
  });

  test('string bounds, pattern and enum', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        short: { type: 'string', maxLength: 3 },
        long: { type: 'string', minLength: 2 },
        dns: { type: 'string', pattern: '^[a-z]+$' },
        color: { type: 'string', enum: ['red', 'green'] },
      },
    });
    expect(validateAgainstCrd(widget({ short: 'abc', long: 'ab', dns: 'abc', color: 'red' }), crds)).toEqual(
      [],
    );
    const violations = validateAgainstCrd(
      widget({ short: 'abcd', long: 'a', dns: 'ABC', color: 'blue' }),
      crds,
    );
    expect(violations.map((v) => [v.path, v.reason])).toEqual([
      ['spec.short', 'FieldValueTooLong'],
      ['spec.long', 'FieldValueInvalid'],
      ['spec.dns', 'FieldValueInvalid'],
      ['spec.color', 'FieldValueNotSupported'],
    ]);
    expect(violations[2].message).toContain("should match '^[a-z]+$'");
  });

  test('string length counts code points, as Go counts runes', () => {
    const crds = crdWith({ type: 'object', properties: { s: { type: 'string', maxLength: 2 } } });
    expect(validateAgainstCrd(widget({ s: '😀😀' }), crds)).toEqual([]);
    expect(validateAgainstCrd(widget({ s: '😀😀😀' }), crds)).toHaveLength(1);
  });

  test('numeric bounds, exclusive bounds and multipleOf', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        ratio: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true },
        even: { type: 'integer', multipleOf: 2 },
      },
    });
    expect(validateAgainstCrd(widget({ port: 1, ratio: 0.5, even: 4 }), crds)).toEqual([]);
    expect(validateAgainstCrd(widget({ port: 65535, ratio: 0.999, even: 0 }), crds)).toEqual([]);
    expect(paths(validateAgainstCrd(widget({ port: 0, ratio: 0, even: 3 }), crds))).toEqual([
      'spec.port',
      'spec.ratio',
      'spec.even',
    ]);
    expect(paths(validateAgainstCrd(widget({ port: 65536, ratio: 1 }), crds))).toEqual([
      'spec.port',
      'spec.ratio',
    ]);
  });

  test('item and property counts', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        list: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
        map: { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: { type: 'string' } },
      },
    });
    expect(validateAgainstCrd(widget({ list: ['a'], map: { a: 'b' } }), crds)).toEqual([]);
    expect(validateAgainstCrd(widget({ list: [], map: {} }), crds).map((v) => v.reason)).toEqual([
      'FieldValueInvalid',
      'FieldValueInvalid',
    ]);
    expect(
      validateAgainstCrd(widget({ list: ['a', 'b', 'c'], map: { a: 'b', c: 'd' } }), crds).map(
        (v) => v.reason,
      ),
    ).toEqual(['FieldValueTooMany', 'FieldValueTooMany']);
  });

  test('additionalProperties validates map values, with the key in brackets', () => {
    const crds = crdWith({
      type: 'object',
      properties: { env: { type: 'object', additionalProperties: { type: 'integer' } } },
    });
    expect(validateAgainstCrd(widget({ env: { a: 1, b: 2 } }), crds)).toEqual([]);
    expect(paths(validateAgainstCrd(widget({ env: { a: 1, b: 'two' } }), crds))).toEqual(['spec.env[b]']);
  });

  test('array items are validated with their index in the path', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        hosts: {
          type: 'array',
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        },
      },
    });
    expect(
      paths(validateAgainstCrd(widget({ hosts: [{ name: 'a' }, {}, { name: 'c', x: 1 }] }), crds)),
    ).toEqual(['spec.hosts[2].x', 'spec.hosts[1].name']);
  });

  test('nullable fields accept null; other nulls are reported, or pruned as the server does', () => {
    const crds = crdWith({
      type: 'object',
      properties: { maybe: { type: 'string', nullable: true }, never: { type: 'string' } },
    });
    expect(validateAgainstCrd(widget({ maybe: null }), crds)).toEqual([]);
    expect(validateAgainstCrd(widget({ never: null }), crds)).toEqual([
      {
        path: 'spec.never',
        reason: 'FieldValueTypeInvalid',
        message: 'Invalid value: "null": must be of type string',
      },
    ]);
    const pruned = checkAgainstCrd(widget({ never: null, maybe: null }), crds, { nulls: 'prune' });
    expect(pruned.violations).toEqual([]);
    expect((pruned.object as any).spec).toEqual({ maybe: null });
  });

  test('x-kubernetes-preserve-unknown-fields keeps undeclared fields at any depth, but declared ones are checked', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        free: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { known: { type: 'integer' } },
        },
        closed: { type: 'object', properties: {} },
      },
    });
    expect(validateAgainstCrd(widget({ free: { anything: { deep: [1, 'x'] }, known: 1 } }), crds)).toEqual(
      [],
    );
    expect(paths(validateAgainstCrd(widget({ free: { known: 'one' }, closed: { x: 1 } }), crds))).toEqual([
      'spec.closed.x',
      'spec.free.known',
    ]);
  });

  test('x-kubernetes-int-or-string accepts integers and strings only', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        surge: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      },
    });
    expect(validateAgainstCrd(widget({ surge: 1 }), crds)).toEqual([]);
    expect(validateAgainstCrd(widget({ surge: '10%' }), crds)).toEqual([]);
    for (const bad of [1.5, true, {}, []]) {
      expect(validateAgainstCrd(widget({ surge: bad }), crds).map((v) => v.reason)).toEqual([
        'FieldValueTypeInvalid',
      ]);
    }
  });

  test('x-kubernetes-embedded-resource requires apiVersion and kind and checks its metadata', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
        },
      },
    });
    const ok = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { a: 'b' } },
      spec: { size: 1 },
    };
    expect(validateAgainstCrd(widget({ template: ok }), crds)).toEqual([]);
    expect(
      validateAgainstCrd(widget({ template: { spec: {} } }), crds).map((v) => [v.path, v.reason]),
    ).toEqual([
      ['spec.template.apiVersion', 'FieldValueRequired'],
      ['spec.template.kind', 'FieldValueRequired'],
    ]);
    const badMeta = { ...ok, metadata: { labels: { a: 'not valid!' }, bogus: 1 } };
    expect(paths(validateAgainstCrd(widget({ template: badMeta }), crds))).toEqual([
      'spec.template.metadata.bogus',
      'spec.template.metadata.labels[a]',
    ]);
  });

  test('list types: set items and map keys must be unique', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } },
        },
      },
    });
    expect(
      validateAgainstCrd(
        widget({
          tags: ['a', 'b'],
          ports: [
            { name: 'a', port: 1 },
            { name: 'b', port: 1 },
          ],
        }),
        crds,
      ),
    ).toEqual([]);
    const violations = validateAgainstCrd(
      widget({
        tags: ['a', 'a'],
        ports: [
          { name: 'a', port: 1 },
          { name: 'a', port: 2 },
        ],
      }),
      crds,
    );
    expect(violations.map((v) => [v.path, v.reason])).toEqual([
      ['spec.tags[1]', 'FieldValueDuplicate'],
      ['spec.ports[1]', 'FieldValueDuplicate'],
    ]);
  });

  test('formats the server checks: date-time, byte, ipv4, ipv6, cidr, uuid; numeric formats are not checked', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        when: { type: 'string', format: 'date-time' },
        data: { type: 'string', format: 'byte' },
        ip: { type: 'string', format: 'ipv4' },
        ip6: { type: 'string', format: 'ipv6' },
        net: { type: 'string', format: 'cidr' },
        id: { type: 'string', format: 'uuid' },
        n: { type: 'integer', format: 'int32' },
      },
    });
    const good = {
      when: '2024-05-01T10:00:00Z',
      data: 'aGVsbG8=',
      ip: '10.0.0.1',
      ip6: 'fd00::1',
      net: '192.168.0.0/16',
      id: '123e4567-e89b-12d3-a456-426614174000',
      n: 2 ** 40,
    };
    expect(validateAgainstCrd(widget(good), crds)).toEqual([]);
    const bad = {
      when: 'yesterday',
      data: 'not base64!',
      ip: '10.0.0.256',
      ip6: 'fd00:::1',
      net: '10.0.0.0/33',
      id: 'nope',
    };
    expect(paths(validateAgainstCrd(widget(bad), crds))).toEqual([
      'spec.when',
      'spec.data',
      'spec.ip',
      'spec.ip6',
      'spec.net',
      'spec.id',
    ]);
  });

  test('anyOf, oneOf, allOf and not validate the same value', () => {
    const crds = crdWith({
      type: 'object',
      properties: {
        any: { type: 'string', anyOf: [{ pattern: '^a' }, { pattern: '^b' }] },
        one: { type: 'integer', oneOf: [{ minimum: 0 }, { maximum: 10 }] },
        all: { type: 'integer', allOf: [{ minimum: 0 }, { maximum: 10 }] },
        not: { type: 'string', not: { enum: ['forbidden'] } },
      },
    });
    expect(validateAgainstCrd(widget({ any: 'apple', one: 20, all: 5, not: 'ok' }), crds)).toEqual([]);
    expect(
      paths(validateAgainstCrd(widget({ any: 'cherry', one: 5, all: 11, not: 'forbidden' }), crds)),
    ).toEqual(['spec.any', 'spec.one', 'spec.all', 'spec.not']);
  });

  test('a schema with nothing under the root but preserve-unknown-fields accepts any spec', () => {
    const crds = crdWith({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(validateAgainstCrd(widget({ a: { b: [1, 2, { c: null }] } }), crds)).toEqual([]);
    expect(paths(validateAgainstCrd({ ...widget({}), extra: 1 }, crds))).toEqual(['extra']);
  });

  test('ObjectMeta rules: name or generateName, label keys and values, owner references', () => {
    const crds = crdWith({ type: 'object' });
    expect(validateAgainstCrd(widget({}, { generateName: 'w-' }), crds)).toEqual([]);
    expect(paths(validateAgainstCrd(widget({}, {}), crds))).toEqual(['metadata.name']);
    const meta = {
      name: 'w',
      namespace: 'Bad_NS',
      labels: { 'example.com/ok': 'yes', 'two/slashes/here': 'x', fine: 'white space' },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'A', name: 'a', uid: '1', controller: true },
        { apiVersion: 'v1', kind: 'B', name: 'b', controller: true },
      ],
    };
    expect(paths(validateAgainstCrd(widget({}, meta), crds))).toEqual([
      'metadata.namespace',
      'metadata.labels[two/slashes/here]',
      'metadata.labels[fine]',
      'metadata.ownerReferences[1].uid',
      'metadata.ownerReferences',
    ]);
  });
});

describe('the EKS-A oracle manifests', () => {
  const oracle = path.resolve(__dirname, '../../../../shared/oracle/eksa-docker');

  test('the docker CAPI objects EKS-A generates validate, except the fields EKS-A adds through its CAPI fork', () => {
    // Subset cases hold fragments of objects; only full cases are whole objects.
    const cases = JSON.parse(fs.readFileSync(path.join(oracle, 'cases.json'), 'utf8')) as {
      match: string;
      expected: string;
    }[];
    const expected = cases.filter((c) => c.match === 'full').map((c) => c.expected);
    expect(expected.length).toBeGreaterThan(5);
    const found = new Set<string>();
    let checked = 0;
    for (const file of expected) {
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(oracle, file), 'utf8'))) {
        const object = doc.toJS() as Record<string, unknown> | null;
        if (!object || typeof object.apiVersion !== 'string' || !object.apiVersion.includes('.')) continue;
        checked++;
        // The server drops nulls of non-nullable fields, so the oracle's nulls are not errors to it.
        for (const violation of validateAgainstCrd(object, undefined, { nulls: 'prune' })) {
          found.add(formatViolation(violation));
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    // EKS-A's CAPI fork adds Cluster.spec.managedExternalEtcdRef (upstream CRDs do not have it), and the golden
    // files of some cases carry unrendered template names ("<no value>"). Nothing else may fail.
    for (const line of found) {
      expect(line).toMatch(/^spec\.managedExternalEtcdRef: unknown field|"<no value>"/);
    }
  });
});
