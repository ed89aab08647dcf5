import { JsonSchemaProps } from './json-schema';
import { splitApiVersion } from '../../kube/api-version';

/** The parts of an `apiextensions.k8s.io/v1` CustomResourceDefinition that serving and validation need. */
export interface CustomResourceDefinition {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly [field: string]: unknown };
  readonly spec: {
    readonly group: string;
    readonly names: {
      readonly kind: string;
      readonly plural: string;
      readonly singular?: string;
      readonly listKind?: string;
      readonly shortNames?: readonly string[];
      readonly categories?: readonly string[];
    };
    readonly scope: 'Namespaced' | 'Cluster';
    readonly versions: readonly CustomResourceDefinitionVersion[];
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

export interface CustomResourceDefinitionVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated?: boolean;
  readonly schema?: { readonly openAPIV3Schema?: JsonSchemaProps };
  readonly subresources?: { readonly status?: object; readonly scale?: object };
}

/** A served version of a CRD, resolved for one apiVersion and kind. */
export interface ResolvedCrdVersion {
  readonly crd: CustomResourceDefinition;
  readonly version: CustomResourceDefinitionVersion;
  readonly schema: JsonSchemaProps | undefined;
  readonly namespaced: boolean;
}

/** Looks CRDs up by apiVersion and kind. */
export class CrdSet {
  private readonly byGroupKind = new Map<string, CustomResourceDefinition>();

  public constructor(crds: Iterable<CustomResourceDefinition>) {
    for (const crd of crds) this.add(crd);
  }

  public add(crd: CustomResourceDefinition): void {
    this.byGroupKind.set(`${crd.spec.group}/${crd.spec.names.kind}`, crd);
  }

  public get size(): number {
    return this.byGroupKind.size;
  }

  /** The CRD serving `kind` in `apiVersion`'s group, whether or not that version is served. */
  public crdFor(apiVersion: string, kind: string): CustomResourceDefinition | undefined {
    return this.byGroupKind.get(`${splitApiVersion(apiVersion).group}/${kind}`);
  }

  /** The served version for apiVersion and kind, or undefined. */
  public resolve(apiVersion: string, kind: string): ResolvedCrdVersion | undefined {
    const crd = this.crdFor(apiVersion, kind);
    if (!crd) return undefined;
    const { version } = splitApiVersion(apiVersion);
    const served = crd.spec.versions.find((v) => v.name === version && v.served);
    if (!served) return undefined;
    return {
      crd,
      version: served,
      schema: served.schema?.openAPIV3Schema,
      namespaced: crd.spec.scope === 'Namespaced',
    };
  }
}
