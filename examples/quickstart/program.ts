/**
 * The quick start as a Pulumi program: one EKS Anywhere cluster on the docker provider, from cluster.yaml beside
 * this file. `index.ts` is the entry point Pulumi runs (the root Pulumi.yaml points at this directory); this module
 * holds the program so that tests can run it against the simulated site.
 *
 * In your own project, import from the package: `import { EksaCluster } from 'eksa-iac/pulumi';`.
 */
import * as path from 'node:path';
import type * as pulumi from '@pulumi/pulumi';
import { EksaCluster, type EksaClusterArgs } from '../../src/pulumi';

/** The EksaCluster arguments the program passes on; `config` defaults to cluster.yaml beside this file. */
export type QuickstartOptions = Partial<EksaClusterArgs>;

/** What the program exports as stack outputs. */
export interface QuickstartOutputs {
  readonly clusterName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  /** Secret: `pulumi stack output kubeconfig --show-secrets > quickstart.kubeconfig`. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly kubeconfigPath: pulumi.Output<string>;
  readonly manifestDigest: pulumi.Output<string>;
}

/** The path of the example's cluster config, relative to the working directory (as EKS-A names files in messages). */
export function quickstartConfigPath(): string {
  return path.relative(process.cwd(), path.join(__dirname, 'cluster.yaml'));
}

export function quickstart(options: QuickstartOptions = {}): {
  cluster: EksaCluster;
  outputs: QuickstartOutputs;
} {
  const cluster = new EksaCluster('quickstart', {
    config: quickstartConfigPath(),
    // Beside the synth quick start's output: out/quickstart/quickstart-eks-a-cluster.kubeconfig and friends.
    workDir: 'out',
    ...options,
  });
  return {
    cluster,
    outputs: {
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      kubeconfig: cluster.kubeconfig,
      kubeconfigPath: cluster.kubeconfigPath,
      manifestDigest: cluster.manifestDigest,
    },
  };
}
