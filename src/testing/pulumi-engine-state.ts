import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type Props = Record<string, unknown>;

/** Signature keys of the Pulumi wire and state formats (`runtime/rpc.js`). */
export const SIG_KEY = '4dabf18193072939515e22adb298388d';
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** One resource as the test engine stores it, shaped like an entry of a Pulumi checkpoint's `resources`. */
export interface StoredResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  id?: string;
  parent?: string;
  dependencies: string[];
  /** Provider reference `<urn>::<id>` of an explicit provider. */
  provider?: string;
  /** Inputs after check, secret values sealed. */
  inputs: Props;
  /** Outputs, secret values sealed. Dynamic resources keep `__provider` here, as the real state does. */
  outputs: Props;
  /** Set by a partial failure: the next `up` updates the resource even without changes. */
  initErrors?: string[];
  additionalSecretOutputs: string[];
  retainOnDelete?: boolean;
  deletedWith?: string;
  /** A replaced resource whose deletion is still pending. */
  delete?: boolean;
  /** Creation order, to break ties when deleting. */
  order: number;
}

/**
 * Seals secret values the way the state file of a real stack holds them (`{sig, ciphertext}`), so neither the
 * stored state nor its JSON export contains the plaintext. The key lives only in this object.
 */
export class SecretBox {
  private readonly key = randomBytes(32);

  seal(value: unknown): Props {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value ?? null), 'utf8'), cipher.final()]);
    const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    return { [SIG_KEY]: SECRET_SIG, ciphertext };
  }

  open(sealed: Props): unknown {
    const raw = Buffer.from(String(sealed.ciphertext), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(text);
  }

  /** Seals the top-level keys listed in `secretKeys`. */
  sealProps(props: Props, secretKeys: Iterable<string>): Props {
    const keys = new Set(secretKeys);
    const out: Props = {};
    for (const [key, value] of Object.entries(props)) out[key] = keys.has(key) ? this.seal(value) : value;
    return out;
  }

  /** Plain values and the names of the keys that were sealed. */
  openProps(props: Props): { plain: Props; secretKeys: Set<string> } {
    const plain: Props = {};
    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(props)) {
      if (isSealed(value)) {
        plain[key] = this.open(value);
        secretKeys.add(key);
      } else {
        plain[key] = value;
      }
    }
    return { plain, secretKeys };
  }
}

export function isSealed(value: unknown): value is Props {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as Props)[SIG_KEY] === SECRET_SIG &&
    typeof (value as Props).ciphertext === 'string'
  );
}

/** A copy of props with secret values (sealed or wire markers) replaced by `[secret]` and `__provider` removed. */
export function maskProps(props: Props | undefined): Props | undefined {
  if (props === undefined) return undefined;
  const out: Props = {};
  for (const [key, value] of Object.entries(props)) {
    if (key === '__provider') continue;
    out[key] = isSealed(value) || isWireSecret(value) ? '[secret]' : value;
  }
  return out;
}

/** The SDK's in-memory secret marker `{sig: secret, value}`. */
export function isWireSecret(value: unknown): value is { value: unknown } {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as Props)[SIG_KEY] === SECRET_SIG &&
    'value' in value
  );
}

/** The exported state: the layout of a Pulumi checkpoint, secrets as `{sig, ciphertext}`. */
export interface StateFile {
  readonly version: number;
  readonly deployment: { readonly resources: readonly StateFileResource[] };
}

/** One resource of a StateFile. */
export interface StateFileResource {
  readonly urn: string;
  readonly custom: boolean;
  readonly type: string;
  readonly id?: string;
  readonly delete?: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  readonly provider?: string;
  readonly initErrors?: readonly string[];
  readonly additionalSecretOutputs?: readonly string[];
  readonly retainOnDelete?: boolean;
  readonly deletedWith?: string;
}

/** The state as JSON, in the layout of a Pulumi checkpoint (`version`, `deployment.resources`). */
export function exportState(resources: Iterable<StoredResource>): StateFile {
  const list = [...resources].map((r) => {
    const entry: Props = { urn: r.urn, custom: r.custom, type: r.type };
    if (r.id !== undefined) entry.id = r.id;
    if (r.delete) entry.delete = true;
    entry.inputs = r.inputs;
    entry.outputs = r.outputs;
    if (r.parent) entry.parent = r.parent;
    if (r.dependencies.length > 0) entry.dependencies = r.dependencies;
    if (r.provider) entry.provider = r.provider;
    if (r.initErrors?.length) entry.initErrors = r.initErrors;
    if (r.additionalSecretOutputs.length > 0) entry.additionalSecretOutputs = r.additionalSecretOutputs;
    if (r.retainOnDelete) entry.retainOnDelete = true;
    if (r.deletedWith) entry.deletedWith = r.deletedWith;
    return entry;
  });
  return { version: 3, deployment: { resources: JSON.parse(JSON.stringify(list)) } };
}
