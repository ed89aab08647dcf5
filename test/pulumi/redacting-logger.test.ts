import { createHandlerLogger, LogLevel, redactSecrets } from '../../src/pulumi/handler-runtime';

function memoryLogger(secrets: unknown[] = [], debug = false) {
  const lines: Array<[LogLevel, string]> = [];
  const logger = createHandlerLogger({
    label: 'WorkloadCluster',
    secrets,
    debug,
    sink: { write: (l, line) => lines.push([l, line]) },
  });
  return { logger, lines };
}

describe('redactSecrets', () => {
  test('removes registered values wherever they appear, longest first', () => {
    expect(redactSecrets('pass=hunter22 and hunter22x', ['hunter22', 'hunter22x'])).toBe(
      'pass=[redacted] and [redacted]',
    );
  });

  test('removes credential-shaped text nobody registered: PEM blocks, kubeconfig keys, tokens, auth headers', () => {
    const text = [
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
      '    client-key-data: LS0tLS1CRUdJTi',
      '"token":"abc.def.ghi"',
      'password = letmein',
      'Authorization: Bearer eyJhbGciOi',
    ].join('\n');

    const out = redactSecrets(text);

    for (const leaked of ['MIIEowIBAAKCAQEA', 'LS0tLS1CRUdJTi', 'abc.def.ghi', 'letmein', 'eyJhbGciOi']) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('[redacted rsa private key]');
    expect(out).toContain('client-key-data: [redacted]');
    expect(out).toContain('"token":"[redacted]"');
  });

  test('keeps what operators need to read: digests, endpoints, words that only contain a key name', () => {
    const digest = 'sha256:' + 'ab12'.repeat(16);
    const text = `manifest ${digest} applied to https://10.0.0.1:6443; tokens: 3, secretOutputs: [kubeconfig]`;
    expect(redactSecrets(text)).toBe(text);
  });

  test('removes long opaque base64 runs', () => {
    const blob = Buffer.from('x'.repeat(90)).toString('base64');
    expect(redactSecrets(`data ${blob} end`)).toBe('data [redacted] end');
  });
});

describe('createHandlerLogger', () => {
  test('redacts a registered secret in its plain, JSON-escaped and base64 forms', () => {
    const kubeconfig = 'apiVersion: v1\nkind: Config\nserver: https://1.2.3.4';
    const { logger, lines } = memoryLogger();
    logger.addSecret(kubeconfig);

    logger.info(`raw: ${kubeconfig}`);
    logger.info(`json: ${JSON.stringify({ kubeconfig })}`);
    logger.info(`b64: ${Buffer.from(kubeconfig).toString('base64')}`);

    const text = lines.map(([, l]) => l).join('\n');
    expect(text).not.toContain('kind: Config');
    expect(text).not.toContain(JSON.stringify(kubeconfig).slice(1, -1));
    expect(text).not.toContain(Buffer.from(kubeconfig).toString('base64'));
  });

  test('prefixes every line with the label, children add theirs and share the secrets', () => {
    const { logger, lines } = memoryLogger(['s3cr3t-value']);
    const child = logger.child('dev');

    child.warn('two\nlines with s3cr3t-value');
    logger.error('top');

    expect(lines).toEqual([
      ['warn', '[eksa-iac] WorkloadCluster dev: two'],
      ['warn', '[eksa-iac] WorkloadCluster dev: lines with [redacted]'],
      ['error', '[eksa-iac] WorkloadCluster: top'],
    ]);
  });

  test('writes debug lines only when enabled', () => {
    const quiet = memoryLogger();
    quiet.logger.debug('hidden');
    const loud = memoryLogger([], true);
    loud.logger.debug('shown');
    expect(quiet.lines).toEqual([]);
    expect(loud.lines).toEqual([['debug', '[eksa-iac] WorkloadCluster: shown']]);
  });

  test('ignores values too short to redact safely', () => {
    const { logger, lines } = memoryLogger(['ab']);
    logger.info('a cab');
    expect(lines[0][1]).toBe('[eksa-iac] WorkloadCluster: a cab');
  });
});
