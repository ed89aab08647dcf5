import { parse as parseYaml } from 'yaml';
import type { Cluster, KubeletConfiguration, Taint, WorkerNodeGroupConfiguration } from './cluster';
import { type ClusterConfig, isSelfManaged, providerOf } from './cluster-config';
import { KUBELET_CONFIGURATION_FIELDS } from './kubelet-configuration';
import { labelKeyProblem, labelValueProblem, TAINT_EFFECTS } from './label-syntax';
import { isDomainName, isIpAddress, isValidPort, parseCidr, proxyAddressProblem } from './net-syntax';
import { minorDelta, parseKubeMinor, parseSemVer } from './semver';
import { closestMatch } from './suggest';
import {
  FEATURE_API_SERVER_EXTRA_ARGS,
  FEATURE_VSPHERE_IN_PLACE_UPGRADE,
  type IssueCollector,
  type ValidateOptions,
} from './validation-context';

/** Longest cluster name EKS-A accepts (it prefixes every generated object name). */
export const MAX_CLUSTER_NAME_LENGTH = 35;
/** Node CIDR mask when `clusterNetwork.nodes.cidrMaskSize` is unset (kube-controller-manager's IPv4 default). */
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;
/** Largest allowed difference between the node mask and the pod CIDR mask (kube-controller-manager limit). */
export const MAX_POD_NODE_MASK_DIFF = 16;
/** API server flags an OIDCConfig sets; `apiServerExtraArgs` may not set them when one is referenced. */
export const OIDC_API_SERVER_FLAGS: readonly string[] = [
  'oidc-ca-file',
  'oidc-client-id',
  'oidc-groups-claim',
  'oidc-groups-prefix',
  'oidc-issuer-url',
  'oidc-required-claim',
  'oidc-signing-algs',
  'oidc-username-claim',
  'oidc-username-prefix',
];
// Registries whose mirror serves curated packages (the EKS-A packages account's ECR).
const CURATED_PACKAGES_REGISTRY = /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/;

const CP = 'spec.controlPlaneConfiguration';
const WORKERS = 'spec.workerNodeGroupConfigurations';
const NETWORK = 'spec.clusterNetwork';

/** Effective worker count: what the defaults give a group without one. */
export function effectiveWorkerCount(group: WorkerNodeGroupConfiguration): number {
  return group.count ?? (group.autoscalingConfiguration ? (group.autoscalingConfiguration.minCount ?? 0) : 1);
}

/** Effective worker group name: the first group defaults to `md-0`. */
export function effectiveWorkerName(group: WorkerNodeGroupConfiguration, index: number): string {
  return group.name || (index === 0 ? 'md-0' : '');
}

/** The Cluster object's rules (research/eksa.md d): naming, topology, networking, add-ons, versions. */
export function validateCluster(config: ClusterConfig, options: ValidateOptions, out: IssueCollector): void {
  const cluster = config.cluster;
  const provider = providerOf(config);
  validateName(cluster, out);
  validateKubernetesVersions(cluster, options, out);
  validateControlPlane(config, provider, options, out);
  validateExternalEtcd(config, provider, out);
  validateWorkerGroups(cluster, provider, out);
  validateNetworking(cluster, provider, out);
  validateProxy(cluster, out);
  validateRegistryMirror(cluster, out);
  validateRefs(config, out);
  validateMisc(cluster, options, out);
}

function validateName(cluster: Cluster, out: IssueCollector): void {
  const name = cluster.metadata.name;
  if (!/^[a-zA-Z][a-zA-Z0-9-]+$/.test(name)) {
    out.error(
      'cluster-name-format',
      'metadata.name',
      `cluster name "${name}" must start with a letter and contain only letters, digits and "-" (at least 2 characters)`,
      'rename the cluster, e.g. "dev-cluster-1"',
    );
  }
  if (name.length > MAX_CLUSTER_NAME_LENGTH) {
    out.error(
      'cluster-name-length',
      'metadata.name',
      `cluster name "${name}" has ${name.length} characters; at most ${MAX_CLUSTER_NAME_LENGTH} are allowed`,
      `shorten the name to ${MAX_CLUSTER_NAME_LENGTH} characters or fewer`,
    );
  }
}

function validateKubernetesVersions(cluster: Cluster, options: ValidateOptions, out: IssueCollector): void {
  const supported = options.supportedKubernetesVersions;
  const check = (version: string | undefined, path: string, required: boolean): boolean => {
    if (!version) {
      if (required) {
        out.error(
          'kubernetes-version-required',
          path,
          'kubernetesVersion is not set',
          `set it, e.g. kubernetesVersion: "${supported?.[supported.length - 1] ?? '1.33'}"`,
        );
      }
      return false;
    }
    if (!parseKubeMinor(version)) {
      out.error(
        'kubernetes-version-format',
        path,
        `"${version}" is not a Kubernetes minor version like "1.30"`,
        'write major.minor, quoted, e.g. "1.30"',
      );
      return false;
    }
    if (supported && !supported.includes(version)) {
      out.error(
        'kubernetes-version-unsupported',
        path,
        `Kubernetes ${version} is not in the versions bundle (supported: ${supported.join(', ')})`,
        `use one of ${supported.join(', ')}`,
      );
      return false;
    }
    return true;
  };
  const cpOk = check(cluster.spec.kubernetesVersion, 'spec.kubernetesVersion', true);
  const cp = parseKubeMinor(cluster.spec.kubernetesVersion);
  (cluster.spec.workerNodeGroupConfigurations ?? []).forEach((group, i) => {
    const path = `${WORKERS}[${i}].kubernetesVersion`;
    if (group.kubernetesVersion === undefined) return;
    if (!check(group.kubernetesVersion, path, false) || !cpOk || !cp) return;
    const worker = parseKubeMinor(group.kubernetesVersion)!;
    const delta = minorDelta(worker, cp);
    if (delta < 0) {
      out.error(
        'worker-kubernetes-version-newer',
        path,
        `worker group Kubernetes ${group.kubernetesVersion} is newer than the control plane's ${cluster.spec.kubernetesVersion}`,
        'upgrade the control plane first, or lower the worker group version',
      );
    } else if (delta > 2) {
      out.error(
        'worker-kubernetes-version-skew',
        path,
        `worker group Kubernetes ${group.kubernetesVersion} is ${delta} minor versions behind the control plane (${cluster.spec.kubernetesVersion}); at most 2 are allowed`,
        'upgrade the worker group to within 2 minor versions of the control plane',
      );
    }
  });
}

function validateControlPlane(
  config: ClusterConfig,
  provider: string,
  options: ValidateOptions,
  out: IssueCollector,
): void {
  const cluster = config.cluster;
  const cp = cluster.spec.controlPlaneConfiguration;
  if (!cp) {
    out.error(
      'control-plane-required',
      CP,
      'controlPlaneConfiguration is not set',
      'add controlPlaneConfiguration with a count',
    );
    return;
  }
  const count = cp.count ?? 0;
  if (count <= 0) {
    out.error(
      'control-plane-count',
      `${CP}.count`,
      `control plane count must be positive, found ${count}`,
      'set count to 1, 3 or 5',
    );
  } else if (!cluster.spec.externalEtcdConfiguration) {
    if (count % 2 === 0) {
      out.error(
        'control-plane-count-odd',
        `${CP}.count`,
        `with etcd on the control plane (stacked) the count must be odd, found ${count}`,
        `use ${count - 1} or ${count + 1}, or add externalEtcdConfiguration`,
      );
    } else if (count !== 3 && count !== 5 && provider !== 'docker') {
      out.warn(
        'control-plane-count-recommended',
        `${CP}.count`,
        `${count} control plane machines; 3 or 5 are recommended for a highly available etcd`,
        'use 3 or 5 control plane machines',
      );
    }
  }

  const host = cp.endpoint?.host;
  if (provider === 'docker') {
    if (cp.endpoint) {
      out.error(
        'endpoint-docker-forbidden',
        `${CP}.endpoint`,
        'the docker provider does not take a control plane endpoint (the load balancer container provides it)',
        'remove controlPlaneConfiguration.endpoint',
      );
    }
  } else if (!host) {
    out.error(
      'endpoint-required',
      `${CP}.endpoint.host`,
      'the control plane endpoint host is not set',
      'set controlPlaneConfiguration.endpoint.host to a free static IP address of the VM network',
    );
  } else if (!isIpAddress(host)) {
    out.error(
      'endpoint-host-invalid',
      `${CP}.endpoint.host`,
      `control plane endpoint "${host}" is not an IP address (kube-vip announces an IP)`,
      'set endpoint.host to a free static IP address, without a port',
    );
  }

  if (provider !== 'docker' && !cp.machineGroupRef) {
    out.error(
      'machine-group-ref-required',
      `${CP}.machineGroupRef`,
      'the control plane has no machineGroupRef',
      'add machineGroupRef {kind: VSphereMachineConfig, name: <machine config>}',
    );
  }

  validateLabels(cp.labels, `${CP}.labels`, out);
  validateTaints(cp.taints, `${CP}.taints`, out);
  const workers = cluster.spec.workerNodeGroupConfigurations ?? [];
  if (workers.length === 0 && (cp.taints?.length ?? 0) > 0) {
    out.error(
      'control-plane-taints-need-workers',
      `${CP}.taints`,
      'control plane nodes cannot be tainted when there are no worker groups (nothing else could run pods)',
      'remove the taints or add a worker node group',
    );
  }

  (cp.certSans ?? []).forEach((san, i) => {
    if (!isIpAddress(san) && !isDomainName(san)) {
      out.error(
        'cert-sans-invalid',
        `${CP}.certSans[${i}]`,
        `"${san}" is neither an IP address nor a domain name`,
        'use an IP address or a lowercase DNS name such as api.example.com',
      );
    }
  });

  const flags = options.featureFlags ?? [];
  const extraArgs = Object.keys(cp.apiServerExtraArgs ?? {});
  if (extraArgs.length > 0 && !flags.includes(FEATURE_API_SERVER_EXTRA_ARGS)) {
    out.error(
      'api-server-extra-args-feature-flag',
      `${CP}.apiServerExtraArgs`,
      `apiServerExtraArgs needs the feature flag ${FEATURE_API_SERVER_EXTRA_ARGS}`,
      `enable the feature flag ${FEATURE_API_SERVER_EXTRA_ARGS}=true, or remove apiServerExtraArgs`,
    );
  }
  if ((cluster.spec.identityProviderRefs ?? []).some((r) => r.kind === 'OIDCConfig')) {
    for (const flag of extraArgs.filter((a) => OIDC_API_SERVER_FLAGS.includes(a))) {
      out.error(
        'api-server-extra-args-oidc',
        `${CP}.apiServerExtraArgs.${flag}`,
        `"${flag}" is set by the referenced OIDCConfig and cannot also be an extra argument`,
        'remove it from apiServerExtraArgs and set it in the OIDCConfig',
      );
    }
  }

  validateKubeletConfiguration(cp.kubeletConfiguration, `${CP}.kubeletConfiguration`, out);

  if (cp.auditPolicyContent !== undefined) {
    let parsed: unknown;
    let problem: string | undefined;
    try {
      parsed = parseYaml(cp.auditPolicyContent);
    } catch (e) {
      problem = (e as Error).message.split('\n')[0];
    }
    if (!problem && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) {
      problem = 'it is not a YAML mapping';
    }
    if (!problem && (parsed as Record<string, unknown>).kind !== 'Policy') problem = 'its kind is not Policy';
    if (problem) {
      out.error(
        'audit-policy-invalid',
        `${CP}.auditPolicyContent`,
        `auditPolicyContent is not an audit Policy: ${problem}`,
        'write an audit.k8s.io/v1 Policy document as the value',
      );
    }
  }

  const rollout = cp.upgradeRolloutStrategy;
  if (rollout) {
    const type = rollout.type ?? 'RollingUpdate';
    if (type !== 'RollingUpdate' && type !== 'InPlace') {
      out.error(
        'cp-rollout-type',
        `${CP}.upgradeRolloutStrategy.type`,
        `rollout type "${type}" is not supported`,
        'use RollingUpdate or InPlace',
      );
    }
    if (type === 'InPlace') {
      if (provider === 'docker') {
        out.error(
          'cp-rollout-in-place-provider',
          `${CP}.upgradeRolloutStrategy.type`,
          'InPlace upgrades are not supported by the docker provider',
          'use RollingUpdate',
        );
      } else if (!flags.includes(FEATURE_VSPHERE_IN_PLACE_UPGRADE)) {
        out.error(
          'cp-rollout-in-place-provider',
          `${CP}.upgradeRolloutStrategy.type`,
          `InPlace upgrades on vSphere need the feature flag ${FEATURE_VSPHERE_IN_PLACE_UPGRADE}`,
          `enable ${FEATURE_VSPHERE_IN_PLACE_UPGRADE}=true, or use RollingUpdate`,
        );
      } else if (cluster.spec.externalEtcdConfiguration) {
        out.error(
          'cp-rollout-in-place-provider',
          `${CP}.upgradeRolloutStrategy.type`,
          'InPlace upgrades need stacked etcd',
          'remove externalEtcdConfiguration or use RollingUpdate',
        );
      }
    }
    const surge = rollout.rollingUpdate?.maxSurge;
    if (type === 'RollingUpdate' && surge !== undefined && (surge < 0 || surge > 1)) {
      out.error(
        'cp-rollout-max-surge',
        `${CP}.upgradeRolloutStrategy.rollingUpdate.maxSurge`,
        `control plane maxSurge must be 0 or 1, found ${surge}`,
        'set maxSurge to 0 or 1',
      );
    }
  }
}

function validateExternalEtcd(config: ClusterConfig, provider: string, out: IssueCollector): void {
  const etcd = config.cluster.spec.externalEtcdConfiguration;
  if (!etcd) return;
  const path = 'spec.externalEtcdConfiguration';
  const count = etcd.count ?? 0;
  if (count === 0) {
    out.error(
      'etcd-count-required',
      `${path}.count`,
      'external etcd count is not set',
      'set count to 3 or 5',
    );
  } else if (count < 0) {
    out.error(
      'etcd-count-negative',
      `${path}.count`,
      `external etcd count cannot be negative, found ${count}`,
      'set count to 3 or 5',
    );
  } else if (count % 2 === 0) {
    out.error(
      'etcd-count-odd',
      `${path}.count`,
      `external etcd count must be odd, found ${count}`,
      `use ${count - 1} or ${count + 1}`,
    );
  } else if (count !== 3 && count !== 5 && provider !== 'docker') {
    out.warn(
      'etcd-count-recommended',
      `${path}.count`,
      `${count} etcd machines; 3 or 5 are recommended`,
      'use 3 or 5 etcd machines',
    );
  }
  if (provider !== 'docker' && !etcd.machineGroupRef) {
    out.error(
      'machine-group-ref-required',
      `${path}.machineGroupRef`,
      'external etcd has no machineGroupRef',
      'add machineGroupRef {kind: VSphereMachineConfig, name: <machine config>}',
    );
  }
}

function validateWorkerGroups(cluster: Cluster, provider: string, out: IssueCollector): void {
  const groups = cluster.spec.workerNodeGroupConfigurations ?? [];
  if (groups.length === 0) {
    out.error(
      'worker-groups-required',
      WORKERS,
      `a ${provider === 'docker' ? 'docker' : 'vSphere'} cluster needs at least one worker node group`,
      'add workerNodeGroupConfigurations with one group {name: md-0, count: 1}',
    );
    return;
  }
  const seen = new Map<string, number>();
  let schedulable = 0;
  groups.forEach((group, i) => {
    const path = `${WORKERS}[${i}]`;
    const name = effectiveWorkerName(group, i);
    if (!name) {
      out.error(
        'worker-group-name-required',
        `${path}.name`,
        `worker node group ${i + 1} has no name`,
        'give every worker group after the first a name',
      );
    } else if (seen.has(name)) {
      out.error(
        'worker-group-name-unique',
        `${path}.name`,
        `worker node group name "${name}" is also used by group ${seen.get(name)! + 1}`,
        'give each worker group a unique name',
      );
    } else {
      seen.set(name, i);
    }
    if (provider !== 'docker' && !group.machineGroupRef) {
      out.error(
        'machine-group-ref-required',
        `${path}.machineGroupRef`,
        `worker node group "${name}" has no machineGroupRef`,
        'add machineGroupRef {kind: VSphereMachineConfig, name: <machine config>}',
      );
    }
    const count = effectiveWorkerCount(group);
    const auto = group.autoscalingConfiguration;
    if (!auto && count < 0) {
      out.error(
        'worker-count-negative',
        `${path}.count`,
        `worker count cannot be negative, found ${count}`,
        'set count to 0 or more',
      );
    }
    if (auto) {
      const min = auto.minCount ?? 0;
      const max = auto.maxCount ?? 0;
      if (min < 0) {
        out.error(
          'autoscaling-min-negative',
          `${path}.autoscalingConfiguration.minCount`,
          `minCount cannot be negative, found ${min}`,
          'set minCount to 0 or more',
        );
      } else if (min > max) {
        out.error(
          'autoscaling-min-max',
          `${path}.autoscalingConfiguration.maxCount`,
          `maxCount ${max} is below minCount ${min}`,
          'set maxCount to at least minCount',
        );
      } else if (count < min || count > max) {
        out.error(
          'autoscaling-count-range',
          `${path}.count`,
          `count ${count} is outside the autoscaling range ${min}–${max}`,
          `set count between ${min} and ${max}, or omit it (it then starts at minCount)`,
        );
      }
    }
    validateLabels(group.labels, `${path}.labels`, out);
    validateTaints(group.taints, `${path}.taints`, out);
    if (!(group.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) {
      schedulable++;
    }
    validateKubeletConfiguration(group.kubeletConfiguration, `${path}.kubeletConfiguration`, out);
    validateWorkerRollout(group, path, out);
  });
  if (schedulable === 0 && isSelfManaged(cluster)) {
    out.error(
      'schedulable-worker-group-required',
      WORKERS,
      'every worker group has a NoSchedule or NoExecute taint; a management cluster needs somewhere to run its controllers',
      'leave at least one worker group without NoSchedule/NoExecute taints',
    );
  }
}

function validateWorkerRollout(group: WorkerNodeGroupConfiguration, path: string, out: IssueCollector): void {
  const rollout = group.upgradeRolloutStrategy;
  if (!rollout) return;
  const p = `${path}.upgradeRolloutStrategy`;
  const type = rollout.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate' && type !== 'InPlace') {
    out.error(
      'worker-rollout-type',
      `${p}.type`,
      `rollout type "${type}" is not supported`,
      'use RollingUpdate or InPlace',
    );
    return;
  }
  if (type !== 'RollingUpdate') return;
  const ru = rollout.rollingUpdate;
  if (!ru) {
    out.error(
      'worker-rollout-rolling-update-required',
      `${p}.rollingUpdate`,
      'a RollingUpdate strategy needs its rollingUpdate block',
      'add rollingUpdate {maxSurge: 1, maxUnavailable: 0}',
    );
    return;
  }
  if (ru.maxSurge < 0 || ru.maxUnavailable < 0) {
    out.error(
      'worker-rollout-negative',
      `${p}.rollingUpdate`,
      'maxSurge and maxUnavailable cannot be negative',
      'use values of 0 or more',
    );
  } else if (ru.maxSurge === 0 && ru.maxUnavailable === 0) {
    out.error(
      'worker-rollout-both-zero',
      `${p}.rollingUpdate`,
      'maxSurge and maxUnavailable are both 0, so no machine could ever be replaced',
      'set maxSurge or maxUnavailable to at least 1',
    );
  }
}

function validateLabels(
  labels: Readonly<Record<string, string>> | undefined,
  path: string,
  out: IssueCollector,
): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const keyProblem = labelKeyProblem(key);
    const p = /^[A-Za-z0-9_-]+$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
    if (keyProblem) {
      out.error(
        'labels-invalid',
        p,
        `label key "${key}" ${keyProblem}`,
        'use a key like example.com/role or role',
      );
    }
    const valueProblem = labelValueProblem(String(value));
    if (valueProblem) {
      out.error(
        'labels-invalid',
        p,
        `label value "${value}" ${valueProblem}`,
        'use at most 63 letters, digits, "-", "_" or "."',
      );
    }
  }
}

function validateTaints(taints: readonly Taint[] | undefined, path: string, out: IssueCollector): void {
  (taints ?? []).forEach((taint, i) => {
    const p = `${path}[${i}]`;
    const keyProblem = taint.key ? labelKeyProblem(taint.key) : 'is empty';
    if (keyProblem) {
      out.error(
        'taints-invalid',
        `${p}.key`,
        `taint key "${taint.key ?? ''}" ${keyProblem}`,
        'use a key like example.com/dedicated',
      );
    }
    if (taint.value !== undefined) {
      const valueProblem = labelValueProblem(taint.value);
      if (valueProblem) {
        out.error(
          'taints-invalid',
          `${p}.value`,
          `taint value "${taint.value}" ${valueProblem}`,
          'use at most 63 letters, digits, "-", "_" or "."',
        );
      }
    }
    if (!TAINT_EFFECTS.includes(taint.effect)) {
      const guess = closestMatch(String(taint.effect ?? ''), TAINT_EFFECTS);
      out.error(
        'taints-invalid',
        `${p}.effect`,
        `taint effect "${taint.effect ?? ''}" is not one of ${TAINT_EFFECTS.join(', ')}`,
        guess ? `did you mean "${guess}"?` : `use one of ${TAINT_EFFECTS.join(', ')}`,
      );
    }
  });
}

function validateKubeletConfiguration(
  kubelet: KubeletConfiguration | undefined,
  path: string,
  out: IssueCollector,
): void {
  if (!kubelet) return;
  for (const key of Object.keys(kubelet)) {
    if (key === 'providerID') {
      out.error(
        'kubelet-config-provider-id',
        `${path}.providerID`,
        'providerID is set by the infrastructure provider for each machine and cannot be configured',
        'remove providerID',
      );
    } else if (!KUBELET_CONFIGURATION_FIELDS.includes(key)) {
      const guess = closestMatch(key, KUBELET_CONFIGURATION_FIELDS);
      out.error(
        'kubelet-config-unknown-field',
        `${path}.${key}`,
        `"${key}" is not a KubeletConfiguration field`,
        guess ? `did you mean "${guess}"?` : 'remove it (see the kubelet.config.k8s.io/v1beta1 reference)',
      );
    }
  }
}

function validateNetworking(cluster: Cluster, provider: string, out: IssueCollector): void {
  const network = cluster.spec.clusterNetwork ?? {};
  const blocks = (kind: 'pods' | 'services') => {
    const list = network[kind]?.cidrBlocks ?? [];
    const path = `${NETWORK}.${kind}.cidrBlocks`;
    if (list.length === 0) {
      out.error(
        `${kind}-cidr-required`,
        path,
        `no ${kind} CIDR block is set`,
        kind === 'pods' ? 'set pods.cidrBlocks: [192.168.0.0/16]' : 'set services.cidrBlocks: [10.96.0.0/12]',
      );
      return undefined;
    }
    if (list.length > 1) {
      out.error(
        `${kind}-cidr-single`,
        path,
        `${list.length} ${kind} CIDR blocks are set; EKS-A supports exactly one`,
        'keep one CIDR block',
      );
    }
    const cidr = parseCidr(list[0]);
    if (!cidr) {
      out.error(
        `${kind}-cidr-invalid`,
        `${path}[0]`,
        `"${list[0]}" is not a CIDR block`,
        'write it as address/prefix, e.g. 192.168.0.0/16',
      );
    }
    return cidr;
  };
  const pods = blocks('pods');
  blocks('services');
  const nodeMask = network.nodes?.cidrMaskSize ?? DEFAULT_NODE_CIDR_MASK_SIZE;
  if (pods) {
    if (pods.prefix >= nodeMask) {
      out.error(
        'node-cidr-mask',
        network.nodes?.cidrMaskSize !== undefined
          ? `${NETWORK}.nodes.cidrMaskSize`
          : `${NETWORK}.pods.cidrBlocks[0]`,
        `the pod CIDR /${pods.prefix} is not larger than the per-node CIDR /${nodeMask}, so it cannot hold a node's range`,
        `use a pod CIDR with a prefix below /${nodeMask}, or a larger nodes.cidrMaskSize`,
      );
    } else if (nodeMask - pods.prefix > MAX_POD_NODE_MASK_DIFF) {
      out.error(
        'node-cidr-mask',
        network.nodes?.cidrMaskSize !== undefined
          ? `${NETWORK}.nodes.cidrMaskSize`
          : `${NETWORK}.pods.cidrBlocks[0]`,
        `the node mask /${nodeMask} is more than ${MAX_POD_NODE_MASK_DIFF} bits longer than the pod CIDR /${pods.prefix}`,
        `use a nodes.cidrMaskSize of at most ${pods.prefix + MAX_POD_NODE_MASK_DIFF}`,
      );
    }
  }

  const cniConfig = network.cniConfig;
  if (network.cni !== undefined && cniConfig !== undefined) {
    out.error(
      'cni-both-formats',
      `${NETWORK}.cni`,
      'both the deprecated cni field and cniConfig are set',
      'remove cni and keep cniConfig',
    );
    return;
  }
  if (network.cni !== undefined) {
    if (network.cni !== 'cilium' && network.cni !== 'kindnetd') {
      out.error(
        'cni-unsupported',
        `${NETWORK}.cni`,
        `cni "${network.cni}" is not supported`,
        'use cniConfig: {cilium: {}}',
      );
    } else {
      out.warn(
        'cni-deprecated',
        `${NETWORK}.cni`,
        'clusterNetwork.cni is deprecated',
        `write cniConfig: {${network.cni}: {}} instead`,
      );
    }
    if (network.cni === 'kindnetd' && provider !== 'docker') {
      out.error(
        'kindnetd-docker-only',
        `${NETWORK}.cni`,
        'kindnetd is only supported by the docker provider',
        'use cniConfig: {cilium: {}}',
      );
    }
    return;
  }
  if (!cniConfig) {
    out.error('cni-required', `${NETWORK}.cniConfig`, 'no CNI is configured', 'add cniConfig: {cilium: {}}');
    return;
  }
  const plugins = (['cilium', 'kindnetd'] as const).filter((p) => cniConfig[p] !== undefined);
  if (plugins.length === 0) {
    out.error(
      'cni-required',
      `${NETWORK}.cniConfig`,
      'cniConfig names no CNI plugin',
      'add cilium: {} (or kindnetd: {} on docker)',
    );
  } else if (plugins.length > 1) {
    out.error(
      'cni-multiple',
      `${NETWORK}.cniConfig`,
      'cniConfig names more than one CNI plugin',
      'keep exactly one of cilium and kindnetd',
    );
  }
  if (cniConfig.kindnetd !== undefined && provider !== 'docker') {
    out.error(
      'kindnetd-docker-only',
      `${NETWORK}.cniConfig.kindnetd`,
      'kindnetd is only supported by the docker provider',
      'use cilium',
    );
  }
  const cilium = cniConfig.cilium;
  if (!cilium) return;
  const cp = `${NETWORK}.cniConfig.cilium`;
  if (cilium.skipUpgrade) {
    const others = Object.keys(cilium).filter((k) => k !== 'skipUpgrade');
    if (others.length > 0) {
      out.error(
        'cilium-skip-upgrade-exclusive',
        `${cp}.${others[0]}`,
        `with skipUpgrade: true no other Cilium option may be set (found ${others.join(', ')})`,
        'remove the other Cilium options, or skipUpgrade',
      );
    }
  }
  if (
    cilium.policyEnforcementMode !== undefined &&
    !['default', 'always', 'never'].includes(cilium.policyEnforcementMode)
  ) {
    out.error(
      'cilium-policy-mode',
      `${cp}.policyEnforcementMode`,
      `policyEnforcementMode "${cilium.policyEnforcementMode}" is not supported`,
      'use default, always or never',
    );
  }
  if (cilium.routingMode !== undefined && !['overlay', 'direct'].includes(cilium.routingMode)) {
    out.error(
      'cilium-routing-mode',
      `${cp}.routingMode`,
      `routingMode "${cilium.routingMode}" is not supported`,
      'use overlay or direct',
    );
  }
  if (cilium.routingMode === 'direct' && !cilium.ipv4NativeRoutingCIDR) {
    out.error(
      'cilium-direct-routing-cidr',
      `${cp}.ipv4NativeRoutingCIDR`,
      'routingMode direct needs ipv4NativeRoutingCIDR',
      'set ipv4NativeRoutingCIDR to the CIDR that is routed natively (usually the pod CIDR)',
    );
  }
  for (const field of ['ipv4NativeRoutingCIDR', 'ipv6NativeRoutingCIDR'] as const) {
    const value = cilium[field];
    if (value && !parseCidr(value)) {
      out.error(
        'cilium-routing-cidr-invalid',
        `${cp}.${field}`,
        `"${value}" is not a CIDR block`,
        'write it as address/prefix',
      );
    }
  }
}

function validateProxy(cluster: Cluster, out: IssueCollector): void {
  const proxy = cluster.spec.proxyConfiguration;
  if (!proxy) return;
  const p = 'spec.proxyConfiguration';
  for (const field of ['httpProxy', 'httpsProxy'] as const) {
    const value = proxy[field];
    if (!value) {
      out.error(
        `proxy-${field === 'httpProxy' ? 'http' : 'https'}-required`,
        `${p}.${field}`,
        `${field} is not set`,
        `set ${field} to host:port of the proxy`,
      );
      continue;
    }
    const problem = proxyAddressProblem(value);
    if (problem) {
      out.error(
        'proxy-invalid',
        `${p}.${field}`,
        `proxy "${value}" ${problem}`,
        'write host:port or http://host:port',
      );
    }
  }
}

function validateRegistryMirror(cluster: Cluster, out: IssueCollector): void {
  const mirror = cluster.spec.registryMirrorConfiguration;
  if (!mirror) return;
  const p = 'spec.registryMirrorConfiguration';
  if (!mirror.endpoint) {
    out.error(
      'registry-mirror-endpoint-required',
      `${p}.endpoint`,
      'the registry mirror has no endpoint',
      'set endpoint to the host or IP of the mirror',
    );
  }
  // An unset port is defaulted to 443, so only a written one is checked.
  if (mirror.port !== undefined && !isValidPort(mirror.port)) {
    out.error(
      'registry-mirror-port-invalid',
      `${p}.port`,
      `registry mirror port "${mirror.port}" is not a port number`,
      'use a port between 1 and 65535, e.g. "443"',
    );
  }
  let curated = 0;
  (mirror.ociNamespaces ?? []).forEach((ns, i) => {
    if (!ns.registry) {
      out.error(
        'registry-mirror-oci-registry-required',
        `${p}.ociNamespaces[${i}].registry`,
        'an ociNamespaces entry has no registry',
        'name the upstream registry, e.g. public.ecr.aws',
      );
    } else if (CURATED_PACKAGES_REGISTRY.test(ns.registry) && ++curated === 2) {
      out.error(
        'registry-mirror-curated-packages-single',
        `${p}.ociNamespaces[${i}].registry`,
        'more than one ociNamespaces entry mirrors an ECR registry for curated packages',
        'keep one curated-packages mirror',
      );
    }
  });
}

function validateRefs(config: ClusterConfig, out: IssueCollector): void {
  const spec = config.cluster.spec;
  const namespace = config.cluster.metadata.namespace ?? 'default';
  const sameNamespace = (
    object: { kind: string; metadata: { name: string; namespace?: string } },
    refPath: string,
  ) => {
    const ns = object.metadata.namespace ?? 'default';
    if (ns !== namespace) {
      out.error(
        'reference-namespace',
        refPath,
        `${object.kind} "${object.metadata.name}" is in namespace "${ns}", the Cluster in "${namespace}"`,
        'put all objects of the cluster in the same namespace',
      );
    }
  };
  const dcRef = spec.datacenterRef;
  if (!dcRef || dcRef.kind !== config.datacenter.kind || dcRef.name !== config.datacenter.metadata.name) {
    out.error(
      'reference-missing',
      'spec.datacenterRef',
      `datacenterRef (${dcRef?.kind ?? '-'} "${dcRef?.name ?? ''}") does not name the config's ${config.datacenter.kind} "${config.datacenter.metadata.name}"`,
      'make datacenterRef name the datacenter config',
    );
  } else {
    sameNamespace(config.datacenter, 'spec.datacenterRef');
  }
  const machineRefs: Array<[{ kind: string; name: string } | undefined, string]> = [
    [spec.controlPlaneConfiguration?.machineGroupRef, `${CP}.machineGroupRef`],
    [spec.externalEtcdConfiguration?.machineGroupRef, 'spec.externalEtcdConfiguration.machineGroupRef'],
    ...(spec.workerNodeGroupConfigurations ?? []).map(
      (g, i) =>
        [g.machineGroupRef, `${WORKERS}[${i}].machineGroupRef`] as [
          { kind: string; name: string } | undefined,
          string,
        ],
    ),
  ];
  for (const [ref, path] of machineRefs) {
    if (!ref) continue;
    if (providerOf(config) === 'docker') {
      out.error(
        'docker-machine-group-ref',
        path,
        'the docker provider has no machine configs',
        'remove machineGroupRef',
      );
      continue;
    }
    const mc = config.machineConfigs?.[ref.name];
    if (ref.kind !== 'VSphereMachineConfig' || !mc) {
      out.error(
        'reference-missing',
        `${path}.name`,
        `machineGroupRef names ${ref.kind} "${ref.name}", which is not in the config`,
        `add a VSphereMachineConfig named "${ref.name}"`,
      );
    } else {
      sameNamespace(mc, path);
    }
  }
  (spec.identityProviderRefs ?? []).forEach((ref, i) => {
    const path = `spec.identityProviderRefs[${i}]`;
    if (ref.kind !== 'OIDCConfig' && ref.kind !== 'AWSIamConfig') {
      out.error(
        'identity-provider-kind',
        `${path}.kind`,
        `identity provider kind "${ref.kind}" is not supported`,
        'use OIDCConfig or AWSIamConfig',
      );
      return;
    }
    if (!ref.name) {
      out.error(
        'identity-provider-name',
        `${path}.name`,
        'identityProviderRef has no name',
        `name the ${ref.kind}`,
      );
      return;
    }
    const target =
      ref.kind === 'OIDCConfig' ? config.oidcConfigs?.[ref.name] : config.awsIamConfigs?.[ref.name];
    if (!target) {
      out.error(
        'reference-missing',
        `${path}.name`,
        `identityProviderRef names ${ref.kind} "${ref.name}", which is not in the config`,
        `add a ${ref.kind} named "${ref.name}"`,
      );
    } else {
      sameNamespace(target, path);
    }
  });
  const g = spec.gitOpsRef;
  if (g) {
    if (g.kind !== 'FluxConfig' && g.kind !== 'GitOpsConfig') {
      out.error(
        'gitops-ref-kind',
        'spec.gitOpsRef.kind',
        `gitOpsRef kind "${g.kind}" is not supported`,
        'use FluxConfig',
      );
    } else if (!g.name) {
      out.error('gitops-ref-name', 'spec.gitOpsRef.name', 'gitOpsRef has no name', `name the ${g.kind}`);
    } else {
      const target = g.kind === 'FluxConfig' ? config.fluxConfig : config.gitOpsConfig;
      if (!target || target.metadata.name !== g.name) {
        out.error(
          'reference-missing',
          'spec.gitOpsRef.name',
          `gitOpsRef names ${g.kind} "${g.name}", which is not in the config`,
          `add a ${g.kind} named "${g.name}"`,
        );
      } else {
        sameNamespace(target, 'spec.gitOpsRef');
      }
    }
  }
}

function validateMisc(cluster: Cluster, options: ValidateOptions, out: IssueCollector): void {
  const spec = cluster.spec;
  if (spec.podIamConfig && !spec.podIamConfig.serviceAccountIssuer) {
    out.error(
      'pod-iam-issuer-required',
      'spec.podIamConfig.serviceAccountIssuer',
      'podIamConfig has no serviceAccountIssuer',
      'set serviceAccountIssuer to the OIDC issuer URL of the service account tokens',
    );
  }
  if (!isSelfManaged(cluster) && spec.packages) {
    if (spec.packages.controller) {
      out.error(
        'packages-workload-controller',
        'spec.packages.controller',
        'a workload cluster cannot configure the package controller (the management cluster runs it)',
        'remove packages.controller',
      );
    }
    if (spec.packages.cronjob) {
      out.error(
        'packages-workload-cronjob',
        'spec.packages.cronjob',
        'a workload cluster cannot configure the ECR token refresher cron job',
        'remove packages.cronjob',
      );
    }
  }
  if (spec.bundlesRef && spec.eksaVersion) {
    out.error(
      'bundles-ref-eksa-version',
      'spec.bundlesRef',
      'bundlesRef and eksaVersion are both set',
      'remove bundlesRef (deprecated) and keep eksaVersion',
    );
  }
  if (spec.eksaVersion !== undefined && !parseSemVer(spec.eksaVersion)) {
    out.error(
      'eksa-version-semver',
      'spec.eksaVersion',
      `eksaVersion "${spec.eksaVersion}" is not a semantic version`,
      'write a release version such as v0.26.1',
    );
  }
  if ((options.operation ?? 'create') === 'create' && spec.etcdEncryption !== undefined) {
    out.error(
      'etcd-encryption-create',
      'spec.etcdEncryption',
      'etcdEncryption cannot be set when the cluster is created',
      'create the cluster without etcdEncryption, then add it with an upgrade',
    );
  }
}
