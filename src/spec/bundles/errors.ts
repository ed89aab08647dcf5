/**
 * Raised for any problem with bundles input: unreadable or malformed files, a wrong kind, an unsupported Kubernetes
 * version, a missing EKS-D release or asset, a failed download or an empty cache while offline. The message is
 * complete on its own (file, field, problem, what to do); `problems` holds the individual findings when there are
 * several.
 */
export class VersionsBundlesError extends Error {
  public readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = []) {
    super(problems.length > 0 ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message);
    this.name = 'VersionsBundlesError';
    this.problems = problems;
  }
}
