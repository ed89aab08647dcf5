import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

/**
 * Type token of one of our components: `eksa-iac:<module>:<type>`. Fixed forever once released; renaming needs
 * `aliases` in users' programs.
 */
export function componentTypeToken(module: string, type: string): string {
  return `eksa-iac:${module}:${type}`;
}

/** Name of a component's child: `<component>-<suffix>`, so that children of two components never collide. */
export function childName(componentName: string, suffix: string): string {
  return `${componentName}-${suffix}`;
}

/**
 * Options for the next link of a component's chain: a child of `parent` that depends on `previous`. The engine
 * creates the chain in order and deletes it in reverse, which is how `pulumi destroy` becomes the delete workflow.
 */
export function chainedOptions(
  parent: pulumi.Resource,
  previous?: pulumi.Resource,
  extra: ChainedOptionsExtra = {},
): pulumi.CustomResourceOptions {
  const dependsOn = [...(extra.dependsOn ?? []), ...(previous ? [previous] : [])];
  return { ...extra, parent, dependsOn };
}

/** Further options of a chain link; extra dependencies are plain resources so that they can be merged. */
export interface ChainedOptionsExtra extends Omit<pulumi.CustomResourceOptions, 'parent' | 'dependsOn'> {
  readonly dependsOn?: readonly pulumi.Resource[];
}

export interface KubernetesProviderArgs extends Omit<k8s.ProviderArgs, 'kubeconfig'> {
  /** The cluster's kubeconfig, e.g. `cluster.kubeconfig` (a secret Output). */
  readonly kubeconfig: pulumi.Input<string>;
}

/**
 * A `@pulumi/kubernetes` Provider for a cluster's kubeconfig output, so the rest of a stack can deploy to the new
 * cluster. `@pulumi/kubernetes` is an optional peer dependency, loaded only when this is called. The kubeconfig is
 * kept secret whatever it came from.
 */
export function createKubernetesProvider(
  name: string,
  args: KubernetesProviderArgs,
  opts?: pulumi.CustomResourceOptions,
): k8s.Provider {
  const kubernetes = loadKubernetesPackage();
  return new kubernetes.Provider(name, { ...args, kubeconfig: pulumi.secret(args.kubeconfig) }, opts);
}

function loadKubernetesPackage(): typeof k8s {
  try {
    // Loaded lazily: the core of the library must work without the peer (its plugin comes with the Pulumi CLI).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@pulumi/kubernetes') as typeof k8s;
  } catch (error) {
    throw new Error(
      'createKubernetesProvider needs the optional peer dependency @pulumi/kubernetes. ' +
        `Install it in your Pulumi project: npm install @pulumi/kubernetes (${(error as Error).message})`,
    );
  }
}
