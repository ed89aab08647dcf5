import {
  createHandlerDispatcher,
  defineHandler,
  defineResourceSchema,
  DispatchRequest,
  EngineInitFailure,
  isEngineInitFailure,
  LogLevel,
  ProviderMethod,
  ResourceHandler,
  ResourceInitError,
  SHIM_PROTOCOL,
  UNKNOWN_VALUE,
} from '../../src/pulumi/handler-runtime';

interface Inputs {
  readonly name: string;
  readonly size: number;
  readonly token?: string;
}
interface Outputs {
  readonly kubeconfig: string;
  readonly phase: string;
}

const schema = defineResourceSchema<Inputs, Outputs>({
  module: 'test',
  type: 'Thing',
  handler: { module: 'unused', name: 'Thing' },
  version: 3,
  inputs: { name: { replaceReason: 'the name is the identity' }, size: {}, token: { secret: true } },
  outputs: { kubeconfig: { secret: true }, phase: {} },
  deleteBeforeReplace: true,
});

const PROVIDER = 'exports.handler = () => ({});';

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error & Partial<EngineInitFailure>> {
  const outcome = await promise.then(
    () => undefined,
    (error: Error) => error,
  );
  if (!outcome) throw new Error('expected a rejection');
  return outcome;
}
const KUBECONFIG = 'apiVersion: v1\nusers: [{ user: { client-key-data: S0VZS0VZS0VZS0VZ } }]';

function harness(overrides: Partial<ResourceHandler<Inputs, Outputs>> = {}) {
  const lines: Array<[LogLevel, string]> = [];
  const seen: Array<{ method: string; args: unknown[] }> = [];
  const handler = defineHandler<Inputs, Outputs>({
    schema,
    async create(inputs) {
      seen.push({ method: 'create', args: [inputs] });
      return { id: inputs.name, outs: { kubeconfig: KUBECONFIG, phase: 'ready' } };
    },
    async update(id, olds, news) {
      seen.push({ method: 'update', args: [id, olds, news] });
      return { kubeconfig: olds.kubeconfig, phase: 'ready' };
    },
    async delete(id, olds) {
      seen.push({ method: 'delete', args: [id, olds] });
    },
    migrate(stored, fromVersion) {
      return { ...stored, phase: `migrated-from-${fromVersion}` };
    },
    ...overrides,
  });
  const { dispatch } = createHandlerDispatcher(
    { Thing: handler },
    { sink: { write: (level, line) => lines.push([level, line]) } },
  );
  const call = (method: ProviderMethod, ...args: unknown[]) =>
    dispatch({ protocol: SHIM_PROTOCOL, handler: 'Thing', method, args } as DispatchRequest);
  return { call, lines, seen, dispatch };
}

const stored = (extra: Record<string, unknown> = {}) => ({
  name: 'a',
  size: 1,
  kubeconfig: KUBECONFIG,
  phase: 'ready',
  schemaVersion: 3,
  __provider: PROVIDER,
  ...extra,
});

describe('create', () => {
  test('hands the handler its inputs without __provider, and echoes them into the outputs with the state version', async () => {
    const { call, seen } = harness();

    const result = await call('create', { name: 'a', size: 1, __provider: PROVIDER });

    expect(seen[0].args[0]).toEqual({ name: 'a', size: 1 });
    expect(result).toEqual({
      id: 'a',
      outs: { name: 'a', size: 1, kubeconfig: KUBECONFIG, phase: 'ready', schemaVersion: 3 },
    });
  });

  test('a ResourceInitError becomes the engine shape: id, properties with __provider and partial outputs, reasons', async () => {
    const { call } = harness({
      async create() {
        throw new ResourceInitError<Outputs>(`stuck after allocating (token t0ps3cret-value)`, {
          id: 'a',
          outs: { phase: 'allocated' },
          reasons: ['control plane not ready'],
        });
      },
    });

    const error = await rejection(
      call('create', { name: 'a', size: 1, token: 't0ps3cret-value', __provider: PROVIDER }),
    );

    expect(isEngineInitFailure(error)).toBe(true);
    expect(error.id).toBe('a');
    expect(error.properties).toEqual({
      name: 'a',
      size: 1,
      token: 't0ps3cret-value',
      phase: 'allocated',
      schemaVersion: 3,
      __provider: PROVIDER,
    });
    expect(error.message).toBe('stuck after allocating (token [redacted])');
    expect(error.reasons).toEqual(['stuck after allocating (token [redacted])', 'control plane not ready']);
  });

  test('a plain error stays a plain error (the engine records nothing), with secrets redacted from message and stack', async () => {
    const { call } = harness({
      async create(inputs) {
        throw new Error(`cannot log in with ${inputs.token}`);
      },
    });

    const error = await rejection(
      call('create', { name: 'a', size: 1, token: 't0ps3cret-value', __provider: PROVIDER }),
    );

    expect(isEngineInitFailure(error)).toBe(false);
    expect(error.message).toBe('cannot log in with [redacted]');
    expect(error.stack).not.toContain('t0ps3cret-value');
  });

  test('undeclared outputs are refused: programs could never see them', async () => {
    const { call } = harness({
      async create() {
        return { id: 'a', outs: { kubeconfig: 'k', phase: 'ready', extra: 1 } as Outputs };
      },
    });
    await expect(call('create', { name: 'a', size: 1, __provider: PROVIDER })).rejects.toThrow(
      /undeclared outputs extra/,
    );
  });

  test('logs name the resource type and never print a secret output', async () => {
    const { call, lines } = harness({
      async create(inputs, ctx) {
        ctx.logger.info(`got ${KUBECONFIG}`);
        return { id: inputs.name, outs: { kubeconfig: KUBECONFIG, phase: 'ready' } };
      },
    });

    await call('create', { name: 'a', size: 1, __provider: PROVIDER });

    expect(lines.map(([, l]) => l)).toContain('[eksa-iac] Thing: creating');
    expect(lines.every(([, l]) => l.startsWith('[eksa-iac] Thing: '))).toBe(true);
    expect(lines.map(([, l]) => l).join('\n')).not.toContain('S0VZS0VZS0VZS0VZ');
  });
});

describe('update', () => {
  test('returns the echoed new inputs and the full outputs, and sees olds without __provider', async () => {
    const { call, seen } = harness();

    const result = await call('update', 'a', stored(), { name: 'a', size: 2, __provider: PROVIDER });

    expect(seen[0].args[1]).not.toHaveProperty('__provider');
    expect(result).toEqual({
      outs: { name: 'a', size: 2, kubeconfig: KUBECONFIG, phase: 'ready', schemaVersion: 3 },
    });
  });

  test('an update that drops an output is refused instead of silently losing it (pulumi#13983)', async () => {
    const { call } = harness({
      async update() {
        return { phase: 'ready' } as Outputs;
      },
    });
    await expect(call('update', 'a', stored(), { name: 'a', size: 2, __provider: PROVIDER })).rejects.toThrow(
      /update returned no kubeconfig; it must return every output/,
    );
  });

  test('a ResourceInitError keeps the old echo of the inputs (the change is not done) and the existing id', async () => {
    const { call } = harness({
      async update() {
        throw new ResourceInitError<Outputs>('rollout stuck', { outs: { phase: 'rolling' } });
      },
    });

    const error = await rejection(
      call('update', 'a', stored(), { name: 'a', size: 2, __provider: PROVIDER }),
    );

    expect(error.id).toBe('a');
    expect(error.properties).toMatchObject({
      size: 1,
      phase: 'rolling',
      kubeconfig: KUBECONFIG,
      __provider: PROVIDER,
    });
  });
});

describe('state versions', () => {
  test('old state is migrated before the handler sees it', async () => {
    const { call, seen } = harness();
    await call('delete', 'a', stored({ schemaVersion: 1, phase: 'old' }));
    expect(seen[0].args[1]).toMatchObject({ phase: 'migrated-from-1', schemaVersion: 3 });
  });

  test('state without a version counts as version 0', async () => {
    const { call, seen } = harness();
    await call('delete', 'a', stored({ schemaVersion: undefined }));
    expect(seen[0].args[1]).toMatchObject({ phase: 'migrated-from-0' });
  });

  test('state from a newer library is refused with what to do', async () => {
    const { call } = harness();
    await expect(call('delete', 'a', stored({ schemaVersion: 4 }))).rejects.toThrow(
      /schema version 4, written by a newer eksa-iac; the installed version understands up to 3/,
    );
  });

  test('old state and no migrate() is a handler bug, said as such', async () => {
    const { call } = harness({ migrate: undefined });
    await expect(call('delete', 'a', stored({ schemaVersion: 2 }))).rejects.toThrow(/defines no migrate\(\)/);
  });
});

describe('check and diff', () => {
  test('check reports undeclared inputs and the handler’s own failures together', async () => {
    const { call } = harness({
      check: (news) => ({ failures: news.size > 10 ? [{ property: 'size', reason: 'at most 10' }] : [] }),
    });

    const result = await call('check', {}, { name: 'a', size: 11, colour: 'red', __provider: PROVIDER });

    expect(result).toEqual({
      inputs: { name: 'a', size: 11, colour: 'red' },
      failures: [
        { property: 'colour', reason: "unknown input 'colour'; the inputs are: name, size, token" },
        { property: 'size', reason: 'at most 10' },
      ],
    });
  });

  test('diff: same inputs, no change; a mutable change, an update; an immutable change, a replacement with its reason', async () => {
    const { call, lines } = harness();

    expect(await call('diff', 'a', stored(), { name: 'a', size: 1, __provider: PROVIDER })).toMatchObject({
      changes: false,
    });
    expect(await call('diff', 'a', stored(), { name: 'a', size: 2, __provider: 'new code' })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(lines).toEqual([]);
    expect(await call('diff', 'a', stored(), { name: 'b', size: 1, __provider: PROVIDER })).toEqual({
      changes: true,
      replaces: ['name'],
      deleteBeforeReplace: true,
    });
    expect(lines).toEqual([['warn', "[eksa-iac] Thing: replace: 'name' changed: the name is the identity"]]);
  });

  test('diff: an unknown value (preview) is a change, and a possible replacement is said to be possible', async () => {
    const { call, lines } = harness();

    const result = await call('diff', 'a', stored(), { name: UNKNOWN_VALUE, size: 1, __provider: PROVIDER });

    expect(result).toMatchObject({ changes: true, replaces: ['name'] });
    expect(lines[0][1]).toMatch(/'name' is not known until apply and may change/);
  });
});

describe('dispatch', () => {
  test('names a missing handler and what to do', async () => {
    const { dispatch } = harness();
    await expect(
      dispatch({ protocol: SHIM_PROTOCOL, handler: 'Gone', method: 'delete', args: [] }),
    ).rejects.toThrow(/No handler named 'Gone' in this module \(it serves: Thing\)/);
  });

  test('refuses a protocol it does not speak', async () => {
    const { dispatch } = harness();
    await expect(dispatch({ protocol: 99, handler: 'Thing', method: 'delete', args: [] })).rejects.toThrow(
      /Handler protocol 99 is not supported/,
    );
  });

  test('loads a lazily registered handler once', async () => {
    let loads = 0;
    const { dispatch } = createHandlerDispatcher({
      Lazy: () => {
        loads++;
        return defineHandler<Inputs, Outputs>({
          schema,
          create: async () => ({ id: 'x', outs: { kubeconfig: 'k', phase: 'p' } }),
          update: async (_id, olds) => ({ kubeconfig: olds.kubeconfig, phase: olds.phase }),
        });
      },
    });
    const request = {
      protocol: SHIM_PROTOCOL,
      handler: 'Lazy',
      method: 'read' as const,
      args: ['x', stored()],
    };

    await dispatch(request);
    await dispatch(request);

    expect(loads).toBe(1);
  });
});
