import * as pulumi from '@pulumi/pulumi';
import { chainedOptions, childName } from './component-helpers';
import type { ResolvedEksaClusterArgs } from './eksa-cluster-args';
import type { ResourceArgs } from './eksa-dynamic-resource';
import { BootstrapCleanup } from './resources/bootstrap-cleanup';
import { BootstrapCluster } from './resources/bootstrap-cluster';
import { CapiProviders } from './resources/capi-providers';
import { ClusterConfigFiles } from './resources/cluster-config-files';
import { CuratedPackages } from './resources/curated-packages';
import { EksaComponents } from './resources/eksa-components';
import { GitOps } from './resources/gitops';
import { ManagementMove } from './resources/management-move';
import type { PhaseInputs } from './resources/phase-schema';
import { WorkloadCluster } from './resources/workload-cluster';

/** The phase resources of one EksaCluster, in the order they run (absent ones do not apply to the cluster). */
export interface EksaClusterPhases {
  readonly bootstrapCluster?: BootstrapCluster;
  readonly capiProviders?: CapiProviders;
  readonly workloadCluster: WorkloadCluster;
  readonly managementMove?: ManagementMove;
  readonly eksaComponents: EksaComponents;
  readonly gitOps?: GitOps;
  readonly clusterConfigFiles: ClusterConfigFiles;
  readonly bootstrapCleanup?: BootstrapCleanup;
  readonly curatedPackages?: CuratedPackages;
}

/** @internal What the builder gives the component. */
export interface BuiltEksaCluster {
  readonly phases: EksaClusterPhases;
  readonly kubeconfig: pulumi.Output<string>;
  readonly kubeconfigPath: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly manifestDigest: pulumi.Output<string>;
}

/**
 * @internal The chain of phase resources (architecture.md, the resource table), each a child of the component
 * that depends on the one before: the engine creates them in order, and deletes them in reverse order, which is
 * how `pulumi destroy` becomes the delete workflow. A management cluster gets the nine phases (GitOps and curated
 * packages when enabled); a workload cluster of an existing management cluster gets no bootstrap cluster, no
 * providers of its own, no move and no cleanup (research/eksa.md A3).
 */
export function buildEksaCluster(
  name: string,
  parent: pulumi.ComponentResource,
  args: ResolvedEksaClusterArgs,
): BuiltEksaCluster {
  const common: ResourceArgs<PhaseInputs> = {
    clusterName: args.clusterName,
    config: args.config,
    bundles: args.bundles,
    contract: args.contract,
    timeouts: args.timeouts,
    featureFlags: args.featureFlags,
    site: args.site,
  };
  const chain: pulumi.Resource[] = [];
  const next = <R extends pulumi.Resource>(make: (opts: pulumi.CustomResourceOptions) => R): R => {
    const resource = make(chainedOptions(parent, chain[chain.length - 1]));
    chain.push(resource);
    return resource;
  };

  let bootstrapCluster: BootstrapCluster | undefined;
  let capiProviders: CapiProviders | undefined;
  if (args.selfManaged) {
    bootstrapCluster = next((o) => new BootstrapCluster(childName(name, 'bootstrap'), common, o));
    const bootstrapKubeconfig = bootstrapCluster.kubeconfig;
    capiProviders = next(
      (o) => new CapiProviders(childName(name, 'capi-providers'), { ...common, bootstrapKubeconfig }, o),
    );
  }
  const workloadCluster = next(
    (o) =>
      new WorkloadCluster(
        childName(name, 'workload'),
        {
          ...common,
          bootstrapKubeconfig: bootstrapCluster?.kubeconfig,
          managementKubeconfig: args.managementKubeconfig,
          storageClasses: args.storageClasses,
          upgradeStrategy: args.upgradeStrategy,
        },
        o,
      ),
  );
  const workloadKubeconfig = workloadCluster.kubeconfig;
  const managementMove =
    bootstrapCluster &&
    next(
      (o) =>
        new ManagementMove(
          childName(name, 'move'),
          {
            ...common,
            bootstrapKubeconfig: bootstrapCluster.kubeconfig,
            workloadKubeconfig,
            moveWith: args.moveWith,
          },
          o,
        ),
    );
  const eksaComponents = next(
    (o) =>
      new EksaComponents(
        childName(name, 'eksa-components'),
        { ...common, workloadKubeconfig, managementKubeconfig: args.managementKubeconfig },
        o,
      ),
  );
  const gitOps = args.gitOps
    ? next((o) => new GitOps(childName(name, 'gitops'), { ...common, workloadKubeconfig }, o))
    : undefined;
  const clusterConfigFiles = next(
    (o) => new ClusterConfigFiles(childName(name, 'config-files'), { ...common, workloadKubeconfig }, o),
  );
  const bootstrapCleanup = args.selfManaged
    ? next((o) => new BootstrapCleanup(childName(name, 'bootstrap-cleanup'), common, o))
    : undefined;
  const curatedPackages = args.curatedPackages
    ? next(
        (o) =>
          new CuratedPackages(
            childName(name, 'packages'),
            { ...common, workloadKubeconfig, managementKubeconfig: args.managementKubeconfig },
            o,
          ),
      )
    : undefined;

  // The kubeconfig users get is the one kept on disk, and it is known only once the whole chain is done, so that
  // what a stack deploys to the cluster waits for the cluster to be complete.
  const last = chain[chain.length - 1];
  const kubeconfig = pulumi.secret(
    pulumi.all([clusterConfigFiles.kubeconfig, last.urn]).apply(([text]) => text),
  );
  return {
    phases: {
      bootstrapCluster,
      capiProviders,
      workloadCluster,
      managementMove,
      eksaComponents,
      gitOps,
      clusterConfigFiles,
      bootstrapCleanup,
      curatedPackages,
    },
    kubeconfig,
    kubeconfigPath: clusterConfigFiles.kubeconfigFile,
    endpoint: workloadCluster.endpoint,
    manifestDigest: workloadCluster.manifestDigest,
  };
}
