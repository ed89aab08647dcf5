import { engineInitFailure } from './init-failure';
import { describeReplacements, diffInputs, toDiffOutcome } from './input-diff';
import { createHandlerLogger, HandlerLogger, LogSink } from './redacting-logger';
import { CheckFailure, DiffOutcome, HandlerContext, ResourceHandler, StoredState } from './resource-handler';
import {
  PROVIDER_KEY,
  ResourceSchema,
  SCHEMA_VERSION_KEY,
  secretInputKeys,
  secretOutputKeys,
} from './resource-schema';

/** The provider methods the serialized shim forwards. */
export type ProviderMethod = 'check' | 'diff' | 'create' | 'update' | 'delete' | 'read';

/**
 * What the serialized shim sends to a handler module's `dispatch`. Old state carries old shims, so a dispatcher must
 * keep accepting every protocol version it ever produced.
 */
export interface DispatchRequest {
  readonly protocol: number;
  readonly handler: string;
  readonly method: ProviderMethod;
  readonly args: readonly unknown[];
}

/** The protocol the current shim speaks. */
export const SHIM_PROTOCOL = 1;

/** A handler, or a function that loads it on first use (so a module with many handlers loads only what runs). */
export type HandlerEntry = ResourceHandler<object, object> | (() => ResourceHandler<object, object>);

export interface HandlerDispatcher {
  /** Entry point called by the serialized shim. Bound: safe to export on its own. */
  readonly dispatch: (request: DispatchRequest) => Promise<unknown>;
  /** The handler names this module serves. */
  readonly names: readonly string[];
}

export interface HandlerDispatcherOptions {
  /** Where handler log lines go. @default the console, which the dynamic-provider host forwards to the CLI */
  readonly sink?: LogSink;
}

type Props = Record<string, unknown>;

/**
 * Builds the `dispatch` function a handler module exports. Everything the engine contract requires that handlers
 * should not have to remember lives here: stripping and restoring `__provider`, echoing inputs into outputs (so
 * `diff` can compare them), the state version and its migration, full outputs from `update`, the init-failure shape,
 * secrets registered with the logger, and redacted error messages.
 */
export function createHandlerDispatcher(
  table: Readonly<Record<string, HandlerEntry>>,
  options: HandlerDispatcherOptions = {},
): HandlerDispatcher {
  const loaded = new Map<string, ResourceHandler<object, object>>();
  const resolve = (name: string): ResourceHandler<object, object> => {
    const cached = loaded.get(name);
    if (cached) return cached;
    const entry = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
    if (entry === undefined) {
      throw new Error(
        `No handler named '${name}' in this module (it serves: ${Object.keys(table).join(', ') || 'none'}). ` +
          'The state was written by a version of the library that had it: install a version that still provides it.',
      );
    }
    const handler = typeof entry === 'function' ? entry() : entry;
    loaded.set(name, handler);
    return handler;
  };

  const dispatch = async (request: DispatchRequest): Promise<unknown> => {
    if (request.protocol !== SHIM_PROTOCOL) {
      throw new Error(
        `Handler protocol ${request.protocol} is not supported by the installed library (it speaks ${SHIM_PROTOCOL}). ` +
          'The state was written by a newer version: upgrade the library.',
      );
    }
    const handler = resolve(request.handler);
    const call = new HandlerCall(handler, options.sink);
    return call.run(request.method, request.args);
  };

  return { dispatch, names: Object.keys(table) };
}

/** One provider call: its logger and the conversions between engine properties and handler values. */
class HandlerCall {
  private readonly schema: ResourceSchema<object, object>;
  private readonly logger: HandlerLogger;
  private readonly ctx: HandlerContext;

  constructor(
    private readonly handler: ResourceHandler<object, object>,
    sink: LogSink | undefined,
  ) {
    this.schema = handler.schema;
    this.logger = createHandlerLogger({ label: this.schema.type, sink });
    this.ctx = { type: this.schema.type, logger: this.logger };
  }

  async run(method: ProviderMethod, args: readonly unknown[]): Promise<unknown> {
    try {
      switch (method) {
        case 'check':
          return await this.check(asProps(args[0]), asProps(args[1]));
        case 'diff':
          return await this.diff(String(args[0]), asProps(args[1]), asProps(args[2]));
        case 'create':
          return await this.create(asProps(args[0]));
        case 'update':
          return await this.update(String(args[0]), asProps(args[1]), asProps(args[2]));
        case 'delete':
          return await this.delete(String(args[0]), asProps(args[1]));
        case 'read':
          return await this.read(String(args[0]), asProps(args[1]));
        default:
          throw new Error(`Unknown provider method '${String(method)}'`);
      }
    } catch (error) {
      throw this.redactError(error);
    }
  }

  private async check(olds: Props, news: Props): Promise<unknown> {
    const inputs = withoutProvider(news);
    this.registerSecrets(inputs, olds);
    const failures: CheckFailure[] = [];
    const declared = Object.keys(this.schema.inputs);
    for (const key of Object.keys(inputs)) {
      if (!declared.includes(key)) {
        failures.push({
          property: key,
          reason: `unknown input '${key}'; the inputs are: ${declared.join(', ')}`,
        });
      }
    }
    let checked: Props = inputs;
    if (this.handler.check) {
      const outcome = await this.handler.check(inputs, withoutProvider(olds), this.ctx);
      if (outcome.inputs) checked = outcome.inputs as Props;
      failures.push(...(outcome.failures ?? []));
    }
    return {
      inputs: checked,
      failures: failures.map((f) => ({ property: f.property, reason: this.logger.redact(f.reason) })),
    };
  }

  private async diff(id: string, olds: Props, news: Props): Promise<DiffOutcome> {
    const stored = this.migrate(olds);
    const inputs = withoutProvider(news);
    this.registerSecrets(inputs, stored);
    if (this.handler.diff) return this.handler.diff(id, stored, inputs, this.ctx);
    const diff = diffInputs(this.schema, stored, inputs);
    // The engine shows no detailed diff for dynamic resources: the log is the only place a reason can appear.
    for (const line of describeReplacements(diff)) this.logger.warn(line);
    return toDiffOutcome(this.schema, diff);
  }

  private async create(props: Props): Promise<unknown> {
    const provider = providerOf(props);
    const inputs = withoutProvider(props);
    this.registerSecrets(inputs);
    const base = { ...this.echo(inputs), [SCHEMA_VERSION_KEY]: this.schema.version };
    const started = Date.now();
    this.logger.info('creating');
    try {
      const outcome = await this.handler.create(inputs, this.ctx);
      if (!outcome.id) throw new Error(`create returned no id`);
      this.checkOutputs(outcome.outs, 'create');
      this.registerSecrets(outcome.outs);
      this.logger.info(`created ${outcome.id} in ${seconds(started)}`);
      return { id: outcome.id, outs: { ...base, ...outcome.outs } };
    } catch (error) {
      throw this.initFailureOr(error, undefined, base, provider);
    }
  }

  private async update(id: string, olds: Props, news: Props): Promise<unknown> {
    const provider = providerOf(news);
    const stored = this.migrate(olds);
    const inputs = withoutProvider(news);
    this.registerSecrets(inputs, stored);
    const started = Date.now();
    this.logger.info(`updating ${id}`);
    try {
      const outs = await this.handler.update(id, stored, inputs, this.ctx);
      this.checkOutputs(outs, 'update');
      this.checkFullOutputs(stored, outs);
      this.registerSecrets(outs);
      this.logger.info(`updated ${id} in ${seconds(started)}`);
      return { outs: { ...this.echo(inputs), ...outs, [SCHEMA_VERSION_KEY]: this.schema.version } };
    } catch (error) {
      // Keep the old echo of the inputs: the change did not complete, so the next diff still sees it.
      throw this.initFailureOr(error, id, { ...stored, [SCHEMA_VERSION_KEY]: this.schema.version }, provider);
    }
  }

  private async delete(id: string, props: Props): Promise<void> {
    const stored = this.migrate(props);
    this.registerSecrets(stored);
    if (!this.handler.delete) return;
    const started = Date.now();
    this.logger.info(`deleting ${id}`);
    await this.handler.delete(id, stored, this.ctx);
    this.logger.info(`deleted ${id} in ${seconds(started)}`);
  }

  private async read(id: string, props: Props): Promise<unknown> {
    const stored = this.migrate(props);
    this.registerSecrets(stored);
    if (!this.handler.read) return { id, props: stored };
    const outs = await this.handler.read(id, stored, this.ctx);
    // A blank id tells the engine the resource is gone.
    if (outs === undefined) return { id: '', props: {} };
    this.checkOutputs(outs, 'read');
    return { id, props: { ...stored, ...outs, [SCHEMA_VERSION_KEY]: this.schema.version } };
  }

  /** Stored outputs at the current schema version; refuses state from a newer library. */
  private migrate(props: Props): StoredState<object, object> {
    const stored = withoutProvider(props);
    const raw = stored[SCHEMA_VERSION_KEY];
    const version = typeof raw === 'number' ? raw : 0;
    if (version === this.schema.version) return stored as StoredState<object, object>;
    if (version > this.schema.version) {
      throw new Error(
        `The state of this ${this.schema.type} has schema version ${version}, written by a newer eksa-iac; the ` +
          `installed version understands up to ${this.schema.version}. Install the newer version to manage it.`,
      );
    }
    if (!this.handler.migrate) {
      throw new Error(
        `The state of this ${this.schema.type} has schema version ${version} and the handler (version ` +
          `${this.schema.version}) defines no migrate(); this is a bug in the handler.`,
      );
    }
    const migrated = this.handler.migrate(stored, version);
    return { ...migrated, [SCHEMA_VERSION_KEY]: this.schema.version } as StoredState<object, object>;
  }

  /** The declared inputs, echoed into the outputs so that `diff` (which sees only outputs) can compare them. */
  private echo(inputs: Props): Props {
    const out: Props = {};
    for (const key of Object.keys(this.schema.inputs)) if (inputs[key] !== undefined) out[key] = inputs[key];
    return out;
  }

  private checkOutputs(outs: object | undefined, method: string): void {
    if (outs === undefined || outs === null || typeof outs !== 'object') {
      throw new Error(`${method} returned no outputs; it must return every output`);
    }
    const declared = Object.keys(this.schema.outputs);
    const undeclared = Object.keys(outs).filter((key) => !declared.includes(key));
    if (undeclared.length > 0) {
      throw new Error(
        `${method} returned undeclared outputs ${undeclared.join(', ')}; declare them in the schema, or they are ` +
          'invisible to programs',
      );
    }
  }

  /** The host stores exactly what update returns: a missing output would silently vanish from state. */
  private checkFullOutputs(stored: Props, outs: object): void {
    const missing = Object.keys(this.schema.outputs).filter(
      (key) => stored[key] !== undefined && (outs as Props)[key] === undefined,
    );
    if (missing.length > 0) {
      throw new Error(
        `update returned no ${missing.join(', ')}; it must return every output (return null to clear one), ` +
          'because the engine keeps only what update returns',
      );
    }
  }

  private initFailureOr(error: unknown, id: string | undefined, base: Props, provider: unknown): unknown {
    if (!isResourceInitErrorLike(error)) return error;
    const resourceId = error.resourceId ?? id;
    const message = this.logger.redact(error.message);
    if (!resourceId) {
      return new Error(
        `${message} (the handler reported a partial create without an id, so nothing was kept)`,
      );
    }
    if (typeof provider !== 'string') return new Error(message);
    this.registerSecrets(error.outs);
    const properties = { ...base, ...error.outs, [PROVIDER_KEY]: provider };
    const reasons = [message, ...error.reasons.map((r) => this.logger.redact(r))];
    return engineInitFailure(message, resourceId, properties, reasons);
  }

  /** Error text reaches the CLI (the host prints `${e}: ${e.stack}`), so it is redacted like log lines. */
  private redactError(error: unknown): unknown {
    if (!(error instanceof Error)) return new Error(this.logger.redact(String(error)));
    const redacted = this.logger.redact(error.message);
    const stack = error.stack === undefined ? undefined : this.logger.redact(error.stack);
    if (redacted === error.message && stack === error.stack) return error;
    const copy = Object.assign(new Error(redacted), error);
    copy.message = redacted;
    copy.stack = stack;
    return copy;
  }

  private registerSecrets(...bags: Array<Props | object | undefined>): void {
    const keys = [...secretInputKeys(this.schema), ...secretOutputKeys(this.schema)];
    for (const bag of bags) {
      if (!bag) continue;
      for (const key of keys) this.logger.addSecret((bag as Props)[key]);
    }
  }
}

function asProps(value: unknown): Props {
  return value !== null && typeof value === 'object' ? (value as Props) : {};
}

function withoutProvider(props: Props): Props {
  const { [PROVIDER_KEY]: _provider, ...rest } = props;
  return rest;
}

function providerOf(props: Props): unknown {
  return props[PROVIDER_KEY];
}

function seconds(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)}s`;
}

/** Duck-typed, so that an error from another installed copy of the library is recognised too. */
function isResourceInitErrorLike(
  error: unknown,
): error is Error & { resourceId?: string; outs: Props; reasons: readonly string[] } {
  return (
    error instanceof Error &&
    error.name === 'ResourceInitError' &&
    typeof (error as { outs?: unknown }).outs === 'object' &&
    Array.isArray((error as { reasons?: unknown }).reasons)
  );
}
