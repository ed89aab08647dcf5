/** The workflow's small parts: timeouts, files, redaction, kubeconfig handling, readiness by contract. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  clusterAvailable,
  controlPlaneInitialized,
  etcdReady,
  hasNode,
  replicasReady,
} from '../../src/workflow/capi-status';
import { WaitFailedError, WorkflowError, formatMs } from '../../src/workflow/errors';
import { LocalFileStore } from '../../src/workflow/file-store';
import { kubeconfigServer, rewriteDockerKubeconfig } from '../../src/workflow/kubeconfig-text';
import { redactingLogger, REDACTED, SecretRegistry } from '../../src/workflow/logger';
import { parseManifest } from '../../src/workflow/manifest';
import { clusterPaths } from '../../src/workflow/paths';
import { DEFAULT_TIMEOUTS, machinesTimeout, resolveTimeouts } from '../../src/workflow/timeouts';

describe('timeouts', () => {
  test("EKS-A's defaults (research A7)", () => {
    const minute = 60_000;
    expect(DEFAULT_TIMEOUTS).toMatchObject({
      controlPlaneMs: 60 * minute,
      externalEtcdMs: 60 * minute,
      perMachineMs: 10 * minute,
      machinesMinimumMs: 30 * minute,
      deploymentMs: 30 * minute,
      clusterAvailableMs: 60 * minute,
      controlPlaneAfterMoveMs: 15 * minute,
      moveMs: 30 * minute,
      kubeconfigSecretMs: minute,
      applyMs: 2 * minute,
    });
    expect(DEFAULT_TIMEOUTS.progressIntervalMs).toBeLessThanOrEqual(30_000);
  });

  test('per machine with a minimum', () => {
    expect(machinesTimeout(DEFAULT_TIMEOUTS, 1)).toBe(30 * 60_000);
    expect(machinesTimeout(DEFAULT_TIMEOUTS, 5)).toBe(50 * 60_000);
  });

  test('given timeouts override the defaults; bad ones are all named', () => {
    expect(resolveTimeouts({ controlPlaneMs: 5000 }).controlPlaneMs).toBe(5000);
    expect(resolveTimeouts({ controlPlaneMs: 5000 }).deploymentMs).toBe(DEFAULT_TIMEOUTS.deploymentMs);
    let message = '';
    try {
      resolveTimeouts({
        controlPlaneMs: -1,
        deploymentMs: Number.NaN,
        progressIntervalMs: 60_000,
        bogus: 1,
      } as never);
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain('timeouts.controlPlaneMs: -1 is not a positive number of milliseconds');
    expect(message).toContain('timeouts.deploymentMs: null is not a positive number');
    expect(message).toContain('timeouts.progressIntervalMs: progress is reported at least every 30 s');
    expect(message).toContain('timeouts.bogus: unknown');
    // Beyond setTimeout's range: clamped rather than firing at once.
    expect(resolveTimeouts({ controlPlaneMs: 1e12 }).controlPlaneMs).toBe(2 ** 31 - 1);
  });
});

describe('file store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksa-iac-files-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('secrets are written 0600, other files 0644, whatever the umask', async () => {
    const store = new LocalFileStore(dir);
    const old = process.umask(0o077);
    try {
      await store.writeText('c/generated/a.kubeconfig', 'secret', { secret: true });
      await store.writeText('c/c.yaml', 'plain');
    } finally {
      process.umask(old);
    }
    expect(fs.statSync(path.join(dir, 'c/generated/a.kubeconfig')).mode % 0o1000).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'c/c.yaml')).mode % 0o1000).toBe(0o644);
    // No temporary file is left behind.
    expect(fs.readdirSync(path.join(dir, 'c/generated'))).toEqual(['a.kubeconfig']);
  });

  test('a renamed secret stays 0600', async () => {
    const store = new LocalFileStore(dir);
    fs.mkdirSync(path.join(dir, 'c/generated'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'c/generated/k'), 'x', { mode: 0o644 });
    await store.rename('c/generated/k', 'c/k', { secret: true });
    expect(fs.statSync(path.join(dir, 'c/k')).mode % 0o1000).toBe(0o600);
    expect(await store.exists('c/generated/k')).toBe(false);
  });

  test('paths outside the working directory are refused', async () => {
    const store = new LocalFileStore(dir);
    await expect(store.writeText('../escape', 'x')).rejects.toThrow(/outside the working directory/);
    expect(() => store.resolve('/etc/passwd')).toThrow(/outside the working directory/);
  });

  test('missing files read as undefined and list as empty', async () => {
    const store = new LocalFileStore(dir);
    expect(await store.readText('nope')).toBeUndefined();
    expect(await store.list('nope')).toEqual([]);
    expect(await store.mode('nope')).toBeUndefined();
    await store.remove('nope');
  });
});

describe('redaction', () => {
  const kubeconfig = [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    '    server: https://127.0.0.1:6443',
    '    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURB',
    'users:',
    '- name: admin',
    '  user:',
    '    token: 7hH2kq9c0dQz1bXlP3mVw8tYs5rFj6uN',
  ].join('\n');

  test('registered secrets are removed in every form, kubeconfig lines included', () => {
    const secrets = new SecretRegistry();
    secrets.add(kubeconfig);
    const text = `whole: ${kubeconfig}\nbase64: ${Buffer.from(kubeconfig).toString('base64')}\njson: ${JSON.stringify(kubeconfig)}`;
    const out = secrets.redact(text);
    expect(out).not.toContain('7hH2kq9c0dQz1bXlP3mVw8tYs5rFj6uN');
    expect(out).not.toContain('LS0tLS1CRUdJTiBDRVJU');
    expect(out).not.toContain(Buffer.from(kubeconfig).toString('base64'));
    expect(out).toContain(REDACTED);
  });

  test('credential-shaped text is removed even when not registered', () => {
    const secrets = new SecretRegistry();
    const out = secrets.redact(
      'token: abcdef123456 password: "hunter22x" -----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
    );
    expect(out).toBe(`token: ${REDACTED} password: "${REDACTED}" [redacted private key]`);
  });

  test('ordinary text is left alone', () => {
    const secrets = new SecretRegistry();
    secrets.add('abc'); // too short to be a secret worth redacting
    const line = 'waiting for Secret eksa-system/dev-kubeconfig: data.value (the admin kubeconfig)';
    expect(secrets.redact(line)).toBe(line);
  });

  test('the logger redacts and labels every line', () => {
    const lines: string[] = [];
    const secrets = new SecretRegistry();
    const log = redactingLogger(
      { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) },
      secrets,
      'WorkloadCluster dev',
    );
    secrets.add('s3cr3t-value-xyz');
    log.info('got s3cr3t-value-xyz');
    expect(lines).toEqual([`WorkloadCluster dev: got ${REDACTED}`]);
  });
});

describe('kubeconfig handling', () => {
  const capi = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: dev',
    '  cluster:',
    '    server: https://172.18.0.5:6443',
    '    certificate-authority-data: Q0E=',
    'contexts:',
    '- name: dev-admin@dev',
    '  context: {cluster: dev, user: dev-admin}',
    'current-context: dev-admin@dev',
    'users:',
    '- name: dev-admin',
    '  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}',
  ].join('\n');

  test("docker: every server points at the load balancer's host port, without CA verification", () => {
    const out = parse(rewriteDockerKubeconfig(capi, 32768, 'test')) as {
      clusters: { cluster: Record<string, unknown> }[];
      users: { user: Record<string, unknown> }[];
    };
    expect(out.clusters[0].cluster).toEqual({
      server: 'https://127.0.0.1:32768',
      'insecure-skip-tls-verify': true,
    });
    // The credentials are kept as they are.
    expect(out.users[0].user).toEqual({ 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' });
    expect(kubeconfigServer(rewriteDockerKubeconfig(capi, 32768, 'test'), 'test')).toBe(
      'https://127.0.0.1:32768',
    );
  });

  test('errors name the kubeconfig, never its content', () => {
    expect(() => rewriteDockerKubeconfig('token: [unclosed', 1, 'Secret dev-kubeconfig')).toThrow(
      /^Secret dev-kubeconfig: not a valid kubeconfig/,
    );
    try {
      rewriteDockerKubeconfig('token: [unclosed', 1, 'Secret dev-kubeconfig');
    } catch (error) {
      expect(String(error)).not.toContain('unclosed');
    }
  });
});

describe('readiness by contract', () => {
  const obj = (status: unknown, spec: unknown = {}) => ({
    apiVersion: 'x/v1',
    kind: 'X',
    metadata: { name: 'x' },
    spec,
    status,
  });
  const cond = (type: string, status = 'True') => ({ type, status });

  test('control plane initialized: v1beta2 field or condition; v1beta1 condition only', () => {
    expect(
      controlPlaneInitialized(obj({ initialization: { controlPlaneInitialized: true } }), 'v1beta2'),
    ).toBe(true);
    expect(
      controlPlaneInitialized(obj({ initialization: { controlPlaneInitialized: true } }), 'v1beta1'),
    ).toBe(false);
    expect(controlPlaneInitialized(obj({ conditions: [cond('ControlPlaneInitialized')] }), 'v1beta1')).toBe(
      true,
    );
    expect(controlPlaneInitialized(undefined, 'v1beta2')).toBe(false);
  });

  test('available: v1beta2 Available, v1beta1 Ready', () => {
    expect(clusterAvailable(obj({ conditions: [cond('Available')] }), 'v1beta2')).toBe(true);
    expect(clusterAvailable(obj({ conditions: [cond('Available')] }), 'v1beta1')).toBe(false);
    expect(clusterAvailable(obj({ conditions: [cond('Ready')] }), 'v1beta1')).toBe(true);
    expect(clusterAvailable(obj({ conditions: [cond('Available', 'False')] }), 'v1beta2')).toBe(false);
  });

  test('etcd, nodes and replicas', () => {
    expect(etcdReady(obj({ ready: true }))).toBe(true);
    expect(etcdReady(obj({ ready: false }))).toBe(false);
    expect(hasNode(obj({ nodeRef: { name: 'n1' } }))).toBe(true);
    expect(hasNode(obj({}))).toBe(false);
    expect(replicasReady(obj({ readyReplicas: 3 }, { replicas: 3 }))).toBe(true);
    expect(replicasReady(obj({ readyReplicas: 2 }, { replicas: 3 }))).toBe(false);
  });
});

describe('errors and paths', () => {
  test('a step failure names the phase, step, wait, last observation and diagnostics', () => {
    const wait = new WaitFailedError(
      'Cluster eksa-system/dev: control plane initialized',
      'ControlPlaneInitialized=False',
      3_600_000,
    );
    expect(wait.message).toBe(
      'timed out after 1h waiting for Cluster eksa-system/dev: control plane initialized; last observed: ControlPlaneInitialized=False',
    );
    const error = new WorkflowError({
      phase: 'WorkloadCluster',
      step: 'wait-control-plane',
      cluster: 'dev',
      reason: wait.message,
      waitedFor: wait.waitedFor,
      lastObserved: wait.lastObserved,
      diagnosticsDir: 'dev/generated/diagnostics-2026-01-01T00_00_00',
    });
    expect(error.message.split('\n')).toEqual([
      `WorkloadCluster of cluster dev: step wait-control-plane failed: ${wait.message}`,
      '  waited for: Cluster eksa-system/dev: control plane initialized',
      '  last observed: ControlPlaneInitialized=False',
      '  diagnostics: dev/generated/diagnostics-2026-01-01T00_00_00',
      '  Fix the cause and run again: completed steps are kept, the failed one is retried.',
    ]);
    expect(formatMs(90_000)).toBe('1m30s');
    expect(formatMs(450)).toBe('450ms');
  });

  test("EKS-A's file locations (research (b))", () => {
    const p = clusterPaths('dev');
    expect(p).toMatchObject({
      kindKubeconfig: 'dev/generated/dev.kind.kubeconfig',
      kindConfig: 'dev/generated/kind_tmp.yaml',
      auditPolicy: 'dev/generated/kubernetes/audit-policy.yaml',
      kubeconfig: 'dev/dev-eks-a-cluster.kubeconfig',
      clusterConfig: 'dev/dev-eks-a-cluster.yaml',
      generatedClusterConfig: 'dev/generated/dev-eks-a-cluster.yaml',
    });
    expect(p.diagnosticsDir(new Date('2026-03-04T05:06:07.890Z'))).toBe(
      'dev/generated/diagnostics-2026-03-04T05_06_07',
    );
  });

  test('manifests: documents, lists, and errors naming the source and document', () => {
    const objects = parseManifest(
      '---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n---\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n',
      'm.yaml',
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/a', 'Secret/b']);
    expect(() => parseManifest('a: [\n', 'bad.yaml')).toThrow(/^bad\.yaml: document 1 is not valid YAML/);
    expect(() => parseManifest('---\n- 1\n', 'list.yaml')).toThrow(
      /list\.yaml: document 1 is not a Kubernetes object/,
    );
  });
});
