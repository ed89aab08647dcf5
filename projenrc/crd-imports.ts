import { Project } from 'projen';

/**
 * Where the upstream CRDs live. They are data, read at generation time and never copied into the repository.
 * Overridable so the generator can run against another checkout of the shared folder.
 */
export const SHARED_CRDS_DIR = process.env.EKSA_IAC_SHARED_CRDS ?? '../shared/crds';

/**
 * CRDs whose kinds the manifests layer builds. One cdk8s module is generated per API group, from one
 * multi-document file holding all of that group's CRDs (a second import of the same group would overwrite the
 * first).
 */
export const CONSTRUCT_CRDS: readonly string[] = [
  'cluster-api/core/cluster.x-k8s.io_clusters.yaml',
  'cluster-api/core/cluster.x-k8s.io_machinedeployments.yaml',
  'cluster-api/core/cluster.x-k8s.io_machinehealthchecks.yaml',
  'cluster-api/core/addons.cluster.x-k8s.io_clusterresourcesets.yaml',
  'cluster-api/bootstrap-kubeadm/bootstrap.cluster.x-k8s.io_kubeadmconfigtemplates.yaml',
  'cluster-api/controlplane-kubeadm/controlplane.cluster.x-k8s.io_kubeadmcontrolplanes.yaml',
  'cluster-api/infrastructure-docker-v1.14.0/infrastructure.cluster.x-k8s.io_dockerclusters.yaml',
  'cluster-api/infrastructure-docker-v1.14.0/infrastructure.cluster.x-k8s.io_dockermachinetemplates.yaml',
  'cluster-api-provider-vsphere/default/infrastructure.cluster.x-k8s.io_vsphereclusters.yaml',
  'cluster-api-provider-vsphere/default/infrastructure.cluster.x-k8s.io_vspheremachinetemplates.yaml',
  'cluster-api-provider-vsphere/default/infrastructure.cluster.x-k8s.io_vspherefailuredomains.yaml',
  'cluster-api-provider-vsphere/default/infrastructure.cluster.x-k8s.io_vspheredeploymentzones.yaml',
  'etcdadm/etcdadm-controller/etcdcluster.cluster.x-k8s.io_etcdadmclusters.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_clusters.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_dockerdatacenterconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_vspheredatacenterconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_vspheremachineconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_oidcconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_awsiamconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_gitopsconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_fluxconfigs.yaml',
];

/**
 * CRDs the simulated API server serves and validates against: everything the constructs emit, plus the kinds
 * that controllers, clusterctl and the EKS-A components create at run time.
 */
export const SIMULATED_SITE_CRDS: readonly string[] = [
  ...CONSTRUCT_CRDS,
  'cluster-api/core/cluster.x-k8s.io_machines.yaml',
  'cluster-api/core/cluster.x-k8s.io_machinesets.yaml',
  'cluster-api/core/cluster.x-k8s.io_machinepools.yaml',
  'cluster-api/core/cluster.x-k8s.io_clusterclasses.yaml',
  'cluster-api/core/addons.cluster.x-k8s.io_clusterresourcesetbindings.yaml',
  'cluster-api/core/ipam.cluster.x-k8s.io_ipaddressclaims.yaml',
  'cluster-api/core/ipam.cluster.x-k8s.io_ipaddresses.yaml',
  'cluster-api/bootstrap-kubeadm/bootstrap.cluster.x-k8s.io_kubeadmconfigs.yaml',
  'cluster-api/controlplane-kubeadm/controlplane.cluster.x-k8s.io_kubeadmcontrolplanetemplates.yaml',
  'cluster-api/clusterctl/clusterctl.cluster.x-k8s.io_providers.yaml',
  'cluster-api/infrastructure-docker-v1.14.0/infrastructure.cluster.x-k8s.io_dockermachines.yaml',
  'cluster-api/infrastructure-docker-v1.14.0/infrastructure.cluster.x-k8s.io_dockerclustertemplates.yaml',
  'cluster-api-provider-vsphere/default/infrastructure.cluster.x-k8s.io_vspheremachines.yaml',
  'cluster-api-provider-vsphere/default/infrastructure.cluster.x-k8s.io_vspherevms.yaml',
  'cluster-api-provider-vsphere/default/infrastructure.cluster.x-k8s.io_vsphereclusteridentities.yaml',
  'etcdadm/etcdadm-bootstrap-provider/bootstrap.cluster.x-k8s.io_etcdadmconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_bundles.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_eksareleases.yaml',
];

/** CRDs of the EKS-A kinds users write; their schemas drive the strict config parser (src/spec). */
export const SPEC_SCHEMA_CRDS: readonly string[] = [
  'eks-anywhere/anywhere.eks.amazonaws.com_clusters.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_dockerdatacenterconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_vspheredatacenterconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_vspheremachineconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_oidcconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_awsiamconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_gitopsconfigs.yaml',
  'eks-anywhere/anywhere.eks.amazonaws.com_fluxconfigs.yaml',
];

/** Registers `npx projen import`, which regenerates the committed imports and schema set. Kept out of compile. */
export function registerCrdImportTask(project: Project): void {
  project.addTask('import', {
    description:
      'Regenerate src/manifests/imports and src/testing/generated from ../shared/crds (descriptions stripped)',
    env: { TS_NODE_PROJECT: 'tsconfig.dev.json', TS_NODE_TRANSPILE_ONLY: 'true' },
    exec: 'node -r ts-node/register projenrc/import-crds.ts',
  });
}
