/**
 * Two management clusters for the mover tests: the source seeded with fixture objects (status included), the target
 * empty; both with the fixture CRDs and a provider inventory. Tests only use this interface, so the clusters behind
 * it can be swapped.
 */
import { crd, fixtureCrds } from './fixtures';
import { MemoryKube, type MemoryRequest } from './memory-kube';
import type { KubeClient, KubeObject } from '../../../src/kube/types';

export interface Provider {
  readonly name: string;
  readonly namespace: string;
  readonly providerName: string;
  readonly type: string;
  readonly version: string;
}

export const DEFAULT_PROVIDERS: readonly Provider[] = [
  {
    name: 'cluster-api',
    namespace: 'capi-system',
    providerName: 'cluster-api',
    type: 'CoreProvider',
    version: 'v1.10.0',
  },
  {
    name: 'infrastructure-infra1',
    namespace: 'infra1-system',
    providerName: 'infra1',
    type: 'InfrastructureProvider',
    version: 'v1.2.3',
  },
];

export interface SiteOptions {
  readonly sourceProviders?: readonly Provider[];
  readonly targetProviders?: readonly Provider[] | null;
  /** Objects already in the target. */
  readonly targetObjects?: readonly KubeObject[];
  /** CRDs for the target (default: the fixture CRDs). */
  readonly targetCrds?: readonly KubeObject[];
}

export interface Cluster {
  readonly client: KubeClient;
  readonly requests: readonly MemoryRequest[];
  /** Fails every request whose index (from 0, over this cluster's requests) satisfies `when`, with a 503. */
  failWhen(when: ((index: number, request: MemoryRequest) => boolean) | undefined): void;
  /** The Cluster API objects held (CRDs, namespaces and the provider inventory left out). */
  objects(): KubeObject[];
}

export interface Site {
  readonly from: Cluster;
  readonly to: Cluster;
}

const PROVIDER_CRD = {
  ...crd('clusterctl.cluster.x-k8s.io/v1alpha3', 'Provider', 'Namespaced'),
  metadata: {
    name: 'providers.clusterctl.cluster.x-k8s.io',
    labels: { 'clusterctl.cluster.x-k8s.io/core': 'inventory' },
  },
};

const INFRASTRUCTURE = new Set(['CustomResourceDefinition', 'Namespace', 'Provider']);

function cluster(
  crds: readonly KubeObject[],
  providers: readonly Provider[] | null,
  objects: readonly KubeObject[],
): Cluster {
  const kube = new MemoryKube();
  for (const c of [...crds, ...(providers ? [PROVIDER_CRD] : [])]) kube.seed(c);
  const namespaces = new Set<string>([
    ...(providers ?? []).map((p) => p.namespace),
    ...objects.map((o) => o.metadata.namespace ?? ''),
  ]);
  for (const ns of namespaces) {
    if (ns) kube.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  for (const p of providers ?? []) {
    kube.seed({
      apiVersion: 'clusterctl.cluster.x-k8s.io/v1alpha3',
      kind: 'Provider',
      metadata: {
        name: p.name,
        namespace: p.namespace,
        labels: { 'clusterctl.cluster.x-k8s.io/core': 'inventory' },
      },
      providerName: p.providerName,
      type: p.type,
      version: p.version,
    });
  }
  for (const o of objects) kube.seed(o);
  return {
    client: kube,
    requests: kube.requests,
    failWhen: (when) => {
      kube.failWhen = when;
    },
    objects: () => kube.all().filter((o) => !INFRASTRUCTURE.has(o.kind)),
  };
}

export async function newSite(
  sourceObjects: readonly KubeObject[],
  options: SiteOptions = {},
): Promise<Site> {
  return {
    from: cluster(fixtureCrds(), options.sourceProviders ?? DEFAULT_PROVIDERS, sourceObjects),
    to: cluster(
      options.targetCrds ?? fixtureCrds(),
      options.targetProviders === undefined ? DEFAULT_PROVIDERS : options.targetProviders,
      options.targetObjects ?? [],
    ),
  };
}

/** `Kind ns/name` of each object, sorted. */
export function keys(objects: readonly KubeObject[]): string[] {
  return objects
    .map((o) =>
      o.metadata.namespace
        ? `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`
        : `${o.kind} ${o.metadata.name}`,
    )
    .sort();
}

/** Fast backoffs for tests (a retry still happens, but within milliseconds). */
export const FAST = {
  read: { initialMs: 1, factor: 1, steps: 3, jitter: 0 },
  write: { initialMs: 1, factor: 1, steps: 3, jitter: 0 },
  blockMove: { initialMs: 5, factor: 1, steps: 10, jitter: 0 },
};
