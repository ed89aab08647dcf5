import type * as pulumi from '@pulumi/pulumi';
import { captureConsole, currentResource, withFreshRuntimeStore } from './pulumi-engine-capture';
import { DynamicProviderHost, HostInitFailure, UNKNOWN, wire } from './pulumi-engine-host';
import {
  isWireSecret,
  maskProps,
  Props,
  SECRET_SIG,
  SecretBox,
  SIG_KEY,
  StoredResource,
} from './pulumi-engine-state';
import type {
  EngineCommand,
  LogRecord,
  MockResourceProvider,
  PulumiTestEngineOptions,
  StepOp,
  StepRecord,
} from './pulumi-engine-types';

type PulumiModule = typeof pulumi;

/** A Pulumi program: creates resources, may return stack outputs. */
export type PulumiProgram = () => unknown;

/** What the engine keeps between runs (owned by PulumiTestEngine). */
export interface EngineMemory {
  readonly resources: Map<string, StoredResource>;
  /** Replaced resources whose deletion has not happened yet (`delete: true` in a real checkpoint). */
  readonly pendingDeletes: StoredResource[];
  readonly box: SecretBox;
  nextOrder(): number;
  nextId(name: string): string;
}

/** The registration as the engine sees it: the goal state of one resource. */
interface Goal {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  readonly dependencies: string[];
  readonly provider?: string;
  readonly inputs: Props;
  readonly secretInputs: Set<string>;
  readonly additionalSecretOutputs: string[];
  readonly deleteBeforeReplace?: boolean;
  readonly replaceOnChanges: string[];
  readonly retainOnDelete: boolean;
  readonly deletedWith?: string;
}

interface RegisterRequest {
  getParent(): string;
  getDependenciesList(): string[];
  getProvider(): string;
  getAdditionalsecretoutputsList(): string[];
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getReplaceonchangesList(): string[];
  getRetainondelete?(): boolean;
  getDeletedwith?(): string;
}

interface MockMonitorLike {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: unknown): unknown;
  registerResourceOutputs(req: { getUrn(): string; getOutputs(): unknown }, callback: unknown): unknown;
  readResource(req: unknown, callback: unknown): unknown;
}

interface SdkResult {
  readonly id: string | undefined;
  readonly state: Props;
}

const NEVER = new Promise<SdkResult>(() => undefined);

/** One `up`, `preview` or `destroy`. */
export class Deployment {
  readonly steps: StepRecord[] = [];
  readonly logs: LogRecord[] = [];
  stackOutputs?: Props;
  failure?: string;

  private readonly preview: boolean;
  private readonly host: DynamicProviderHost;
  private readonly registered = new Set<string>();
  /** Create-before-delete replacements planned by a preview, whose old resources the preview lists as deleted. */
  private readonly plannedReplacedDeletes: StoredResource[] = [];
  private pendingRegistration?: RegisterRequest;
  private pendingRead = false;
  private inFlight = 0;
  private signalFailure?: () => void;
  private stackUrn?: string;

  constructor(
    private readonly pulumiSdk: PulumiModule,
    private readonly memory: EngineMemory,
    private readonly options: PulumiTestEngineOptions,
    readonly run: number,
    readonly command: EngineCommand,
  ) {
    this.preview = command === 'preview';
    this.host = new DynamicProviderHost({
      project: options.project ?? 'project',
      config: options.config ?? {},
      requireModule: options.requireModule,
    });
  }

  /** Runs the program against the mock monitor, then deletes what it no longer declares. */
  async runProgram(program: PulumiProgram): Promise<void> {
    const stop = captureConsole(
      (level, message, urn) => this.log(level, message, urn),
      this.options.echoLogs ?? false,
    );
    try {
      await withFreshRuntimeStore(async () => {
        const runtime = this.pulumiSdk.runtime;
        await runtime.setMocks(
          { newResource: (args) => this.onNewResource(args), call: (args) => this.onCall(args) },
          this.options.project ?? 'project',
          this.options.stack ?? 'stack',
          this.preview,
        );
        if (this.options.config) {
          runtime.setAllConfig({ ...this.options.config }, [...(this.options.secretConfigKeys ?? [])]);
        }
        this.patchMonitor(runtime.getMonitor() as unknown as MockMonitorLike);
        const failed = new Promise<'failed'>((resolve) => (this.signalFailure = () => resolve('failed')));
        const completed = (async () => {
          // The program's own exception is caught here: thrown into the SDK it would also reject promises nobody
          // observes (the real language host swallows those with a process-wide handler; a test runner would not).
          let programError: unknown;
          await runtime.runInPulumiStack(async () => {
            try {
              return await program();
            } catch (error) {
              programError = error;
              return undefined;
            }
          });
          await runtime.disconnect();
          if (programError !== undefined) this.failure ??= `the program failed: ${messageOf(programError)}`;
          return 'completed' as const;
        })();
        // After a failed step the engine stops the deployment; the program's remaining registrations never get an
        // answer, exactly as they would not from a cancelled deployment (and nothing rejects unobserved).
        const outcome = await Promise.race([completed, failed]);
        if (outcome === 'completed' && !this.failure) await this.deleteUnregistered();
      });
    } catch (error) {
      this.failure ??= `the program failed: ${messageOf(error)}`;
    } finally {
      stop();
    }
  }

  /** `pulumi destroy`: every resource, dependents first, each deleted by the code stored in its state. */
  async destroyAll(): Promise<void> {
    const stop = captureConsole(
      (level, message, urn) => this.log(level, message, urn),
      this.options.echoLogs ?? false,
    );
    try {
      const all = [...this.memory.pendingDeletes, ...this.memory.resources.values()];
      await this.deleteInOrder(all);
    } finally {
      stop();
    }
  }

  // ---- registration ----------------------------------------------------------------------------------------------

  private patchMonitor(monitor: MockMonitorLike): void {
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      // MockMonitor calls mocks.newResource synchronously with the request's fields but not its options; hand the
      // request over so the options (parent, dependencies, additionalSecretOutputs, ...) are seen as the engine sees them.
      this.pendingRegistration = req;
      try {
        return register(req, callback);
      } finally {
        this.pendingRegistration = undefined;
      }
    };
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req, callback) => {
      this.pendingRead = true;
      try {
        return read(req, callback);
      } finally {
        this.pendingRead = false;
      }
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
      this.onRegisterOutputs(req.getUrn(), req.getOutputs());
      return registerOutputs(req, callback);
    };
    this.urnOf = (parent, type, name) => monitor.newUrn(parent, type, name);
  }

  private urnOf: (parent: string, type: string, name: string) => string = () => '';

  private onNewResource(args: pulumi.runtime.MockResourceArgs): Promise<SdkResult> | SdkResult {
    const req = this.pendingRegistration;
    this.pendingRegistration = undefined;
    if (this.pendingRead) return { id: args.id, state: args.inputs as Props };
    if (this.failure) return NEVER;
    const goal = this.goalOf(args, req);
    if (this.registered.has(goal.urn)) {
      this.fail(`Duplicate resource URN '${goal.urn}'; try giving it a unique name`);
      return NEVER;
    }
    this.registered.add(goal.urn);
    if (!goal.custom) return this.registerComponent(goal);
    this.inFlight++;
    return (async () => {
      try {
        return await currentResource.run(goal.urn, () => this.registerCustom(goal));
      } catch (error) {
        this.fail(`${goal.urn}: ${messageOf(error)}`);
      } finally {
        this.inFlight--;
        if (this.failure && this.inFlight === 0) this.signalFailure?.();
      }
      // Never answered, never awaited here: awaiting inside the try would keep this step in flight forever.
      return NEVER;
    })();
  }

  private goalOf(args: pulumi.runtime.MockResourceArgs, req: RegisterRequest | undefined): Goal {
    const parent = req?.getParent() || undefined;
    const { plain, secretKeys } = this.fromSdk(args.inputs as Props);
    return {
      urn: this.urnOf(parent ?? '', args.type, args.name),
      type: args.type,
      name: args.name,
      custom: args.custom === true,
      parent,
      dependencies: req?.getDependenciesList() ?? [],
      provider: req?.getProvider() || args.provider || undefined,
      inputs: plain,
      secretInputs: secretKeys,
      additionalSecretOutputs: req?.getAdditionalsecretoutputsList() ?? [],
      deleteBeforeReplace: req?.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
      replaceOnChanges: req?.getReplaceonchangesList() ?? [],
      retainOnDelete: req?.getRetainondelete?.() ?? false,
      deletedWith: req?.getDeletedwith?.() || undefined,
    };
  }

  private registerComponent(goal: Goal): SdkResult {
    if (goal.type === 'pulumi:pulumi:Stack') this.stackUrn = goal.urn;
    const old = this.memory.resources.get(goal.urn);
    const inputs = this.memory.box.sealProps(goal.inputs, goal.secretInputs);
    const changed = old ? changedKeys(this.open(old.inputs), goal.inputs) : [];
    const op: StepOp = !old ? 'create' : changed.length > 0 ? 'update' : 'same';
    if (!this.preview) {
      this.memory.resources.set(goal.urn, {
        ...this.baseRecord(goal, old),
        inputs,
        outputs: old?.outputs ?? {},
      });
    }
    this.record({ op, goal, inputs, changedInputs: changed });
    return { id: undefined, state: {} };
  }

  private onRegisterOutputs(urn: string, struct: unknown): void {
    if (this.preview) return;
    const deserialized = this.pulumiSdk.runtime.deserializeProperties(struct as never) as Props;
    const { plain, secretKeys } = this.fromSdk(deserialized);
    const known = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== UNKNOWN));
    const stored = this.memory.resources.get(urn);
    if (stored) stored.outputs = this.memory.box.sealProps(known, secretKeys);
    if (urn === this.stackUrn) this.stackOutputs = maskProps(stored?.outputs ?? {});
  }

  private onCall(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return this.options.call?.(args.token, args.inputs as Record<string, unknown>) ?? {};
  }

  // ---- custom resources --------------------------------------------------------------------------------------------

  private async registerCustom(goal: Goal): Promise<SdkResult> {
    const old = this.memory.resources.get(goal.urn);
    const dynamic = isDynamic(goal.type);
    const oldInputs = old ? this.open(old.inputs) : {};
    const checked = dynamic ? await this.check(goal, oldInputs) : goal.inputs;
    if (!old) return this.create(goal, checked, 'create');

    const oldOutputs = this.open(old.outputs);
    const inputsChanged = changedKeys(oldInputs, checked);
    let changes: 'some' | 'none';
    let replaces: string[];
    let providerDbr = false;
    if (dynamic) {
      const diff = await this.host.diff(old.id ?? '', oldOutputs, checked);
      // Without an answer from the provider, the engine compares the inputs itself, __provider included.
      changes =
        diff.changes === 'unknown'
          ? changedKeys(oldInputs, checked, true).length > 0
            ? 'some'
            : 'none'
          : diff.changes;
      replaces = diff.replaces;
      providerDbr = diff.deleteBeforeReplace;
      // replaceOnChanges needs changed keys, which only the engine's own comparison produces (no detailed diff).
      if (diff.changes === 'unknown') {
        replaces.push(...matchReplaceOnChanges(goal.replaceOnChanges, inputsChanged));
      }
    } else {
      const mock = this.mockFor(goal.type);
      const answer = mock.diff?.({
        op: 'update',
        type: goal.type,
        name: goal.name,
        urn: goal.urn,
        id: old.id,
        inputs: checked,
        olds: oldOutputs,
      });
      changes = (answer ? answer.changes : inputsChanged.length > 0) ? 'some' : 'none';
      replaces = [
        ...(answer?.replaces ?? []),
        ...matchReplaceOnChanges(goal.replaceOnChanges, inputsChanged),
      ];
    }
    const hasInitErrors = (old.initErrors?.length ?? 0) > 0;
    if (hasInitErrors && goal.replaceOnChanges.includes('*')) {
      replaces.push('#initerror');
      changes = 'some';
    }
    if (changes === 'some' && replaces.length > 0) {
      return this.replace(goal, old, replaces, goal.deleteBeforeReplace ?? providerDbr, inputsChanged);
    }
    // An unchanged resource with init errors gets an update anyway: that is how a failed create resumes.
    if (changes === 'some' || hasInitErrors) return this.update(goal, old, checked, inputsChanged);
    return this.same(goal, old, checked);
  }

  private async check(goal: Goal, olds: Props): Promise<Props> {
    const { inputs, failures } = await this.host.check(olds, goal.inputs);
    if (failures.length > 0) {
      const lines = failures.map((f) => `  ${f.property ? `${f.property}: ` : ''}${f.reason}`);
      throw new Error(`${goal.type} resource '${goal.name}' has a problem:\n${lines.join('\n')}`);
    }
    return inputs;
  }

  private async create(goal: Goal, checked: Props, op: 'create' | 'create-replacement'): Promise<SdkResult> {
    const inputs = this.memory.box.sealProps(checked, goal.secretInputs);
    if (this.preview) {
      this.record({ op, goal, inputs });
      // A provider without preview support returns the inputs as the state; every other output is unknown.
      return { id: '', state: this.toSdk(checked, goal.secretInputs) };
    }
    let id: string;
    let outs: Props;
    try {
      if (isDynamic(goal.type)) {
        ({ id, outs } = await this.host.create(checked));
      } else {
        const mock = this.mockFor(goal.type);
        const result = await mock.create?.({
          op: 'create',
          type: goal.type,
          name: goal.name,
          urn: goal.urn,
          inputs: checked,
        });
        id = result?.id ?? this.memory.nextId(goal.name);
        outs = { ...(result?.outputs ?? checked) };
      }
    } catch (error) {
      if (error instanceof HostInitFailure) return this.storeInitFailure(goal, inputs, error, op);
      this.record({ op, goal, inputs, error: messageOf(error) });
      throw error;
    }
    if (!id) throw new Error(`plugin returned empty resource.ID from create '${goal.urn}'`);
    const secretOutputs = this.secretOutputsOf(goal, outs);
    const outputs = this.memory.box.sealProps(outs, secretOutputs);
    this.memory.resources.set(goal.urn, { ...this.baseRecord(goal, undefined), id, inputs, outputs });
    this.record({ op, goal, id, inputs, outputs });
    return { id, state: this.toSdk(outs, secretOutputs) };
  }

  private async update(
    goal: Goal,
    old: StoredResource,
    checked: Props,
    changed: string[],
  ): Promise<SdkResult> {
    const inputs = this.memory.box.sealProps(checked, goal.secretInputs);
    if (this.preview) {
      this.record({ op: 'update', goal, id: old.id, inputs, changedInputs: changed });
      return { id: old.id, state: this.toSdk(checked, goal.secretInputs) };
    }
    let outs: Props;
    try {
      if (isDynamic(goal.type)) {
        ({ outs } = await this.host.update(old.id ?? '', this.open(old.outputs), checked));
      } else {
        const mock = this.mockFor(goal.type);
        const operation = {
          op: 'update' as const,
          type: goal.type,
          name: goal.name,
          urn: goal.urn,
          id: old.id,
          inputs: checked,
          olds: this.open(old.outputs),
        };
        const result = await mock.update?.(operation);
        outs = { ...(result?.outputs ?? checked) };
      }
    } catch (error) {
      if (error instanceof HostInitFailure) return this.storeInitFailure(goal, inputs, error, 'update', old);
      this.record({
        op: 'update',
        goal,
        id: old.id,
        inputs,
        changedInputs: changed,
        error: messageOf(error),
      });
      throw error;
    }
    const secretOutputs = this.secretOutputsOf(goal, outs);
    const outputs = this.memory.box.sealProps(outs, secretOutputs);
    this.memory.resources.set(goal.urn, {
      ...this.baseRecord(goal, old),
      id: old.id,
      inputs,
      outputs,
      initErrors: undefined,
    });
    this.record({ op: 'update', goal, id: old.id, inputs, outputs, changedInputs: changed });
    return { id: old.id, state: this.toSdk(outs, secretOutputs) };
  }

  private same(goal: Goal, old: StoredResource, checked: Props): SdkResult {
    const inputs = this.memory.box.sealProps(checked, goal.secretInputs);
    if (!this.preview) {
      this.memory.resources.set(goal.urn, {
        ...this.baseRecord(goal, old),
        id: old.id,
        inputs,
        outputs: old.outputs,
      });
    }
    this.record({ op: 'same', goal, id: old.id, inputs, outputs: old.outputs });
    const { plain, secretKeys } = this.memory.box.openProps(old.outputs);
    return { id: old.id, state: this.toSdk(plain, secretKeys) };
  }

  private async replace(
    goal: Goal,
    old: StoredResource,
    replaces: string[],
    deleteFirst: boolean,
    changed: string[],
  ): Promise<SdkResult> {
    // The replacement is checked afresh, without the old inputs.
    const checked = isDynamic(goal.type) ? await this.check(goal, {}) : goal.inputs;
    const inputs = this.memory.box.sealProps(checked, goal.secretInputs);
    if (deleteFirst) {
      await this.deleteOne(old, 'delete-replaced');
      this.record({ op: 'replace', goal, id: old.id, inputs, replaces, changedInputs: changed });
      return this.create(goal, checked, 'create-replacement');
    }
    let result: SdkResult;
    try {
      result = await this.create(goal, checked, 'create-replacement');
    } catch (error) {
      // A partially created replacement took the old resource's place in state; the old one is still condemned.
      if (!this.preview && this.memory.resources.get(goal.urn) !== old) {
        this.memory.pendingDeletes.push({ ...old, delete: true });
      }
      throw error;
    }
    this.record({ op: 'replace', goal, id: old.id, inputs, replaces, changedInputs: changed });
    // Create-before-delete: the old resource is deleted after the program, with the other deletions.
    if (!this.preview) this.memory.pendingDeletes.push({ ...old, delete: true });
    else this.plannedReplacedDeletes.push({ ...old, delete: true });
    return result;
  }

  private storeInitFailure(
    goal: Goal,
    inputs: Props,
    failure: HostInitFailure,
    op: StepOp,
    old?: StoredResource,
  ): SdkResult {
    // The engine keeps the resource with the error's properties as its outputs, exactly as given (__provider only if
    // the provider put it there), and marks it so that the next update runs even without changes.
    const secretOutputs = this.secretOutputsOf(goal, failure.properties);
    const outputs = this.memory.box.sealProps(failure.properties, secretOutputs);
    const reasons = failure.reasons.length > 0 ? failure.reasons : [failure.message];
    this.memory.resources.set(goal.urn, {
      ...this.baseRecord(goal, old),
      id: failure.id,
      inputs,
      outputs,
      initErrors: reasons,
    });
    this.record({ op, goal, id: failure.id, inputs, outputs, error: failure.message, initFailure: true });
    throw new Error(`${goal.type} '${goal.name}' failed to initialize: ${failure.message}`);
  }

  // ---- deletions ---------------------------------------------------------------------------------------------------

  private async deleteUnregistered(): Promise<void> {
    const unregistered = [...this.memory.resources.values()].filter((r) => !this.registered.has(r.urn));
    const condemned = [
      ...(this.preview ? this.plannedReplacedDeletes : this.memory.pendingDeletes),
      ...unregistered,
    ];
    await this.deleteInOrder(condemned);
  }

  /** Deletes dependents before what they depend on (parents, dependencies, providers); later creations first. */
  private async deleteInOrder(condemned: StoredResource[]): Promise<void> {
    const remaining = [...condemned];
    const doomed = new Set(condemned.map((r) => r.urn));
    while (remaining.length > 0) {
      const free = remaining.filter(
        (r) => !remaining.some((other) => other !== r && dependsOn(other, r.urn)),
      );
      const next = (free.length > 0 ? free : remaining).reduce((a, b) => (b.order > a.order ? b : a));
      remaining.splice(remaining.indexOf(next), 1);
      const skipHandler =
        next.retainOnDelete === true || (next.deletedWith !== undefined && doomed.has(next.deletedWith));
      try {
        await currentResource.run(next.urn, () =>
          this.deleteOne(next, next.delete ? 'delete-replaced' : 'delete', skipHandler),
        );
      } catch (error) {
        this.fail(`${next.urn}: ${messageOf(error)}`);
        return;
      }
    }
  }

  private async deleteOne(
    resource: StoredResource,
    op: 'delete' | 'delete-replaced',
    skipHandler = false,
  ): Promise<void> {
    const goal = goalOfStored(resource);
    if (this.preview) {
      this.record({ op, goal, id: resource.id, inputs: resource.inputs });
      return;
    }
    if (resource.custom && !skipHandler) {
      try {
        if (isDynamic(resource.type)) {
          await this.host.delete(resource.id ?? '', this.open(resource.outputs));
        } else {
          const mock = this.mockFor(resource.type);
          await mock.delete?.({
            op: 'delete',
            type: resource.type,
            name: resource.name,
            urn: resource.urn,
            id: resource.id,
            olds: this.open(resource.outputs),
          });
        }
      } catch (error) {
        this.record({ op, goal, id: resource.id, inputs: resource.inputs, error: messageOf(error) });
        throw error;
      }
    }
    this.forget(resource);
    this.record({ op, goal, id: resource.id, inputs: resource.inputs });
  }

  private forget(resource: StoredResource): void {
    const pending = this.memory.pendingDeletes.indexOf(resource);
    if (pending >= 0) this.memory.pendingDeletes.splice(pending, 1);
    else if (this.memory.resources.get(resource.urn) === resource) this.memory.resources.delete(resource.urn);
  }

  // ---- helpers -----------------------------------------------------------------------------------------------------

  private baseRecord(goal: Goal, old: StoredResource | undefined): StoredResource {
    return {
      urn: goal.urn,
      type: goal.type,
      name: goal.name,
      custom: goal.custom,
      parent: goal.parent,
      dependencies: [...goal.dependencies],
      provider: goal.provider,
      inputs: {},
      outputs: {},
      additionalSecretOutputs: [...goal.additionalSecretOutputs],
      retainOnDelete: goal.retainOnDelete || undefined,
      deletedWith: goal.deletedWith,
      initErrors: old?.initErrors,
      order: old?.order ?? this.memory.nextOrder(),
    };
  }

  /** The engine re-marks outputs named like secret inputs, plus `additionalSecretOutputs`. */
  private secretOutputsOf(goal: Goal, outs: Props): Set<string> {
    const keys = new Set(goal.additionalSecretOutputs);
    for (const key of Object.keys(outs)) if (goal.secretInputs.has(key)) keys.add(key);
    return keys;
  }

  private open(props: Props): Props {
    return this.memory.box.openProps(props).plain;
  }

  /** Plain values and secret keys from what the SDK sent (secret markers, `unknown` during previews). */
  private fromSdk(inputs: Props): { plain: Props; secretKeys: Set<string> } {
    const plain: Props = {};
    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(inputs ?? {})) {
      const unwrapped = this.unwrap(value);
      plain[key] = unwrapped.value;
      if (unwrapped.secret) secretKeys.add(key);
    }
    return { plain: wire(plain), secretKeys };
  }

  private unwrap(value: unknown): { value: unknown; secret: boolean } {
    if (this.pulumiSdk.isUnknown(value)) return { value: UNKNOWN, secret: false };
    if (isWireSecret(value)) return { value: this.unwrap(value.value).value, secret: true };
    if (Array.isArray(value)) {
      const items = value.map((v) => this.unwrap(v));
      return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === 'object') {
      let secret = false;
      const out: Props = {};
      for (const [k, v] of Object.entries(value)) {
        const inner = this.unwrap(v);
        out[k] = inner.value;
        secret ||= inner.secret;
      }
      return { value: out, secret };
    }
    return { value, secret: false };
  }

  private toSdk(props: Props, secretKeys: Set<string>): Props {
    const out: Props = {};
    for (const [key, value] of Object.entries(props)) {
      out[key] = secretKeys.has(key) ? { [SIG_KEY]: SECRET_SIG, value } : value;
    }
    return out;
  }

  private mockFor(type: string): MockResourceProvider {
    return this.options.mocks?.[type] ?? this.options.mocks?.['*'] ?? {};
  }

  private record(step: {
    op: StepOp;
    goal: Pick<Goal, 'urn' | 'type' | 'name' | 'custom'>;
    id?: string;
    inputs?: Props;
    outputs?: Props;
    replaces?: string[];
    changedInputs?: string[];
    error?: string;
    initFailure?: boolean;
  }): void {
    this.steps.push({
      run: this.run,
      command: this.command,
      op: step.op,
      urn: step.goal.urn,
      type: step.goal.type,
      name: step.goal.name,
      custom: step.goal.custom,
      planned: this.preview,
      id: step.id,
      inputs: maskProps(step.inputs),
      outputs: maskProps(step.outputs),
      replaces: step.replaces,
      changedInputs: step.changedInputs,
      logs: this.logs.filter((l) => l.urn === step.goal.urn).map((l) => l.message),
      error: step.error,
      initFailure: step.initFailure,
    });
  }

  private log(level: LogRecord['level'], message: string, urn?: string): void {
    this.logs.push({ run: this.run, level, message, urn });
  }

  private fail(message: string): void {
    this.failure ??= message;
    if (this.inFlight === 0) this.signalFailure?.();
  }
}

function isDynamic(type: string): boolean {
  return type.startsWith('pulumi-nodejs:dynamic');
}

function goalOfStored(r: StoredResource): Pick<Goal, 'urn' | 'type' | 'name' | 'custom'> {
  return { urn: r.urn, type: r.type, name: r.name, custom: r.custom };
}

function dependsOn(resource: StoredResource, urn: string): boolean {
  if (resource.parent === urn || resource.dependencies.includes(urn)) return true;
  return (
    resource.provider !== undefined && resource.provider.slice(0, resource.provider.lastIndexOf('::')) === urn
  );
}

/** Top-level keys whose values differ; `__provider` only when asked (the engine's own comparison includes it). */
function changedKeys(olds: Props, news: Props, includeProvider = false): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  if (!includeProvider) keys.delete('__provider');
  return [...keys].filter((key) => news[key] === UNKNOWN || !sameValue(olds[key], news[key]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ra = a as Props;
  const rb = b as Props;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...keys].every((key) => sameValue(ra[key], rb[key]));
}

function matchReplaceOnChanges(patterns: readonly string[], changed: readonly string[]): string[] {
  return changed.filter((key) => patterns.includes('*') || patterns.includes(key));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
