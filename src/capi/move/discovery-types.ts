import { ADDONS_GROUP, CORE_GROUP, MOVE_HIERARCHY_LABEL, MOVE_LABEL } from './constants';
import type { KubeObject } from '../../kube/types';

/** A kind the move lists: a clusterctl-labelled CRD at its storage version, or one of the core Secret/ConfigMap. */
export interface DiscoveryType {
  /** `group/storageVersion`, or `v1` for the core kinds. */
  readonly apiVersion: string;
  readonly kind: string;
  /** REST plural, from the CRD (`secrets`, `configmaps` for the core kinds). */
  readonly plural: string;
  /** False for cluster-scoped kinds: their objects are global and are never deleted from the source. */
  readonly namespaced: boolean;
  /** Every object of this kind moves, whatever its owners. */
  readonly forceMove: boolean;
  /** Every object of this kind is a hierarchy root: it and all its dependents move together. */
  readonly forceMoveHierarchy: boolean;
}

/** The group of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The key clusterctl files a type under, by kind and group only: `clusters.cluster.x-k8s.io`, `secrets.v1`. */
export function typeKey(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion) || apiVersion;
  return `${kind.toLowerCase()}s.${group}`;
}

/** Kinds that are always hierarchy roots, whatever their CRD labels say. */
const ALWAYS_HIERARCHY_ROOTS = new Set([
  `${CORE_GROUP}/Cluster`,
  `${CORE_GROUP}/ClusterClass`,
  `${ADDONS_GROUP}/ClusterResourceSet`,
]);

interface CrdShape {
  readonly metadata: { readonly name?: string; readonly labels?: Record<string, string> };
  readonly spec?: {
    readonly group?: string;
    readonly scope?: string;
    readonly names?: { readonly kind?: string; readonly plural?: string };
    readonly versions?: ReadonlyArray<{ readonly name?: string; readonly storage?: boolean }>;
  };
}

/**
 * Turns the clusterctl-labelled CRDs into discovery types (§2.3): only the storage version of each CRD counts;
 * `v1/Secret` and `v1/ConfigMap` are always added, with no flags.
 */
export function discoveryTypesFromCrds(crds: readonly KubeObject[]): DiscoveryType[] {
  const types: DiscoveryType[] = [];
  for (const object of crds) {
    const crd = object as unknown as CrdShape;
    const group = crd.spec?.group;
    const kind = crd.spec?.names?.kind;
    const plural = crd.spec?.names?.plural;
    const storage = crd.spec?.versions?.find((v) => v.storage === true);
    if (!group || !kind || !plural || !storage?.name) continue;
    const labels = crd.metadata.labels ?? {};
    const forceMoveHierarchy =
      ALWAYS_HIERARCHY_ROOTS.has(`${group}/${kind}`) || MOVE_HIERARCHY_LABEL in labels;
    types.push({
      apiVersion: `${group}/${storage.name}`,
      kind,
      plural,
      namespaced: crd.spec?.scope !== 'Cluster',
      forceMoveHierarchy,
      forceMove: forceMoveHierarchy || MOVE_LABEL in labels,
    });
  }
  types.push(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      plural: 'secrets',
      namespaced: true,
      forceMove: false,
      forceMoveHierarchy: false,
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      plural: 'configmaps',
      namespaced: true,
      forceMove: false,
      forceMoveHierarchy: false,
    },
  );
  return types;
}
