import { createRequire } from 'node:module';
import type * as pulumi from '@pulumi/pulumi';
import { Props } from './pulumi-engine-state';

/** The engine's unknown sentinel (`runtime/rpc.js: unknownValue`). */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const PROVIDER_KEY = '__provider';

type Provider = pulumi.dynamic.ResourceProvider;

/** The host's diff answer, mapped as `DiffResponse.DiffChanges`. */
export interface HostDiff {
  readonly changes: 'some' | 'none' | 'unknown';
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

/** A create or update that failed after the resource existed (`ErrorResourceInitFailed`). */
export class HostInitFailure extends Error {
  constructor(
    message: string,
    public readonly id: string,
    public readonly properties: Props,
    public readonly reasons: string[],
  ) {
    super(message);
    this.name = 'HostInitFailure';
  }
}

export interface HostOptions {
  readonly project: string;
  readonly config: Readonly<Record<string, string>>;
  readonly requireModule?: (specifier: string) => unknown;
}

/**
 * What `pulumi-resource-pulumi-nodejs` does with each call, after `@pulumi/pulumi/cmd/dynamic-provider/index.js`
 * (3.248): providers are deserialized from `__provider` text and cached per distinct text for the life of the
 * process (one process per deployment, so one host per run); `configure` runs once per text; values cross a
 * protobuf Struct, which drops `undefined`.
 */
export class DynamicProviderHost {
  private readonly cache = new Map<string, Provider>();

  constructor(private readonly options: HostOptions) {}

  async check(olds: Props, news: Props): Promise<{ inputs: Props; failures: pulumi.dynamic.CheckFailure[] }> {
    const provider = await this.provider(news[PROVIDER_KEY] === UNKNOWN ? olds : news);
    let inputs = wire(news);
    let failures: pulumi.dynamic.CheckFailure[] = [];
    if (provider.check) {
      const result = await provider.check(wire(olds), wire(news));
      if (result.inputs) inputs = wire(result.inputs);
      if (result.failures) failures = result.failures;
    }
    inputs[PROVIDER_KEY] = news[PROVIDER_KEY];
    return { inputs, failures };
  }

  async diff(id: string, oldOutputs: Props, news: Props): Promise<HostDiff> {
    const provider = await this.provider(news[PROVIDER_KEY] === UNKNOWN ? oldOutputs : news);
    if (!provider.diff) return { changes: 'unknown', replaces: [], deleteBeforeReplace: false };
    const result = await provider.diff(id, wire(oldOutputs), wire(news));
    return {
      changes: result.changes === true ? 'some' : result.changes === false ? 'none' : 'unknown',
      replaces: [...(result.replaces ?? [])],
      deleteBeforeReplace: result.deleteBeforeReplace === true,
    };
  }

  async create(props: Props): Promise<{ id: string; outs: Props }> {
    const provider = await this.provider(props);
    try {
      const result = await provider.create(wire(props));
      return { id: result.id, outs: { ...wire(result.outs ?? {}), [PROVIDER_KEY]: props[PROVIDER_KEY] } };
    } catch (error) {
      throw asInitFailure(error);
    }
  }

  async update(id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
    const provider = await this.provider(news);
    try {
      const result = provider.update ? ((await provider.update(id, wire(olds), wire(news))) ?? {}) : {};
      // resultIncludingProvider(result.outs, news): whatever update did not return is gone (pulumi#13983).
      return { outs: { ...wire(result.outs ?? {}), [PROVIDER_KEY]: news[PROVIDER_KEY] } };
    } catch (error) {
      throw asInitFailure(error);
    }
  }

  /** `props` are the stored outputs: the provider that runs is the one saved in state. */
  async delete(id: string, props: Props): Promise<void> {
    const provider = await this.provider(props);
    if (provider.delete) await provider.delete(id, wire(props));
  }

  private async provider(props: Props): Promise<Provider> {
    const text = props[PROVIDER_KEY];
    if (typeof text === 'string') {
      const cached = this.cache.get(text);
      if (cached) return cached;
    }
    const provider = this.load(text);
    if (typeof text === 'string') this.cache.set(text, provider);
    if (provider.configure) await provider.configure({ config: this.configReader() });
    return provider;
  }

  private load(text: unknown): Provider {
    if (!this.options.requireModule) {
      return (requireFromString()(text) as { handler(): Provider }).handler();
    }
    // Same CommonJS wrapper as require-from-string, with the caller's `require`.
    if (typeof text !== 'string') throw new Error(`code must be a string, not ${typeof text}`);
    const module = { exports: {} as { handler?: () => Provider } };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const body = new Function('exports', 'require', 'module', '__filename', '__dirname', text);
    body(module.exports, this.options.requireModule, module, '', '.');
    if (typeof module.exports.handler !== 'function') {
      throw new Error('serialized provider has no handler export');
    }
    return module.exports.handler();
  }

  private configReader(): pulumi.dynamic.Config {
    const qualify = (key: string): string => (key.includes(':') ? key : `${this.options.project}:${key}`);
    return {
      get: (key: string) => this.options.config[qualify(key)],
      require: (key: string) => {
        const value = this.options.config[qualify(key)];
        if (value === undefined) throw new Error(`Missing required configuration variable '${qualify(key)}'`);
        return value;
      },
    };
  }
}

let cachedRequireFromString: ((code: unknown) => unknown) | undefined;

/** require-from-string as the host loads it: the copy @pulumi/pulumi itself depends on. */
function requireFromString(): (code: unknown) => unknown {
  if (!cachedRequireFromString) {
    const fromPulumi = createRequire(require.resolve('@pulumi/pulumi/package.json'));
    cachedRequireFromString = fromPulumi('require-from-string') as (code: unknown) => unknown;
  }
  return cachedRequireFromString;
}

/** How the host reports a thrown error: an `id` makes it an init failure, anything else a plain failure. */
function asInitFailure(error: unknown): unknown {
  const e = error as { id?: unknown; properties?: unknown; reasons?: unknown; message?: unknown } | undefined;
  if (e && typeof e === 'object' && e.id) {
    return new HostInitFailure(
      String(e.message),
      String(e.id),
      wire((e.properties as Props | undefined) ?? {}),
      Array.isArray(e.reasons) ? e.reasons.map(String) : [],
    );
  }
  return error;
}

/** The value as it arrives on the other side of a protobuf Struct. */
export function wire<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
