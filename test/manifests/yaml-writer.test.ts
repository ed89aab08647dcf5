import * as path from 'node:path';
import { parse } from 'yaml';
import { synthesizeCluster, toYamlDocuments } from '../../src/manifests';
import { isPlainSafe, toYaml } from '../../src/manifests/yaml-writer';
import { DOCKER_ORACLE, REPO_ROOT } from '../helpers/cli-runner';
import { readManifests } from '../helpers/manifest-compare';
import { loadSynthInput } from '../helpers/synth-fixtures';

/** Reads YAML back with both the 1.1 rules (Kubernetes) and 1.2. */
const readBoth = (text: string) => [parse(text, { version: '1.1' }), parse(text, { version: '1.2' })];

const TRICKY: Record<string, unknown> = {
  words: ['yes', 'no', 'on', 'off', 'y', 'N', 'true', 'False', 'null', '~', '', ' ', '=', '<<'],
  numbers: [
    '0644',
    '0o644',
    '1.30',
    '1.3',
    '10',
    '-1',
    '+1',
    '1e3',
    '.5',
    '.inf',
    '.NaN',
    '1:20',
    '0x1F',
    '0b101',
    '1_000',
  ],
  stringsThatArePlain: [
    '3.4.14',
    '127.0.0.1',
    'v1.36.2-eks-1-36-6',
    '/healthz*',
    'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    'nodefs.available<0%',
  ],
  punctuation: [
    'a: b',
    'a #b',
    'key:',
    '- x',
    '#x',
    '&a',
    '*a',
    '!tag',
    '|',
    '>',
    "'q'",
    '"q"',
    '%x',
    '@x',
    '`x',
    '{a}',
    '[a]',
    ',',
    '?x',
    'x ',
    'tab\there',
  ],
  dates: ['2024-01-01', '2024-01-01T00:00:00Z'],
  scalars: [0, 1.5, -3, true, false, null],
  empty: { list: [], map: {} },
  'key: with colon': 1,
  '0644': 'octal-looking key',
  blocks: [
    'one line\n',
    'no trailing newline\nsecond',
    'two trailing\n\n',
    '  leading spaces\nnext\n',
    '\n\nstarts with blank lines\n',
    'has\ttab\n',
    '# comment-like\n- dash-like\n',
    'crlf\r\nline\n',
    '\n',
  ],
  nested: [[1, [2, []]], [{ a: { b: [{}] } }], { '': 'empty key' }],
};

describe('toYaml', () => {
  test('every tricky value reads back identically under YAML 1.1 and 1.2', () => {
    for (const read of readBoth(toYaml(TRICKY))) expect(read).toStrictEqual(TRICKY);
  });

  test('common manifest strings stay unquoted; ambiguous ones are quoted', () => {
    for (const s of TRICKY.stringsThatArePlain as string[]) expect(isPlainSafe(s)).toBe(true);
    for (const s of [
      ...(TRICKY.words as string[]),
      ...(TRICKY.numbers as string[]),
      ...(TRICKY.dates as string[]),
    ]) {
      expect(isPlainSafe(s)).toBe(false);
    }
    expect(toYaml({ v: '1.30', n: 'on' })).toBe('v: "1.30"\n"n": "on"\n');
  });

  test('multi-line strings are literal blocks with the right chomping', () => {
    expect(toYaml({ a: 'x\ny\n', b: 'x\ny', c: 'x\n\n' })).toBe(
      'a: |\n  x\n  y\nb: |-\n  x\n  y\nc: |+\n  x\n\n',
    );
    expect(toYaml({ l: [{ k: 'v', m: ['x'] }] })).toBe('l:\n- k: v\n  m:\n  - x\n');
  });

  test('every synthesized manifest reads back to the same objects', async () => {
    const inputs = await Promise.all([
      loadSynthInput(path.join(REPO_ROOT, 'test/fixtures/spec/valid/docker-full.yaml')),
      loadSynthInput(
        path.join(DOCKER_ORACLE, 'pre-mirror-with-cert.input.yaml'),
        path.join(DOCKER_ORACLE, '_support/bundles.yaml'),
        [path.join(DOCKER_ORACLE, '_support/kubernetes-1-21-eks-4.yaml')],
      ),
    ]);
    for (const input of inputs) {
      for (const contract of ['v1beta1', 'v1beta2'] as const) {
        const r = synthesizeCluster({
          ...input,
          contract,
          env: { REGISTRY_USERNAME: 'u', REGISTRY_PASSWORD: 'p' },
        });
        const objects = [...r.eksaObjects, ...r.capiObjects];
        expect(readManifests(toYamlDocuments(objects))).toStrictEqual(JSON.parse(JSON.stringify(objects)));
      }
    }
  });
});
