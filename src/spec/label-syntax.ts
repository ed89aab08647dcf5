// Kubernetes label and taint syntax (apimachinery's qualified names and label values).
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What is wrong with a label key (`[prefix/]name`), or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'may contain at most one "/"';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (!prefix) return 'has an empty prefix before "/"';
    if (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
      return 'has a prefix that is not a lowercase DNS subdomain';
    }
  }
  if (!name) return 'has an empty name';
  if (name.length > 63) return 'has a name longer than 63 characters';
  if (!NAME.test(name)) {
    return 'has a name that does not start and end with a letter or digit, or uses characters other than letters, digits, "-", "_" and "."';
  }
  return undefined;
}

/** What is wrong with a label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'is longer than 63 characters';
  if (!NAME.test(value)) {
    return 'must start and end with a letter or digit and use only letters, digits, "-", "_" and "."';
  }
  return undefined;
}

/** Taint effects Kubernetes knows. */
export const TAINT_EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
