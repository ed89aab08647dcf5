import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What `parseArgs` yields for a set of options (no positionals). */
export type ParsedArgs<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>;

/** A command line that cannot be run as given (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses a command's arguments strictly (unknown options and stray positionals are usage errors). */
export function parseCommandArgs<T extends Options>(argv: readonly string[], options: T): ParsedArgs<T> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** The cluster input options `synth` and `validate` share. */
export const CLUSTER_INPUT_OPTIONS = {
  file: { type: 'string', short: 'f' },
  bundles: { type: 'string' },
  'eksd-release': { type: 'string', multiple: true },
} as const;

export const CLUSTER_INPUT_USAGE = [
  '  -f, --file CLUSTER.yaml      EKS-A cluster config (Cluster, datacenter config, …) (required)',
  '      --bundles BUNDLES.yaml   EKS-A Bundles manifest (file or URL)',
  '                               (default: the pinned EKS-A release, from the cache or downloaded)',
  '      --eksd-release FILE      EKS-D Release manifest; repeatable. A versions bundle uses the one whose file',
  '                               name matches its eksD.manifestUrl before anything is downloaded',
].join('\n');
