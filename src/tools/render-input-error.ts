/** Invalid input to a renderer; lists every problem found. */
export class RenderInputError extends Error {
  constructor(
    what: string,
    public readonly problems: readonly string[],
  ) {
    super(
      `invalid ${what}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'RenderInputError';
  }
}
