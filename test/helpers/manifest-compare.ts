/**
 * Compares a generated multi-document manifest with an EKS-A golden file under the rules of
 * ../shared/oracle/eksa-docker/README.md ("How outputs are compared"). Used by the parity tests of every provider.
 *
 * The comparison is written independently of the code under test: it knows nothing about how objects are built,
 * only how two YAML files are read and paired.
 */
import { parseAllDocuments } from 'yaml';

/** How strictly expected objects must match. */
export type MatchMode = 'full' | 'subset';

/** Which generated objects take part. */
export type CompareScope = 'all' | 'controlPlane' | 'workers' | { readonly kinds: readonly string[] };

export interface CompareOptions {
  readonly match: MatchMode;
  /** @default 'all' */
  readonly scope?: CompareScope;
}

export interface CompareResult {
  /** True when there is no difference. */
  readonly equal: boolean;
  /** One line per difference: object, field path, what differs. */
  readonly differences: readonly string[];
  /** Tolerated things worth reporting (extra MachineHealthChecks in full mode). */
  readonly info: readonly string[];
}

type Json = null | boolean | number | string | Date | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const WILDCARD_NAMES = new Set(['<no value>', '']);
const TIMESTAMP_SUFFIX = /-(?:template-)?1234567890000$/;

/** Reads a multi-document YAML text with YAML 1.1 scalar rules, skipping empty documents. */
export function readManifests(text: string, source = 'manifest'): JsonObject[] {
  const documents = parseAllDocuments(text, { version: '1.1' });
  const docs = Array.isArray(documents) ? documents : [documents];
  const objects: JsonObject[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      throw new Error(`${source}: document ${index + 1} is not valid YAML: ${doc.errors[0].message}`);
    }
    const value = doc.toJS({ maxAliasCount: -1 }) as Json;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
      throw new Error(`${source}: document ${index + 1} is not a mapping`);
    }
    objects.push(value);
  });
  return objects;
}

/** Compares two manifest texts. */
export function compareManifestTexts(
  expected: string,
  generated: string,
  options: CompareOptions,
): CompareResult {
  return compareManifests(
    readManifests(expected, 'expected'),
    readManifests(generated, 'generated'),
    options,
  );
}

/** Compares parsed manifests (each a Kubernetes object). */
export function compareManifests(
  expectedObjects: readonly JsonObject[],
  generatedObjects: readonly JsonObject[],
  options: CompareOptions,
): CompareResult {
  const differences: string[] = [];
  const info: string[] = [];
  const scope = options.scope ?? 'all';

  const expected = inScope(
    expectedObjects.map((o) => renameTimestamped(o) as JsonObject),
    scope,
  );
  const generated = inScope(
    generatedObjects.map((o) => renameTimestamped(o) as JsonObject),
    scope,
  );

  const unpaired = new Set(generated.map((_, i) => i));
  const pairs: Array<[JsonObject, JsonObject]> = [];
  const wildcards: JsonObject[] = [];

  for (const exp of expected) {
    const name = metaField(exp, 'name');
    if (name === null || WILDCARD_NAMES.has(name)) {
      wildcards.push(exp);
      continue;
    }
    const index = [...unpaired].find((i) => samePairKey(exp, generated[i], options.match));
    if (index === undefined) {
      differences.push(`${describe(exp)}: missing from the generated output`);
      continue;
    }
    unpaired.delete(index);
    pairs.push([exp, generated[index]]);
  }

  // A wildcard pairs with the single remaining generated object of its kind (and group); references to it by
  // {kind, name} in the expected objects take that object's name.
  const resolvedNames = new Map<string, string>();
  for (const exp of wildcards) {
    const candidates = [...unpaired].filter(
      (i) => group(generated[i]) === group(exp) && generated[i].kind === exp.kind,
    );
    if (candidates.length !== 1) {
      differences.push(
        `${describe(exp)}: unnamed expected object needs exactly one remaining generated ${String(exp.kind)}, found ${candidates.length}`,
      );
      continue;
    }
    unpaired.delete(candidates[0]);
    const target = generated[candidates[0]];
    resolvedNames.set(String(exp.kind), metaField(target, 'name') ?? '');
    pairs.push([exp, target]);
  }

  for (const [exp, gen] of pairs) {
    const expResolved = resolvedNames.size > 0 ? resolveWildcardRefs(exp, resolvedNames) : exp;
    const where = describe(gen);
    compareValue(expResolved, gen, '', options.match, (path, message) =>
      differences.push(`${where}: ${path || '(object)'}: ${message}`),
    );
  }

  if (options.match === 'full') {
    for (const i of unpaired) {
      if (generated[i].kind === 'MachineHealthCheck') {
        info.push(`${describe(generated[i])}: tolerated (not in the expected file)`);
      } else {
        differences.push(`${describe(generated[i])}: not in the expected file`);
      }
    }
  }

  return { equal: differences.length === 0, differences, info };
}

function compareValue(
  exp: Json | undefined,
  gen: Json | undefined,
  path: string,
  match: MatchMode,
  report: (path: string, message: string) => void,
): void {
  const expMissing = exp === null || exp === undefined;
  const genMissing = gen === null || gen === undefined;
  if (expMissing || genMissing) {
    if (expMissing && genMissing) return;
    if (expMissing) {
      if (match === 'full') report(path, `unexpected ${show(gen)}`);
      return;
    }
    report(path, `expected ${show(exp)}, missing`);
    return;
  }
  if (Array.isArray(exp)) {
    if (!Array.isArray(gen)) {
      report(path, `expected a list, got ${show(gen)}`);
      return;
    }
    if (match === 'full') {
      if (exp.length !== gen.length) {
        report(path, `expected ${exp.length} items, got ${gen.length}`);
      }
      const n = Math.min(exp.length, gen.length);
      for (let i = 0; i < n; i++) compareValue(exp[i], gen[i], `${path}[${i}]`, match, report);
      return;
    }
    exp.forEach((item, i) => {
      const found = gen.some((candidate) => {
        let ok = true;
        compareValue(item, candidate, '', match, () => (ok = false));
        return ok;
      });
      if (!found) report(`${path}[${i}]`, `no generated item matches ${show(item)}`);
    });
    return;
  }
  if (isObject(exp)) {
    if (!isObject(gen)) {
      report(path, `expected a mapping, got ${show(gen)}`);
      return;
    }
    const keys = match === 'full' ? new Set([...Object.keys(exp), ...Object.keys(gen)]) : Object.keys(exp);
    for (const key of keys) compareValue(exp[key], gen[key], path ? `${path}.${key}` : key, match, report);
    return;
  }
  if (exp instanceof Date || gen instanceof Date) {
    const same = exp instanceof Date && gen instanceof Date && exp.getTime() === gen.getTime();
    if (!same) report(path, `expected ${show(exp)}, got ${show(gen)}`);
    return;
  }
  if (typeof exp !== typeof gen || exp !== gen) {
    report(path, `expected ${show(exp)}, got ${show(gen)}`);
  }
}

function inScope(objects: JsonObject[], scope: CompareScope): JsonObject[] {
  if (scope === 'all') return objects;
  if (typeof scope === 'object') return objects.filter((o) => scope.kinds.includes(String(o.kind)));
  // Machine templates referenced by MachineDeployments belong to the workers. A reference with a wildcard name
  // (rule 4) claims the wildcard-named templates of its kind.
  const templateKey = (kind: Json | undefined, name: Json | undefined) =>
    `${String(kind)}/${isWildcard(name) ? '*' : String(name)}`;
  const workerTemplates = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'MachineDeployment') continue;
    const ref = dig(o, ['spec', 'template', 'spec', 'infrastructureRef']);
    if (isObject(ref)) workerTemplates.add(templateKey(ref.kind, ref.name));
  }
  const isWorker = (o: JsonObject): boolean =>
    o.kind === 'MachineDeployment' ||
    o.kind === 'KubeadmConfigTemplate' ||
    workerTemplates.has(templateKey(o.kind, dig(o, ['metadata', 'name'])));
  return objects.filter((o) => (scope === 'workers' ? isWorker(o) : !isWorker(o)));
}

function samePairKey(exp: JsonObject, gen: JsonObject, match: MatchMode): boolean {
  if (
    group(exp) !== group(gen) ||
    exp.kind !== gen.kind ||
    metaField(exp, 'name') !== metaField(gen, 'name')
  ) {
    return false;
  }
  const expNamespace = metaField(exp, 'namespace');
  // In subset mode an expected object without a namespace matches in any namespace.
  if (match === 'subset' && (expNamespace === null || expNamespace === '')) return true;
  return (expNamespace ?? '') === (metaField(gen, 'namespace') ?? '');
}

/** Rewrites every `…-template-1234567890000` / `…-1234567890000` string to `…-1`. */
function renameTimestamped(value: Json): Json {
  if (typeof value === 'string') {
    return TIMESTAMP_SUFFIX.test(value) ? value.replace(TIMESTAMP_SUFFIX, '-1') : value;
  }
  if (Array.isArray(value)) return value.map(renameTimestamped);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = renameTimestamped(v);
    return out;
  }
  return value;
}

/** Replaces wildcard names in `{kind, name}` mappings (object metadata included) by the paired object's name. */
function resolveWildcardRefs(value: Json, names: ReadonlyMap<string, string>, kind?: string): Json {
  if (Array.isArray(value)) return value.map((v) => resolveWildcardRefs(v, names));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  const ownKind = typeof value.kind === 'string' ? value.kind : kind;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'metadata' && isObject(v) && ownKind && names.has(ownKind) && isWildcard(v.name)) {
      out[k] = { ...v, name: names.get(ownKind)! };
    } else if (k === 'name' && typeof value.kind === 'string' && names.has(value.kind) && isWildcard(v)) {
      out[k] = names.get(value.kind)!;
    } else {
      out[k] = resolveWildcardRefs(v, names, k === 'metadata' ? ownKind : undefined);
    }
  }
  return out;
}

function isWildcard(value: Json | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && WILDCARD_NAMES.has(value));
}

function group(o: JsonObject): string {
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function metaField(o: JsonObject, field: 'name' | 'namespace'): string | null {
  const value = dig(o, ['metadata', field]);
  return typeof value === 'string' ? value : null;
}

function dig(o: Json, path: readonly string[]): Json | undefined {
  let current: Json | undefined = o;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

function describe(o: JsonObject): string {
  const namespace = metaField(o, 'namespace');
  const name = metaField(o, 'name');
  return `${String(o.apiVersion)} ${String(o.kind)} ${namespace ? `${namespace}/` : ''}${name ?? '<unnamed>'}`;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function show(value: Json | undefined): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
