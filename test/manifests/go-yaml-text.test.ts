/**
 * The Go-style YAML text writer: expected texts are written out by hand in the style `sigs.k8s.io/yaml` (go-yaml
 * v2) produces, and every output must also read back (YAML 1.1) as the value written.
 */
import { parse } from 'yaml';
import { goYamlDocuments, goYamlText, type JsonValue } from '../../src/manifests';

const cases: { name: string; value: JsonValue; text: string }[] = [
  {
    name: 'keys sorted, sequences at the indentation of their key, mappings in sequences',
    value: { z: 1, a: { list: [{ b: 2, a: 1 }, 'x'] } },
    text: 'a:\n  list:\n  - a: 1\n    b: 2\n  - x\nz: 1\n',
  },
  {
    name: 'strings that would read as another type are double-quoted',
    value: { s: ['true', 'no', '', '6443', '0644', '1.5', 'null', '~', '1:20', 'on'] },
    text: 's:\n- "true"\n- "no"\n- ""\n- "6443"\n- "0644"\n- "1.5"\n- "null"\n- "~"\n- "1:20"\n- "on"\n',
  },
  {
    name: 'strings that cannot be plain are single-quoted; others stay plain',
    value: { s: ['*', '- x', 'a: b', 'a #b', ' lead', '--v=2', 'system:nodes', '200m', "it's", "'*'"] },
    text: "s:\n- '*'\n- '- x'\n- 'a: b'\n- 'a #b'\n- ' lead'\n- --v=2\n- system:nodes\n- 200m\n- it's\n- '''*'''\n",
  },
  {
    name: 'scalars, null, empty collections',
    value: { b: false, nothing: null, i: 43001, e: {}, l: [] },
    text: 'b: false\ne: {}\ni: 43001\nl: []\nnothing: null\n',
  },
  {
    name: 'keys that would read as another type are quoted like values (go-yaml v2 writes "y")',
    value: { y: 1, '80': 'http' },
    text: '"80": http\n"y": 1\n',
  },
  {
    name: 'multi-line strings are literal blocks, indented under their key',
    value: { data: { 'vsphere.conf': 'global:\n  x: 1\n' }, tail: 'no newline\nat end' },
    text: 'data:\n  vsphere.conf: |\n    global:\n      x: 1\ntail: |-\n  no newline\n  at end\n',
  },
];

test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const text = goYamlText(c.value);
  expect(text).toBe(c.text);
  expect(parse(text, { version: '1.1' })).toStrictEqual(c.value);
});

test('documents are each preceded by ---', () => {
  expect(goYamlDocuments([{ a: 1 }, { b: [] }])).toBe('---\na: 1\n---\nb: []\n');
});
