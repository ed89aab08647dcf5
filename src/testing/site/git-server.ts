/** One commit of a simulated repository. */
export interface GitCommit {
  /** A 40-hex stand-in for the commit hash. */
  readonly sha: string;
  readonly branch: string;
  readonly message: string;
  /** Paths written (content) or removed (null) by the commit. */
  readonly changes: Readonly<Record<string, string | null>>;
  readonly at: Date;
}

/** A repository on the simulated git host. */
export class SimulatedGitRepository {
  private readonly branches = new Map<string, Map<string, string>>();
  private readonly history: GitCommit[] = [];

  public constructor(public readonly url: string) {}

  /** Writes (string) or removes (null) files on a branch as one commit. */
  public commit(
    branch: string,
    changes: Readonly<Record<string, string | null>>,
    message: string,
  ): GitCommit {
    const files = new Map(this.branches.get(branch) ?? []);
    for (const [p, content] of Object.entries(changes)) {
      if (content === null) {
        for (const existing of [...files.keys()]) {
          if (existing === p || existing.startsWith(`${p.replace(/\/+$/, '')}/`)) files.delete(existing);
        }
      } else {
        files.set(p, content);
      }
    }
    this.branches.set(branch, files);
    const commit: GitCommit = {
      sha: (this.history.length + 1).toString(16).padStart(40, '0'),
      branch,
      message,
      changes: { ...changes },
      at: new Date(),
    };
    this.history.push(commit);
    return commit;
  }

  /** The files of a branch (path → content). */
  public files(branch = 'main'): Record<string, string> {
    return Object.fromEntries(
      [...(this.branches.get(branch) ?? new Map<string, string>())].sort(([a], [b]) => a.localeCompare(b)),
    );
  }

  public commits(branch?: string): GitCommit[] {
    return this.history.filter((c) => branch === undefined || c.branch === branch);
  }

  public head(branch = 'main'): GitCommit | undefined {
    return this.commits(branch).at(-1);
  }
}

/** The git host of the simulated site: repositories by URL, created on first use (as `flux bootstrap` does). */
export class SimulatedGitServer {
  private readonly repos = new Map<string, SimulatedGitRepository>();

  public repository(url: string): SimulatedGitRepository {
    let repo = this.repos.get(url);
    if (!repo) {
      repo = new SimulatedGitRepository(url);
      this.repos.set(url, repo);
    }
    return repo;
  }

  public has(url: string): boolean {
    return this.repos.has(url);
  }

  public urls(): string[] {
    return [...this.repos.keys()].sort();
  }
}
