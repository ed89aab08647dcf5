/** A program's version, reduced to what minimum-version checks compare. */
export interface ToolVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The version as the program printed it, e.g. `v1.13.2-eks-a-0.26.1`. */
  readonly text: string;
}

/**
 * Finds the first `[v]MAJOR.MINOR[.PATCH]` in `text`. Anything after the patch number (`-eks-a-…`, `+g13654a5`) is
 * kept in `text` but ignored when comparing: distributions such as EKS-A tag their builds that way, and those tags
 * are not pre-releases of the upstream version.
 */
export function parseToolVersion(text: string): ToolVersion | undefined {
  const match = /(?:^|[^0-9A-Za-z.])v?(\d+)\.(\d+)(?:\.(\d+))?([-+][0-9A-Za-z.+-]*)?/.exec(text);
  if (!match) {
    return undefined;
  }
  const [, major, minor, patch, suffix] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: patch === undefined ? 0 : Number(patch),
    text: `${/v\d/.test(match[0]) ? 'v' : ''}${major}.${minor}${patch === undefined ? '' : `.${patch}`}${suffix ?? ''}`,
  };
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer. */
export function compareToolVersions(a: ToolVersion, b: ToolVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Whether `found` is at least `minimum` (both as printed, e.g. `v0.32.0` and `0.20`). */
export function isAtLeast(found: string, minimum: string): boolean {
  const f = parseToolVersion(found);
  const m = parseToolVersion(minimum);
  if (!f || !m) {
    throw new Error(`cannot compare versions '${found}' and '${minimum}'`);
  }
  return compareToolVersions(f, m) >= 0;
}

/** The higher of two versions (as given). */
export function maxVersion(a: string, b: string): string {
  return isAtLeast(a, b) ? a : b;
}
