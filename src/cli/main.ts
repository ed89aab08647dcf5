import type { CliCommand, CliContext } from './command';
import type * as BundlesModule from './commands/bundles';
import type * as PlanModule from './commands/plan';
import type * as SynthModule from './commands/synth';
import type * as ValidateModule from './commands/validate';

/**
 * A command's name and summary, and how to load it. Command modules are required only when their command runs, so
 * `--help` and light commands do not pay for cdk8s and the generated imports.
 */
interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): CliCommand;
}

const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'synth',
    summary: 'Write the EKS-A config and the Cluster API manifests EKS-A would generate for a cluster',
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: a command loads only what it runs
    load: () => (require('./commands/synth') as typeof SynthModule).synthCommand,
  },
  {
    name: 'bundles',
    summary: 'Fetch, list, export and import cached EKS-A versions bundles',
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: a command loads only what it runs
    load: () => (require('./commands/bundles') as typeof BundlesModule).bundlesCommand,
  },
  {
    name: 'validate',
    summary: 'Check a cluster config the way EKS-A does and print every problem',
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: a command loads only what it runs
    load: () => (require('./commands/validate') as typeof ValidateModule).validateCommand,
  },
  {
    name: 'plan',
    summary: 'Print what an upgrade to a config would roll on a running cluster',
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: a command loads only what it runs
    load: () => (require('./commands/plan') as typeof PlanModule).planCommand,
  },
];

/** The command list. */
export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: eksa-iac <command> [options]',
    '',
    'Amazon EKS Anywhere clusters as infrastructure-as-code.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'eksa-iac <command> --help' for a command's options.",
    '',
  ].join('\n');
}

/** The context of the running process: its directory, environment and output streams. */
export function processContext(): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}

/**
 * Runs `eksa-iac` with `argv` (the arguments after the program name) and resolves to the exit code: 0 success,
 * 1 the command failed (bad input, nothing written), 2 usage error.
 */
export async function main(argv: readonly string[], context: CliContext = processContext()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? context.stderr : context.stdout)(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    context.stderr(`eksa-iac: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const command = entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    context.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, context);
  } catch (error) {
    // Commands report expected failures themselves; anything reaching here is a bug or an environment problem.
    context.stderr(`eksa-iac ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
