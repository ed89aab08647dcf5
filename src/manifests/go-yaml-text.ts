/**
 * YAML text in the style Kubernetes tooling written in Go produces (`sigs.k8s.io/yaml` over go-yaml v2): map keys
 * sorted (by code unit; go-yaml orders runs of digits numerically, which no embedded manifest here relies on),
 * sequences not indented under their key, strings plain unless they would read back as another type
 * (then double-quoted) or start with an indicator (then single-quoted), multi-line strings as literal blocks.
 *
 * EKS-A embeds manifests as text in ConfigMaps and Secrets (ClusterResourceSet resources); the text is compared
 * byte for byte, so it is written here from objects with exactly those rules rather than with a general YAML
 * library.
 */

/** A JSON value. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** Renders one document (no `---`), ending with a newline. */
export function goYamlText(value: JsonValue): string {
  const lines = isScalarLike(value) ? scalarLines('', value, 0) : block(value, 0);
  return `${lines.join('\n')}\n`;
}

/** Renders documents the way EKS-A's embedded manifests join them: each preceded by `---`. */
export function goYamlDocuments(values: readonly JsonValue[]): string {
  return values.map((v) => `---\n${goYamlText(v)}`).join('');
}

function isScalarLike(value: JsonValue): boolean {
  return (
    value === null ||
    typeof value !== 'object' ||
    (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0)
  );
}

/** The lines of a non-empty collection whose entries start at `indent`. */
function block(value: JsonValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value as readonly JsonValue[]) {
      if (isScalarLike(item)) {
        lines.push(...scalarLines(`${pad}- `, item, indent + 2));
        continue;
      }
      // The first line of a nested collection shares the line of its dash.
      const nested = block(item, indent + 2);
      lines.push(`${pad}- ${nested[0].slice(indent + 2)}`, ...nested.slice(1));
    }
    return lines;
  }
  const object = value as { readonly [k: string]: JsonValue };
  for (const key of Object.keys(object).sort(compareKeys)) {
    const item = object[key];
    const k = keyText(key);
    if (isScalarLike(item)) {
      lines.push(...scalarLines(`${pad}${k}: `, item, indent + 2));
    } else {
      lines.push(`${pad}${k}:`);
      // go-yaml v2 writes sequences at the indentation of their key.
      lines.push(...block(item, Array.isArray(item) ? indent : indent + 2));
    }
  }
  return lines;
}

/**
 * A scalar (or empty collection) after `prefix` (`key: ` or `- `). A string with a line break becomes a literal
 * block whose body lines, indented by `indent`, follow.
 */
function scalarLines(prefix: string, value: JsonValue, indent: number): string[] {
  if (Array.isArray(value)) return [`${prefix}[]`];
  if (value === null) return [`${prefix}null`];
  if (typeof value === 'object') return [`${prefix}{}`];
  if (typeof value === 'boolean' || typeof value === 'number') return [`${prefix}${String(value)}`];
  if (!value.includes('\n')) return [`${prefix}${quoted(value)}`];
  const trailing = /\n+$/.exec(value)?.[0].length ?? 0;
  const indicator = trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+';
  const body = trailing === 0 ? value : value.slice(0, -1);
  const pad = ' '.repeat(indent);
  return [
    `${prefix}${indicator}`,
    ...body.split('\n').map((line) => (line.length > 0 ? `${pad}${line}` : '')),
  ];
}

function keyText(key: string): string {
  return key.includes('\n') ? `"${escapeDouble(key)}"` : quoted(key);
}

/** Double-quoted when plain text would read back as another type, single-quoted when it cannot be plain. */
function quoted(value: string): string {
  if (resolvesToNonString(value)) return `"${escapeDouble(value)}"`;
  if (plainAllowed(value)) return value;
  return /[\u0000-\u001f\u007f]/.test(value) ? `"${escapeDouble(value)}"` : `'${value.replace(/'/g, "''")}'`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const BOOL_OR_NULL = new Set([
  '',
  '~',
  'null',
  'Null',
  'NULL',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
  '<<',
]);
const INT = /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|0|[1-9][0-9_]*)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/;

/** True when YAML 1.1 (go-yaml v2) would read the plain text as a bool, null, number or merge key. */
function resolvesToNonString(value: string): boolean {
  return (
    BOOL_OR_NULL.has(value) ||
    INT.test(value) ||
    FLOAT.test(value) ||
    SPECIAL_FLOAT.test(value) ||
    BASE60.test(value)
  );
}

/** The block-context plain-scalar check of libyaml's emitter. */
function plainAllowed(value: string): boolean {
  if (value.length === 0) return false;
  if (/^\s|\s$/.test(value)) return false;
  if (/^[#,[\]{}&*!|>'"%@`]/.test(value)) return false;
  if (/^[-?:](\s|$)/.test(value)) return false;
  if (/:(\s|$)/.test(value) || /\s#/.test(value)) return false;
  if (/[\u0000-\u001f\u007f]/.test(value)) return false;
  return true;
}

function escapeDouble(value: string): string {
  return value.replace(/[\\"\u0000-\u001f]/g, (c) =>
    c === '\\' ? '\\\\' : c === '"' ? '\\"' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
