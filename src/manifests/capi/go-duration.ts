/** Go `time.Duration` text (as EKS-A and CAPI v1beta1 write it) to whole seconds, and back. */

const UNIT_SECONDS: Record<string, number> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
  us: 0.000001,
  µs: 0.000001,
  ns: 1e-9,
};

/**
 * Parses a Go duration such as `10m0s`, `5m` or `1h30m` into seconds.
 * @throws Error when the text is not a Go duration or is not a whole number of seconds
 */
export function parseGoDurationSeconds(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const part = /(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/y;
  let total = 0;
  let index = 0;
  while (index < trimmed.length) {
    part.lastIndex = index;
    const match = part.exec(trimmed);
    if (!match) throw new Error(`'${text}' is not a Go duration (for example "10m0s" or "5m")`);
    total += Number(match[1]) * UNIT_SECONDS[match[2]];
    index = part.lastIndex;
  }
  if (trimmed.length === 0) throw new Error(`'${text}' is not a Go duration (for example "10m0s" or "5m")`);
  const rounded = Math.round(total * 1000) / 1000;
  if (!Number.isInteger(rounded)) throw new Error(`'${text}' is not a whole number of seconds`);
  return rounded;
}

/** Formats whole seconds the way Go's `Duration.String()` does: `600` → `10m0s`, `3600` → `1h0m0s`. */
export function formatGoDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
