import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { formatIssue } from '../../spec';
import { isSelfManaged } from '../../spec/cluster-config';
import { createLocalSite, planUpgrade, type LiveRolloutPlan, type WorkflowLogger } from '../../workflow';
import { CLUSTER_INPUT_OPTIONS, CLUSTER_INPUT_USAGE, parseCommandArgs, UsageError } from '../args';
import { loadClusterInput, reportProblems } from '../cluster-input';
import type { CliCommand, CliContext } from '../command';

const USAGE = `Usage: eksa-iac plan -f CLUSTER.yaml --kubeconfig KUBECONFIG [options]

Prints what upgrading a running cluster to CLUSTER.yaml would do, read from the cluster (nothing is changed or
written): the core components whose versions change, then each machine group that rolls, in the order the upgrade
rolls them (external etcd, the control plane, the worker groups; removed groups last), e.g.
  control plane: 3 machines roll v1.30 → v1.31
  md-0: 2 machines roll v1.30 → v1.31
Changes EKS-A refuses (an immutable field such as the pods CIDR, a version skew) are printed with the reason.

Options:
${CLUSTER_INPUT_USAGE}
      --kubeconfig FILE        The cluster's kubeconfig; for a workload cluster (managementCluster names another
                               cluster), the management cluster's (required)
      --json                   Print the plan as JSON
      --detailed-exitcode      Exit 0 when nothing would change, 2 when something would (1 on errors)
  -h, --help                   Show this help

Exit codes: 0 plan printed, 1 the config or the cluster has a problem, or the change cannot be made in place
(refused, or the cluster must be replaced), 2 a usage error (or, with --detailed-exitcode, changes planned).
`;

const OPTIONS = {
  ...CLUSTER_INPUT_OPTIONS,
  kubeconfig: { type: 'string' },
  json: { type: 'boolean' },
  'detailed-exitcode': { type: 'boolean' },
} as const;

/** `eksa-iac plan`. */
export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'Print what an upgrade to a config would roll on a running cluster',
  usage: USAGE,
  async run(argv, context) {
    let args;
    try {
      args = parseCommandArgs(argv, OPTIONS);
      if (!args.values.file) throw new UsageError('-f CLUSTER.yaml is required');
      if (!args.values.kubeconfig) throw new UsageError('--kubeconfig FILE is required');
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      context.stderr(`eksa-iac plan: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    const v = args.values;
    const input = await loadClusterInput(
      { file: v.file!, bundles: v.bundles, eksdReleases: v['eksd-release'] ?? [], validate: true },
      context,
    );
    if (!input.ok) {
      reportProblems(context, 'plan', input.problems);
      return 1;
    }
    let kubeconfig: string;
    try {
      kubeconfig = await readFile(path.resolve(context.cwd, v.kubeconfig!), 'utf8');
    } catch (error) {
      reportProblems(context, 'plan', [
        `${v.kubeconfig}: cannot read the kubeconfig: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Fix: pass the cluster's kubeconfig file with --kubeconfig.`,
      ]);
      return 1;
    }
    for (const warning of input.warnings) context.stderr(`${formatIssue(warning)}\n`);

    const site = createLocalSite({ workDir: context.cwd, env: context.env, logger: stderrLogger(context) });
    const selfManaged = isSelfManaged(input.config.cluster);
    let plan: LiveRolloutPlan;
    try {
      plan = await planUpgrade(site, {
        config: input.config,
        bundles: {
          ...(v.bundles ? { bundles: v.bundles } : {}),
          ...(v['eksd-release'] ? { eksdReleases: v['eksd-release'] } : {}),
        },
        ...(selfManaged ? { workloadKubeconfig: kubeconfig } : { managementKubeconfig: kubeconfig }),
      });
    } catch (error) {
      reportProblems(context, 'plan', [(error as Error).message]);
      return 1;
    }
    const name = input.config.cluster.metadata.name;
    if (v.json) {
      context.stdout(`${JSON.stringify({ cluster: name, ...plan }, null, 2)}\n`);
    } else {
      context.stdout(
        `Plan for cluster ${name} (its CAPI objects read from ${describeHolder(plan.readFrom)}):\n`,
      );
      for (const line of plan.lines) context.stdout(`  ${line}\n`);
    }
    if (plan.refusals.length > 0 || plan.replacementReasons.length > 0) {
      context.stderr(`eksa-iac plan: cluster ${name} cannot be upgraded in place to ${v.file}\n`);
      return 1;
    }
    const changes = plan.rolls || plan.otherChanges.length > 0 || plan.components.length > 0;
    return v['detailed-exitcode'] && changes ? 2 : 0;
  },
};

function describeHolder(role: LiveRolloutPlan['readFrom']): string {
  switch (role) {
    case 'self':
      return 'the cluster itself';
    case 'bootstrap':
      return 'its kind bootstrap cluster (an upgrade was interrupted)';
    case 'management':
      return 'its management cluster';
  }
}

/** Warnings and errors to stderr; the progress lines of the reads stay quiet. */
function stderrLogger(context: CliContext): WorkflowLogger {
  return {
    info: () => {},
    warn: (m) => context.stderr(`warning: ${m}\n`),
    error: () => {},
  };
}
