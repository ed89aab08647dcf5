import { stringify } from 'yaml';
import { isKubeApiError } from '../../kube/errors';
import type { KubeClient, KubeObject } from '../../kube/types';
import type { ClusterConfig } from '../../spec/cluster-config';
import { DEFAULT_EKSA_NAMESPACE, EKSA_API_VERSION } from '../../spec/meta';
import { parseClusterConfig } from '../../spec/parse';

/** What {@link readLiveClusterConfig} found. */
export type LiveClusterConfig =
  | { readonly found: true; readonly config: ClusterConfig }
  /** No EKS-A Cluster object (EKS-A's components or objects were never installed), or it could not be read. */
  | { readonly found: false; readonly reason: string };

interface Ref {
  readonly kind?: string;
  readonly name?: string;
}

/**
 * The config a cluster runs now, read from the EKS-A objects where they live (the cluster itself, or its
 * management cluster), as EKS-A's upgrade reads the current spec (`GetCurrentClusterSpec`): the Cluster and
 * every object it references (datacenter, machine configs, identity providers, GitOps), with only the fields a
 * config file holds (no status, no server metadata), parsed with the same strict rules as a file.
 */
export async function readLiveClusterConfig(
  client: KubeClient,
  clusterName: string,
  namespace: string = DEFAULT_EKSA_NAMESPACE,
): Promise<LiveClusterConfig> {
  const get = async (kind: string, name: string) => {
    try {
      return await client.get({ apiVersion: EKSA_API_VERSION, kind, namespace, name });
    } catch (error) {
      if (isKubeApiError(error) && error.statusCode === 404) return undefined;
      throw error;
    }
  };
  const cluster = await get('Cluster', clusterName);
  if (!cluster) {
    return {
      found: false,
      reason: `no EKS-A Cluster ${namespace}/${clusterName} (anywhere.eks.amazonaws.com/v1alpha1) on that cluster`,
    };
  }
  const spec = (cluster.spec ?? {}) as {
    datacenterRef?: Ref;
    controlPlaneConfiguration?: { machineGroupRef?: Ref };
    externalEtcdConfiguration?: { machineGroupRef?: Ref };
    workerNodeGroupConfigurations?: { machineGroupRef?: Ref }[];
    identityProviderRefs?: Ref[];
    gitOpsRef?: Ref;
  };
  const refs: Ref[] = [
    spec.datacenterRef,
    spec.controlPlaneConfiguration?.machineGroupRef,
    spec.externalEtcdConfiguration?.machineGroupRef,
    ...(spec.workerNodeGroupConfigurations ?? []).map((g) => g.machineGroupRef),
    ...(spec.identityProviderRefs ?? []),
    spec.gitOpsRef,
  ].filter((r): r is Ref => !!r?.kind && !!r.name);
  const objects: KubeObject[] = [cluster];
  const seen = new Set<string>();
  for (const ref of refs) {
    const key = `${ref.kind}/${ref.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const object = await get(ref.kind!, ref.name!);
    if (object) objects.push(object);
  }
  const file = `${clusterName} (live EKS-A objects)`;
  try {
    return { found: true, config: parseClusterConfig(objects.map(asConfigDocument).join('---\n'), { file }) };
  } catch (error) {
    return {
      found: false,
      reason: `the live EKS-A objects do not parse as a config: ${(error as Error).message}`,
    };
  }
}

/** The object as a config file holds it: apiVersion, kind, name, namespace, spec. */
function asConfigDocument(object: KubeObject): string {
  return stringify(
    {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: {
        name: object.metadata.name,
        ...(object.metadata.namespace && object.metadata.namespace !== DEFAULT_EKSA_NAMESPACE
          ? { namespace: object.metadata.namespace }
          : {}),
      },
      spec: object.spec ?? {},
    },
    { version: '1.1', lineWidth: 0 },
  );
}
