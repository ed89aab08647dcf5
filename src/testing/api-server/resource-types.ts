import { CustomResourceDefinition, CustomResourceDefinitionVersion } from '../schema/crd';
import { JsonSchemaProps } from '../schema/json-schema';

/** One served version of a resource type. */
export interface ResourceVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  /** Structural schema (custom resources); built-in kinds have none and accept any fields. */
  readonly schema?: JsonSchemaProps;
}

/** A kind the simulated server serves: a built-in one or one defined by a CRD. */
export interface ResourceType {
  readonly group: string;
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly namespaced: boolean;
  readonly versions: readonly ResourceVersion[];
  /** `status` is a subresource: the main resource ignores status changes and vice versa. */
  readonly statusSubresource: boolean;
  /** `metadata.generation` is tracked and bumped when anything but metadata and status changes. */
  readonly tracksGeneration: boolean;
  /** Defined by a CRD (custom resources require resourceVersion on update, as real servers do). */
  readonly custom: boolean;
  /** The CRD's name, for custom resources. */
  readonly crdName?: string;
}

/** `group/plural`: where objects of a type are stored, whatever version they are read through. */
export function storageKey(type: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${type.group}/${type.plural}`;
}

export function storageVersion(type: ResourceType): ResourceVersion {
  return type.versions.find((v) => v.storage) ?? type.versions[0];
}

interface BuiltinSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  status?: boolean;
  generation?: boolean;
  shortNames?: string[];
}

const BUILTINS: BuiltinSpec[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    status: true,
    shortNames: ['ns'],
  },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] },
  {
    group: '',
    version: 'v1',
    kind: 'Node',
    plural: 'nodes',
    namespaced: false,
    status: true,
    shortNames: ['no'],
  },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'] },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    status: true,
    shortNames: ['po'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    status: true,
    shortNames: ['svc'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    status: true,
    generation: true,
    shortNames: ['deploy'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    namespaced: true,
    status: true,
    generation: true,
    shortNames: ['ds'],
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    kind: 'StorageClass',
    plural: 'storageclasses',
    namespaced: false,
    shortNames: ['sc'],
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
  },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    status: true,
    generation: true,
    shortNames: ['crd', 'crds'],
  },
];

/** A built-in type from its facts (extra built-ins can be registered with the same shape). */
export function builtinType(spec: BuiltinSpec): ResourceType {
  return {
    group: spec.group,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    plural: spec.plural,
    singular: spec.kind.toLowerCase(),
    shortNames: spec.shortNames ?? [],
    categories: [],
    namespaced: spec.namespaced,
    versions: [{ name: spec.version, served: true, storage: true }],
    statusSubresource: spec.status ?? false,
    tracksGeneration: spec.generation ?? false,
    custom: false,
  };
}

export type { BuiltinSpec };

/** The built-in kinds a fresh simulated server serves. */
export function builtinTypes(): ResourceType[] {
  return BUILTINS.map(builtinType);
}

/** The resource type a CRD defines. */
export function typeFromCrd(crd: CustomResourceDefinition): ResourceType {
  const names = crd.spec.names;
  const versions = crd.spec.versions.map((v: CustomResourceDefinitionVersion) => ({
    name: v.name,
    served: v.served,
    storage: v.storage,
    schema: v.schema?.openAPIV3Schema,
  }));
  return {
    group: crd.spec.group,
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    namespaced: crd.spec.scope === 'Namespaced',
    versions,
    // Kubernetes allows subresources per version; the simulator uses the storage version's setting for all.
    statusSubresource:
      (crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0])?.subresources?.status !== undefined,
    tracksGeneration: true,
    custom: true,
    crdName: crd.metadata.name,
  };
}

/**
 * Kubernetes' version ordering: GA before beta before alpha, higher numbers first, then other names
 * alphabetically (`v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > foo`). Negative when `a` sorts before `b`.
 */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0, v];
    const stability = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stability, -Number(m[1]), -Number(m[3] ?? 0), v];
  };
  const [sa, ma, na, ta] = parse(a);
  const [sb, mb, nb, tb] = parse(b);
  return sa - sb || ma - mb || na - nb || ta.localeCompare(tb);
}
