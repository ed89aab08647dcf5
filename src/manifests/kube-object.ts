import { stringify } from 'yaml';

/** A rendered Kubernetes object. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/**
 * Multi-document YAML of objects. Written with YAML 1.1 quoting, as Kubernetes reads manifests: strings such as
 * `"yes"`, `"on"` or `"0644"` stay strings for every reader.
 */
export function toYamlDocuments(objects: readonly KubeObject[]): string {
  return objects
    .map((o) => stringify(o, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
