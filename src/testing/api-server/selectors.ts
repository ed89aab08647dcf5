import { ResourceType } from './resource-types';
import { errors } from './status';
import { StoredObject } from './store';
import { LabelRequirement, matchesLabelSelector, parseLabelSelector } from '../../kube/label-selector';

export interface FieldRequirement {
  readonly field: string;
  readonly value: string;
  readonly negate: boolean;
}

/** Fields each built-in kind can be selected by, besides metadata.name and metadata.namespace (as real servers). */
const EXTRA_FIELDS: Record<string, readonly string[]> = {
  '/secrets': ['type'],
  '/events': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  '/pods': [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
  ],
  '/nodes': ['spec.unschedulable'],
  '/namespaces': ['status.phase'],
};

/** Parses `metadata.name=x,metadata.namespace!=y`; unsupported fields answer 400 BadRequest as on a real server. */
export function parseFieldSelector(text: string, type: ResourceType): FieldRequirement[] {
  const allowed = new Set([
    'metadata.name',
    'metadata.namespace',
    ...(EXTRA_FIELDS[`${type.group}/${type.plural}`] ?? []),
  ]);
  const out: FieldRequirement[] = [];
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(trimmed);
    if (!m) {
      throw errors.badRequest(
        `invalid field selector "${text}": "${trimmed}" is not field=value or field!=value`,
      );
    }
    const field = m[1].trim();
    if (!allowed.has(field)) {
      throw errors.badRequest(`field label not supported: ${field}`);
    }
    out.push({ field, value: m[3].trim(), negate: m[2] === '!=' });
  }
  return out;
}

export function matchesFieldSelector(
  requirements: readonly FieldRequirement[],
  object: StoredObject,
): boolean {
  return requirements.every((r) => {
    let node: unknown = object;
    for (const segment of r.field.split('.')) node = (node as Record<string, unknown> | undefined)?.[segment];
    const value = node === undefined || node === null ? '' : String(node);
    return r.negate ? value !== r.value : value === r.value;
  });
}

/** A label selector from a query string; a malformed one answers 400 BadRequest. */
export function parseLabelQuery(text: string): LabelRequirement[] {
  try {
    return parseLabelSelector(text);
  } catch (error) {
    throw errors.badRequest((error as Error).message);
  }
}

export interface ObjectFilter {
  readonly labels: readonly LabelRequirement[];
  readonly fields: readonly FieldRequirement[];
}

export function matchesFilter(filter: ObjectFilter, object: StoredObject): boolean {
  return (
    matchesLabelSelector(filter.labels, object.metadata?.labels) &&
    matchesFieldSelector(filter.fields, object)
  );
}
