/** A semantic version (`v` prefix allowed, as EKS-A writes release versions). */
export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease?: string;
  readonly build?: string;
}

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses a semantic version, or undefined. */
export function parseSemVer(text: string): SemVer | undefined {
  const m = SEMVER.exec(text);
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    ...(m[4] ? { prerelease: m[4] } : {}),
    ...(m[5] ? { build: m[5] } : {}),
  };
}

/** A Kubernetes minor version `"1.30"` as numbers, or undefined. */
export function parseKubeMinor(text: string | undefined): { major: number; minor: number } | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(text ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** Minor versions from `a` to `b` (positive when b is newer); only meaningful within one major version. */
export function minorDelta(a: { major: number; minor: number }, b: { major: number; minor: number }): number {
  return (b.major - a.major) * 1000 + (b.minor - a.minor);
}
