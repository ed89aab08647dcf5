// The simulated site (package subpath `eksa-iac/testing`): test fixtures and aids, never a code path of a real run.
export {
  CrdSet,
  applyDefaults,
  checkAgainstCrd,
  findUnknownFields,
  formatViolation,
  matchesFormat,
  pruneNonNullableNulls,
  validateAgainstCrd,
  validateObjectMeta,
  validateValue,
} from './schema';
export type {
  CrdValidationOptions,
  CrdValidationResult,
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
  FieldErrorReason,
  JsonSchemaProps,
  ResolvedCrdVersion,
  SchemaViolation,
} from './schema';
