/**
 * Thrown by a handler when a create or update failed *after* something real exists (a kind cluster, applied
 * objects). The dispatcher turns it into the engine's "initialization failed" shape, so the resource is kept in state
 * with `outs` (for example the completed `phase`) and the next `pulumi up` calls `update`, which resumes, even when
 * the program did not change (pulumi/pulumi#1836; research/pulumi-peers.md §1.8).
 *
 * A failure before anything exists should be a plain `Error`: the engine then records nothing.
 */
export class ResourceInitError<O extends object = Record<string, unknown>> extends Error {
  /** The resource's id. Required for a create; an update uses the existing id when this is not set. */
  public readonly resourceId?: string;
  /** Outputs reached so far, merged over the inputs (create) or the previous outputs (update). */
  public readonly outs: Partial<O>;
  /** Extra lines for the engine's "initialization errors" list. */
  public readonly reasons: readonly string[];

  constructor(
    message: string,
    options: { id?: string; outs?: Partial<O>; reasons?: readonly string[]; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ResourceInitError';
    this.resourceId = options.id;
    this.outs = options.outs ?? {};
    this.reasons = options.reasons ?? [];
  }
}

/**
 * The error object the dynamic-provider host packs into `ErrorResourceInitFailed` (it reads exactly `message`, `id`,
 * `properties` and `reasons`; `cmd/dynamic-provider/index.js: grpcResponseFromError`). The engine stores
 * `properties` as the resource's outputs *as they are*, so they must carry `__provider`: `delete` and `read` load the
 * provider from the stored outputs, and without it a later `pulumi destroy` fails ("code must be a string").
 */
export interface EngineInitFailure extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
}

/** Builds the engine's init-failure error. `properties` must already include `__provider`. */
export function engineInitFailure(
  message: string,
  id: string,
  properties: Record<string, unknown>,
  reasons: readonly string[],
): EngineInitFailure {
  if (!id) throw new Error(`An init failure needs the resource id (${message})`);
  if (typeof properties.__provider !== 'string') {
    throw new Error(
      `An init failure's properties must carry __provider, or the resource cannot be destroyed later`,
    );
  }
  return Object.assign(new Error(message), { id, properties, reasons: [...reasons] });
}

/** True for errors in the engine's init-failure shape. */
export function isEngineInitFailure(error: unknown): error is EngineInitFailure {
  return (
    error instanceof Error &&
    typeof (error as Partial<EngineInitFailure>).id === 'string' &&
    (error as Partial<EngineInitFailure>).id !== ''
  );
}
