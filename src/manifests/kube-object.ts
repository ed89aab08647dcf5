import { toYaml } from './yaml-writer';

/** A rendered Kubernetes object. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/**
 * Multi-document YAML of objects. Strings that a YAML 1.1 reader (as Kubernetes tools are) could take for
 * something else (`"yes"`, `"on"`, `"0644"`, `"1.30"`) are quoted, so every reader gets the data back exactly.
 */
export function toYamlDocuments(objects: readonly KubeObject[]): string {
  return objects.map((o) => toYaml(o)).join('---\n');
}
