import { SimulatedCluster } from './simulated-cluster';
import { SiteRuntime } from './site-runtime';
import { ClusterctlProviderType } from '../../tools/clusterctl-layout';
import { SimulatedController } from '../api-server/server';
import { EtcdadmBootstrapController, KubeadmBootstrapController } from '../controllers/bootstrap-providers';
import { CapiCoreController } from '../controllers/capi-core';
import { DockerInfrastructureController } from '../controllers/docker-infrastructure';
import { EtcdadmClusterController } from '../controllers/etcdadm-cluster';
import { KubeadmControlPlaneController } from '../controllers/kubeadm-control-plane';

/** A provider `clusterctl init` can install on the simulated site. */
export interface SimulatedProvider {
  /** The name clusterctl's flags use (`--bootstrap kubeadm`). */
  readonly name: string;
  readonly type: ClusterctlProviderType;
  /** The manifest label: inventory object name and `cluster.x-k8s.io/provider` value. */
  readonly label: string;
  readonly namespace: string;
  /** The controller Deployment (its container is named `manager`). */
  readonly deployment: string;
  /** CRD names (from GENERATED_CRDS) the components install. */
  readonly crds: readonly string[];
  /** Contract labels its CRDs carry (`cluster.x-k8s.io/<version>: <version>`), core CRDs carry none. */
  readonly contractLabels: boolean;
  /** The simulated controllers its Deployment runs; none for providers that are only installed. */
  readonly controllers: (runtime: SiteRuntime, cluster: SimulatedCluster) => SimulatedController[];
}

const core = (plural: string) => `${plural}.cluster.x-k8s.io`;

/**
 * The providers EKS-A installs (research/capi.md §4.2, research/eksa.md A1 step 4), with the namespaces and
 * Deployment names their release manifests use. vSphere is installed (CRDs, Deployment, inventory) but has no
 * simulated controller.
 */
export const SIMULATED_PROVIDERS: readonly SimulatedProvider[] = [
  {
    name: 'cluster-api',
    type: 'CoreProvider',
    label: 'cluster-api',
    namespace: 'capi-system',
    deployment: 'capi-controller-manager',
    crds: [
      core('clusters'),
      core('clusterclasses'),
      core('machines'),
      core('machinesets'),
      core('machinedeployments'),
      core('machinepools'),
      core('machinehealthchecks'),
      'clusterresourcesets.addons.cluster.x-k8s.io',
      'clusterresourcesetbindings.addons.cluster.x-k8s.io',
      'ipaddresses.ipam.cluster.x-k8s.io',
      'ipaddressclaims.ipam.cluster.x-k8s.io',
    ],
    contractLabels: false,
    controllers: (runtime, cluster) => [new CapiCoreController(runtime, cluster)],
  },
  {
    name: 'kubeadm',
    type: 'BootstrapProvider',
    label: 'bootstrap-kubeadm',
    namespace: 'capi-kubeadm-bootstrap-system',
    deployment: 'capi-kubeadm-bootstrap-controller-manager',
    crds: ['kubeadmconfigs.bootstrap.cluster.x-k8s.io', 'kubeadmconfigtemplates.bootstrap.cluster.x-k8s.io'],
    contractLabels: true,
    controllers: (runtime, cluster) => [new KubeadmBootstrapController(runtime, cluster)],
  },
  {
    name: 'kubeadm',
    type: 'ControlPlaneProvider',
    label: 'control-plane-kubeadm',
    namespace: 'capi-kubeadm-control-plane-system',
    deployment: 'capi-kubeadm-control-plane-controller-manager',
    crds: [
      'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io',
      'kubeadmcontrolplanetemplates.controlplane.cluster.x-k8s.io',
    ],
    contractLabels: true,
    controllers: (runtime, cluster) => [new KubeadmControlPlaneController(runtime, cluster)],
  },
  {
    name: 'etcdadm-bootstrap',
    type: 'BootstrapProvider',
    label: 'bootstrap-etcdadm-bootstrap',
    namespace: 'etcdadm-bootstrap-provider-system',
    deployment: 'etcdadm-bootstrap-provider-controller-manager',
    crds: ['etcdadmconfigs.bootstrap.cluster.x-k8s.io'],
    contractLabels: true,
    controllers: (runtime, cluster) => [new EtcdadmBootstrapController(runtime, cluster)],
  },
  {
    name: 'etcdadm-controller',
    type: 'BootstrapProvider',
    label: 'bootstrap-etcdadm-controller',
    namespace: 'etcdadm-controller-system',
    deployment: 'etcdadm-controller-controller-manager',
    crds: ['etcdadmclusters.etcdcluster.cluster.x-k8s.io'],
    contractLabels: true,
    controllers: (runtime, cluster) => [new EtcdadmClusterController(runtime, cluster)],
  },
  {
    name: 'docker',
    type: 'InfrastructureProvider',
    label: 'infrastructure-docker',
    namespace: 'capd-system',
    deployment: 'capd-controller-manager',
    crds: [
      'dockerclusters.infrastructure.cluster.x-k8s.io',
      'dockermachines.infrastructure.cluster.x-k8s.io',
      'dockermachinetemplates.infrastructure.cluster.x-k8s.io',
      'dockerclustertemplates.infrastructure.cluster.x-k8s.io',
    ],
    contractLabels: true,
    controllers: (runtime, cluster) => [new DockerInfrastructureController(runtime, cluster)],
  },
  {
    name: 'vsphere',
    type: 'InfrastructureProvider',
    label: 'infrastructure-vsphere',
    namespace: 'capv-system',
    deployment: 'capv-controller-manager',
    crds: [
      'vsphereclusters.infrastructure.cluster.x-k8s.io',
      'vspheremachines.infrastructure.cluster.x-k8s.io',
      'vspheremachinetemplates.infrastructure.cluster.x-k8s.io',
      'vspherevms.infrastructure.cluster.x-k8s.io',
      'vsphereclusteridentities.infrastructure.cluster.x-k8s.io',
      'vspherefailuredomains.infrastructure.cluster.x-k8s.io',
      'vspheredeploymentzones.infrastructure.cluster.x-k8s.io',
    ],
    contractLabels: true,
    controllers: () => [],
  },
];

export function findProvider(type: ClusterctlProviderType, name: string): SimulatedProvider | undefined {
  return SIMULATED_PROVIDERS.find((p) => p.type === type && p.name === name);
}

/** cert-manager as clusterctl installs it: its namespace and the three Deployments EKS-A waits for. */
export const CERT_MANAGER = {
  namespace: 'cert-manager',
  deployments: ['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook'],
  defaultVersion: 'v1.21.1',
} as const;
