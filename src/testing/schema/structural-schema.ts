import { isCheckedFormat, matchesFormat } from './formats';
import {
  JsonSchemaProps,
  SchemaViolation,
  canonicalJson,
  childPath,
  deepCopy,
  indexPath,
  isPlainObject,
} from './json-schema';
import { OBJECT_META_FIELDS, validateObjectMeta } from './object-meta';

/**
 * The steps the API server runs on a custom resource before storing it, in its order: nulls of non-nullable fields
 * are dropped, defaults are filled in, unknown fields are found (pruned or rejected), then values are validated.
 * Each step is a pure walk over the value and the structural schema.
 */

/**
 * Removes `null` values of object fields whose schema is not `nullable` and has no default, as the API server
 * does before defaulting. Mutates `value`.
 */
export function pruneNonNullableNulls(value: unknown, schema: JsonSchemaProps | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) pruneNonNullableNulls(item, schema.items);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childSchema = propertySchema(schema, key);
    if (childSchema === undefined) continue;
    if (child === null) {
      if (!childSchema.nullable && childSchema.default === undefined) delete value[key];
    } else {
      pruneNonNullableNulls(child, childSchema);
    }
  }
}

/** Fills in `default`s of absent (or non-nullable null) fields, at every depth. Mutates `value`. */
export function applyDefaults(value: unknown, schema: JsonSchemaProps | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(item, schema.items);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, propSchema] of Object.entries(schema.properties ?? {})) {
    const missing = !(key in value) || (value[key] === null && !propSchema.nullable);
    if (missing && propSchema.default !== undefined) value[key] = deepCopy(propSchema.default);
  }
  for (const [key, child] of Object.entries(value)) applyDefaults(child, propertySchema(schema, key));
}

export interface UnknownFieldOptions {
  /** Delete the unknown fields from `value` (pruning) as well as reporting them. @default false */
  readonly remove?: boolean;
  /** `value` is an object root (its `metadata` is ObjectMeta). @default true */
  readonly root?: boolean;
}

/**
 * Finds fields the schema does not declare: not in `properties`, no `additionalProperties` schema, and no
 * `x-kubernetes-preserve-unknown-fields` on the way. `metadata` of the root and of embedded resources is checked
 * against ObjectMeta.
 */
export function findUnknownFields(
  value: unknown,
  schema: JsonSchemaProps,
  path = '',
  options: UnknownFieldOptions = {},
): string[] {
  const out: string[] = [];
  walkUnknown(value, schema, path, options.root ?? true, options.remove ?? false, out);
  return out;
}

function walkUnknown(
  value: unknown,
  schema: JsonSchemaProps,
  path: string,
  isResource: boolean,
  remove: boolean,
  out: string[],
): void {
  if (Array.isArray(value)) {
    if (schema.items) {
      value.forEach((item, i) => walkUnknown(item, schema.items!, indexPath(path, i), false, remove, out));
    }
    return;
  }
  if (!isPlainObject(value)) return;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const resource = isResource || schema['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    const isMapEntry = !schema.properties?.[key] && isPlainObject(schema.additionalProperties);
    const at = isMapEntry ? indexPath(path, key) : childPath(path, key);
    if (resource && key === 'metadata' && isPlainObject(value.metadata)) {
      walkMetadata(value.metadata, schema.properties?.metadata, at, remove, out);
      continue;
    }
    if (resource && (key === 'apiVersion' || key === 'kind') && !schema.properties?.[key]) continue;
    const childSchema = propertySchema(schema, key);
    if (childSchema === undefined) {
      if (preserve || schema.additionalProperties === true) continue;
      out.push(at);
      if (remove) delete value[key];
      continue;
    }
    walkUnknown(value[key], childSchema, at, false, remove, out);
  }
}

/** ObjectMeta keeps its own fields; a schema for `metadata` (CRDs may restrict name) does not add any. */
function walkMetadata(
  meta: Record<string, unknown>,
  _schema: JsonSchemaProps | undefined,
  path: string,
  remove: boolean,
  out: string[],
): void {
  for (const key of Object.keys(meta)) {
    if (OBJECT_META_FIELDS.has(key)) continue;
    out.push(childPath(path, key));
    if (remove) delete meta[key];
  }
}

/** Schema of field `key` of an object with schema `schema`, or undefined if the schema does not declare it. */
function propertySchema(schema: JsonSchemaProps, key: string): JsonSchemaProps | undefined {
  const declared = schema.properties?.[key];
  if (declared) return declared;
  if (isPlainObject(schema.additionalProperties)) return schema.additionalProperties as JsonSchemaProps;
  return undefined;
}

export interface ValueValidationOptions {
  /** `value` is an object root: its `metadata` is validated as ObjectMeta. @default true */
  readonly root?: boolean;
  /** Passed to the ObjectMeta checks of the root. */
  readonly namespaced?: boolean;
}

/**
 * Validates `value` against the value validations of a structural schema: types, nullable, enum, formats,
 * patterns, lengths, bounds, required, list types (set and map uniqueness), anyOf / allOf / oneOf / not, int-or-string
 * and embedded resources. Unknown fields are not reported here (see findUnknownFields). CEL rules
 * (`x-kubernetes-validations`) are not evaluated.
 */
export function validateValue(
  value: unknown,
  schema: JsonSchemaProps,
  path = '',
  options: ValueValidationOptions = {},
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  check(value, schema, path, out);
  if (options.root ?? true) {
    if (isPlainObject(value)) {
      out.push(
        ...validateObjectMeta(value.metadata, childPath(path, 'metadata'), {
          namespaced: options.namespaced,
        }).filter(notUnknown),
      );
    }
  }
  return out;
}

function notUnknown(v: SchemaViolation): boolean {
  return v.reason !== 'FieldValueUnknown';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function typeMatches(type: JsonSchemaProps['type'], value: unknown): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

function check(value: unknown, schema: JsonSchemaProps, path: string, out: SchemaViolation[]): void {
  if (value === null) {
    if (schema.nullable || (schema.type === undefined && !schema['x-kubernetes-int-or-string'])) return;
    const expected = schema['x-kubernetes-int-or-string'] ? 'integer or string' : schema.type;
    out.push({
      path,
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: "null": must be of type ${expected}`,
    });
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      out.push({
        path,
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: ${show(value)}: must be of type integer or string, got ${describe(value)}`,
      });
      return;
    }
  } else if (!typeMatches(schema.type, value)) {
    out.push({
      path,
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: ${show(value)}: must be of type ${schema.type}, got ${describe(value)}`,
    });
    return;
  }

  if (schema.enum && !schema.enum.some((allowed) => canonicalJson(allowed) === canonicalJson(value))) {
    out.push({
      path,
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${show(value)}: supported values: ${schema.enum.map(show).join(', ')}`,
    });
  }

  if (typeof value === 'string') checkString(value, schema, path, out);
  else if (typeof value === 'number') checkNumber(value, schema, path, out);
  else if (Array.isArray(value)) checkArray(value, schema, path, out);
  else if (isPlainObject(value)) checkObject(value, schema, path, out);

  checkCombinators(value, schema, path, out);
}

function checkString(value: string, schema: JsonSchemaProps, path: string, out: SchemaViolation[]): void {
  // Go counts runes (code points), not UTF-16 units.
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    out.push({
      path,
      reason: 'FieldValueTooLong',
      message: `Too long: may not be more than ${schema.maxLength} characters (got ${length})`,
    });
  }
  if (schema.minLength !== undefined && length < schema.minLength) {
    out.push({
      path,
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${show(value)}: should be at least ${schema.minLength} characters long`,
    });
  }
  if (schema.pattern !== undefined && !compilePattern(schema.pattern).test(value)) {
    out.push({
      path,
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${show(value)}: should match '${schema.pattern}'`,
    });
  }
  if (schema.format !== undefined && isCheckedFormat(schema.format) && !matchesFormat(schema.format, value)) {
    out.push({
      path,
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${show(value)}: must be of format ${schema.format}`,
    });
  }
}

const patternCache = new Map<string, RegExp>();
function compilePattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    patternCache.set(pattern, re);
  }
  return re;
}

function checkNumber(value: number, schema: JsonSchemaProps, path: string, out: SchemaViolation[]): void {
  if (schema.minimum !== undefined) {
    const ok = schema.exclusiveMinimum ? value > schema.minimum : value >= schema.minimum;
    if (!ok) {
      const relation = schema.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      out.push({
        path,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${value}: should be ${relation} ${schema.minimum}`,
      });
    }
  }
  if (schema.maximum !== undefined) {
    const ok = schema.exclusiveMaximum ? value < schema.maximum : value <= schema.maximum;
    if (!ok) {
      const relation = schema.exclusiveMaximum ? 'less than' : 'less than or equal to';
      out.push({
        path,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${value}: should be ${relation} ${schema.maximum}`,
      });
    }
  }
  if (schema.multipleOf !== undefined && schema.multipleOf > 0) {
    const quotient = value / schema.multipleOf;
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9) {
      out.push({
        path,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${value}: should be a multiple of ${schema.multipleOf}`,
      });
    }
  }
}

function checkArray(value: unknown[], schema: JsonSchemaProps, path: string, out: SchemaViolation[]): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    out.push({
      path,
      reason: 'FieldValueTooMany',
      message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
    });
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    out.push({
      path,
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${value.length} items: should have at least ${schema.minItems} items`,
    });
  }
  if (schema.items) value.forEach((item, i) => check(item, schema.items!, indexPath(path, i), out));

  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') {
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const key = canonicalJson(item);
      if (seen.has(key)) {
        out.push({
          path: indexPath(path, i),
          reason: 'FieldValueDuplicate',
          message: `Duplicate value: ${show(item)}`,
        });
      }
      seen.add(key);
    });
  } else if (listType === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    value.forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const key = canonicalJson(keys.map((k) => item[k] ?? schema.items?.properties?.[k]?.default ?? null));
      if (seen.has(key)) {
        const shown = Object.fromEntries(keys.map((k) => [k, item[k]]));
        out.push({
          path: indexPath(path, i),
          reason: 'FieldValueDuplicate',
          message: `Duplicate value: ${show(shown)}`,
        });
      }
      seen.add(key);
    });
  }
}

function checkObject(
  value: Record<string, unknown>,
  schema: JsonSchemaProps,
  path: string,
  out: SchemaViolation[],
): void {
  for (const name of schema.required ?? []) {
    if (!(name in value) || value[name] === undefined) {
      out.push({ path: childPath(path, name), reason: 'FieldValueRequired', message: 'Required value' });
    }
  }
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    out.push({
      path,
      reason: 'FieldValueTooMany',
      message: `Too many: ${count}: must have at most ${schema.maxProperties} properties`,
    });
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    out.push({
      path,
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${count} properties: should have at least ${schema.minProperties} properties`,
    });
  }
  for (const [key, child] of Object.entries(value)) {
    const declared = schema.properties?.[key];
    if (declared) {
      check(child, declared, childPath(path, key), out);
    } else if (isPlainObject(schema.additionalProperties)) {
      check(child, schema.additionalProperties as JsonSchemaProps, indexPath(path, key), out);
    }
  }
  if (schema['x-kubernetes-embedded-resource']) {
    for (const field of ['apiVersion', 'kind']) {
      if (typeof value[field] !== 'string' || value[field] === '') {
        out.push({
          path: childPath(path, field),
          reason: 'FieldValueRequired',
          message: 'must not be empty',
        });
      }
    }
    if (value.metadata !== undefined) {
      out.push(
        ...validateObjectMeta(value.metadata, childPath(path, 'metadata'), { nameOptional: true }).filter(
          notUnknown,
        ),
      );
    }
  }
}

/** Value validations in combinators; they validate the same value and never add fields. */
function checkCombinators(
  value: unknown,
  schema: JsonSchemaProps,
  path: string,
  out: SchemaViolation[],
): void {
  for (const sub of schema.allOf ?? []) check(value, sub, path, out);
  if (schema.anyOf && schema.anyOf.length > 0) {
    const passing = schema.anyOf.filter((sub) => violationsOf(value, sub, path).length === 0);
    if (passing.length === 0) {
      out.push({
        path,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: must validate at least one schema (anyOf)`,
      });
    }
  }
  if (schema.oneOf && schema.oneOf.length > 0) {
    const passing = schema.oneOf.filter((sub) => violationsOf(value, sub, path).length === 0).length;
    if (passing !== 1) {
      out.push({
        path,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: must validate one and only one schema (oneOf), ${passing} matched`,
      });
    }
  }
  if (schema.not && violationsOf(value, schema.not, path).length === 0) {
    out.push({
      path,
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${show(value)}: must not validate the schema (not)`,
    });
  }
}

function violationsOf(value: unknown, schema: JsonSchemaProps, path: string): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  check(value, schema, path, out);
  return out;
}
