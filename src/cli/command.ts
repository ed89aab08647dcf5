/** What a command may touch: injected so commands run the same in a terminal and in tests. */
export interface CliContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** One `eksa-iac` sub-command; each lives in its own module under src/cli/commands/. */
export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage text for `eksa-iac NAME --help`. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(argv: readonly string[], context: CliContext): Promise<number>;
}
