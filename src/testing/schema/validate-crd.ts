import { CrdSet, CustomResourceDefinition } from './crd';
import { SchemaViolation, deepCopy, isPlainObject } from './json-schema';
import { applyDefaults, findUnknownFields, pruneNonNullableNulls, validateValue } from './structural-schema';
import { GENERATED_CRDS } from '../generated/crds';

export interface CrdValidationOptions {
  /**
   * What to do with `null` in fields that are not `nullable`. The API server silently drops them (`prune`);
   * `report` lists them, since a null in a synthesized manifest is nearly always a mistake. @default "report"
   */
  readonly nulls?: 'report' | 'prune';
  /** Report fields the schema does not declare (a Strict server rejects them). @default true */
  readonly unknownFields?: boolean;
}

/** The outcome of running an object through its CRD the way the API server does. */
export interface CrdValidationResult {
  /** The object after pruning and defaulting (what the server would store), when a CRD was found. */
  readonly object?: Record<string, unknown>;
  readonly violations: SchemaViolation[];
  /** Fields the schema does not declare (also listed in `violations` when `unknownFields` is on). */
  readonly unknownFields: string[];
}

const setCache = new WeakMap<readonly CustomResourceDefinition[], CrdSet>();

function crdSetOf(crds: readonly CustomResourceDefinition[] | CrdSet): CrdSet {
  if (crds instanceof CrdSet) return crds;
  let set = setCache.get(crds);
  if (!set) {
    set = new CrdSet(crds);
    setCache.set(crds, set);
  }
  return set;
}

/**
 * Validates a custom resource against the structural schema of its CRD, as the API server would before storing
 * it: defaults are applied first, then unknown fields and value validations are reported, each with its field
 * path. CEL rules (`x-kubernetes-validations`) are not evaluated. Returns no violations when the object is valid.
 *
 * @param crds the CRDs to look the kind up in. @default GENERATED_CRDS (the schema set of the simulated site)
 */
export function validateAgainstCrd(
  object: unknown,
  crds:
    readonly CustomResourceDefinition[] | CrdSet = GENERATED_CRDS as unknown as CustomResourceDefinition[],
  options: CrdValidationOptions = {},
): SchemaViolation[] {
  return checkAgainstCrd(object, crds, options).violations;
}

/** Like validateAgainstCrd, and also returns the pruned and defaulted object. */
export function checkAgainstCrd(
  object: unknown,
  crds:
    readonly CustomResourceDefinition[] | CrdSet = GENERATED_CRDS as unknown as CustomResourceDefinition[],
  options: CrdValidationOptions = {},
): CrdValidationResult {
  if (!isPlainObject(object)) {
    return {
      violations: [
        { path: '', reason: 'FieldValueTypeInvalid', message: 'a Kubernetes object must be a JSON object' },
      ],
      unknownFields: [],
    };
  }
  const { apiVersion, kind } = object;
  const violations: SchemaViolation[] = [];
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    violations.push({ path: 'apiVersion', reason: 'FieldValueRequired', message: 'Required value' });
  }
  if (typeof kind !== 'string' || kind === '') {
    violations.push({ path: 'kind', reason: 'FieldValueRequired', message: 'Required value' });
  }
  if (violations.length > 0) return { violations, unknownFields: [] };

  const set = crdSetOf(crds);
  const resolved = set.resolve(apiVersion as string, kind as string);
  if (!resolved) {
    const crd = set.crdFor(apiVersion as string, kind as string);
    const message = crd
      ? `Unsupported value: "${String(apiVersion)}": CRD ${crd.metadata.name} serves ${crd.spec.versions
          .filter((v) => v.served)
          .map((v) => `${crd.spec.group}/${v.name}`)
          .join(', ')}`
      : `no CustomResourceDefinition defines kind ${String(kind)} in ${String(apiVersion)}`;
    return {
      violations: [{ path: crd ? 'apiVersion' : 'kind', reason: 'FieldValueNotSupported', message }],
      unknownFields: [],
    };
  }

  const copy = deepCopy(object);
  const schema = resolved.schema ?? { type: 'object' as const, 'x-kubernetes-preserve-unknown-fields': true };
  if (options.nulls === 'prune') pruneNonNullableNulls(copy, schema);
  applyDefaults(copy, schema);
  const unknownFields = findUnknownFields(copy, schema, '', { remove: true });
  if (options.unknownFields ?? true) {
    for (const path of unknownFields) {
      violations.push({ path, reason: 'FieldValueUnknown', message: `unknown field "${path}"` });
    }
  }
  violations.push(...validateValue(copy, schema, '', { namespaced: resolved.namespaced }));
  return { object: copy, violations, unknownFields };
}
