import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ClusterConfigError,
  formatIssue,
  loadClusterConfigFile,
  parseClusterConfig,
  readClusterConfig,
  sourcePosition,
} from '../../src/spec';

const DOCKER = `apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: Cluster
metadata:
  name: dev
spec:
  kubernetesVersion: 1.30
  controlPlaneConfiguration:
    count: 1
  workerNodeGroupConfigurations:
  - name: md-0
    count: 2
  datacenterRef:
    kind: DockerDatacenterConfig
    name: dev
  clusterNetwork:
    cniConfig:
      cilium: {}
    pods:
      cidrBlocks: [192.168.0.0/16]
    services:
      cidrBlocks: [10.96.0.0/12]
---
apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: DockerDatacenterConfig
metadata:
  name: dev
spec: {}
`;

function errorOf(fn: () => unknown): ClusterConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClusterConfigError) return e;
    throw e;
  }
  throw new Error('expected a ClusterConfigError');
}

describe('parseClusterConfig', () => {
  test('resolves the Cluster and the datacenter config it references', () => {
    const config = parseClusterConfig(DOCKER, { file: 'dev.yaml' });
    expect(config.file).toBe('dev.yaml');
    expect(config.cluster.metadata.name).toBe('dev');
    expect(config.datacenter.kind).toBe('DockerDatacenterConfig');
    expect(config.cluster.spec.workerNodeGroupConfigurations).toEqual([{ name: 'md-0', count: 2 }]);
    expect(config.cluster.spec.clusterNetwork.pods).toEqual({ cidrBlocks: ['192.168.0.0/16'] });
  });

  test('an unquoted kubernetesVersion 1.30 is the string "1.30", not the number 1.3', () => {
    const config = parseClusterConfig(DOCKER);
    expect(config.cluster.spec.kubernetesVersion).toBe('1.30');
    const quoted = parseClusterConfig(DOCKER.replace('kubernetesVersion: 1.30', 'kubernetesVersion: "1.31"'));
    expect(quoted.cluster.spec.kubernetesVersion).toBe('1.31');
  });

  test('an unquoted number in any string field keeps its source text (registry mirror port 1234)', () => {
    const text = DOCKER.replace(
      '  clusterNetwork:',
      '  registryMirrorConfiguration:\n    endpoint: 1.2.3.4\n    port: 01234\n  clusterNetwork:',
    );
    expect(parseClusterConfig(text).cluster.spec.registryMirrorConfiguration).toEqual({
      endpoint: '1.2.3.4',
      port: '01234',
    });
  });

  test('an unknown field is an error with its path, its position and the closest field name', () => {
    const text = DOCKER.replace('    count: 1\n', '    cuont: 1\n');
    const err = errorOf(() => parseClusterConfig(text, { file: 'dev.yaml' }));
    expect(err.issues).toHaveLength(1);
    const [issue] = err.issues;
    expect(issue).toMatchObject({
      severity: 'error',
      file: 'dev.yaml',
      path: 'spec.controlPlaneConfiguration.cuont',
      rule: 'unknown-field',
      line: 8,
      column: 5,
    });
    expect(issue.fix).toBe('did you mean "count"?');
    expect(err.message).toContain(
      'dev.yaml:8:5: spec.controlPlaneConfiguration.cuont: unknown field "cuont". Fix: did you mean "count"?',
    );
  });

  test('every unknown field is reported, not only the first', () => {
    const text = DOCKER.replace('    count: 1\n', '    cuont: 1\n    endpont: {}\n').replace(
      '  name: dev\nspec:',
      '  name: dev\n  labls: {}\nspec:',
    );
    const paths = errorOf(() => parseClusterConfig(text)).issues.map((i) => i.path);
    expect(paths).toEqual([
      'metadata.labls',
      'spec.controlPlaneConfiguration.cuont',
      'spec.controlPlaneConfiguration.endpont',
    ]);
  });

  test('field names match case-insensitively (certSANs means certSans)', () => {
    const text = DOCKER.replace('    count: 1\n', '    count: 1\n    certSANs: ["11.11.11.11"]\n');
    const config = parseClusterConfig(text);
    expect(config.cluster.spec.controlPlaneConfiguration.certSans).toEqual(['11.11.11.11']);
    expect(Object.keys(config.cluster.spec.controlPlaneConfiguration)).toEqual(['count', 'certSans']);
  });

  test('a field written twice (in two spellings) is an error naming both', () => {
    const text = DOCKER.replace('    count: 1\n', '    count: 1\n    Count: 3\n');
    const [issue] = errorOf(() => parseClusterConfig(text)).issues;
    expect(issue.path).toBe('spec.controlPlaneConfiguration.count');
    expect(issue.message).toBe('"Count" and "count" both set "count"');
  });

  test('a value of the wrong type is an error with the path', () => {
    const text = DOCKER.replace('    count: 2\n', '    count: two\n').replace(
      '    count: 1\n',
      '    count: [1]\n',
    );
    const issues = errorOf(() => parseClusterConfig(text, { file: 'f.yaml' })).issues;
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['spec.controlPlaneConfiguration.count', 'expected a whole number, found a list'],
      ['spec.workerNodeGroupConfigurations[0].count', 'expected a whole number, found the string "two"'],
    ]);
    expect(issues.every((i) => i.file === 'f.yaml')).toBe(true);
  });

  test('a boolean in a string field is a type error (quote it)', () => {
    const text = DOCKER.replace('    count: 2\n', '    count: 2\n    labels:\n      gpu: yes\n');
    const [issue] = errorOf(() => parseClusterConfig(text)).issues;
    expect(issue.path).toBe('spec.workerNodeGroupConfigurations[0].labels.gpu');
    expect(issue.message).toBe('expected a string, found the boolean true');
  });

  test('malformed YAML is an error with file:line:column, in strict and non-strict mode', () => {
    const text = DOCKER.replace('    count: 1\n', '    count: 1\n   bad: [\n');
    for (const strict of [true, false]) {
      const err = errorOf(() => parseClusterConfig(text, { file: 'broken.yaml', strict }));
      expect(err.issues[0].rule).toBe('yaml-syntax');
      expect(err.issues[0].line).toBeGreaterThanOrEqual(9);
      expect(err.message).toMatch(/^broken\.yaml: cannot be parsed\nbroken\.yaml:\d+:\d+: malformed YAML: /m);
    }
  });

  test('non-strict mode turns unknown fields into warnings and drops them', () => {
    const text = DOCKER.replace(
      '  clusterNetwork:\n',
      '  clusterNetwork:\n    node:\n      cidrMaskSize: 8\n',
    );
    expect(() => parseClusterConfig(text)).toThrow(
      /spec\.clusterNetwork\.node: unknown field "node"\. Fix: did you mean "nodes"\?/,
    );
    const result = readClusterConfig(text, { strict: false });
    expect(result.config).toBeDefined();
    expect(result.issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        path: 'spec.clusterNetwork.node',
        rule: 'unknown-field',
      }),
    ]);
    expect(result.config!.cluster.spec.clusterNetwork).not.toHaveProperty('node');
    expect(result.config!.cluster.spec.clusterNetwork).not.toHaveProperty('nodes');
  });

  test('non-strict mode still rejects wrong types', () => {
    const text = DOCKER.replace('    count: 1\n', '    count: "one"\n');
    expect(readClusterConfig(text, { strict: false }).config).toBeUndefined();
  });

  test('a reference to an object that is not in the file is an error at the reference', () => {
    const text = DOCKER.replace('    name: dev\n  clusterNetwork', '    name: prod\n  clusterNetwork');
    const [issue] = errorOf(() => parseClusterConfig(text, { file: 'dev.yaml' })).issues;
    expect(issue.path).toBe('spec.datacenterRef.name');
    expect(issue.message).toBe('datacenterRef names DockerDatacenterConfig "prod", which is not in the file');
    expect(issue.fix).toBe('correct the name (the file has DockerDatacenterConfig "dev")');
    expect(issue.line).toBe(14);
  });

  test('missing identity provider and GitOps objects are errors naming the reference path', () => {
    const text = DOCKER.replace(
      '  clusterNetwork:',
      '  identityProviderRefs:\n  - kind: OIDCConfig\n    name: sso\n  gitOpsRef:\n    kind: FluxConfig\n    name: flux\n  clusterNetwork:',
    );
    const paths = errorOf(() => parseClusterConfig(text)).issues.map((i) => i.path);
    expect(paths).toEqual(['spec.identityProviderRefs[0].name', 'spec.gitOpsRef.name']);
  });

  test('objects nothing references are warnings and left out', () => {
    const text = `${DOCKER}---\napiVersion: anywhere.eks.amazonaws.com/v1alpha1\nkind: OIDCConfig\nmetadata:\n  name: stray\nspec:\n  clientId: x\n  issuerUrl: https://x\n`;
    const result = readClusterConfig(text);
    expect(result.config?.oidcConfigs).toBeUndefined();
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'warning', path: 'OIDCConfig/stray', rule: 'unreferenced-object' }),
    ]);
  });

  test('issues in objects other than the Cluster carry Kind/name in the path', () => {
    const text = DOCKER.replace('spec: {}', 'spec:\n  server: x');
    const [issue] = errorOf(() => parseClusterConfig(text)).issues;
    expect(issue.path).toBe('DockerDatacenterConfig/dev.spec.server');
    expect(issue.fix).toBe('remove it: this object takes no fields');
  });

  test('a datacenter kind of another provider is named as unsupported', () => {
    const text = DOCKER.replace(/DockerDatacenterConfig/g, 'TinkerbellDatacenterConfig');
    const [issue] = errorOf(() => parseClusterConfig(text)).issues;
    expect(issue.path).toBe('spec.datacenterRef.kind');
    expect(issue.message).toContain('Tinkerbell');
  });

  test('a misspelled kind gets a suggestion', () => {
    const text = DOCKER.replace(
      'kind: DockerDatacenterConfig\nmetadata',
      'kind: DockerDatacentreConfig\nmetadata',
    );
    const issues = errorOf(() => parseClusterConfig(text)).issues;
    expect(issues[0]).toMatchObject({ rule: 'unknown-kind', fix: 'did you mean "DockerDatacenterConfig"?' });
  });

  test('a wrong apiVersion is an error', () => {
    const text = DOCKER.replace(
      'anywhere.eks.amazonaws.com/v1alpha1\nkind: Cluster',
      'anywhere.eks.amazonaws.com/v1beta1\nkind: Cluster',
    );
    const [issue] = errorOf(() => parseClusterConfig(text)).issues;
    expect(issue).toMatchObject({ path: 'apiVersion', rule: 'api-version', line: 1, column: 13 });
  });

  test('server-populated metadata and status are accepted and dropped', () => {
    const text = DOCKER.replace(
      '  name: dev\nspec:\n  kubernetes',
      '  name: dev\n  creationTimestamp: null\n  uid: abc\nspec:\n  kubernetes',
    ).concat('status: {}\n');
    const config = parseClusterConfig(text);
    expect(config.cluster.metadata).toEqual({ name: 'dev' });
  });

  test('kubeletConfiguration keeps its content as written', () => {
    const text = DOCKER.replace(
      '    count: 1\n',
      '    count: 1\n    kubeletConfiguration:\n      maxPods: 20\n      kind: KubeletConfiguration\n',
    );
    expect(parseClusterConfig(text).cluster.spec.controlPlaneConfiguration.kubeletConfiguration).toEqual({
      maxPods: 20,
      kind: 'KubeletConfiguration',
    });
  });

  test('an empty file and a file without a Cluster are errors', () => {
    expect(errorOf(() => parseClusterConfig('', { file: 'e.yaml' })).issues[0].rule).toBe('no-cluster');
    const onlyDc = DOCKER.split('---\n')[1];
    expect(errorOf(() => parseClusterConfig(onlyDc)).issues[0]).toMatchObject({ rule: 'no-cluster' });
  });

  test('field positions are kept for later validation issues', () => {
    const config = parseClusterConfig(DOCKER);
    expect(sourcePosition(config, 'spec.workerNodeGroupConfigurations[0].count')).toEqual({
      line: 11,
      column: 5,
    });
    // A field that was not written points at the nearest written ancestor.
    expect(sourcePosition(config, 'spec.controlPlaneConfiguration.endpoint.host')).toEqual({
      line: 7,
      column: 3,
    });
  });
});

describe('loadClusterConfigFile', () => {
  test('reads the file and names it in issues', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-parse-'));
    try {
      const file = path.join(dir, 'c.yaml');
      fs.writeFileSync(file, DOCKER.replace('    count: 1\n', '    cuont: 1\n'));
      const err = errorOf(() => loadClusterConfigFile(file));
      expect(formatIssue(err.issues[0]).startsWith(`${file}:8:5: `)).toBe(true);
      fs.writeFileSync(file, DOCKER);
      expect(loadClusterConfigFile(file).file).toBe(file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing file is a ClusterConfigError saying so', () => {
    const err = errorOf(() => loadClusterConfigFile('/nonexistent/c.yaml'));
    expect(err.issues[0]).toMatchObject({ rule: 'file-unreadable', file: '/nonexistent/c.yaml' });
    expect(err.issues[0].message).toContain('ENOENT');
  });
});

describe('oracle inputs', () => {
  const dirs = ['../shared/oracle/eksa-docker', '../shared/oracle/eksa-vsphere'];
  const files = dirs.flatMap((d) =>
    fs
      .readdirSync(path.resolve(__dirname, '../..', d))
      .filter((f) => f.endsWith('.input.yaml'))
      .map((f) => path.join(d, f)),
  );

  test('there are oracle inputs to parse', () => {
    expect(files.length).toBeGreaterThanOrEqual(18);
  });

  test.each(files)('%s parses in non-strict mode', (file) => {
    const text = fs.readFileSync(path.resolve(__dirname, '../..', file), 'utf8');
    const result = readClusterConfig(text, { file, strict: false });
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.config?.cluster.spec.kubernetesVersion).toMatch(/^1\.\d+$/);
    // Every warning is about clusterNetwork.node, the one non-EKS-A key the inputs carry.
    for (const w of result.issues) expect(w.path).toBe('spec.clusterNetwork.node');
  });
});
