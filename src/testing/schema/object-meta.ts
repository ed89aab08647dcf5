import { SchemaViolation, childPath, indexPath, isPlainObject } from './json-schema';

/** The fields of `metav1.ObjectMeta`; anything else under `metadata` is unknown. */
export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Kubernetes limits the total size of all annotations of one object. */
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Why `name` is not a DNS-1123 subdomain (lowercase, <= 253 characters), or undefined when it is. */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Why `name` is not a DNS-1123 label (namespace names), or undefined when it is. */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(name)) {
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Why `key` is not a qualified name (`prefix/name`, as label keys and finalizers are), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "a qualified name may contain at most one '/'";
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0] === '') return 'prefix part must be non-empty';
    const prefixProblem = dnsSubdomainProblem(parts[0]);
    if (prefixProblem) return `prefix part ${prefixProblem}`;
  }
  if (name.length === 0 || name.length > 63) return 'name part must be 1 to 63 characters';
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

export interface ObjectMetaCheckOptions {
  /** The kind is namespaced (namespace names are checked only then). */
  readonly namespaced?: boolean;
  /** Kinds whose names are DNS labels rather than subdomains (Namespace). */
  readonly nameIsLabel?: boolean;
  /** An embedded object (`x-kubernetes-embedded-resource`) need not carry a name. */
  readonly nameOptional?: boolean;
}

/** Checks the ObjectMeta rules the API server enforces for every object (names, labels, annotations, owners). */
export function validateObjectMeta(
  meta: unknown,
  path: string,
  options: ObjectMetaCheckOptions = {},
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  if (meta === undefined && options.nameOptional) return out;
  if (!isPlainObject(meta)) {
    out.push({ path, reason: 'FieldValueTypeInvalid', message: 'must be an object' });
    return out;
  }
  const name = meta.name;
  const generateName = meta.generateName;
  if (name === undefined || name === '') {
    if (!options.nameOptional && (generateName === undefined || generateName === '')) {
      out.push({
        path: childPath(path, 'name'),
        reason: 'FieldValueRequired',
        message: 'name or generateName is required',
      });
    }
  } else if (typeof name !== 'string') {
    out.push({ path: childPath(path, 'name'), reason: 'FieldValueTypeInvalid', message: 'must be a string' });
  } else {
    const problem = options.nameIsLabel ? dnsLabelProblem(name) : dnsSubdomainProblem(name);
    if (problem) {
      out.push({
        path: childPath(path, 'name'),
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${name}": ${problem}`,
      });
    }
  }
  if (generateName !== undefined && typeof generateName !== 'string') {
    out.push({
      path: childPath(path, 'generateName'),
      reason: 'FieldValueTypeInvalid',
      message: 'must be a string',
    });
  }
  if (options.namespaced && typeof meta.namespace === 'string' && meta.namespace !== '') {
    const problem = dnsLabelProblem(meta.namespace);
    if (problem) {
      out.push({
        path: childPath(path, 'namespace'),
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${meta.namespace}": ${problem}`,
      });
    }
  }
  checkStringMap(meta.labels, childPath(path, 'labels'), true, out);
  checkStringMap(meta.annotations, childPath(path, 'annotations'), false, out);
  checkFinalizers(meta.finalizers, childPath(path, 'finalizers'), out);
  checkOwnerReferences(meta.ownerReferences, childPath(path, 'ownerReferences'), out);
  for (const key of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(key)) {
      out.push({
        path: childPath(path, key),
        reason: 'FieldValueUnknown',
        message: `unknown field "${childPath(path, key)}"`,
      });
    }
  }
  return out;
}

function checkStringMap(map: unknown, path: string, isLabels: boolean, out: SchemaViolation[]): void {
  if (map === undefined || map === null) return;
  if (!isPlainObject(map)) {
    out.push({ path, reason: 'FieldValueTypeInvalid', message: 'must be a map of string to string' });
    return;
  }
  let bytes = 0;
  for (const [key, value] of Object.entries(map)) {
    const at = indexPath(path, key);
    const keyProblem = qualifiedNameProblem(isLabels ? key : key.toLowerCase());
    if (keyProblem) {
      out.push({ path: at, reason: 'FieldValueInvalid', message: `Invalid value: "${key}": ${keyProblem}` });
    }
    if (typeof value !== 'string') {
      out.push({ path: at, reason: 'FieldValueTypeInvalid', message: 'must be a string' });
      continue;
    }
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    if (isLabels && (value.length > 63 || !LABEL_VALUE.test(value))) {
      out.push({
        path: at,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${value}": a label value must be empty or 1 to 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`,
      });
    }
  }
  if (!isLabels && bytes > MAX_ANNOTATIONS_BYTES) {
    out.push({
      path,
      reason: 'FieldValueTooLong',
      message: `Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes`,
    });
  }
}

function checkFinalizers(finalizers: unknown, path: string, out: SchemaViolation[]): void {
  if (finalizers === undefined || finalizers === null) return;
  if (!Array.isArray(finalizers)) {
    out.push({ path, reason: 'FieldValueTypeInvalid', message: 'must be a list of strings' });
    return;
  }
  finalizers.forEach((f, i) => {
    const problem = typeof f === 'string' ? qualifiedNameProblem(f) : 'must be a string';
    if (problem) {
      out.push({
        path: indexPath(path, i),
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(f)}: ${problem}`,
      });
    }
  });
}

function checkOwnerReferences(owners: unknown, path: string, out: SchemaViolation[]): void {
  if (owners === undefined || owners === null) return;
  if (!Array.isArray(owners)) {
    out.push({ path, reason: 'FieldValueTypeInvalid', message: 'must be a list of owner references' });
    return;
  }
  let controllers = 0;
  owners.forEach((owner, i) => {
    const at = indexPath(path, i);
    if (!isPlainObject(owner)) {
      out.push({ path: at, reason: 'FieldValueTypeInvalid', message: 'must be an object' });
      return;
    }
    for (const field of ['apiVersion', 'kind', 'name', 'uid']) {
      if (typeof owner[field] !== 'string' || owner[field] === '') {
        out.push({ path: childPath(at, field), reason: 'FieldValueRequired', message: 'Required value' });
      }
    }
    if (owner.controller === true) controllers++;
  });
  if (controllers > 1) {
    out.push({
      path,
      reason: 'FieldValueInvalid',
      message: 'Only one reference can have Controller set to true',
    });
  }
}
