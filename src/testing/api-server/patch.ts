import { errors } from './status';
import { canonicalJson, deepCopy, isPlainObject } from '../schema/json-schema';

/** JSON merge patch (RFC 7386): objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepCopy(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** JSON patch (RFC 6902). A failed `test` or a missing path answers 422/400 as the API server does. */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw errors.badRequest('json patch must be a list of operations');
  let doc = deepCopy(target);
  for (const raw of operations as JsonPatchOp[]) {
    if (!raw || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw errors.badRequest('json patch operation needs "op" and "path"');
    }
    switch (raw.op) {
      case 'add':
        doc = put(doc, pointer(raw.path), raw.value, 'add');
        break;
      case 'replace':
        get(doc, pointer(raw.path), raw.path);
        doc = put(doc, pointer(raw.path), raw.value, 'replace');
        break;
      case 'remove':
        doc = remove(doc, pointer(raw.path), raw.path);
        break;
      case 'copy':
        doc = put(doc, pointer(raw.path), get(doc, pointer(raw.from ?? ''), raw.from ?? ''), 'add');
        break;
      case 'move': {
        const value = get(doc, pointer(raw.from ?? ''), raw.from ?? '');
        doc = remove(doc, pointer(raw.from ?? ''), raw.from ?? '');
        doc = put(doc, pointer(raw.path), value, 'add');
        break;
      }
      case 'test': {
        const value = get(doc, pointer(raw.path), raw.path);
        if (canonicalJson(value) !== canonicalJson(raw.value)) {
          throw errors.invalidPatch(
            `the test operation failed: ${raw.path} is not ${JSON.stringify(raw.value)}`,
          );
        }
        break;
      }
      default:
        throw errors.badRequest(`unknown json patch operation "${raw.op}"`);
    }
  }
  return doc;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw errors.badRequest(`invalid json pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: unknown, segments: string[], text: string): unknown {
  let node = doc;
  for (const s of segments) {
    if (Array.isArray(node) && /^\d+$/.test(s) && Number(s) < node.length) node = node[Number(s)];
    else if (isPlainObject(node) && s in node) node = node[s];
    else throw errors.invalidPatch(`json patch path ${text} does not exist`);
  }
  return node;
}

function put(doc: unknown, segments: string[], value: unknown, mode: 'add' | 'replace'): unknown {
  if (segments.length === 0) return deepCopy(value);
  const parent = get(doc, segments.slice(0, -1), `/${segments.slice(0, -1).join('/')}`);
  const last = segments[segments.length - 1];
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) {
      throw errors.invalidPatch(`invalid array index ${last}`);
    }
    if (mode === 'add') parent.splice(index, 0, deepCopy(value));
    else parent[index] = deepCopy(value);
  } else if (isPlainObject(parent)) {
    parent[last] = deepCopy(value);
  } else {
    throw errors.invalidPatch(`cannot add ${last} to a scalar`);
  }
  return doc;
}

function remove(doc: unknown, segments: string[], text: string): unknown {
  get(doc, segments, text);
  const parent = get(doc, segments.slice(0, -1), text);
  const last = segments[segments.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as Record<string, unknown>)[last];
  return doc;
}
