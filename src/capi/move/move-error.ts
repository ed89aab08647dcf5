/** Why a move, backup or restore stopped; `problems` lists every problem found, not just the first. */
export class MoveError extends Error {
  /** One line per problem, each naming the object or option concerned and how to fix it. */
  public readonly problems: readonly string[];

  constructor(summary: string, problems: readonly string[] = [], options?: { cause?: unknown }) {
    super(
      problems.length > 0 ? `${summary}:\n${problems.map((p) => `  - ${p}`).join('\n')}` : summary,
      options,
    );
    this.name = 'MoveError';
    this.problems = problems;
  }
}
