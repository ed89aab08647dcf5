/** Severity of a handler log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where finished (already redacted) log lines go. */
export interface LogSink {
  write(level: LogLevel, line: string): void;
}

/**
 * The only logger handlers may use. In the dynamic-provider host, `console.*` output reaches the Pulumi CLI as
 * plain text that is not tied to a resource (pulumi#18249), so every line is prefixed with the resource it is about
 * and every line is redacted before it is written.
 */
export interface HandlerLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Registers a value that must never be printed (a kubeconfig, a token). Shared with children. */
  addSecret(value: unknown): void;
  /** A logger whose lines carry an extra label (`WorkloadCluster dev: ...`), sharing the secrets of this one. */
  child(label: string): HandlerLogger;
  /** Applies this logger's redaction to any text, for example an error message that will reach the CLI. */
  redact(text: string): string;
}

export interface HandlerLoggerOptions {
  /** Prefix of every line, such as the resource type. */
  readonly label: string;
  /** @default consoleSink (info to console.log, warnings to console.warn, errors to console.error) */
  readonly sink?: LogSink;
  /** Values to redact from the start. */
  readonly secrets?: Iterable<unknown>;
  /**
   * Also write debug lines.
   * @default true when the environment variable EKSA_IAC_DEBUG is set to a non-empty value other than 0
   */
  readonly debug?: boolean;
}

/** Writes to the console, which the dynamic-provider host forwards to the CLI. */
export const consoleSink: LogSink = {
  write(level, line) {
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  },
};

export const REDACTED = '[redacted]';

// Shorter registered values are ignored: redacting every "1" or "ab" in a log would destroy it and protect nothing.
const MIN_SECRET_LENGTH = 4;

// Credentials that are recognisable by shape, redacted even when nobody registered them.
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(-----END \1-----|$)/g;
const SENSITIVE_FIELD =
  /(["']?)\b(client-key-data|client-certificate-data|token|id-token|refresh-token|password|passwd|secret|secret-access-key|secretAccessKey|aws_secret_access_key|private-key|privateKey|bearer-token)\1(\s*[:=]\s*)(["']?)([^\s"',}]+)\4/gi;
const AUTH_HEADER = /\b(authorization\s*:\s*(?:bearer|basic)\s+)[^\s"',]+/gi;
// A long run of base64 that is not plain hex (digests and ids stay readable) is most likely key or cert material.
const LONG_BASE64 = /[A-Za-z0-9+/]{80,}={0,2}/g;

/** Removes registered secret values and credential-shaped text from `text`. */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  const ordered = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH);
  // Longest first, so that a secret containing another is removed whole.
  ordered.sort((a, b) => b.length - a.length);
  for (const secret of ordered) out = out.split(secret).join(REDACTED);
  out = out.replace(PEM_BLOCK, (_m, kind: string) => `[redacted ${kind.toLowerCase()}]`);
  out = out.replace(
    SENSITIVE_FIELD,
    (_m, q: string, key: string, sep: string, vq: string) => `${q}${key}${q}${sep}${vq}${REDACTED}${vq}`,
  );
  out = out.replace(AUTH_HEADER, (_m, prefix: string) => `${prefix}${REDACTED}`);
  out = out.replace(LONG_BASE64, (m) => (/^[0-9a-f]+$/i.test(m) ? m : REDACTED));
  return out;
}

/**
 * The forms in which a secret value may show up in text: as is, JSON-escaped (inside a serialized object), base64
 * encoded (inside a kubeconfig or a Secret), and each line of a multi-line value that looks like key material.
 */
export function secretForms(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined || text.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>([
    text,
    JSON.stringify(text).slice(1, -1),
    Buffer.from(text).toString('base64'),
  ]);
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    // Lines of a kubeconfig such as "server: https://..." are not secret; lines carrying long opaque data are.
    if (trimmed.length >= 32 && /[A-Za-z0-9+/=]{32,}/.test(trimmed)) forms.add(trimmed);
  }
  return [...forms];
}

/** Creates the logger handed to handlers. */
export function createHandlerLogger(options: HandlerLoggerOptions): HandlerLogger {
  const secrets = new Set<string>();
  for (const value of options.secrets ?? []) for (const form of secretForms(value)) secrets.add(form);
  const debugEnabled = options.debug ?? isDebugEnv();
  return buildLogger(options.label, options.sink ?? consoleSink, secrets, debugEnabled);
}

function buildLogger(
  label: string,
  sink: LogSink,
  secrets: Set<string>,
  debugEnabled: boolean,
): HandlerLogger {
  const redact = (text: string): string => redactSecrets(text, secrets);
  const write = (level: LogLevel, message: string): void => {
    const lines = redact(message).split('\n');
    for (const line of lines) sink.write(level, `[eksa-iac] ${label}: ${line}`);
  };
  return {
    debug: (message) => {
      if (debugEnabled) write('debug', message);
    },
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
    addSecret: (value) => {
      for (const form of secretForms(value)) secrets.add(form);
    },
    child: (childLabel) => buildLogger(`${label} ${childLabel}`, sink, secrets, debugEnabled),
    redact,
  };
}

function isDebugEnv(): boolean {
  const value = process.env.EKSA_IAC_DEBUG;
  return value !== undefined && value !== '' && value !== '0';
}
