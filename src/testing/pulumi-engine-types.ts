/** The engine commands the test engine runs. */
export type EngineCommand = 'up' | 'preview' | 'destroy';

/**
 * The operation performed (or, in a preview, planned) on one resource; the same names as the Pulumi engine's steps.
 * A create-before-delete replacement is `create-replacement` then, after the program, `delete-replaced`; a
 * delete-before-replace is `delete-replaced` then `create-replacement`. `replace` marks the decision.
 */
export type StepOp =
  'same' | 'create' | 'update' | 'delete' | 'replace' | 'create-replacement' | 'delete-replaced';

/** One step of a run, with secret values masked as `[secret]` and `__provider` left out. */
export interface StepRecord {
  /** 1-based number of the run (up, preview or destroy) on this engine. */
  readonly run: number;
  readonly command: EngineCommand;
  readonly op: StepOp;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** True for steps of a preview: planned, not performed. */
  readonly planned: boolean;
  readonly id?: string;
  /** Inputs after `check`. */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** Outputs stored (or, for a planned create or update, not known and so absent). */
  readonly outputs?: Readonly<Record<string, unknown>>;
  /** Inputs the provider's diff reported as forcing a replacement. */
  readonly replaces?: readonly string[];
  /** Top-level inputs whose values differ from the stored inputs (what the CLI would show for the step). */
  readonly changedInputs?: readonly string[];
  /** Log lines written while this step's handlers ran (already as the CLI would print them). */
  readonly logs: readonly string[];
  /** Set when the step failed; for an init failure the resource is still recorded in state. */
  readonly error?: string;
  /** The step failed with the engine's "initialization failed" status (a partial create or update). */
  readonly initFailure?: boolean;
}

/** One captured console line. */
export interface LogRecord {
  readonly run: number;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  /** The resource whose handler wrote it, when the line was written inside a handler call. */
  readonly urn?: string;
}

/** What a run returns. */
export interface RunResult {
  readonly run: number;
  readonly command: EngineCommand;
  readonly steps: readonly StepRecord[];
  /** Stack outputs returned by the program (secrets masked), when it returned any and they are known. */
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly logs: readonly LogRecord[];
  /** Count of steps by operation, e.g. `{ create: 2, same: 1 }`; `same` steps of components are included. */
  readonly summary: Readonly<Partial<Record<StepOp, number>>>;
}

/** A request to the stand-in provider of a resource that is not one of ours (kubernetes, command, ...). */
export interface MockOperation {
  readonly op: 'create' | 'update' | 'delete';
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The resource's id (update and delete). */
  readonly id?: string;
  /** New inputs (create and update), with secrets as plain values. */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** Stored outputs (update and delete). */
  readonly olds?: Readonly<Record<string, unknown>>;
}

/** The stand-in provider for resources that are not dynamic resources. */
export interface MockResourceProvider {
  /** @default id `<name>-<n>`, outputs = inputs */
  create?(operation: MockOperation): MockResult | Promise<MockResult>;
  /** @default outputs = inputs */
  update?(operation: MockOperation): MockResult | Promise<MockResult>;
  /** @default nothing */
  delete?(operation: MockOperation): void | Promise<void>;
  /**
   * Whether new inputs need an update or a replacement.
   * @default compare the stored inputs with the new ones; never replace
   */
  diff?(operation: MockOperation): { changes: boolean; replaces?: readonly string[] };
}

export interface MockResult {
  readonly id?: string;
  readonly outputs?: Readonly<Record<string, unknown>>;
}

export interface PulumiTestEngineOptions {
  /** @default 'project' */
  readonly project?: string;
  /** @default 'stack' */
  readonly stack?: string;
  /** Stack configuration, keyed `<namespace>:<key>` as in Pulumi.<stack>.yaml. */
  readonly config?: Readonly<Record<string, string>>;
  /** Config keys whose values are secret. */
  readonly secretConfigKeys?: readonly string[];
  /**
   * How `require` inside serialized providers resolves. By default the provider text is loaded with
   * require-from-string, exactly as the dynamic-provider host does: `require` then resolves from `process.cwd()`
   * (the program directory), and only JavaScript loads. Give a function when handler modules must come through
   * another loader, for example jest's (TypeScript sources under ts-jest).
   */
  readonly requireModule?: (specifier: string) => unknown;
  /** Stand-in providers for resources that are not dynamic, by type token; `'*'` for all others. */
  readonly mocks?: Readonly<Record<string, MockResourceProvider>>;
  /** Answers to invokes (`pulumi.runtime.invoke`, `getX()` functions). @default `{}` */
  readonly call?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown>;
  /** Also print captured console lines. @default false */
  readonly echoLogs?: boolean;
}

/** Thrown by a run that failed; the state keeps what completed (and init failures). */
export class EngineRunError extends Error {
  constructor(
    message: string,
    public readonly result: RunResult,
  ) {
    super(message);
    this.name = 'EngineRunError';
  }
}
