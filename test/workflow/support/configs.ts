import type { ClusterConfig } from '../../../src/spec/cluster-config';
import { parseClusterConfig } from '../../../src/spec/parse';

/** A docker management cluster with external etcd, one worker group, Cilium (EKS-A's `generate clusterconfig`). */
export const DOCKER_MGMT = `
apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: Cluster
metadata:
  name: dev
spec:
  clusterNetwork:
    cniConfig:
      cilium: {}
    pods:
      cidrBlocks: [192.168.0.0/16]
    services:
      cidrBlocks: [10.96.0.0/12]
  controlPlaneConfiguration:
    count: 1
  datacenterRef:
    kind: DockerDatacenterConfig
    name: dev
  externalEtcdConfiguration:
    count: 1
  kubernetesVersion: "1.33"
  managementCluster:
    name: dev
  workerNodeGroupConfigurations:
  - count: 2
    name: md-0
---
apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: DockerDatacenterConfig
metadata:
  name: dev
spec: {}
`;

/** The same cluster with etcd stacked on the control plane. */
export const DOCKER_MGMT_STACKED = DOCKER_MGMT.replace('  externalEtcdConfiguration:\n    count: 1\n', '');

/** The same cluster with GitOps on GitHub (FluxConfig). */
export const DOCKER_MGMT_GITOPS =
  DOCKER_MGMT.replace(
    '  managementCluster:',
    '  gitOpsRef:\n    kind: FluxConfig\n    name: dev\n  managementCluster:',
  ) +
  `---
apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: FluxConfig
metadata:
  name: dev
spec:
  github:
    owner: example
    repository: fleet
    personal: true
`;

/** A workload cluster managed by `dev`. */
export const DOCKER_WORKLOAD = `
apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: Cluster
metadata:
  name: w1
spec:
  clusterNetwork:
    cniConfig:
      cilium: {}
    pods:
      cidrBlocks: [192.168.0.0/16]
    services:
      cidrBlocks: [10.96.0.0/12]
  controlPlaneConfiguration:
    count: 1
  datacenterRef:
    kind: DockerDatacenterConfig
    name: w1
  kubernetesVersion: "1.33"
  managementCluster:
    name: dev
  workerNodeGroupConfigurations:
  - count: 1
    name: md-0
---
apiVersion: anywhere.eks.amazonaws.com/v1alpha1
kind: DockerDatacenterConfig
metadata:
  name: w1
spec: {}
`;

export function config(yaml: string, file = 'dev.yaml'): ClusterConfig {
  return parseClusterConfig(yaml, { file });
}

/**
 * Timeouts for the tests: polls and progress fast; every wait generous (the controllers answer at once, but the
 * shared test machine can be slow), so that only a wait a test means to fail fails — it sets its own to SHORT_WAIT.
 */
export const FAST_TIMEOUTS = {
  pollIntervalMs: 20,
  progressIntervalMs: 500,
  controlPlaneMs: 30_000,
  externalEtcdMs: 30_000,
  kubeconfigSecretMs: 30_000,
  machinesMinimumMs: 30_000,
  perMachineMs: 10_000,
  deploymentMs: 30_000,
  clusterAvailableMs: 30_000,
  controlPlaneAfterMoveMs: 30_000,
  applyMs: 10_000,
};

/** A wait that is meant to time out. */
export const SHORT_WAIT = 1500;
