import * as pulumi from '@pulumi/pulumi';
import { providerShim } from './provider-shim';
import {
  dynamicModuleName,
  InputSpec,
  ResourceSchema,
  SCHEMA_VERSION_KEY,
  secretInputKeys,
  secretOutputKeys,
} from './resource-schema';

/** Constructor arguments of a resource with inputs `I`: each input may be a plain value or an Output. */
export type ResourceArgs<I> = { readonly [K in keyof I]: pulumi.Input<I[K]> };

/**
 * Base class of our dynamic resources. It fills in everything the engine contract needs from the schema:
 * - the provider is the thin shim for `schema.handler` (nothing else is serialized);
 * - the type token `pulumi-nodejs:dynamic/eksa-iac/<module>:<type>`;
 * - every output is passed as `undefined`, or it would not exist on the resource object;
 * - secret inputs are wrapped in `pulumi.secret`, and secret outputs are added to `additionalSecretOutputs`.
 *
 * Subclasses declare outputs with `declare`, never as plain fields: with ES2022 class fields a plain
 * `readonly x!: Output<T>` is re-initialised to `undefined` after this constructor has set it.
 *
 * ```ts
 * export class Widget extends EksaDynamicResource<WidgetInputs, WidgetOutputs> {
 *   declare public readonly kubeconfig: pulumi.Output<string>;
 *   constructor(name: string, args: ResourceArgs<WidgetInputs>, opts?: pulumi.CustomResourceOptions) {
 *     super(widgetSchema, name, args, opts);
 *   }
 * }
 * ```
 */
export class EksaDynamicResource<I extends object, O extends object> extends pulumi.dynamic.Resource {
  /** The state version the installed handler writes. */
  declare public readonly schemaVersion: pulumi.Output<number>;

  constructor(
    schema: ResourceSchema<I, O>,
    name: string,
    args: ResourceArgs<I>,
    opts: pulumi.CustomResourceOptions = {},
  ) {
    const props: Record<string, unknown> = {};
    const given = args as Record<string, pulumi.Input<unknown> | undefined>;
    for (const [key, spec] of Object.entries(schema.inputs as Record<string, InputSpec>)) {
      const value = given[key];
      props[key] = spec.secret === true && value !== undefined ? pulumi.secret(value) : value;
    }
    for (const key of [...Object.keys(schema.outputs), SCHEMA_VERSION_KEY]) props[key] = undefined;
    // Echoed secret inputs are re-marked by the engine (same-name rule); listing them too costs nothing and keeps
    // them secret even if an input reaches the resource unmarked.
    const secrets = new Set([
      ...(opts.additionalSecretOutputs ?? []),
      ...secretOutputKeys(schema),
      ...secretInputKeys(schema),
    ]);
    super(
      providerShim(schema.handler),
      name,
      props,
      { ...opts, additionalSecretOutputs: [...secrets] },
      dynamicModuleName(schema),
      schema.type,
    );
  }
}
