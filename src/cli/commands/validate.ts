import { CAPI_CONTRACTS, synthesizeCluster } from '../../manifests';
import { formatIssue } from '../../spec';
import { CLUSTER_INPUT_OPTIONS, CLUSTER_INPUT_USAGE, parseCommandArgs, UsageError } from '../args';
import { loadClusterInput, reportProblems } from '../cluster-input';
import type { CliCommand } from '../command';

const USAGE = `Usage: eksa-iac validate -f CLUSTER.yaml [options]

Checks a cluster config as the EKS-A CLI does (strict parsing, EKS-A's rules, Kubernetes versions the versions
bundle supports) and renders it once in memory. Prints every problem; writes nothing.

Options:
${CLUSTER_INPUT_USAGE}
  -h, --help                   Show this help
`;

/** `eksa-iac validate`. */
export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Check a cluster config the way EKS-A does and print every problem',
  usage: USAGE,
  async run(argv, context) {
    let args;
    try {
      args = parseCommandArgs(argv, CLUSTER_INPUT_OPTIONS);
      if (!args.values.file) throw new UsageError('-f CLUSTER.yaml is required');
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      context.stderr(`eksa-iac validate: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    const v = args.values;
    const input = await loadClusterInput(
      { file: v.file!, bundles: v.bundles, eksdReleases: v['eksd-release'] ?? [], validate: true },
      context,
    );
    if (!input.ok) {
      reportProblems(context, 'validate', input.problems);
      return 1;
    }
    const problems: string[] = [];
    for (const contract of CAPI_CONTRACTS) {
      try {
        synthesizeCluster({ config: input.config, bundles: input.bundles, contract, env: context.env });
      } catch (error) {
        problems.push(`${v.file}: cannot render for contract ${contract}: ${(error as Error).message}`);
      }
    }
    if (problems.length > 0) {
      reportProblems(context, 'validate', problems);
      return 1;
    }
    for (const warning of input.warnings) context.stdout(`${formatIssue(warning)}\n`);
    context.stdout(`${v.file}: valid (cluster ${input.config.cluster.metadata.name})\n`);
    return 0;
  },
};
