/**
 * Checks plain Kubernetes objects (StorageClass, NetworkPolicy, Namespace, ConfigMap, Deployment, DaemonSet …)
 * against the field names and types of the Kubernetes OpenAPI models that @kubernetes/client-node is generated
 * from — the built-in counterpart of validateAgainstCrd. Unknown fields and wrong types are reported with their
 * path; required fields are not (the models do not record them).
 */

type Model = { getAttributeTypeMap(): { name: string; baseName: string; type: string }[] };
type Models = Record<string, unknown>;

let models: Promise<Models> | undefined;
function loadModels(): Promise<Models> {
  // The client is ESM-only: a real dynamic import (jest runs with --experimental-vm-modules).
  models ??= import('@kubernetes/client-node') as unknown as Promise<Models>;
  return models;
}

/** Violations of an object against the model of its apiVersion and kind (`V1<Kind>` for any `<group>/v1`). */
export async function builtInViolations(object: unknown): Promise<string[]> {
  const m = await loadModels();
  const o = object as { apiVersion?: string; kind?: string };
  if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
    return ['not a Kubernetes object'];
  }
  const version = o.apiVersion.split('/').pop();
  const model = m[`${capitalize(version ?? '')}${o.kind}`] as Model | undefined;
  if (!model || typeof model.getAttributeTypeMap !== 'function') {
    return [`no built-in model for ${o.apiVersion} ${o.kind}`];
  }
  const out: string[] = [];
  check(m, object, `${capitalize(version ?? '')}${o.kind}`, '', out);
  return out;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function check(m: Models, value: unknown, type: string, path: string, out: string[]): void {
  if (value === undefined || value === null) return;
  const where = path || '(root)';
  if (type === 'string' || type === 'Date') {
    if (typeof value !== 'string') out.push(`${where}: ${JSON.stringify(value)} is not a string`);
    return;
  }
  if (type === 'boolean') {
    if (typeof value !== 'boolean') out.push(`${where}: ${JSON.stringify(value)} is not a boolean`);
    return;
  }
  if (type === 'number') {
    if (typeof value !== 'number') out.push(`${where}: ${JSON.stringify(value)} is not a number`);
    return;
  }
  if (type === 'any' || type === 'object' || type === 'IntOrString') return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) {
      out.push(`${where}: is not a list`);
      return;
    }
    value.forEach((item, i) => check(m, item, array[1], `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push(`${where}: is not a map`);
      return;
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      check(m, v, map[1], `${path}.${k}`, out);
    }
    return;
  }
  const model = m[type] as Model | undefined;
  if (!model || typeof model.getAttributeTypeMap !== 'function') return; // enums and aliases: not checked
  if (typeof value !== 'object' || Array.isArray(value)) {
    out.push(`${where}: is not an object (${type})`);
    return;
  }
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const fieldType = fields.get(k);
    const child = path ? `${path}.${k}` : k;
    if (fieldType === undefined) out.push(`${child}: unknown field of ${type}`);
    else check(m, v, fieldType, child, out);
  }
}
