/** A Kubernetes `major.minor` version, for the version-gated parts of the templates. */
export interface KubeMinorVersion {
  readonly major: number;
  readonly minor: number;
}

/** Parses `"1.30"` (or `v1.30.2`, `1.30.2-eks-…`) into major and minor. */
export function parseKubeVersion(version: string): KubeMinorVersion {
  const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
  if (!match) throw new Error(`'${version}' is not a Kubernetes version (expected MAJOR.MINOR, e.g. "1.30")`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** True when `version` is at least `atLeast` (both `major.minor`). */
export function kubeVersionAtLeast(version: string, atLeast: string): boolean {
  const a = parseKubeVersion(version);
  const b = parseKubeVersion(atLeast);
  return a.major !== b.major ? a.major > b.major : a.minor >= b.minor;
}

/**
 * True when an EKS-A version (`v0.19.0`, `v0.19.0-dev+latest`) is at least `atLeast`. Pre-release and build
 * suffixes are ignored, as EKS-A does for feature gates. An unset version counts as current (always true).
 */
export function eksaVersionAtLeast(version: string | undefined, atLeast: string): boolean {
  if (!version) return true;
  const parse = (v: string) => {
    const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
    if (!m) throw new Error(`'${v}' is not an EKS-A version (expected vMAJOR.MINOR.PATCH, e.g. "v0.26.1")`);
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  };
  const a = parse(version);
  const b = parse(atLeast);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}
