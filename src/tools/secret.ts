/**
 * A value that must never appear in logs, progress lines or error messages: a token, a password, a private key.
 * Wrappers pass secrets to programs as argv items or environment values marked this way, and the process runner
 * replaces every occurrence of the value in what it reports.
 */
export interface SecretValue {
  readonly secret: string;
}

/** An argv item or environment value, plain or secret. */
export type MaybeSecret = string | SecretValue;

/** Marks a value as secret. */
export function secret(value: string): SecretValue {
  return { secret: value };
}

export function isSecret(value: MaybeSecret): value is SecretValue {
  return typeof value === 'object' && value !== null && typeof value.secret === 'string';
}

/** The plain text of a value, for handing it to the program itself. */
export function revealed(value: MaybeSecret): string {
  return isSecret(value) ? value.secret : value;
}

/** What replaces a secret in reported text. */
export const REDACTED = '***';

/**
 * Replaces known secret values in text. Longer secrets are replaced first so that a secret containing another
 * one is not left half-visible. Multi-line secrets are also matched line by line, because output is reported
 * one line at a time.
 */
export class Redactor {
  private readonly needles: readonly string[];

  constructor(secrets: Iterable<string>) {
    const set = new Set<string>();
    for (const value of secrets) {
      if (value.length === 0) {
        continue;
      }
      set.add(value);
      for (const line of value.split(/\r?\n/)) {
        if (line.trim().length > 0) {
          set.add(line);
        }
      }
    }
    this.needles = [...set].sort((a, b) => b.length - a.length);
  }

  /** True when there is nothing to redact. */
  get empty(): boolean {
    return this.needles.length === 0;
  }

  redact(text: string): string {
    let out = text;
    for (const needle of this.needles) {
      if (out.includes(needle)) {
        out = out.split(needle).join(REDACTED);
      }
    }
    return out;
  }
}
