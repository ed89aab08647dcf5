/** A label selector as Kubernetes objects carry it (`spec.selector` of a Deployment or MachineDeployment). */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

/** One parsed requirement of a selector string. */
export type LabelRequirement =
  | { readonly key: string; readonly op: 'exists' | 'notExists' }
  | { readonly key: string; readonly op: 'in' | 'notIn'; readonly values: readonly string[] };

/** Renders a LabelSelector as the `labelSelector` query string Kubernetes accepts. */
export function formatLabelSelector(selector: LabelSelector): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    parts.push(`${key}=${value}`);
  }
  for (const expr of selector.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort();
    switch (expr.operator) {
      case 'In':
        parts.push(`${expr.key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${expr.key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        parts.push(expr.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${expr.key}`);
        break;
    }
  }
  return parts.join(',');
}

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Parses a selector string (`app=web,tier in (a,b),!legacy`). Throws an Error naming the offending part when the
 * string is not a valid selector.
 */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const out: LabelRequirement[] = [];
  for (const raw of splitTopLevel(text)) {
    const part = raw.trim();
    if (part === '') {
      if (text.trim() === '') continue;
      throw new Error(`invalid label selector "${text}": empty requirement`);
    }
    out.push(parseRequirement(part, text));
  }
  return out;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseRequirement(part: string, whole: string): LabelRequirement {
  const fail = (why: string): never => {
    throw new Error(`invalid label selector "${whole}": ${why} in "${part}"`);
  };
  const checkKey = (key: string): string =>
    KEY.test(key) && key.length <= 316 ? key : fail(`invalid key "${key}"`);
  const checkValue = (value: string): string =>
    VALUE.test(value) && value.length <= 63 ? value : fail(`invalid value "${value}"`);

  if (part.startsWith('!')) return { key: checkKey(part.slice(1).trim()), op: 'notExists' };
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set) {
    const values = set[3].split(',').map((v) => checkValue(v.trim()));
    return { key: checkKey(set[1]), op: set[2] === 'in' ? 'in' : 'notIn', values };
  }
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
  if (eq) {
    const value = checkValue(eq[3].trim());
    return { key: checkKey(eq[1]), op: eq[2] === '!=' ? 'notIn' : 'in', values: [value] };
  }
  if (/^\S+$/.test(part)) return { key: checkKey(part), op: 'exists' };
  return fail('unrecognised requirement');
}

/** True when `labels` satisfy every requirement. */
export function matchesLabelSelector(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const have = labels ?? {};
  return requirements.every((r) => {
    const present = Object.prototype.hasOwnProperty.call(have, r.key);
    switch (r.op) {
      case 'exists':
        return present;
      case 'notExists':
        return !present;
      case 'in':
        return present && r.values.includes(have[r.key]);
      case 'notIn':
        return !present || !r.values.includes(have[r.key]);
    }
  });
}
