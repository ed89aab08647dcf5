import * as fs from 'node:fs';
import { Document, isMap, isPair, isScalar, LineCounter, Node, parseAllDocuments, YAMLMap } from 'yaml';
import { assembleClusterConfig, objectPathPrefix } from './assemble';
import type { ClusterConfig, EksaConfigObject } from './cluster-config';
import { EKSA_SPEC_SCHEMAS } from './generated/schemas';
import { ClusterConfigError, hasErrors, type Issue } from './issue';
import { EKSA_API_VERSION } from './meta';
import type { SchemaNode } from './schema-node';
import { attachSourceMap, type SourcePosition } from './source-positions';
import { closestMatch } from './suggest';
import { decodeNode, type DecodeContext, positionOf, report } from './yaml-decode';

/** Options of {@link parseClusterConfig}. */
export interface ParseOptions {
  /** File name used in messages and recorded as `ClusterConfig.file`. */
  readonly file?: string;
  /**
   * Unknown fields are errors (true, as the EKS-A CLI) or warnings, dropped from the result (false, for
   * `synth --no-validate`). Malformed YAML, wrong value types and broken references are errors either way.
   * @default true
   */
  readonly strict?: boolean;
}

/** What parsing found: the config when there was no error, and every issue (errors and warnings). */
export interface ParseResult {
  readonly config?: ClusterConfig;
  readonly issues: readonly Issue[];
}

/**
 * EKS-A kinds eksa-iac does not build (other providers). A file may hold them; the Cluster may not reference them.
 */
export const UNSUPPORTED_EKSA_KINDS: readonly string[] = [
  'AWSDatacenterConfig',
  'CloudStackDatacenterConfig',
  'CloudStackMachineConfig',
  'NutanixDatacenterConfig',
  'NutanixMachineConfig',
  'SnowDatacenterConfig',
  'SnowMachineConfig',
  'SnowIPPool',
  'TinkerbellDatacenterConfig',
  'TinkerbellMachineConfig',
  'TinkerbellTemplateConfig',
];

// metav1.ObjectMeta: the fields EKS-A configs use are kept; the server-populated ones (present in files saved
// with `kubectl get -o yaml`) are known, so not errors, but dropped.
const STRING: SchemaNode = { type: 'string' };
const STRING_MAP: SchemaNode = { type: 'object', additionalProperties: STRING };
const ANY_LIST: SchemaNode = { type: 'array', items: { 'x-kubernetes-preserve-unknown-fields': true } };
const METADATA_SCHEMA: SchemaNode = {
  type: 'object',
  properties: {
    name: STRING,
    namespace: STRING,
    labels: STRING_MAP,
    annotations: STRING_MAP,
    generateName: STRING,
    uid: STRING,
    resourceVersion: STRING,
    generation: { type: 'integer' },
    creationTimestamp: STRING,
    deletionTimestamp: STRING,
    deletionGracePeriodSeconds: { type: 'integer' },
    selfLink: STRING,
    finalizers: { type: 'array', items: STRING },
    ownerReferences: ANY_LIST,
    managedFields: ANY_LIST,
  },
};
const KEPT_METADATA = ['name', 'namespace', 'labels', 'annotations'];

/**
 * Reads a multi-document EKS-A config (as `eksctl anywhere generate clusterconfig` writes it) and resolves it into
 * a {@link ClusterConfig}, collecting every issue instead of stopping at the first. Never throws for bad input.
 */
export function readClusterConfig(text: string, options: ParseOptions = {}): ParseResult {
  const strict = options.strict ?? true;
  const lineCounter = new LineCounter();
  const ctx: DecodeContext = {
    text,
    file: options.file,
    strict,
    lineCounter,
    issues: [],
    positions: new Map<string, SourcePosition>(),
  };
  // YAML 1.1 scalars, as Go's YAML decoder reads them (yes/no are booleans); duplicate keys are reported by the
  // decoder with their path rather than by the YAML library. Timestamps stay strings: no EKS-A field a user writes
  // is a timestamp, and `timeAdded` is a string field.
  const docs = parseAllDocuments(text, {
    lineCounter,
    version: '1.1',
    uniqueKeys: false,
    prettyErrors: false,
    customTags: (tags) =>
      tags.filter((t) =>
        typeof t === 'string' ? t !== 'timestamp' : t.tag !== 'tag:yaml.org,2002:timestamp',
      ),
  });
  const documents: Document[] = Array.isArray(docs) ? docs : [];
  for (const doc of documents) {
    for (const err of doc.errors) {
      const at = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
      ctx.issues.push({
        severity: 'error',
        file: options.file,
        path: '',
        rule: 'yaml-syntax',
        line: at?.line,
        column: at?.col,
        message: `malformed YAML: ${firstLine(err.message)}`,
        fix: 'correct the YAML syntax at this position (indentation, quoting, a missing ":")',
      });
    }
  }
  if (hasErrors(ctx.issues)) return { issues: ctx.issues };

  const objects: DecodedObject[] = [];
  documents.forEach((doc, index) => {
    const decoded = decodeDocument(ctx, doc, index);
    if (decoded) objects.push(decoded);
  });
  if (objects.length === 0 && !hasErrors(ctx.issues)) {
    ctx.issues.push({
      severity: 'error',
      file: options.file,
      path: '',
      rule: 'no-cluster',
      message: 'the file holds no EKS-A objects',
      fix: 'write a Cluster and its datacenter config (`eksctl anywhere generate clusterconfig` prints one)',
    });
  }
  if (hasErrors(ctx.issues)) return { issues: ctx.issues };

  const assembled = assembleClusterConfig(
    objects.flatMap((o) => (o.object ? [o.object] : [])),
    {
      file: options.file,
      unsupportedObjects: objects.flatMap((o) => (o.unsupported ? [o.unsupported] : [])),
    },
  );
  const issues = [...ctx.issues, ...assembled.issues.map((i) => withPosition(ctx, i))];
  if (!assembled.config || hasErrors(issues)) return { issues };
  const config = options.file ? { ...assembled.config, file: options.file } : assembled.config;
  attachSourceMap(config, ctx.positions);
  return { config, issues };
}

/**
 * Parses an EKS-A config file's text into a {@link ClusterConfig}.
 * @throws ClusterConfigError listing every error (and warning), one per line, when the text has any error
 */
export function parseClusterConfig(text: string, options: ParseOptions = {}): ClusterConfig {
  const result = readClusterConfig(text, options);
  if (!result.config) {
    throw new ClusterConfigError(result.issues, `${options.file ?? 'cluster config'}: cannot be parsed`);
  }
  return result.config;
}

/** Reads and parses an EKS-A config file. The file name in messages is `path` unless `options.file` is given. */
export function loadClusterConfigFile(path: string, options: ParseOptions = {}): ClusterConfig {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ClusterConfigError(
      [
        {
          severity: 'error',
          file: options.file ?? path,
          path: '',
          rule: 'file-unreadable',
          message: `cannot read the file (${code ?? (e as Error).message})`,
          fix: code === 'ENOENT' ? 'check the path passed with -f' : 'check the file permissions',
        },
      ],
      `${options.file ?? path}: cannot be read`,
    );
  }
  return parseClusterConfig(text, { ...options, file: options.file ?? path });
}

interface DecodedObject {
  readonly object?: EksaConfigObject;
  /** Set instead of `object` for objects of kinds eksa-iac does not build. */
  readonly unsupported?: { readonly kind: string; readonly name: string };
}

function decodeDocument(ctx: DecodeContext, doc: Document, index: number): DecodedObject | undefined {
  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return undefined; // empty document
  const where = `document ${index + 1}`;
  if (!isMap(root)) {
    report(ctx, root, {
      severity: 'error',
      path: '',
      rule: 'document-not-object',
      message: `${where} is not a Kubernetes object (a mapping with apiVersion, kind, metadata and spec)`,
      fix: 'write each object as a mapping, separated by ---',
    });
    return undefined;
  }
  const kind = scalarField(root, 'kind');
  const name = (() => {
    const meta = fieldNode(root, 'metadata');
    return isMap(meta) ? scalarField(meta, 'name') : undefined;
  })();
  if (!kind) {
    report(ctx, root, {
      severity: 'error',
      path: '',
      rule: 'missing-kind',
      message: `${where} has no kind`,
      fix: 'add `kind: Cluster` (or the kind of the object)',
    });
    return undefined;
  }
  const schema = EKSA_SPEC_SCHEMAS[kind];
  if (!schema) {
    if (UNSUPPORTED_EKSA_KINDS.includes(kind)) return { unsupported: { kind, name: name ?? '' } };
    const suggestion = closestMatch(kind, Object.keys(EKSA_SPEC_SCHEMAS));
    report(ctx, fieldNode(root, 'kind') ?? root, {
      severity: suggestion || ctx.strict ? 'error' : 'warning',
      path: `${kind}/${name ?? ''}`,
      rule: 'unknown-kind',
      message: `${where} has kind "${kind}", which is not an EKS-A config kind`,
      fix: suggestion
        ? `did you mean "${suggestion}"?`
        : `remove the document; the file may hold ${Object.keys(EKSA_SPEC_SCHEMAS).join(', ')}`,
    });
    return undefined;
  }
  const prefix = objectPathPrefix(kind, name ?? '');
  const rootPath = prefix.replace(/\.$/, '');
  const rootPos = positionOf(ctx, root);
  if (rootPos) ctx.positions.set(rootPath, rootPos);
  const join = (field: string) => `${prefix}${field}`;

  const apiVersion = scalarField(root, 'apiVersion');
  if (apiVersion !== EKSA_API_VERSION) {
    report(ctx, fieldNode(root, 'apiVersion') ?? root, {
      severity: 'error',
      path: join('apiVersion'),
      rule: 'api-version',
      message: apiVersion ? `apiVersion "${apiVersion}" is not ${EKSA_API_VERSION}` : 'apiVersion is missing',
      fix: `set apiVersion: ${EKSA_API_VERSION}`,
    });
  }

  const topSchema: SchemaNode = {
    type: 'object',
    properties: {
      apiVersion: STRING,
      kind: STRING,
      metadata: METADATA_SCHEMA,
      spec: schema.properties?.spec ?? { type: 'object' },
      // Files saved from a cluster carry status; users never write it, and it is dropped.
      status: { 'x-kubernetes-preserve-unknown-fields': true },
    },
  };
  const decoded = decodeNode(ctx, doc, root, topSchema, rootPath) as Record<string, unknown> | undefined;
  if (!decoded) return undefined;
  // decodeNode joins paths onto rootPath with '.', which for the Cluster (rootPath '') yields bare field names.
  const metadata = (decoded.metadata ?? {}) as Record<string, unknown>;
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    report(ctx, fieldNode(root, 'metadata') ?? root, {
      severity: 'error',
      path: join('metadata.name'),
      rule: 'missing-name',
      message: `the ${kind} has no metadata.name`,
      fix: 'give the object a name under metadata.name',
    });
    return undefined;
  }
  const keptMeta = Object.fromEntries(Object.entries(metadata).filter(([k]) => KEPT_METADATA.includes(k)));
  const object = {
    apiVersion: EKSA_API_VERSION,
    kind,
    metadata: keptMeta,
    spec: decoded.spec ?? {},
  } as unknown as EksaConfigObject;
  return { object };
}

function fieldNode(map: YAMLMap, name: string): Node | undefined {
  for (const pair of map.items) {
    if (isPair(pair) && isScalar(pair.key) && String(pair.key.value).toLowerCase() === name.toLowerCase()) {
      return (pair.value as Node | null) ?? undefined;
    }
  }
  return undefined;
}

function scalarField(map: YAMLMap, name: string): string | undefined {
  const node = fieldNode(map, name);
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

function withPosition(ctx: DecodeContext, issue: Issue): Issue {
  if (issue.line !== undefined) return issue;
  for (let p = issue.path; ;) {
    const pos = ctx.positions.get(p);
    if (pos) return { ...issue, line: pos.line, column: pos.column };
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return issue;
    p = p.slice(0, cut);
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
