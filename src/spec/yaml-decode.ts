import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, Scalar } from 'yaml';
import type { Issue } from './issue';
import type { SchemaNode } from './schema-node';
import type { SourcePosition } from './source-positions';
import { closestMatch } from './suggest';

/** State shared while decoding the documents of one file. */
export interface DecodeContext {
  readonly text: string;
  readonly file?: string;
  /** Unknown fields are errors (true) or dropped with a warning (false). */
  readonly strict: boolean;
  readonly lineCounter: LineCounter;
  readonly issues: Issue[];
  readonly positions: Map<string, SourcePosition>;
}

/** Joins a field name onto a path, quoting names that are not plain identifiers (label keys, annotations). */
export function fieldPath(parent: string, name: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(name)) return parent ? `${parent}.${name}` : name;
  return `${parent}[${JSON.stringify(name)}]`;
}

/** Joins a list index onto a path. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** Position of a node in the source text. */
export function positionOf(ctx: DecodeContext, node: Node | null | undefined): SourcePosition | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = ctx.lineCounter.linePos(offset);
  return { line, column: col };
}

/** Records an issue located at a node. */
export function report(
  ctx: DecodeContext,
  node: Node | null | undefined,
  issue: Omit<Issue, 'file' | 'line' | 'column'>,
): void {
  const pos = positionOf(ctx, node);
  ctx.issues.push({ ...issue, file: ctx.file, line: pos?.line, column: pos?.column });
}

/**
 * Decodes one YAML node against its schema into plain data, as strictly as the EKS-A CLI's decoder: field names
 * match exactly or else case-insensitively, unknown fields are reported (with the closest known name), types must
 * match (an unquoted number in a string field keeps its source text, so `kubernetesVersion: 1.30` is "1.30"),
 * and null means absent.
 */
export function decodeNode(
  ctx: DecodeContext,
  doc: Document,
  node: unknown,
  schema: SchemaNode,
  path: string,
): unknown {
  let n = node;
  if (isAlias(n)) n = n.resolve(doc);
  if (n === null || n === undefined) return undefined;
  const yamlNode = n as Node;
  const pos = positionOf(ctx, yamlNode);
  if (pos && !ctx.positions.has(path)) ctx.positions.set(path, pos);
  if (isScalar(n) && n.value === null) return undefined;

  if (schema['x-kubernetes-int-or-string']) {
    if (isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value)) return n.value;
    if (isScalar(n) && typeof n.value === 'string') return n.value;
    return typeMismatch(ctx, yamlNode, path, 'an integer or a string such as "40%"');
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) {
    if (!isMap(n)) return typeMismatch(ctx, yamlNode, path, 'a mapping');
    return n.toJS(doc, { mapAsMap: false }) as unknown;
  }

  switch (schema.type) {
    case 'object':
      return decodeObject(ctx, doc, yamlNode, schema, path);
    case 'array': {
      if (!isSeq(n)) return typeMismatch(ctx, yamlNode, path, 'a list');
      const out: unknown[] = [];
      n.items.forEach((item, i) => {
        const value = decodeNode(ctx, doc, item, schema.items ?? {}, indexPath(path, i));
        if (value !== undefined) out.push(value);
      });
      if (schema.maxItems !== undefined && n.items.length > schema.maxItems) {
        report(ctx, yamlNode, {
          severity: 'error',
          path,
          rule: 'schema-max-items',
          message: `at most ${schema.maxItems} entries are allowed, found ${n.items.length}`,
          fix: `remove entries until there are ${schema.maxItems} or fewer`,
        });
      }
      return out;
    }
    case 'string':
      return decodeString(ctx, yamlNode, schema, path);
    case 'integer':
    case 'number': {
      if (isScalar(n) && typeof n.value === 'number') {
        if (schema.type === 'integer' && !Number.isInteger(n.value)) {
          return typeMismatch(ctx, yamlNode, path, 'a whole number');
        }
        return n.value;
      }
      return typeMismatch(ctx, yamlNode, path, schema.type === 'integer' ? 'a whole number' : 'a number');
    }
    case 'boolean':
      if (isScalar(n) && typeof n.value === 'boolean') return n.value;
      return typeMismatch(ctx, yamlNode, path, 'true or false');
    default:
      return isScalar(n) ? n.value : (n as Node).toJS(doc);
  }
}

function decodeString(ctx: DecodeContext, node: Node, schema: SchemaNode, path: string): unknown {
  if (!isScalar(node)) return typeMismatch(ctx, node, path, 'a string');
  let value: string;
  if (typeof node.value === 'string') {
    value = node.value;
  } else if (typeof node.value === 'number' && node.type === Scalar.PLAIN && node.range) {
    // An unquoted number: keep what was written (1.30 stays "1.30"), as EKS-A's decoder does for versions.
    value = ctx.text.slice(node.range[0], node.range[1]);
  } else {
    return typeMismatch(ctx, node, path, 'a string');
  }
  if (schema.enum && !schema.enum.includes(value)) {
    report(ctx, node, {
      severity: 'error',
      path,
      rule: 'schema-enum',
      message: `"${value}" is not one of ${schema.enum.map((e) => `"${String(e)}"`).join(', ')}`,
      fix: `use one of ${schema.enum.map((e) => `"${String(e)}"`).join(', ')}`,
    });
    return undefined;
  }
  return value;
}

function decodeObject(
  ctx: DecodeContext,
  doc: Document,
  node: Node,
  schema: SchemaNode,
  path: string,
): unknown {
  if (!isMap(node)) return typeMismatch(ctx, node, path, 'a mapping');
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const additional =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const out: Record<string, unknown> = {};
  const seen = new Map<string, string>();
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const keyNode = (isAlias(pair.key) ? pair.key.resolve(doc) : pair.key) as Node | null;
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
      report(ctx, keyNode ?? node, {
        severity: 'error',
        path,
        rule: 'yaml-key',
        message: 'a mapping key must be a plain name',
        fix: 'write the key as a string',
      });
      continue;
    }
    const written = String(keyNode.value);
    let name: string | undefined;
    let sub: SchemaNode | undefined;
    if (names.length > 0) {
      name = properties[written] ? written : names.find((p) => p.toLowerCase() === written.toLowerCase());
      sub = name ? properties[name] : undefined;
    }
    if (!sub && additional) {
      name = written;
      sub = additional;
    }
    const childPath = fieldPath(path, name ?? written);
    const keyPos = positionOf(ctx, keyNode);
    if (keyPos) ctx.positions.set(childPath, keyPos);
    if (!sub || name === undefined) {
      if (schema['x-kubernetes-preserve-unknown-fields']) {
        out[written] = (pair.value as Node | null)?.toJS?.(doc) ?? null;
        continue;
      }
      reportUnknownField(ctx, keyNode, childPath, written, names);
      continue;
    }
    const previous = seen.get(name);
    if (previous !== undefined) {
      report(ctx, keyNode, {
        severity: ctx.strict ? 'error' : 'warning',
        path: childPath,
        rule: 'yaml-duplicate-key',
        message:
          previous === written
            ? `"${written}" is set twice in the same mapping`
            : `"${written}" and "${previous}" both set "${name}"`,
        fix: ctx.strict ? 'keep only one of them' : 'keep only one of them (the last one is used)',
      });
    }
    seen.set(name, written);
    const value = decodeNode(ctx, doc, pair.value, sub, childPath);
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

function reportUnknownField(
  ctx: DecodeContext,
  keyNode: Node,
  path: string,
  written: string,
  known: string[],
): void {
  const suggestion = closestMatch(written, known);
  const fix = suggestion
    ? `did you mean "${suggestion}"?`
    : known.length === 0
      ? 'remove it: this object takes no fields'
      : `remove it, or use one of: ${known.join(', ')}`;
  report(ctx, keyNode, {
    severity: ctx.strict ? 'error' : 'warning',
    path,
    rule: 'unknown-field',
    message: ctx.strict ? `unknown field "${written}"` : `unknown field "${written}" is ignored`,
    fix,
  });
}

function typeMismatch(ctx: DecodeContext, node: Node, path: string, expected: string): undefined {
  report(ctx, node, {
    severity: 'error',
    path,
    rule: 'schema-type',
    message: `expected ${expected}, found ${describe(node)}`,
    fix: `write ${expected} here${isScalar(node) && expected === 'a string' ? ' (quote the value)' : ''}`,
  });
  return undefined;
}

function describe(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return `the string "${v}"`;
    if (typeof v === 'number') return `the number ${String(v)}`;
    if (typeof v === 'boolean') return `the boolean ${String(v)}`;
    return 'a value';
  }
  return 'a value';
}
