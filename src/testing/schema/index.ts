export { CrdSet } from './crd';
export type { CustomResourceDefinition, CustomResourceDefinitionVersion, ResolvedCrdVersion } from './crd';
export { matchesFormat } from './formats';
export { formatViolation } from './json-schema';
export type { FieldErrorReason, JsonSchemaProps, SchemaViolation } from './json-schema';
export { validateObjectMeta } from './object-meta';
export { applyDefaults, findUnknownFields, pruneNonNullableNulls, validateValue } from './structural-schema';
export { checkAgainstCrd, validateAgainstCrd } from './validate-crd';
export type { CrdValidationOptions, CrdValidationResult } from './validate-crd';
