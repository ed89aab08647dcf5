import { createHash, randomBytes } from 'node:crypto';
import { joinApiVersion, splitApiVersion } from '../../kube/api-version';
import { HttpKubeClient } from '../../kube/client';
import { isAlreadyExists, isConflict, isKubeApiError, isNotFound } from '../../kube/errors';
import { KubeObject, OwnerReference } from '../../kube/types';

/** A kind the simulated providers read, with the versions to try, preferred first. */
export interface KindRef {
  readonly group: string;
  readonly kind: string;
  readonly versions: readonly string[];
}

const CAPI_VERSIONS = ['v1beta2', 'v1beta1'];
const ETCDADM_VERSIONS = ['v1beta1', 'v1alpha3'];

export const KINDS = {
  Cluster: { group: 'cluster.x-k8s.io', kind: 'Cluster', versions: CAPI_VERSIONS },
  Machine: { group: 'cluster.x-k8s.io', kind: 'Machine', versions: CAPI_VERSIONS },
  MachineSet: { group: 'cluster.x-k8s.io', kind: 'MachineSet', versions: CAPI_VERSIONS },
  MachineDeployment: { group: 'cluster.x-k8s.io', kind: 'MachineDeployment', versions: CAPI_VERSIONS },
  MachineHealthCheck: { group: 'cluster.x-k8s.io', kind: 'MachineHealthCheck', versions: CAPI_VERSIONS },
  KubeadmControlPlane: {
    group: 'controlplane.cluster.x-k8s.io',
    kind: 'KubeadmControlPlane',
    versions: CAPI_VERSIONS,
  },
  KubeadmConfig: { group: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfig', versions: CAPI_VERSIONS },
  KubeadmConfigTemplate: {
    group: 'bootstrap.cluster.x-k8s.io',
    kind: 'KubeadmConfigTemplate',
    versions: CAPI_VERSIONS,
  },
  DockerCluster: { group: 'infrastructure.cluster.x-k8s.io', kind: 'DockerCluster', versions: CAPI_VERSIONS },
  DockerMachine: { group: 'infrastructure.cluster.x-k8s.io', kind: 'DockerMachine', versions: CAPI_VERSIONS },
  DockerMachineTemplate: {
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'DockerMachineTemplate',
    versions: CAPI_VERSIONS,
  },
  EtcdadmCluster: {
    group: 'etcdcluster.cluster.x-k8s.io',
    kind: 'EtcdadmCluster',
    versions: ETCDADM_VERSIONS,
  },
  EtcdadmConfig: { group: 'bootstrap.cluster.x-k8s.io', kind: 'EtcdadmConfig', versions: ETCDADM_VERSIONS },
  Secret: { group: '', kind: 'Secret', versions: ['v1'] },
  Node: { group: '', kind: 'Node', versions: ['v1'] },
  Deployment: { group: 'apps', kind: 'Deployment', versions: ['v1'] },
  DaemonSet: { group: 'apps', kind: 'DaemonSet', versions: ['v1'] },
} satisfies Record<string, KindRef>;

/** The CAPI contract of an object: the shape its fields have. */
export type Contract = 'v1beta1' | 'v1beta2';

/** Any JSON value inside an object (the simulated providers read fields of both contracts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/**
 * The apiVersion an object was written in: the version the latest writer of its spec used, from
 * `metadata.managedFields`. The simulated server converts between versions by relabelling only (conversion
 * strategy None), so an object keeps the shape it was written in whatever version it is read through; the
 * providers read it in that shape and write back through that version so that schema validation applies.
 */
export function writtenApiVersion(object: KubeObject): string {
  const entries = ((object.metadata.managedFields ?? []) as Json[]).filter(
    (e) => !e.subresource && typeof e.apiVersion === 'string',
  );
  const specWriters = entries.filter((e) => e.fieldsV1 && 'f:spec' in e.fieldsV1);
  const pool = specWriters.length > 0 ? specWriters : entries;
  let chosen: Json | undefined;
  for (const e of pool) {
    if (!chosen || String(e.time ?? '') >= String(chosen.time ?? '')) chosen = e;
  }
  return chosen?.apiVersion ?? object.apiVersion;
}

/** `v1beta1` or `v1beta2` for CAPI kinds (etcdadm's own versions count as v1beta1 shapes). */
export function contractOf(object: KubeObject): Contract {
  return splitApiVersion(writtenApiVersion(object)).version === 'v1beta2' ? 'v1beta2' : 'v1beta1';
}

/** The object relabelled with the version it was written in, ready to be written back. */
export function asWritten<T extends KubeObject>(object: T): T {
  return { ...object, apiVersion: writtenApiVersion(object) };
}

/** A reference to an object, whatever the contract spelled it as. */
export interface TypedRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** Reads `{apiVersion, kind, name, namespace}` (v1beta1) or `{apiGroup, kind, name}` (v1beta2). */
export function readRef(raw: Json, defaultNamespace: string): TypedRef | undefined {
  if (!raw || typeof raw.kind !== 'string' || typeof raw.name !== 'string') return undefined;
  const group =
    typeof raw.apiGroup === 'string'
      ? raw.apiGroup
      : typeof raw.apiVersion === 'string'
        ? splitApiVersion(raw.apiVersion).group
        : undefined;
  if (group === undefined) return undefined;
  return { group, kind: raw.kind, name: raw.name, namespace: raw.namespace ?? defaultNamespace };
}

/** A reference in the shape of `contract`, to an object of the site. */
export function writeRef(contract: Contract, target: KubeObject): Json {
  if (contract === 'v1beta2') {
    return {
      apiGroup: splitApiVersion(target.apiVersion).group,
      kind: target.kind,
      name: target.metadata.name,
    };
  }
  return {
    apiVersion: writtenApiVersion(target),
    kind: target.kind,
    name: target.metadata.name,
    namespace: target.metadata.namespace,
  };
}

export function ownerReference(owner: KubeObject, controller: boolean): OwnerReference {
  return {
    apiVersion: writtenApiVersion(owner),
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    ...(controller ? { controller: true, blockOwnerDeletion: true } : {}),
  };
}

export function isOwnedBy(object: KubeObject, owner: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
}

export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return (object.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

export const PAUSED_ANNOTATION = 'cluster.x-k8s.io/paused';
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
export const CONTROL_PLANE_LABEL = 'cluster.x-k8s.io/control-plane';
export const CONTROL_PLANE_NAME_LABEL = 'cluster.x-k8s.io/control-plane-name';
export const DEPLOYMENT_NAME_LABEL = 'cluster.x-k8s.io/deployment-name';
export const SET_NAME_LABEL = 'cluster.x-k8s.io/set-name';
export const TEMPLATE_HASH_LABEL = 'machine-template-hash';
export const ETCD_CLUSTER_LABEL = 'cluster.x-k8s.io/etcd-cluster';
export const CLONED_FROM_NAME = 'cluster.x-k8s.io/cloned-from-name';
export const CLONED_FROM_GROUPKIND = 'cluster.x-k8s.io/cloned-from-groupkind';

/** Paused as CAPI controllers see it: the Cluster's `spec.paused`, or the paused annotation on either object. */
export function isPaused(cluster: KubeObject | undefined, object?: KubeObject): boolean {
  const annotated = (o: KubeObject | undefined) => PAUSED_ANNOTATION in (o?.metadata.annotations ?? {});
  return (cluster?.spec as Json)?.paused === true || annotated(cluster) || annotated(object);
}

export function isDeleting(object: KubeObject): boolean {
  return typeof object.metadata.deletionTimestamp === 'string';
}

/** A random suffix in Kubernetes' generateName alphabet. */
export function randomSuffix(length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = randomBytes(length);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

/** A short stable hash of a JSON value (keys sorted). */
export function stableHash(value: unknown, length = 10): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, length);
}

export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * What one reconcile pass sees: every object of the kinds it reads, listed once over HTTP through the first served
 * version of each kind (all namespaces). Objects a pass creates are added so it does not create them twice.
 */
export class Snapshot {
  public static async load(client: HttpKubeClient, kinds: readonly KindRef[]): Promise<Snapshot> {
    return new Snapshot().extend(client, kinds);
  }

  private readonly objects = new Map<string, KubeObject[]>();
  private readonly served = new Map<string, string>();

  /** Lists more kinds into this snapshot (a pass reads its primary kinds first and the rest only if needed). */
  public async extend(client: HttpKubeClient, kinds: readonly KindRef[]): Promise<Snapshot> {
    // The simulated server relabels between versions (conversion strategy None), so one list through the
    // preferred served version returns every object in the shape it was written in; see writtenApiVersion.
    const lists = await Promise.all(
      kinds
        .filter((kind) => !this.objects.has(key(kind)))
        .map(async (kind) => {
          const apiVersion = (await servedApiVersions(client, kind))[0];
          return { kind, apiVersion, objects: apiVersion ? await client.list(apiVersion, kind.kind) : [] };
        }),
    );
    for (const { kind, apiVersion, objects } of lists) {
      if (!apiVersion) continue;
      this.served.set(key(kind), apiVersion);
      this.objects.set(key(kind), objects);
    }
    return this;
  }

  /** The apiVersion the kind was listed through (undefined when the kind is not served). */
  public apiVersionOf(kind: KindRef): string | undefined {
    return this.served.get(key(kind));
  }

  public list(kind: KindRef, namespace?: string): KubeObject[] {
    const all = this.objects.get(key(kind)) ?? [];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  public get(kind: KindRef, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.list(kind).find(
      (o) => o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
    );
  }

  /** The object a reference points at, if it is of a listed kind. */
  public resolve(ref: TypedRef | undefined): KubeObject | undefined {
    if (!ref) return undefined;
    const kind = [...this.objects.keys()].find((k) => k === `${ref.group}/${ref.kind}`);
    return kind
      ? this.get({ group: ref.group, kind: ref.kind, versions: [] }, ref.namespace, ref.name)
      : undefined;
  }

  public ownedBy(kind: KindRef, owner: KubeObject): KubeObject[] {
    return this.list(kind).filter((o) => isOwnedBy(o, owner));
  }

  /** Records an object written during the pass (replacing the listed copy). */
  public put(object: KubeObject, kind: KindRef): void {
    const list = this.objects.get(key(kind)) ?? [];
    const i = list.findIndex((o) => o.metadata.uid === object.metadata.uid);
    if (i >= 0) list[i] = object;
    else list.push(object);
    this.objects.set(key(kind), list);
  }
}

function key(kind: Pick<KindRef, 'group' | 'kind'>): string {
  return `${kind.group}/${kind.kind}`;
}

/** The versions of a kind the server serves, in the kind's order of preference. */
async function servedApiVersions(client: HttpKubeClient, kind: KindRef): Promise<string[]> {
  const served: string[] = [];
  for (const version of kind.versions) {
    const apiVersion = joinApiVersion(kind.group, version);
    try {
      await client.resource(apiVersion, kind.kind);
      served.push(apiVersion);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return served;
}

/** Where an object lives, for patches and deletes, in the version it was written in. */
export function refOf(object: KubeObject): {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
} {
  return {
    apiVersion: writtenApiVersion(object),
    kind: object.kind,
    name: object.metadata.name!,
    namespace: object.metadata.namespace,
  };
}

/** Replaces the status when it differs (merge patch of the status subresource, written version). */
export async function writeStatus(
  client: HttpKubeClient,
  object: KubeObject,
  status: Json,
): Promise<boolean> {
  if (stableJson(object.status ?? {}) === stableJson(status)) return false;
  // Fields that disappear from the new status are removed explicitly (merge patch keeps what it is not told).
  const patch: Json = { ...status };
  for (const k of Object.keys((object.status as Json) ?? {})) if (!(k in status)) patch[k] = null;
  await client.mergePatch(refOf(object), { status: patch }, { status: true });
  return true;
}

/** Merge-patches the object (metadata or spec), in the version it was written in. */
export async function patchObject<T extends KubeObject>(
  client: HttpKubeClient,
  object: KubeObject,
  patch: Json,
): Promise<T> {
  return client.mergePatch<T>(refOf(object), patch);
}

/** Adds a finalizer unless present (or the object is being deleted); returns the object as it is now. */
export async function ensureFinalizer<T extends KubeObject>(
  client: HttpKubeClient,
  object: T,
  finalizer: string,
): Promise<T> {
  const finalizers = object.metadata.finalizers ?? [];
  if (finalizers.includes(finalizer) || isDeleting(object)) return object;
  return client.mergePatch<T>(refOf(object), {
    metadata: { finalizers: [...finalizers, finalizer], resourceVersion: object.metadata.resourceVersion },
  });
}

export async function removeFinalizer(
  client: HttpKubeClient,
  object: KubeObject,
  finalizer: string,
): Promise<void> {
  const finalizers = object.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return;
  try {
    await client.mergePatch(refOf(object), {
      metadata: {
        finalizers: finalizers.filter((f) => f !== finalizer),
        resourceVersion: object.metadata.resourceVersion,
      },
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** Creates an object; one that exists already (a pass that crashed half-way) is returned instead. */
export async function createOrGet(client: HttpKubeClient, object: KubeObject): Promise<KubeObject> {
  try {
    return await client.create(object);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    const existing = await client.get({
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name!,
      namespace: object.metadata.namespace,
    });
    if (!existing) throw error;
    return existing;
  }
}

/** Deletes (background propagation); already gone is fine. */
export async function deleteIfPresent(client: HttpKubeClient, object: KubeObject): Promise<void> {
  if (isDeleting(object)) return;
  await client.delete(refOf(object));
}

/** True for a conflict (a concurrent writer), which the next pass resolves. */
export function isRetryableConflict(error: unknown): boolean {
  return isConflict(error) || (isKubeApiError(error) && error.statusCode === 409);
}
