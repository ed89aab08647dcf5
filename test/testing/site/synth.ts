import * as path from 'node:path';
import { appliedTemplatesFrom, synthesizeCluster } from '../../../src/manifests';
import type { CapiContract, KubeObject } from '../../../src/manifests';
import { readClusterConfig, setClusterDefaults } from '../../../src/spec';
import { loadVersionsBundles } from '../../../src/spec/bundles';

const BUNDLES = path.resolve('../shared/bundles');
const EKSD = [
  '1-30-eks-58',
  '1-31-eks-47',
  '1-32-eks-40',
  '1-33-eks-30',
  '1-34-eks-21',
  '1-35-eks-12',
  '1-36-eks-6',
].map((n) => path.join(BUNDLES, `kubernetes-${n}.yaml`));

export interface DockerClusterInput {
  readonly name: string;
  readonly kubernetesVersion: string;
  readonly controlPlane: number;
  readonly etcd: number;
  readonly workers: number;
  readonly workerMaxSurge?: number;
  readonly workerMaxUnavailable?: number;
  readonly contract: CapiContract;
  /** Objects applied before, so that changed templates get new names (as EKS-A names them). */
  readonly previous?: readonly KubeObject[];
}

/** A docker cluster config as `eksctl anywhere generate clusterconfig -p docker` writes it, sized as asked. */
export function dockerConfigYaml(input: DockerClusterInput): string {
  const rollout =
    input.workerMaxSurge !== undefined
      ? `    upgradeRolloutStrategy:\n      rollingUpdate:\n        maxSurge: ${input.workerMaxSurge}\n        maxUnavailable: ${input.workerMaxUnavailable ?? 0}\n`
      : '';
  return `apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: Cluster
metadata:
  name: ${input.name}
spec:
  clusterNetwork:
    cniConfig:
      cilium: {}
    pods:
      cidrBlocks: [192.168.0.0/16]
    services:
      cidrBlocks: [10.96.0.0/12]
  controlPlaneConfiguration:
    count: ${input.controlPlane}
  datacenterRef:
    kind: DockerDatacenterConfig
    name: ${input.name}
${
  input.etcd > 0
    ? `  externalEtcdConfiguration:
    count: ${input.etcd}
`
    : ''
}  kubernetesVersion: "${input.kubernetesVersion}"
  managementCluster:
    name: ${input.name}
  workerNodeGroupConfigurations:
  - count: ${input.workers}
    name: md-0
${rollout}---
apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: DockerDatacenterConfig
metadata:
  name: ${input.name}
spec: {}
`;
}

/** The CAPI objects our synthesis renders for the cluster (the foundation issue's docker synthesis). */
export async function synthDocker(input: DockerClusterInput): Promise<KubeObject[]> {
  const parsed = readClusterConfig(dockerConfigYaml(input), { file: `${input.name}.yaml`, strict: true });
  if (!parsed.config) throw new Error(parsed.issues.map((i) => i.message).join('\n'));
  const config = setClusterDefaults(parsed.config, { env: {} });
  const bundles = await loadVersionsBundles({
    bundles: path.join(BUNDLES, 'main-bundle-release.yaml'),
    eksdReleases: EKSD,
    offline: true,
  });
  const result = synthesizeCluster({
    config,
    bundles: [await bundles.resolve(input.kubernetesVersion)],
    contract: input.contract,
    previousTemplates: appliedTemplatesFrom(input.previous ?? []),
    env: {},
  });
  return [...result.capiObjects];
}
