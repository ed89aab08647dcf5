import type { Cluster, WorkerNodeGroupConfiguration } from './cluster';
import { type ClusterConfig, isSelfManaged } from './cluster-config';
import type { Issue } from './issue';
import { minorDelta, parseKubeMinor, parseSemVer } from './semver';
import { stableJson as stable } from './stable-json';
import { effectiveWorkerName } from './validate-cluster';
import { IssueCollector } from './validation-context';

/** Options of {@link validateUpdate}. */
export interface ValidateUpdateOptions {
  /** File name of the new config, for messages. @default next.file */
  readonly file?: string;
}

/**
 * Checks that `next` can be applied to a cluster created from `previous`, as EKS-A's webhook and version-skew
 * checks do. Changes to fields EKS-A makes immutable are errors with `forcesReplacement: true` (the cluster can
 * only be replaced, not updated); version skew and downgrades are errors with `forcesReplacement: false`
 * (refused).
 */
export function validateUpdate(
  previous: ClusterConfig,
  next: ClusterConfig,
  options: ValidateUpdateOptions = {},
): Issue[] {
  const out = new IssueCollector(next, options.file ?? next.file);
  const a = previous.cluster;
  const b = next.cluster;
  const immutable = (path: string, before: unknown, after: unknown, what: string) => {
    if (stable(before) === stable(after)) return;
    out.add({
      rule: 'immutable-field',
      path,
      message: `${what} cannot change on an existing cluster (${show(before)} → ${show(after)})`,
      fix: `keep ${show(before)}, or replace the cluster (delete and create it)`,
      forcesReplacement: true,
    });
  };

  immutable('metadata.name', a.metadata.name, b.metadata.name, 'the cluster name');
  immutable('spec.managementCluster.name', managerOf(a), managerOf(b), 'the management cluster');
  immutable('spec.datacenterRef', a.spec.datacenterRef, b.spec.datacenterRef, 'datacenterRef');
  immutable(
    'spec.controlPlaneConfiguration.endpoint.host',
    a.spec.controlPlaneConfiguration?.endpoint?.host,
    b.spec.controlPlaneConfiguration?.endpoint?.host,
    'the control plane endpoint',
  );
  const na = a.spec.clusterNetwork ?? {};
  const nb = b.spec.clusterNetwork ?? {};
  immutable(
    'spec.clusterNetwork.pods.cidrBlocks',
    na.pods?.cidrBlocks ?? [],
    nb.pods?.cidrBlocks ?? [],
    'the pods CIDR',
  );
  immutable(
    'spec.clusterNetwork.services.cidrBlocks',
    na.services?.cidrBlocks ?? [],
    nb.services?.cidrBlocks ?? [],
    'the services CIDR',
  );
  immutable(
    'spec.clusterNetwork.dns',
    na.dns?.resolvConf?.path,
    nb.dns?.resolvConf?.path,
    'clusterNetwork.dns',
  );
  immutable(
    'spec.clusterNetwork.nodes',
    na.nodes?.cidrMaskSize,
    nb.nodes?.cidrMaskSize,
    'clusterNetwork.nodes',
  );
  immutable(
    'spec.proxyConfiguration',
    a.spec.proxyConfiguration,
    b.spec.proxyConfiguration,
    'proxyConfiguration',
  );
  immutable(
    'spec.externalEtcdConfiguration',
    a.spec.externalEtcdConfiguration ? 'external etcd' : 'stacked etcd',
    b.spec.externalEtcdConfiguration ? 'external etcd' : 'stacked etcd',
    'the etcd topology',
  );
  if (!isSelfManaged(b)) {
    immutable('spec.gitOpsRef', a.spec.gitOpsRef, b.spec.gitOpsRef, 'gitOpsRef of a workload cluster');
  }
  const iam = (c: Cluster) =>
    (c.spec.identityProviderRefs ?? []).filter((r) => r.kind === 'AWSIamConfig').map((r) => r.name);
  immutable('spec.identityProviderRefs', iam(a), iam(b), 'the AWSIamConfig reference');
  if (
    previous.datacenter.kind === 'VSphereDatacenterConfig' &&
    next.datacenter.kind === 'VSphereDatacenterConfig'
  ) {
    const prefix = `VSphereDatacenterConfig/${next.datacenter.metadata.name}.spec`;
    immutable(
      `${prefix}.server`,
      previous.datacenter.spec.server,
      next.datacenter.spec.server,
      'the vCenter server',
    );
    immutable(
      `${prefix}.datacenter`,
      previous.datacenter.spec.datacenter,
      next.datacenter.spec.datacenter,
      'the vSphere datacenter',
    );
    immutable(
      `${prefix}.network`,
      previous.datacenter.spec.network,
      next.datacenter.spec.network,
      'the VM network',
    );
  }

  checkKubernetesUpgrade(
    a.spec.kubernetesVersion,
    b.spec.kubernetesVersion,
    'spec.kubernetesVersion',
    'the control plane',
    out,
  );
  const cp = parseKubeMinor(b.spec.kubernetesVersion);
  const oldGroups = new Map<string, WorkerNodeGroupConfiguration>();
  (a.spec.workerNodeGroupConfigurations ?? []).forEach((g, i) => oldGroups.set(effectiveWorkerName(g, i), g));
  (b.spec.workerNodeGroupConfigurations ?? []).forEach((group, i) => {
    const name = effectiveWorkerName(group, i);
    const path = `spec.workerNodeGroupConfigurations[${i}].kubernetesVersion`;
    const version = group.kubernetesVersion ?? b.spec.kubernetesVersion;
    const old = oldGroups.get(name);
    if (old) {
      checkKubernetesUpgrade(
        old.kubernetesVersion ?? a.spec.kubernetesVersion,
        version,
        path,
        `worker group "${name}"`,
        out,
      );
    }
    const wv = parseKubeMinor(version);
    if (cp && wv && group.kubernetesVersion !== undefined) {
      const behind = minorDelta(wv, cp);
      if (behind < 0 || behind > 2) {
        out.add({
          rule: 'worker-kubernetes-version-skew',
          path,
          message: `worker group "${name}" would run Kubernetes ${version} with a ${b.spec.kubernetesVersion} control plane; workers must be at most 2 minor versions behind and never ahead`,
          fix: `set the worker group version between ${cp.major}.${Math.max(0, cp.minor - 2)} and ${b.spec.kubernetesVersion}`,
          forcesReplacement: false,
        });
      }
    }
  });

  const ea = a.spec.eksaVersion ? parseSemVer(a.spec.eksaVersion) : undefined;
  const eb = b.spec.eksaVersion ? parseSemVer(b.spec.eksaVersion) : undefined;
  if (ea && eb) {
    const delta = minorDelta(ea, eb);
    const older = delta < 0 || (delta === 0 && eb.patch < ea.patch);
    if (older) {
      out.add({
        rule: 'eksa-version-downgrade',
        path: 'spec.eksaVersion',
        message: `eksaVersion ${a.spec.eksaVersion} cannot be downgraded to ${b.spec.eksaVersion}`,
        fix: `keep ${a.spec.eksaVersion} or move to a newer release`,
        forcesReplacement: false,
      });
    } else if (delta > 1) {
      out.add({
        rule: 'eksa-version-skew',
        path: 'spec.eksaVersion',
        message: `eksaVersion can move one minor release at a time, not from ${a.spec.eksaVersion} to ${b.spec.eksaVersion}`,
        fix: `upgrade to v${ea.major}.${ea.minor + 1}.x first`,
        forcesReplacement: false,
      });
    }
  }
  return out.issues;
}

function checkKubernetesUpgrade(
  before: string | undefined,
  after: string | undefined,
  path: string,
  what: string,
  out: IssueCollector,
): void {
  const a = parseKubeMinor(before);
  const b = parseKubeMinor(after);
  if (!a || !b) return;
  const delta = minorDelta(a, b);
  if (delta < 0) {
    out.add({
      rule: 'kubernetes-version-downgrade',
      path,
      message: `${what} cannot be downgraded from Kubernetes ${before} to ${after}`,
      fix: `keep ${before} or upgrade`,
      forcesReplacement: false,
    });
  } else if (delta > 1) {
    out.add({
      rule: 'kubernetes-version-skew',
      path,
      message: `${what} can be upgraded one minor version at a time, not from ${before} to ${after}`,
      fix: `upgrade to ${a.major}.${a.minor + 1} first`,
      forcesReplacement: false,
    });
  }
}

function managerOf(cluster: Cluster): string {
  return isSelfManaged(cluster) ? cluster.metadata.name : cluster.spec.managementCluster!.name;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return 'unset';
  if (typeof value === 'string') return `"${value}"`;
  return JSON.stringify(value);
}
