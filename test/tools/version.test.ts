import { FakePrograms } from './fake-programs';
import { createTools, isAtLeast, maxVersion, parseToolVersion } from '../../src/tools';

describe('tool versions', () => {
  test.each([
    ['v0.32.0', { major: 0, minor: 32, patch: 0, text: 'v0.32.0' }],
    ['v3.16.2+g13654a5', { major: 3, minor: 16, patch: 2, text: 'v3.16.2+g13654a5' }],
    ['flux: v2.8.8', { major: 2, minor: 8, patch: 8, text: 'v2.8.8' }],
    ['27.3.1', { major: 27, minor: 3, patch: 1, text: '27.3.1' }],
    ['v1.13.2-eks-a-v0.26.1', { major: 1, minor: 13, patch: 2, text: 'v1.13.2-eks-a-v0.26.1' }],
    ['1.36', { major: 1, minor: 36, patch: 0, text: '1.36' }],
  ])('%s parses', (text, expected) => {
    expect(parseToolVersion(text)).toEqual(expected);
  });

  test('no version in the text', () => {
    expect(parseToolVersion('command not found')).toBeUndefined();
  });

  test('distribution suffixes do not make a build older than its upstream version', () => {
    expect(isAtLeast('v1.13.2-eks-a-v0.26.1', 'v1.13.2')).toBe(true);
    expect(isAtLeast('v1.10.4', 'v1.11.0')).toBe(false);
    expect(isAtLeast('v0.32.0', '0.20')).toBe(true);
    expect(isAtLeast('v0.9.0', 'v0.20.0')).toBe(false);
    expect(maxVersion('v0.20.0', 'v0.32.0')).toBe('v0.32.0');
    expect(() => isAtLeast('garbage', 'v1.0.0')).toThrow(/cannot compare/);
  });
});

describe('createTools', () => {
  test('builds the five real programs with shared env and per-tool paths', async () => {
    const fakes = await FakePrograms.create();
    try {
      const kindPath = await fakes.install('my-kind', [{ stdout: 'c1\n' }]);
      await fakes.install('docker', [{ stdout: '0.0.0.0:40000\n' }]);
      const tools = createTools({ env: { ...fakes.env(), SHARED: 'yes' }, paths: { kind: kindPath } });
      expect(await tools.kind.getClusters()).toEqual(['c1']);
      expect(await tools.docker.hostPort('mgmt-lb', '6443/tcp')).toEqual({ hostIp: '0.0.0.0', port: 40000 });
      expect((await fakes.calls('my-kind'))[0].env.SHARED).toBe('yes');
      expect((await fakes.calls('docker'))[0].env.SHARED).toBe('yes');
    } finally {
      await fakes.cleanup();
    }
  });
});
