import { Construct } from 'constructs';
import {
  formatIssue,
  type ClusterConfig,
  type MachineHealthCheck as MachineHealthCheckSettings,
} from '../../spec';
import type { ResolvedVersionsBundle } from '../../spec/bundles';
import { CapiCluster } from '../capi/cluster';
import { EtcdadmCluster } from '../capi/etcdadm-cluster';
import { KubeadmControlPlane } from '../capi/kubeadm-control-plane';
import { MachineHealthCheck } from '../capi/machine-health-check';
import type { IObjectRef } from '../capi/object-ref';
import { RegistryCredentialsSecret } from '../capi/registry-credentials-secret';
import { CAPI_NAMESPACE, capiApiVersion, DEFAULT_CAPI_CONTRACT, type CapiContract } from '../contract';
import { registryMirrorOf, type RegistryCredentials } from '../kubeadm/registry-mirror';
import type { InfrastructureProvider, ProviderContext } from '../providers/provider';
import { templateName, type AppliedTemplate } from '../template-names';
import { WorkerNodeGroup } from './worker-node-group';

/** Properties for {@link ClusterApiObjects}. */
export interface ClusterApiObjectsProps {
  /** The cluster config, after defaults (worker groups named, counts set). */
  readonly config: ClusterConfig;
  /** A versions bundle for every Kubernetes version the cluster uses. */
  readonly bundles: readonly ResolvedVersionsBundle[];
  /** The provider of `config.datacenter`. */
  readonly provider: InfrastructureProvider;
  /** @default "v1beta2" */
  readonly contract?: CapiContract;
  /**
   * Templates applied before (an upgrade passes what is live), so unchanged templates keep their names and
   * changed ones get the next `-N`.
   * @default - none: every template is `-1`
   */
  readonly previousTemplates?: readonly AppliedTemplate[];
  /**
   * Environment for credentials: `REGISTRY_USERNAME` / `REGISTRY_PASSWORD` (registry mirror authentication) and the
   * provider's. Never logged.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Every Cluster API object EKS-A generates for a cluster (`<c>-capi.yaml`): Cluster, infrastructure cluster,
 * control plane and its machine template, external etcd, provider objects, registry credentials, worker groups and
 * MachineHealthChecks, all in `eksa-system`.
 */
export class ClusterApiObjects extends Construct {
  public readonly cluster: CapiCluster;
  public readonly controlPlane: KubeadmControlPlane;
  public readonly etcd?: EtcdadmCluster;
  public readonly workerNodeGroups: readonly WorkerNodeGroup[];
  public readonly context: ProviderContext;
  /** True when a manifest carries credentials (write it 0600). */
  public readonly containsSecrets: boolean;

  constructor(scope: Construct, id: string, props: ClusterApiObjectsProps) {
    super(scope, id);
    const { config, provider } = props;
    const contract = props.contract ?? DEFAULT_CAPI_CONTRACT;
    const spec = config.cluster.spec;
    const clusterName = config.cluster.metadata.name;
    if (config.datacenter.kind !== provider.datacenterKind) {
      throw new Error(
        `ClusterApiObjects '${this.node.path}': provider '${provider.name}' renders ${provider.datacenterKind}, but the cluster uses ${config.datacenter.kind}.`,
      );
    }
    const bundleFor = bundleLookup(props.bundles);
    const env = props.env ?? {};
    const mirrorConfig = spec.registryMirrorConfiguration;
    const credentials = mirrorConfig?.authenticate ? registryCredentials(env) : undefined;
    const registryMirror = mirrorConfig ? registryMirrorOf(mirrorConfig, credentials) : undefined;
    const applied = props.previousTemplates ?? [];
    this.context = {
      config,
      clusterName,
      namespace: CAPI_NAMESPACE,
      contract,
      bundle: bundleFor(spec.kubernetesVersion),
      bundleFor,
      registryMirror,
      env,
      templateName: (base, kind, templateSpec) => templateName(base, kind, templateSpec, applied),
      eksaVersion: spec.eksaVersion,
    };
    const context = this.context;
    const problems = provider.validate(context).filter((i) => i.severity === 'error');
    if (problems.length > 0) {
      throw new Error(
        `ClusterApiObjects '${this.node.path}': the ${provider.name} provider cannot render this cluster:\n  ${problems.map(formatIssue).join('\n  ')}`,
      );
    }

    // Placeholders keep the output in EKS-A's order while objects are created in dependency order.
    const clusterScope = new Construct(this, 'Cluster');
    const infrastructure = provider.addInfrastructureCluster(this, context);
    const controlPlaneScope = new Construct(this, 'ControlPlane');
    const cpTemplate = provider.addMachineTemplate(controlPlaneScope, context, { role: 'controlPlane' });
    this.controlPlane = new KubeadmControlPlane(controlPlaneScope, 'KubeadmControlPlane', {
      name: clusterName,
      namespace: CAPI_NAMESPACE,
      contract,
      replicas: spec.controlPlaneConfiguration.count,
      version: context.bundle.kubeDistro.kubernetes.tag,
      machineTemplate: cpTemplate,
      machineLabels: provider.controlPlaneMachineLabels(context),
      kubeadmConfigSpec: provider.controlPlaneKubeadmConfig(context),
      maxSurge: spec.controlPlaneConfiguration.upgradeRolloutStrategy?.rollingUpdate?.maxSurge,
    });

    let etcdRef: IObjectRef | undefined;
    if (spec.externalEtcdConfiguration) {
      const etcdScope = new Construct(this, 'Etcd');
      const clusterScopeOrder = new Construct(etcdScope, 'Cluster');
      const etcdTemplate = provider.addMachineTemplate(etcdScope, context, { role: 'etcd' });
      this.etcd = new EtcdadmCluster(clusterScopeOrder, 'EtcdadmCluster', {
        name: `${clusterName}-etcd`,
        namespace: CAPI_NAMESPACE,
        replicas: spec.externalEtcdConfiguration.count,
        machineTemplate: etcdTemplate,
        etcdadmConfigSpec: provider.etcdadmConfig(context),
        referenceNamespace: provider.v1beta1ReferenceNamespaces,
      });
      etcdRef = this.etcd;
    }

    const clusterOptions = provider.clusterOptions(context);
    this.cluster = new CapiCluster(clusterScope, 'Cluster', {
      name: clusterName,
      namespace: CAPI_NAMESPACE,
      contract,
      labels: clusterOptions.labels,
      podCidrBlocks: spec.clusterNetwork.pods?.cidrBlocks ?? [],
      serviceCidrBlocks: spec.clusterNetwork.services?.cidrBlocks ?? [],
      serviceDomain: clusterOptions.serviceDomain,
      controlPlane: {
        apiVersion: capiApiVersion('controlPlane', contract),
        kind: 'KubeadmControlPlane',
        name: clusterName,
        namespace: CAPI_NAMESPACE,
      },
      infrastructure,
      managedExternalEtcd: etcdRef,
      referenceNamespaces: provider.v1beta1ReferenceNamespaces,
    });

    provider.addExtraObjects(this, context);
    if (credentials) new RegistryCredentialsSecret(this, 'RegistryCredentials', { credentials });

    this.workerNodeGroups = (spec.workerNodeGroupConfigurations ?? []).map(
      (group, i) =>
        new WorkerNodeGroup(this, `Workers${i}-${group.name ?? ''}`, { provider, context, group }),
    );

    const mhc = spec.machineHealthCheck;
    const cpMhc = merge(mhc, spec.controlPlaneConfiguration.machineHealthCheck);
    new MachineHealthCheck(this, 'ControlPlaneHealthCheck', {
      name: `${clusterName}-kcp-unhealthy`,
      contract,
      clusterName,
      matchLabels: { 'cluster.x-k8s.io/control-plane': '' },
      nodeStartupTimeout: cpMhc.nodeStartupTimeout,
      unhealthyMachineTimeout: cpMhc.unhealthyMachineTimeout,
      maxUnhealthy: cpMhc.maxUnhealthy ?? '100%',
    });
    for (const group of spec.workerNodeGroupConfigurations ?? []) {
      const groupMhc = merge(mhc, group.machineHealthCheck);
      new MachineHealthCheck(this, `WorkersHealthCheck-${group.name}`, {
        name: `${clusterName}-${group.name}-worker-unhealthy`,
        contract,
        clusterName,
        matchLabels: { 'cluster.x-k8s.io/deployment-name': `${clusterName}-${group.name}` },
        nodeStartupTimeout: groupMhc.nodeStartupTimeout,
        unhealthyMachineTimeout: groupMhc.unhealthyMachineTimeout,
        maxUnhealthy: group.machineHealthCheck?.maxUnhealthy ?? mhc?.maxUnhealthy ?? '40%',
      });
    }

    this.containsSecrets = credentials !== undefined || provider.credentialEnvVars.length > 0;
  }
}

/** Registry credentials from the environment, as EKS-A reads them (`REGISTRY_USERNAME` / `REGISTRY_PASSWORD`). */
export function registryCredentials(env: Readonly<Record<string, string | undefined>>): RegistryCredentials {
  return { username: env.REGISTRY_USERNAME ?? '', password: env.REGISTRY_PASSWORD ?? '' };
}

function bundleLookup(
  bundles: readonly ResolvedVersionsBundle[],
): (version: string) => ResolvedVersionsBundle {
  const byVersion = new Map(bundles.map((b) => [b.kubeVersion, b]));
  return (version) => {
    const bundle = byVersion.get(version);
    if (!bundle) {
      const known = [...byVersion.keys()].join(', ') || 'none';
      throw new Error(
        `No resolved versions bundle for Kubernetes ${version} (resolved: ${known}); resolve it before synthesis.`,
      );
    }
    return bundle;
  };
}

function merge(
  base: MachineHealthCheckSettings | undefined,
  override: MachineHealthCheckSettings | undefined,
): MachineHealthCheckSettings {
  return {
    nodeStartupTimeout: override?.nodeStartupTimeout ?? base?.nodeStartupTimeout,
    unhealthyMachineTimeout: override?.unhealthyMachineTimeout ?? base?.unhealthyMachineTimeout,
    maxUnhealthy: override?.maxUnhealthy ?? base?.maxUnhealthy,
  };
}
