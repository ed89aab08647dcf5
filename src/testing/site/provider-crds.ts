import { SimulatedProvider } from './provider-catalog';
import { Json } from '../controllers/objects';
import { GENERATED_CRDS } from '../generated/crds';
import { CustomResourceDefinition } from '../schema/crd';

/** The first Cluster API release whose CRDs serve (and store) v1beta2. */
const FIRST_V1BETA2_RELEASE = [1, 11, 0];

/** Providers released with Cluster API itself, whose CRDs follow its contract versions. */
const CAPI_PROVIDERS = new Set([
  'cluster-api',
  'bootstrap-kubeadm',
  'control-plane-kubeadm',
  'infrastructure-docker',
]);

/** Whether a release (`v1.10.4`) predates the v1beta2 contract. */
export function predatesV1beta2(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const v = m.slice(1).map(Number);
  for (let i = 0; i < 3; i++) if (v[i] !== FIRST_V1BETA2_RELEASE[i]) return v[i] < FIRST_V1BETA2_RELEASE[i];
  return false;
}

/**
 * The CRDs a provider's components install, as clusterctl leaves them: labelled `clusterctl.cluster.x-k8s.io`
 * and `cluster.x-k8s.io/provider=<label>` (plus the contract labels non-core providers carry). Two changes make
 * them match what EKS-A installs:
 *
 * - Cluster API releases before v1.11 serve only v1beta1, so their CRDs lose the v1beta2 version (v1beta1 becomes
 *   the storage version): a site initialised with such a release is an "older management cluster".
 * - EKS-A's Cluster API build adds `spec.managedExternalEtcdRef` to Cluster (the reference to the EtcdadmCluster
 *   of unstacked etcd), in each version with the shape of that version's `controlPlaneRef`.
 */
export function providerCrds(provider: SimulatedProvider, version: string): CustomResourceDefinition[] {
  const onlyV1beta1 = CAPI_PROVIDERS.has(provider.label) && predatesV1beta2(version);
  return provider.crds.map((name) => {
    const source = GENERATED_CRDS.find((c) => c.metadata?.name === name);
    if (!source) throw new Error(`the simulated site has no CRD ${name} (see projenrc/crd-imports.ts)`);
    const crd: Json = structuredClone(source);
    let versions: Json[] = crd.spec.versions;
    if (onlyV1beta1 && versions.some((v) => v.name === 'v1beta1')) {
      versions = versions
        .filter((v) => v.name !== 'v1beta2')
        .map((v) => ({ ...v, storage: v.name === 'v1beta1' }));
    }
    if (name === 'clusters.cluster.x-k8s.io') {
      for (const v of versions) {
        const spec = v.schema?.openAPIV3Schema?.properties?.spec;
        if (spec?.properties?.controlPlaneRef && !spec.properties.managedExternalEtcdRef) {
          spec.properties.managedExternalEtcdRef = structuredClone(spec.properties.controlPlaneRef);
        }
      }
    }
    crd.spec.versions = versions;
    const contractLabels = provider.contractLabels
      ? Object.fromEntries(versions.map((v) => [`cluster.x-k8s.io/${v.name}`, v.name]))
      : {};
    crd.metadata = {
      ...crd.metadata,
      labels: {
        ...crd.metadata.labels,
        ...contractLabels,
        'clusterctl.cluster.x-k8s.io': '',
        'cluster.x-k8s.io/provider': provider.label,
      },
    };
    return crd as CustomResourceDefinition;
  });
}

/** The Provider inventory CRD, as clusterctl creates it on every cluster it touches. */
export function inventoryCrd(): CustomResourceDefinition {
  const source = GENERATED_CRDS.find((c) => c.metadata?.name === 'providers.clusterctl.cluster.x-k8s.io');
  if (!source) throw new Error('the simulated site has no Provider CRD');
  const crd: Json = structuredClone(source);
  crd.metadata = {
    ...crd.metadata,
    labels: { 'clusterctl.cluster.x-k8s.io': '', 'clusterctl.cluster.x-k8s.io/core': 'inventory' },
  };
  return crd as CustomResourceDefinition;
}
