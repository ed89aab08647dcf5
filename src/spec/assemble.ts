import type { AWSIamConfig } from './aws-iam-config';
import type { Cluster } from './cluster';
import type { ClusterConfig, DatacenterConfig, EksaConfigObject, MachineConfig } from './cluster-config';
import type { FluxConfig } from './flux-config';
import type { GitOpsConfig } from './gitops-config';
import type { Issue } from './issue';
import type { EksaRef } from './meta';
import type { OIDCConfig } from './oidc-config';

/** Options of {@link assembleClusterConfig}. */
export interface AssembleOptions {
  /** File name for messages. */
  readonly file?: string;
  /** Objects of kinds eksa-iac does not build that were in the input (other providers). */
  readonly unsupportedObjects?: ReadonlyArray<{ readonly kind: string; readonly name: string }>;
}

/** The result of resolving a list of objects: the config when every reference resolved, and the issues. */
export interface AssembleResult {
  readonly config?: ClusterConfig;
  readonly issues: readonly Issue[];
}

const DATACENTER_KINDS = ['DockerDatacenterConfig', 'VSphereDatacenterConfig'];
const PROVIDER_OF_KIND: Record<string, string> = {
  AWSDatacenterConfig: 'AWS',
  CloudStackDatacenterConfig: 'CloudStack',
  NutanixDatacenterConfig: 'Nutanix',
  SnowDatacenterConfig: 'Snow',
  TinkerbellDatacenterConfig: 'Tinkerbell (bare metal)',
};

/**
 * Where issues about an object point: the Cluster's fields are bare paths (`spec.kubernetesVersion`), other
 * objects' fields start with `Kind/name.` (`VSphereMachineConfig/cp.spec.memoryMiB`).
 */
export function objectPathPrefix(kind: string, name: string): string {
  return kind === 'Cluster' ? '' : `${kind}/${name}.`;
}

/**
 * Resolves the objects of one config file into a {@link ClusterConfig}: exactly one Cluster; the datacenter config
 * its `datacenterRef` names; the machine configs of `machineGroupRef`s; the identity providers of
 * `identityProviderRefs`; the GitOps object of `gitOpsRef`. A reference to an object that is not there is an error
 * at the reference's path; an object nothing references is a warning and left out of the config.
 */
export function assembleClusterConfig(
  objects: readonly EksaConfigObject[],
  options: AssembleOptions = {},
): AssembleResult {
  const issues: Issue[] = [];
  const add = (issue: Omit<Issue, 'file'>) => issues.push({ ...issue, file: options.file });

  const byKey = new Map<string, EksaConfigObject>();
  for (const object of objects) {
    const key = `${object.kind}/${object.metadata.name}`;
    if (byKey.has(key)) {
      add({
        severity: 'error',
        path: `${objectPathPrefix(object.kind, object.metadata.name)}metadata.name`,
        rule: 'duplicate-object',
        message: `there are two ${object.kind} objects named "${object.metadata.name}"`,
        fix: 'remove one of them or give them different names',
      });
      continue;
    }
    byKey.set(key, object);
  }
  const clusters = [...byKey.values()].filter((o): o is Cluster => o.kind === 'Cluster');
  if (clusters.length === 0) {
    add({
      severity: 'error',
      path: '',
      rule: 'no-cluster',
      message: 'there is no Cluster object',
      fix: 'add a Cluster (kind: Cluster) to the file',
    });
    return { issues };
  }
  if (clusters.length > 1) {
    add({
      severity: 'error',
      path: `Cluster/${clusters[1].metadata.name}`,
      rule: 'multiple-clusters',
      message: `the file holds ${clusters.length} Clusters (${clusters.map((c) => c.metadata.name).join(', ')})`,
      fix: 'keep one Cluster per config file',
    });
    return { issues };
  }
  const cluster = clusters[0];
  const used = new Set<string>([`Cluster/${cluster.metadata.name}`]);
  const unsupported = options.unsupportedObjects ?? [];

  const find = <T extends EksaConfigObject>(
    ref: EksaRef | undefined,
    kinds: readonly string[],
    path: string,
    what: string,
  ) => {
    if (!ref) return undefined;
    if (!ref.kind || !kinds.includes(ref.kind)) {
      const other = PROVIDER_OF_KIND[ref.kind ?? ''];
      add({
        severity: 'error',
        path: `${path}.kind`,
        rule: 'reference-kind',
        message: other
          ? `the ${other} provider (${ref.kind}) is not supported by eksa-iac`
          : `${what} must be of kind ${kinds.join(' or ')}, not "${ref.kind ?? ''}"`,
        fix: other ? 'use the docker or vSphere provider' : `set kind to ${kinds.join(' or ')}`,
      });
      return undefined;
    }
    if (!ref.name) {
      add({
        severity: 'error',
        path: `${path}.name`,
        rule: 'reference-name',
        message: `${what} has no name`,
        fix: `name the ${ref.kind} it refers to`,
      });
      return undefined;
    }
    const target = byKey.get(`${ref.kind}/${ref.name}`) as T | undefined;
    if (!target) {
      const sameKind = [...byKey.values()].filter((o) => o.kind === ref.kind).map((o) => o.metadata.name);
      add({
        severity: 'error',
        path: `${path}.name`,
        rule: 'reference-missing',
        message: `${what} names ${ref.kind} "${ref.name}", which is not in the file`,
        fix: sameKind.length
          ? `correct the name (the file has ${ref.kind} ${sameKind.map((n) => `"${n}"`).join(', ')})`
          : `add a ${ref.kind} named "${ref.name}" to the file`,
      });
      return undefined;
    }
    used.add(`${ref.kind}/${ref.name}`);
    return target;
  };

  const spec = cluster.spec;
  let datacenter: DatacenterConfig | undefined;
  if (!spec.datacenterRef) {
    add({
      severity: 'error',
      path: 'spec.datacenterRef',
      rule: 'datacenter-ref-required',
      message: 'the Cluster has no datacenterRef',
      fix: 'add spec.datacenterRef {kind: DockerDatacenterConfig or VSphereDatacenterConfig, name}',
    });
  } else {
    datacenter = find<DatacenterConfig>(
      spec.datacenterRef,
      DATACENTER_KINDS,
      'spec.datacenterRef',
      'datacenterRef',
    );
  }

  const machineConfigs: Record<string, MachineConfig> = {};
  const machineRefs: Array<[EksaRef | undefined, string]> = [
    [spec.controlPlaneConfiguration?.machineGroupRef, 'spec.controlPlaneConfiguration.machineGroupRef'],
    [spec.externalEtcdConfiguration?.machineGroupRef, 'spec.externalEtcdConfiguration.machineGroupRef'],
    ...(spec.workerNodeGroupConfigurations ?? []).map(
      (g, i) =>
        [g.machineGroupRef, `spec.workerNodeGroupConfigurations[${i}].machineGroupRef`] as [
          EksaRef | undefined,
          string,
        ],
    ),
  ];
  for (const [ref, path] of machineRefs) {
    if (!ref) continue;
    if (datacenter?.kind === 'DockerDatacenterConfig') {
      add({
        severity: 'error',
        path,
        rule: 'docker-machine-group-ref',
        message: 'the docker provider has no machine configs',
        fix: 'remove machineGroupRef',
      });
      continue;
    }
    const mc = find<MachineConfig>(ref, ['VSphereMachineConfig'], path, 'machineGroupRef');
    if (mc) machineConfigs[mc.metadata.name] = mc;
  }

  const oidcConfigs: Record<string, OIDCConfig> = {};
  const awsIamConfigs: Record<string, AWSIamConfig> = {};
  (spec.identityProviderRefs ?? []).forEach((ref, i) => {
    const idp = find<OIDCConfig | AWSIamConfig>(
      ref,
      ['OIDCConfig', 'AWSIamConfig'],
      `spec.identityProviderRefs[${i}]`,
      'identityProviderRef',
    );
    if (idp?.kind === 'OIDCConfig') oidcConfigs[idp.metadata.name] = idp;
    if (idp?.kind === 'AWSIamConfig') awsIamConfigs[idp.metadata.name] = idp;
  });

  const gitOps = find<GitOpsConfig | FluxConfig>(
    spec.gitOpsRef,
    ['FluxConfig', 'GitOpsConfig'],
    'spec.gitOpsRef',
    'gitOpsRef',
  );

  for (const object of byKey.values()) {
    const key = `${object.kind}/${object.metadata.name}`;
    if (used.has(key)) continue;
    add({
      severity: 'warning',
      path: key,
      rule: 'unreferenced-object',
      message: `${key} is not referenced by Cluster "${cluster.metadata.name}" and is ignored`,
      fix: 'reference it from the Cluster or remove it',
    });
  }
  for (const other of unsupported) {
    if (other.kind === spec.datacenterRef?.kind) continue; // already reported at datacenterRef.kind
    add({
      severity: 'warning',
      path: `${other.kind}/${other.name}`,
      rule: 'unsupported-object',
      message: `${other.kind} "${other.name}" belongs to a provider eksa-iac does not build and is ignored`,
      fix: 'remove it from the file',
    });
  }

  if (!datacenter || issues.some((i) => i.severity === 'error')) return { issues };
  const config: ClusterConfig = {
    cluster,
    datacenter,
    ...(Object.keys(machineConfigs).length ? { machineConfigs } : {}),
    ...(Object.keys(oidcConfigs).length ? { oidcConfigs } : {}),
    ...(Object.keys(awsIamConfigs).length ? { awsIamConfigs } : {}),
    ...(gitOps?.kind === 'GitOpsConfig' ? { gitOpsConfig: gitOps } : {}),
    ...(gitOps?.kind === 'FluxConfig' ? { fluxConfig: gitOps } : {}),
    ...(options.file ? { file: options.file } : {}),
  };
  return { config, issues };
}
