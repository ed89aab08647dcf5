/**
 * The subset of OpenAPI v3 schema that Kubernetes structural schemas (CRD `openAPIV3Schema`) use, with the
 * Kubernetes vendor extensions. Field names follow `apiextensions.k8s.io/v1` JSONSchemaProps.
 */
export interface JsonSchemaProps {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly format?: string;
  readonly nullable?: boolean;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];

  readonly properties?: Readonly<Record<string, JsonSchemaProps>>;
  /** Structural schemas allow a schema (map values) or `true`; `false` is not allowed next to properties. */
  readonly additionalProperties?: JsonSchemaProps | boolean;
  readonly required?: readonly string[];
  readonly minProperties?: number;
  readonly maxProperties?: number;

  readonly items?: JsonSchemaProps;
  readonly minItems?: number;
  readonly maxItems?: number;

  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;

  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;

  readonly allOf?: readonly JsonSchemaProps[];
  readonly anyOf?: readonly JsonSchemaProps[];
  readonly oneOf?: readonly JsonSchemaProps[];
  readonly not?: JsonSchemaProps;

  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** CEL rules. Not evaluated by this validator (see README). */
  readonly 'x-kubernetes-validations'?: readonly { readonly rule: string; readonly message?: string }[];
}

/** Field error reasons, as Kubernetes reports them in `Status.details.causes[].reason`. */
export type FieldErrorReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  /** Not a Kubernetes reason: a field the schema does not declare (a Strict server rejects it, others prune it). */
  | 'FieldValueUnknown';

/** One way an object fails its schema. */
export interface SchemaViolation {
  /** Field path as Kubernetes writes it: `spec.template.spec.foo`, `spec.items[0]`, `metadata.labels[app]`. */
  readonly path: string;
  readonly reason: FieldErrorReason;
  /** What is wrong, without the path. */
  readonly message: string;
}

/** `path: message`, the way `kubectl` prints a field error. */
export function formatViolation(violation: SchemaViolation): string {
  return `${violation.path}: ${violation.message}`;
}

/** Appends a property name to a field path. */
export function childPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** Appends an array index or map key to a field path. */
export function indexPath(path: string, index: number | string): string {
  return `${path}[${index}]`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted, so equal values give equal strings (enum and set comparisons). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function deepCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
