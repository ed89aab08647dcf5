import { stringify } from 'yaml';

/**
 * A Kubernetes object as the workflow applies it (server-side apply of plain JSON). Structurally the same as the
 * `KubeObject` of the cluster synthesis, so either can be passed where the other is expected.
 */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

/** Identifies one object for a get, patch or delete. */
export interface ObjectReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for cluster-scoped kinds. */
  readonly namespace?: string;
}

/**
 * Multi-document YAML of objects, each document starting with `---`. YAML 1.1 quoting keeps strings such as
 * `"true"` or `"0644"` strings for every reader, as Kubernetes reads manifests.
 */
export function manifestYaml(objects: readonly ManifestObject[]): string {
  return objects
    .map((o) => `---\n${stringify(o, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false })}`)
    .join('');
}

/** The reference of an object. */
export function referenceOf(object: ManifestObject): ObjectReference {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  };
}
