/**
 * A small YAML writer for JSON data (manifests): block style, keys in insertion order, multi-line strings as
 * literal blocks. Strings are quoted whenever a YAML 1.1 or 1.2 reader could take them for anything but a string
 * (`yes`, `on`, `0644`, `1.30`, `1:20`, `2024-01-01`, `~`), so every Kubernetes tool reads back exactly the
 * data written. Much faster than a general YAML library, which matters for clusters with hundreds of objects.
 */

const SPECIAL_WORDS =
  /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|=|<<)$/;
const NUMBER_LIKE = [
  /^[-+]?0b[01_]+$/,
  /^[-+]?0o?[0-7_]+$/,
  /^[-+]?(?:0|[1-9][0-9_]*)$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d\d?-\d\d?/,
];

/** True when `text` can be written as a plain (unquoted) scalar and read back as this string. */
export function isPlainSafe(text: string): boolean {
  if (text === '' || SPECIAL_WORDS.test(text)) return false;
  if (/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(text) || /\s$/.test(text)) return false;
  if (/: |:$| #|[\t\n\r\u0000-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(text)) return false;
  if (/^[-+.]?[0-9.]/.test(text) && NUMBER_LIKE.some((re) => re.test(text))) return false;
  return true;
}

function quoted(text: string): string {
  // A JSON string is a valid YAML double-quoted scalar.
  return JSON.stringify(text);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to YAML`);
    return String(value);
  }
  if (typeof value === 'string') return isPlainSafe(value) ? value : quoted(value);
  throw new Error(`cannot write a ${typeof value} to YAML`);
}

/** A multi-line string as a literal block (`|`, `|-`, `|+`), or undefined when a block cannot hold it exactly. */
function literalBlock(text: string, indent: string): string | undefined {
  if (!text.includes('\n') || /[\r\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(text)) {
    return undefined;
  }
  const trailing = /\n*$/.exec(text)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? text : text.slice(0, text.length - trailing);
  if (body.trim() === '') return undefined;
  const lines = body.split('\n');
  // Content indentation is detected from the first non-empty line; when it starts with a space, say it explicitly.
  const indicator = /^ /.test(lines.find((l) => l !== '') ?? '') ? '2' : '';
  const pad = `${indent}  `;
  const content = lines.map((line) => (line === '' ? '' : `${pad}${line}`)).join('\n');
  const extra = trailing > 1 ? '\n'.repeat(trailing - 1) : '';
  return `|${indicator}${chomp}\n${content}\n${extra}`;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function key(name: string): string {
  return isPlainSafe(name) ? name : quoted(name);
}

/** Writes `value` as the value part after `key:` or `-` at `indent`; returns text starting with a space or newline. */
function valueText(value: unknown, indent: string): string {
  if (Array.isArray(value)) return value.length === 0 ? ' []\n' : `\n${seq(value, indent)}`;
  if (isMap(value)) return Object.keys(value).length === 0 ? ' {}\n' : `\n${map(value, `${indent}  `)}`;
  if (typeof value === 'string') {
    const block = literalBlock(value, indent);
    if (block !== undefined) return ` ${block}`;
  }
  return ` ${scalar(value)}\n`;
}

function map(value: Record<string, unknown>, indent: string): string {
  let out = '';
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out += `${indent}${key(k)}:${valueText(v, indent)}`;
  }
  return out;
}

/** Sequences sit at their key's indentation (`key:\n- a`), as kubectl and Go write them. */
function seq(items: readonly unknown[], indent: string): string {
  let out = '';
  for (const item of items) {
    if (isMap(item) && Object.keys(item).length > 0) {
      // The first pair shares the dash's line; the rest align under it.
      const body = map(item, `${indent}  `);
      out += `${indent}- ${body.slice(indent.length + 2)}`;
    } else if (Array.isArray(item) && item.length > 0) {
      out += `${indent}-\n${seq(item, `${indent}  `)}`;
    } else {
      out += `${indent}-${valueText(item, indent)}`;
    }
  }
  return out;
}

/** One YAML document for a JSON value (a mapping at the top level, as manifests are). */
export function toYaml(value: unknown): string {
  if (isMap(value)) return Object.keys(value).length === 0 ? '{}\n' : map(value, '');
  if (Array.isArray(value)) return value.length === 0 ? '[]\n' : seq(value, '');
  return `${scalar(value)}\n`;
}
