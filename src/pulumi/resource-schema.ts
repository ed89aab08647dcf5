/**
 * Where the code of a dynamic resource lives in the provider process.
 *
 * The serialized provider stored in state holds only these two strings. `module` is resolved with Node's `require`
 * from the Pulumi program directory (the dynamic-provider host's working directory), so it must be a package
 * specifier that the user's project can resolve, such as `eksa-iac/pulumi/handlers`. Both strings are written into
 * every state file: treat them as a stable, public contract.
 */
export interface HandlerRef {
  /** Package specifier of a module that exports `dispatch` (see `createHandlerDispatcher`). */
  readonly module: string;
  /** Name of the handler in that module's table. */
  readonly name: string;
}

/** What the engine and our handlers must know about one input. */
export interface InputSpec {
  /**
   * The value is a credential: the resource class wraps it in `pulumi.secret`, so state stores it encrypted and the
   * engine keeps the echoed output of the same name secret; handlers never log it.
   * @default false
   */
  readonly secret?: boolean;
  /**
   * The input cannot change in place. A change replaces the resource, and this text says why; it is logged when a
   * preview or an update plans the replacement.
   * @default - changes are applied by `update`
   */
  readonly replaceReason?: string;
}

/** What the engine and our handlers must know about one output. */
export interface OutputSpec {
  /**
   * The value is a credential (a kubeconfig, a token): it is listed in `additionalSecretOutputs`, so the engine stores
   * it encrypted and programs receive a secret Output; handlers never log it.
   * @default false
   */
  readonly secret?: boolean;
}

/**
 * The shape of one dynamic resource, shared by the program side (the resource class) and the handler side (the code
 * run by the dynamic-provider host). It is plain data so that both sides can import it cheaply.
 *
 * Every input and every output must be listed: outputs that are not passed to the resource constructor do not exist
 * on the resource object, and `diff` compares exactly the listed inputs.
 */
export interface ResourceSchema<I extends object, O extends object> {
  /** Module part of the type token: `pulumi-nodejs:dynamic/eksa-iac/<module>:<type>`. */
  readonly module: string;
  /** Type part of the type token. Fixed forever: changing it needs `aliases` in users' programs. */
  readonly type: string;
  /** Where the handler code is found at run time. */
  readonly handler: HandlerRef;
  /**
   * Version of the stored state shape. Bump it when the outputs change meaning, and give the handler a `migrate`
   * that upgrades state written by every earlier version: `delete` of an old resource runs the newest installed code.
   */
  readonly version: number;
  readonly inputs: { readonly [K in keyof Required<I>]: InputSpec };
  readonly outputs: { readonly [K in keyof Required<O>]: OutputSpec };
  /**
   * Replacements delete the old resource before creating the new one (for fixed names that cannot exist twice,
   * such as a kind cluster). Users can still override it with the `deleteBeforeReplace` resource option.
   * @default false (the engine's create-before-delete)
   */
  readonly deleteBeforeReplace?: boolean;
}

/** Output key that records the state version written by the handler. Reserved: no input or output may use it. */
export const SCHEMA_VERSION_KEY = 'schemaVersion';

/** Property key the Pulumi SDK reserves for the serialized provider. */
export const PROVIDER_KEY = '__provider';

const RESERVED_KEYS = new Set([SCHEMA_VERSION_KEY, PROVIDER_KEY, 'id', 'urn']);
const TOKEN_PART = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * Checks a schema once, at module load, so that a mistake fails every test instead of one deployment, and freezes it.
 * Throws one error that lists every problem.
 */
export function defineResourceSchema<I extends object, O extends object>(
  schema: ResourceSchema<I, O>,
): ResourceSchema<I, O> {
  const problems: string[] = [];
  const where = `resource schema '${schema.module}:${schema.type}'`;
  if (!TOKEN_PART.test(schema.module)) problems.push(`module '${schema.module}' must match ${TOKEN_PART}`);
  if (!TOKEN_PART.test(schema.type)) problems.push(`type '${schema.type}' must match ${TOKEN_PART}`);
  if (!schema.handler.module) problems.push('handler.module is empty');
  if (!schema.handler.name) problems.push('handler.name is empty');
  if (!Number.isInteger(schema.version) || schema.version < 1) {
    problems.push(`version ${schema.version} must be a positive integer`);
  }
  const inputKeys = Object.keys(schema.inputs);
  const outputKeys = Object.keys(schema.outputs);
  for (const key of [...inputKeys, ...outputKeys]) {
    if (RESERVED_KEYS.has(key)) problems.push(`'${key}' is reserved and cannot be an input or output`);
  }
  for (const key of outputKeys) {
    // Inputs are echoed into outputs under their own names (so that diff can compare them); an output of the same
    // name would be overwritten, and the engine overrides such outputs when the input is undefined (pulumi#6587).
    if (inputKeys.includes(key)) {
      problems.push(`'${key}' is both an input and an output; inputs are echoed already`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid ${where}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return Object.freeze(schema);
}

/** The Pulumi type token of a dynamic resource with this schema. */
export function dynamicTypeToken(schema: Pick<ResourceSchema<object, object>, 'module' | 'type'>): string {
  return `pulumi-nodejs:dynamic/${dynamicModuleName(schema)}:${schema.type}`;
}

/** The `module` argument given to `pulumi.dynamic.Resource`. */
export function dynamicModuleName(schema: Pick<ResourceSchema<object, object>, 'module'>): string {
  return `eksa-iac/${schema.module}`;
}

/** Names of the inputs whose values are credentials. */
export function secretInputKeys(schema: ResourceSchema<object, object>): string[] {
  return Object.entries(schema.inputs as Record<string, InputSpec>)
    .filter(([, spec]) => spec.secret === true)
    .map(([key]) => key);
}

/** Names of the outputs whose values are credentials. */
export function secretOutputKeys(schema: ResourceSchema<object, object>): string[] {
  return Object.entries(schema.outputs as Record<string, OutputSpec>)
    .filter(([, spec]) => spec.secret === true)
    .map(([key]) => key);
}

/**
 * The package specifier of the library's own handler module (package.json `exports`: `./pulumi/handlers`). It is
 * written into the state of every resource the library defines, so it never changes.
 */
export const LIBRARY_HANDLERS_MODULE = 'eksa-iac/pulumi/handlers';

/** Reference to one of the library's own handlers, by its stable name. */
export function libraryHandler(name: string): HandlerRef {
  return { module: LIBRARY_HANDLERS_MODULE, name };
}
