import { Construct } from 'constructs';
import type { WorkerNodeGroupConfiguration } from '../../spec';
import {
  kubeadmConfigSpecV1Beta1,
  kubeadmConfigSpecV1Beta2,
  withForkFields,
} from '../capi/kubeadm-config-spec';
import { KubeadmConfigTemplate } from '../capi/kubeadm-config-template';
import { MachineDeployment } from '../capi/machine-deployment';
import type { InfrastructureProvider, ProviderContext } from '../providers/provider';

/** Annotations the cluster autoscaler reads a MachineDeployment's bounds from. */
export const AUTOSCALER_MIN_SIZE = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
export const AUTOSCALER_MAX_SIZE = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';

/** Properties for {@link WorkerNodeGroup}. */
export interface WorkerNodeGroupProps {
  readonly provider: InfrastructureProvider;
  readonly context: ProviderContext;
  /** The (defaulted) group: `name` is set. */
  readonly group: WorkerNodeGroupConfiguration;
}

/**
 * One EKS-A worker node group: its KubeadmConfigTemplate `<c>-<g>-N`, MachineDeployment `<c>-<g>` and the
 * provider's machine template `<c>-<g>-N`, at the group's own Kubernetes version.
 */
export class WorkerNodeGroup extends Construct {
  public readonly machineDeployment: MachineDeployment;
  public readonly bootstrapTemplate: KubeadmConfigTemplate;

  constructor(scope: Construct, id: string, props: WorkerNodeGroupProps) {
    super(scope, id);
    const { provider, context, group } = props;
    if (!group.name) {
      throw new Error(`WorkerNodeGroup '${this.node.path}': the group has no name (defaults not applied?).`);
    }
    const base = `${context.clusterName}-${group.name}`;
    const version = group.kubernetesVersion ?? context.config.cluster.spec.kubernetesVersion;
    const bundle = context.bundleFor(version);

    const kubeadm = provider.workerKubeadmConfig(context, group);
    const kctName = context.templateName(base, 'KubeadmConfigTemplate', () => ({
      template: {
        spec: withForkFields(
          context.contract === 'v1beta2'
            ? kubeadmConfigSpecV1Beta2(kubeadm)
            : kubeadmConfigSpecV1Beta1(kubeadm),
          kubeadm,
        ),
      },
    }));
    this.bootstrapTemplate = new KubeadmConfigTemplate(this, 'KubeadmConfigTemplate', {
      name: kctName,
      namespace: context.namespace,
      contract: context.contract,
      kubeadmConfigSpec: kubeadm,
    });

    const autoscaling = group.autoscalingConfiguration;
    const options = provider.machineDeploymentOptions(context, group);
    const annotations: Record<string, string> = { ...(options.annotations ?? {}) };
    if (autoscaling) {
      annotations[AUTOSCALER_MIN_SIZE] = String(autoscaling.minCount ?? 0);
      annotations[AUTOSCALER_MAX_SIZE] = String(autoscaling.maxCount ?? autoscaling.minCount ?? 0);
    }
    const rollingUpdate = group.upgradeRolloutStrategy?.rollingUpdate;
    // Created before the machine template so the objects come out in EKS-A's order (template, deployment, machines).
    const mdScope = new Construct(this, 'Deployment');
    const machineTemplate = provider.addMachineTemplate(this, context, { role: 'worker', group });
    this.machineDeployment = new MachineDeployment(mdScope, 'MachineDeployment', {
      name: base,
      namespace: context.namespace,
      contract: context.contract,
      clusterName: context.clusterName,
      replicas: autoscaling ? undefined : (group.count ?? 1),
      version: bundle.kubeDistro.kubernetes.tag,
      bootstrapTemplate: this.bootstrapTemplate,
      machineTemplate,
      rollingUpdate: rollingUpdate && {
        maxSurge: rollingUpdate.maxSurge,
        maxUnavailable: rollingUpdate.maxUnavailable,
      },
      annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      labels: options.labels,
      machineLabels: options.machineLabels,
      matchLabels: options.matchLabels,
      failureDomain: options.failureDomain,
      referenceNamespaces: provider.v1beta1ReferenceNamespaces,
    });
  }
}
