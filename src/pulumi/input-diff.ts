import { DiffOutcome } from './resource-handler';
import { InputSpec, ResourceSchema } from './resource-schema';
import { containsUnknownValue } from './unknown-value';

/** One input that must be replaced, and why. */
export interface Replacement {
  readonly input: string;
  readonly reason: string;
  /** The new value is not known yet (preview): the replacement is possible, not certain. */
  readonly unknown: boolean;
}

/** How declared inputs differ between the stored outputs (which echo the inputs) and the new inputs. */
export interface InputDiff {
  /** Inputs whose value changed, or whose new value is not known yet. */
  readonly changed: readonly string[];
  /** Of those, inputs that are not known yet (a preview with values from resources not created yet). */
  readonly unknown: readonly string[];
  /** Changed inputs that cannot change in place. */
  readonly replacements: readonly Replacement[];
}

/**
 * Compares the declared inputs of `schema`. `olds` are the stored *outputs*: the dynamic-provider host passes
 * outputs, not inputs, to `diff` (research/pulumi-peers.md §1.1), and our dispatcher echoes every declared input into
 * the outputs for this reason. The serialized provider (`__provider`) is deliberately not compared: the shim's text
 * does not change when the library is upgraded, so an upgrade alone never shows as a change.
 */
export function diffInputs<I extends object, O extends object>(
  schema: ResourceSchema<I, O>,
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
): InputDiff {
  const changed: string[] = [];
  const unknown: string[] = [];
  const replacements: Replacement[] = [];
  for (const [key, spec] of Object.entries(schema.inputs as Record<string, InputSpec>)) {
    const isUnknown = containsUnknownValue(news[key]);
    if (!isUnknown && deepEqual(olds[key], news[key])) continue;
    changed.push(key);
    if (isUnknown) unknown.push(key);
    if (spec.replaceReason !== undefined) {
      replacements.push({ input: key, reason: spec.replaceReason, unknown: isUnknown });
    }
  }
  return { changed, unknown, replacements };
}

/** The engine-facing result of an input diff. */
export function toDiffOutcome(schema: ResourceSchema<object, object>, diff: InputDiff): DiffOutcome {
  const replaces = diff.replacements.map((r) => r.input);
  return {
    changes: diff.changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && schema.deleteBeforeReplace === true,
  };
}

/** Human lines for a planned replacement, e.g. `replace: 'name' changed (the name is the widget's identity)`. */
export function describeReplacements(diff: InputDiff): string[] {
  return diff.replacements.map((r) =>
    r.unknown
      ? `replace: '${r.input}' is not known until apply and may change: ${r.reason}`
      : `replace: '${r.input}' changed: ${r.reason}`,
  );
}

/** Structural equality of JSON values; `undefined` and a missing key are equal, as they are on the wire. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, i) => deepEqual(value, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) if (!deepEqual(ra[key], rb[key])) return false;
  return true;
}
