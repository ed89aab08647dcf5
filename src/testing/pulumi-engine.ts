import type * as pulumi from '@pulumi/pulumi';
import { exclusive } from './pulumi-engine-capture';
import { Deployment, EngineMemory, PulumiProgram } from './pulumi-engine-deployment';
import { exportState, maskProps, SecretBox, StateFile, StoredResource } from './pulumi-engine-state';
import {
  EngineCommand,
  EngineRunError,
  LogRecord,
  PulumiTestEngineOptions,
  RunResult,
  StepOp,
  StepRecord,
} from './pulumi-engine-types';

/** A resource in the engine's state, secrets masked. */
export interface ResourceView {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly id?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly initErrors?: readonly string[];
  readonly parent?: string;
  readonly dependencies: readonly string[];
}

/**
 * An in-process stand-in for the Pulumi engine and the Node.js dynamic-provider host, for tests without the
 * Pulumi CLI. Programs run under `pulumi.runtime.setMocks`; every dynamic resource is driven through the provider
 * *serialized in its `__provider` input*, loaded as the host loads it, with the engine's step rules and a state that
 * persists across `up`, `preview` and `destroy` on this instance. See src/testing/README.md for what is and is not
 * modelled.
 *
 * ```ts
 * const engine = new PulumiTestEngine();
 * await engine.up(() => { new Widget('w', { size: 1 }); });
 * expect(engine.operations()).toEqual(['create Widget w']);
 * ```
 */
export class PulumiTestEngine {
  private readonly resourcesByUrn = new Map<string, StoredResource>();
  private readonly pendingDeletes: StoredResource[] = [];
  private readonly box = new SecretBox();
  private readonly history: StepRecord[] = [];
  private readonly logHistory: LogRecord[] = [];
  private runs = 0;
  private order = 0;
  private readonly ids = new Map<string, number>();

  constructor(private readonly options: PulumiTestEngineOptions = {}) {}

  /** Every step of every run so far, in order. */
  get steps(): readonly StepRecord[] {
    return this.history;
  }

  /** Every console line captured so far (handler logs, as the CLI would print them). */
  get logs(): readonly LogRecord[] {
    return this.logHistory;
  }

  /** `pulumi up`: runs the program, creates, updates or replaces, then deletes what the program no longer declares. */
  up(program: PulumiProgram): Promise<RunResult> {
    return this.execute('up', (deployment) => deployment.runProgram(program));
  }

  /** `pulumi preview`: check and diff only; values from resources not created yet reach the program as unknown. */
  preview(program: PulumiProgram): Promise<RunResult> {
    return this.execute('preview', (deployment) => deployment.runProgram(program));
  }

  /** `pulumi destroy`: deletes everything, dependents first, running the delete code stored in each state. */
  destroy(): Promise<RunResult> {
    return this.execute('destroy', (deployment) => deployment.destroyAll());
  }

  /**
   * The custom-resource steps as short strings, e.g. `['create Widget a', 'same Widget b']`, optionally of one run.
   * The type is the last segment of the token.
   */
  operations(filter: { run?: number; includePlanned?: boolean } = {}): string[] {
    return this.history
      .filter((s) => s.custom && (filter.run === undefined || s.run === filter.run))
      .filter((s) => filter.includePlanned === true || !s.planned)
      .map((s) => `${s.op} ${shortType(s.type)} ${s.name}`);
  }

  /** The state in the layout of a Pulumi checkpoint; secret values appear only as ciphertext. */
  state(): StateFile {
    return exportState([...this.resourcesByUrn.values(), ...this.pendingDeletes]);
  }

  /** `state()` as JSON text, for assertions that a value never appears in it. */
  stateJson(): string {
    return JSON.stringify(this.state(), null, 2);
  }

  /** All captured log text, one line per entry, for assertions that a value never appears in it. */
  logText(): string {
    return this.logHistory.map((l) => l.message).join('\n');
  }

  /** The resources in state, secrets masked. */
  resources(): ResourceView[] {
    return [...this.resourcesByUrn.values()].sort((a, b) => a.order - b.order).map((r) => this.view(r));
  }

  /** One resource by URN, or by name when the name is unique. */
  resource(nameOrUrn: string): ResourceView | undefined {
    const found = this.find(nameOrUrn);
    return found ? this.view(found) : undefined;
  }

  /** The decrypted outputs of one resource, for tests that must check a secret's value (never print them). */
  revealOutputs(nameOrUrn: string): Record<string, unknown> {
    const found = this.find(nameOrUrn);
    if (!found) throw new Error(`No resource '${nameOrUrn}' in state`);
    const { plain } = this.box.openProps(found.outputs);
    delete plain.__provider;
    return plain;
  }

  private async execute(
    command: EngineCommand,
    body: (deployment: Deployment) => Promise<void>,
  ): Promise<RunResult> {
    return exclusive(async () => {
      const deployment = new Deployment(loadPulumi(), this.memory(), this.options, ++this.runs, command);
      await body(deployment);
      this.history.push(...deployment.steps);
      this.logHistory.push(...deployment.logs);
      const result: RunResult = {
        run: deployment.run,
        command,
        steps: deployment.steps,
        outputs: deployment.stackOutputs,
        logs: deployment.logs,
        summary: summarize(deployment.steps),
      };
      if (deployment.failure !== undefined) {
        throw new EngineRunError(`${command} failed: ${deployment.failure}`, result);
      }
      return result;
    });
  }

  private memory(): EngineMemory {
    return {
      resources: this.resourcesByUrn,
      pendingDeletes: this.pendingDeletes,
      box: this.box,
      nextOrder: () => ++this.order,
      nextId: (name) => {
        const n = (this.ids.get(name) ?? 0) + 1;
        this.ids.set(name, n);
        return `${name}-${n}`;
      },
    };
  }

  private find(nameOrUrn: string): StoredResource | undefined {
    const byUrn = this.resourcesByUrn.get(nameOrUrn);
    if (byUrn) return byUrn;
    const named = [...this.resourcesByUrn.values()].filter((r) => r.name === nameOrUrn);
    if (named.length > 1) throw new Error(`'${nameOrUrn}' names ${named.length} resources; use the URN`);
    return named[0];
  }

  private view(r: StoredResource): ResourceView {
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      custom: r.custom,
      id: r.id,
      inputs: maskProps(r.inputs) ?? {},
      outputs: maskProps(r.outputs) ?? {},
      initErrors: r.initErrors,
      parent: r.parent,
      dependencies: r.dependencies,
    };
  }
}

function shortType(type: string): string {
  return type.slice(type.lastIndexOf(':') + 1);
}

function summarize(steps: readonly StepRecord[]): Partial<Record<StepOp, number>> {
  const summary: Partial<Record<StepOp, number>> = {};
  for (const step of steps) summary[step.op] = (summary[step.op] ?? 0) + 1;
  return summary;
}

/** @pulumi/pulumi is a peer dependency loaded on first use, so that `eksa-iac/testing` stays light without it. */
function loadPulumi(): typeof pulumi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@pulumi/pulumi') as typeof pulumi;
}

export type { PulumiProgram } from './pulumi-engine-deployment';
