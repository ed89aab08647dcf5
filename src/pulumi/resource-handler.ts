import { HandlerLogger } from './redacting-logger';
import { ResourceSchema } from './resource-schema';

/** A problem with one input, reported by `check` (the engine prints it and creates nothing). */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** What `check` returns. */
export interface CheckOutcome<I> {
  /** The inputs to store, after defaults and normalisation. @default the inputs as given */
  readonly inputs?: I;
  readonly failures?: readonly CheckFailure[];
}

/** What `diff` returns; the same fields the dynamic-provider host forwards to the engine. */
export interface DiffOutcome {
  /** `true`: update or replace; `false`: nothing to do; `undefined`: let the engine compare the inputs itself. */
  readonly changes?: boolean;
  /** Inputs whose change forces a replacement. */
  readonly replaces?: readonly string[];
  /** Delete the old resource before creating its replacement. */
  readonly deleteBeforeReplace?: boolean;
}

/** What a handler gets besides its inputs. */
export interface HandlerContext {
  /** The resource type, for messages (`WorkloadCluster`). */
  readonly type: string;
  /** The redacting logger; secret inputs and outputs of the current resource are registered already. */
  readonly logger: HandlerLogger;
}

/**
 * The outputs of a resource as stored by the engine and handed to `diff`, `update`, `delete` and `read`: the declared
 * inputs echoed under their own names, the handler's outputs, and the state version (after migration to the current
 * version).
 */
export type StoredState<I, O> = I & O & { readonly schemaVersion: number };

/** Result of `create`: the resource's id (a deterministic name, so that a retried create adopts) and its outputs. */
export interface CreateOutcome<O> {
  readonly id: string;
  readonly outs: O;
}

/**
 * The code behind one dynamic resource. It runs in the dynamic-provider host, from the installed library, so it
 * must read state written by every earlier version of itself (`migrate`).
 *
 * Rules the dispatcher enforces: inputs and outputs are plain JSON; `update` returns every output (the host stores
 * exactly what it returns, pulumi#13983); failures after the resource exists throw `ResourceInitError` so that the
 * next `pulumi up` resumes through `update`.
 */
export interface ResourceHandler<I extends object, O extends object> {
  readonly schema: ResourceSchema<I, O>;
  /**
   * Validates and normalises inputs. During a preview, inputs that depend on resources not created yet hold the
   * unknown sentinel (`isUnknownValue`); skip their validation.
   */
  check?(news: I, olds: Partial<I>, ctx: HandlerContext): Promise<CheckOutcome<I>> | CheckOutcome<I>;
  /** @default `diffInputs` over the schema's inputs, with replacement reasons logged */
  diff?(
    id: string,
    olds: StoredState<I, O>,
    news: I,
    ctx: HandlerContext,
  ): Promise<DiffOutcome> | DiffOutcome;
  create(inputs: I, ctx: HandlerContext): Promise<CreateOutcome<O>>;
  /** Applies changed inputs, or resumes after a `ResourceInitError`; returns every output. */
  update(id: string, olds: StoredState<I, O>, news: I, ctx: HandlerContext): Promise<O>;
  /** @default nothing to delete */
  delete?(id: string, olds: StoredState<I, O>, ctx: HandlerContext): Promise<void>;
  /** Refresh: the current outputs, or `undefined` when the resource is gone. @default the stored outputs */
  read?(id: string, olds: StoredState<I, O>, ctx: HandlerContext): Promise<O | undefined>;
  /**
   * Upgrades stored outputs written with an older `schema.version` (0 means "written before versioning"). Called
   * before every `diff`, `update`, `delete` and `read` that sees old state; the result is persisted by the next
   * update or refresh.
   */
  migrate?(stored: Readonly<Record<string, unknown>>, fromVersion: number): Record<string, unknown>;
}

/** Identity function that lets TypeScript infer `I` and `O` from the schema. */
export function defineHandler<I extends object, O extends object>(
  handler: ResourceHandler<I, O>,
): ResourceHandler<I, O> {
  return handler;
}
