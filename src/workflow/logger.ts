/**
 * Where the workflow reports what it does. The Pulumi layer passes its handler logger (same shape); standalone use
 * gets {@link consoleLogger}. Lines never carry secrets: the workflow redacts them before they get here.
 */
export interface WorkflowLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}

/** Writes to the console, prefixed with `[eksa-iac]`. */
export const consoleLogger: WorkflowLogger = {
  info: (m) => console.log(`[eksa-iac] ${m}`),
  warn: (m) => console.warn(`[eksa-iac] warning: ${m}`),
  error: (m) => console.error(`[eksa-iac] error: ${m}`),
};

/** Drops everything (for callers that watch the journal instead). */
export const silentLogger: WorkflowLogger = { info: () => {}, warn: () => {}, error: () => {} };

export const REDACTED = '[redacted]';

// Shorter values would make redaction destroy ordinary text while protecting nothing.
const MIN_SECRET_LENGTH = 6;
// Credential-shaped text is removed even when nobody registered it (a kubeconfig printed by a tool, say).
const SENSITIVE_FIELD =
  /(["']?)\b(client-key-data|client-certificate-data|certificate-authority-data|token|password|secret|private-key|bearer)\1(\s*[:=]\s*)(["']?)([^\s"',}]{6,})\4/g;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(-----END \1-----|$)/g;

/**
 * The secrets of a run (kubeconfigs, tokens, passwords) and the forms in which they may show up in text: as given,
 * base64-encoded, JSON-escaped, and line by line for multi-line values such as kubeconfigs.
 */
export class SecretRegistry {
  private readonly needles = new Set<string>();
  private sorted?: string[];

  public add(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH) return;
    const forms = [value, Buffer.from(value).toString('base64'), JSON.stringify(value).slice(1, -1)];
    for (const line of value.split(/\r?\n/)) {
      const trimmed = line.trim();
      // Lines of a kubeconfig such as "server: https://…" or "name: admin" are not secret; opaque data is.
      if (trimmed.length >= 20 && /[A-Za-z0-9+/=_-]{20,}/.test(trimmed)) forms.push(trimmed);
    }
    for (const f of forms) if (f.length >= MIN_SECRET_LENGTH) this.needles.add(f);
    this.sorted = undefined;
  }

  /** The registered values, for checks in tests. */
  public get size(): number {
    return this.needles.size;
  }

  public redact(text: string): string {
    this.sorted ??= [...this.needles].sort((a, b) => b.length - a.length);
    let out = text;
    for (const needle of this.sorted) {
      if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    }
    out = out.replace(PEM_BLOCK, (_m, kind: string) => `[redacted ${kind.toLowerCase()}]`);
    return out.replace(
      SENSITIVE_FIELD,
      (_m, q: string, key: string, sep: string, vq: string) => `${q}${key}${q}${sep}${vq}${REDACTED}${vq}`,
    );
  }
}

/** A logger that redacts every line through `secrets` and prefixes it with `label`. */
export function redactingLogger(
  inner: WorkflowLogger,
  secrets: SecretRegistry,
  label: string,
): WorkflowLogger {
  const line = (m: string) => `${label}: ${secrets.redact(m)}`;
  return {
    info: (m) => inner.info(line(m)),
    warn: (m) => inner.warn(line(m)),
    error: (m) => inner.error(line(m)),
    debug: (m) => inner.debug?.(line(m)),
  };
}
