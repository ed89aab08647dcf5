import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  DEFAULT_CAPI_CONTRACT,
  isCapiContract,
  synthesizeCluster,
  type SynthesizedCluster,
} from '../../manifests';
import { formatIssue } from '../../spec';
import { CLUSTER_INPUT_OPTIONS, CLUSTER_INPUT_USAGE, parseCommandArgs, UsageError } from '../args';
import { loadClusterInput, reportProblems } from '../cluster-input';
import type { CliCommand, CliContext } from '../command';

const USAGE = `Usage: eksa-iac synth -f CLUSTER.yaml [options]

Writes DIR/<cluster>/generated/<cluster>-eks-a-cluster.yaml (the EKS-A objects after defaults) and
DIR/<cluster>/generated/<cluster>-capi.yaml (the Cluster API objects EKS-A would generate). Nothing is written
when the config has an error.

Options:
${CLUSTER_INPUT_USAGE}
      --contract v1beta1|v1beta2
                               Cluster API contract of the management cluster (default: ${DEFAULT_CAPI_CONTRACT})
      --out DIR                Output folder (default: the current directory)
      --no-validate            Render as EKS-A's template tests do: validation rules are not applied and unknown
                               fields are warnings (malformed YAML is still an error); the provider's create
                               setup defaults apply only with --contract v1beta1, as in EKS-A before v0.25
  -h, --help                   Show this help

Environment (files holding these are 0600):
  REGISTRY_USERNAME / REGISTRY_PASSWORD         registry mirror authentication
  EKSA_VSPHERE_USERNAME / EKSA_VSPHERE_PASSWORD vCenter user of CAPV and the cloud provider (vSphere)
  EKSA_VSPHERE_CP_USERNAME / _CP_PASSWORD       a separate vCenter user for the cloud provider (vSphere)
`;

/** `eksa-iac synth`. */
export const synthCommand: CliCommand = {
  name: 'synth',
  summary: 'Write the EKS-A config and the Cluster API manifests for a cluster',
  usage: USAGE,
  async run(argv, context) {
    let args;
    try {
      args = parseCommandArgs(argv, {
        ...CLUSTER_INPUT_OPTIONS,
        contract: { type: 'string' },
        out: { type: 'string' },
        'no-validate': { type: 'boolean' },
      });
      if (!args.values.file) throw new UsageError('-f CLUSTER.yaml is required');
      if (args.values.contract !== undefined && !isCapiContract(args.values.contract)) {
        throw new UsageError(`--contract must be v1beta1 or v1beta2, got '${args.values.contract}'`);
      }
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      context.stderr(`eksa-iac synth: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    const v = args.values;
    const validate = !v['no-validate'];
    const input = await loadClusterInput(
      {
        file: v.file!,
        bundles: v.bundles,
        eksdReleases: v['eksd-release'] ?? [],
        validate,
        // EKS-A's template tests before v0.25 (the v1beta1 contract) rendered after the provider's create setup;
        // the current ones render the config as parsed.
        providerSetup: validate || v.contract === 'v1beta1',
      },
      context,
    );
    if (!input.ok) {
      reportProblems(context, 'synth', input.problems);
      return 1;
    }
    for (const warning of input.warnings) context.stderr(`${formatIssue(warning)}\n`);

    let result: SynthesizedCluster;
    try {
      result = synthesizeCluster({
        config: input.config,
        bundles: input.bundles,
        contract: isCapiContract(v.contract) ? v.contract : undefined,
        env: context.env,
      });
    } catch (error) {
      reportProblems(context, 'synth', [`${v.file}: ${(error as Error).message}`]);
      return 1;
    }
    // Everything is rendered before the first file is touched.
    const files = [
      { name: `${result.clusterName}-eks-a-cluster.yaml`, text: result.eksaYaml(), secret: false },
      { name: `${result.clusterName}-capi.yaml`, text: result.capiYaml(), secret: result.containsSecrets },
    ];
    const dir = path.resolve(context.cwd, v.out ?? '.', result.clusterName, 'generated');
    await writeOutputs(dir, files, context);
    return 0;
  },
};

async function writeOutputs(
  dir: string,
  files: readonly { name: string; text: string; secret: boolean }[],
  context: CliContext,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    const target = path.join(dir, file.name);
    const mode = file.secret ? 0o600 : 0o644;
    // A fresh file with its final mode, renamed over the target: credentials are never in a readable file, even
    // when an older output with another mode exists.
    const temporary = `${target}.${process.pid}.tmp`;
    await rm(temporary, { force: true });
    await writeFile(temporary, file.text, { mode, flag: 'wx' });
    await chmod(temporary, mode);
    await rename(temporary, target);
    const relative = path.relative(context.cwd, target);
    const shown = relative.startsWith('..') || path.isAbsolute(relative) ? target : relative;
    context.stdout(`wrote ${shown}${file.secret ? ' (0600: holds credentials)' : ''}\n`);
  }
}
