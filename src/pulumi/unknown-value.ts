/**
 * The string the engine sends in place of a value that is not known yet (an output of a resource that a preview
 * has not created). Dynamic handlers see it in `check` and `diff` during `pulumi preview`; it must count as "changed"
 * and must never be validated as if it were the user's value.
 *
 * The value is part of the Pulumi wire protocol (`runtime/rpc.js: unknownValue` in @pulumi/pulumi).
 */
export const UNKNOWN_VALUE = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** True when `value` is the engine's unknown sentinel itself. */
export function isUnknownValue(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}

/** True when `value` is, or contains anywhere inside it, the engine's unknown sentinel. */
export function containsUnknownValue(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (Array.isArray(value)) return value.some(containsUnknownValue);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsUnknownValue);
  return false;
}
