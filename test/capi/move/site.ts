/**
 * Two management clusters for the mover tests, each a simulated API server (src/testing) reached over HTTP by the
 * real client: the source seeded with fixture objects (status included), the target empty; both with the Cluster API
 * CRDs (the generated schemas, labelled as clusterctl init labels them), permissive CRDs for the fixtures' generic
 * provider kinds, and a provider inventory.
 */
import { crd, fixtureCrds } from './fixtures';
import { type HttpKubeClient, NO_RETRY, connectKube } from '../../../src/kube';
import type { KubeObject, OwnerReference } from '../../../src/kube/types';
import {
  type FaultRule,
  GENERATED_CRDS,
  type SimulatedApiServer,
  SimulatedApiServer as Server,
  CustomResourceDefinition,
} from '../../../src/testing';

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
  /** `null`: no inventory CRD at all. */
  readonly targetProviders?: readonly Provider[] | null;
  /** Objects already in the target (their ownerReferences must point at objects of the same list). */
  readonly targetObjects?: readonly KubeObject[];
  /** CRDs for the target. @default the same as the source */
  readonly targetCrds?: readonly KubeObject[];
  /** Extra CRDs for both clusters (e.g. unlabelled kinds). */
  readonly extraCrds?: readonly KubeObject[];
  /** Replaces the CRDs of both clusters. @default siteCrds() */
  readonly crds?: readonly KubeObject[];
}

/** One request as the tests read it. */
export interface SiteRequest {
  readonly verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'discovery';
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly status: number;
}

export interface Cluster {
  readonly server: SimulatedApiServer;
  readonly client: HttpKubeClient;
  /** API requests since seeding, in order. */
  readonly requests: readonly SiteRequest[];
  /** Adds a fault (see FaultRule); `fail({ nth, times: Infinity })` stops answering from the nth request on. */
  fail(rule: Partial<FaultRule>): void;
  clearFaults(): void;
  /** The Cluster API objects held (CRDs, namespaces and the provider inventory left out). */
  objects(): KubeObject[];
  /** Maps a fixture UID to the UID the server gave the object. */
  uidOf(fixtureUid: string): string | undefined;
}

export interface Site {
  readonly from: Cluster;
  readonly to: Cluster;
  stop(): Promise<void>;
}

const CAPI_KINDS = new Set([
  'clusters.cluster.x-k8s.io',
  'clusterclasses.cluster.x-k8s.io',
  'machines.cluster.x-k8s.io',
  'machinesets.cluster.x-k8s.io',
  'machinedeployments.cluster.x-k8s.io',
  'machinepools.cluster.x-k8s.io',
  'clusterresourcesets.addons.cluster.x-k8s.io',
  'clusterresourcesetbindings.addons.cluster.x-k8s.io',
]);

const labelled = (c: KubeObject, labels: Record<string, string>): KubeObject => ({
  ...c,
  metadata: { ...c.metadata, labels: { ...(c.metadata.labels ?? {}), ...labels } },
});

/** The CRDs of a management cluster: real CAPI schemas for the core kinds, permissive ones for the generic kinds. */
export function siteCrds(): KubeObject[] {
  const real = (GENERATED_CRDS as unknown as KubeObject[])
    .filter((c) => CAPI_KINDS.has(c.metadata.name!))
    .map((c) =>
      labelled(c, { 'clusterctl.cluster.x-k8s.io': '', 'cluster.x-k8s.io/provider': 'cluster-api' }),
    );
  const generic = fixtureCrds().filter((c) => !CAPI_KINDS.has(c.metadata.name!));
  return [...real, ...generic];
}

const INVENTORY_CRD = labelled(
  GENERATED_CRDS.find((c) => c.metadata.name === 'providers.clusterctl.cluster.x-k8s.io') as KubeObject,
  {
    'clusterctl.cluster.x-k8s.io/core': 'inventory',
  },
);

const INFRASTRUCTURE = new Set(['CustomResourceDefinition', 'Namespace', 'Provider']);
const BUILTIN_KINDS: Record<string, string> = {
  secrets: 'Secret',
  configmaps: 'ConfigMap',
  namespaces: 'Namespace',
};

/** Owners before dependents, so the garbage collector never sees a dependent without its owner. */
function ownersFirst(objects: readonly KubeObject[]): KubeObject[] {
  const byUid = new Map(objects.map((o) => [o.metadata.uid, o]));
  const done = new Set<string | undefined>();
  const out: KubeObject[] = [];
  const visit = (o: KubeObject, stack: Set<KubeObject>) => {
    if (done.has(o.metadata.uid) || stack.has(o)) return;
    stack.add(o);
    for (const ref of o.metadata.ownerReferences ?? []) {
      const owner = byUid.get(ref.uid);
      if (owner) visit(owner, stack);
    }
    done.add(o.metadata.uid);
    out.push(o);
  };
  for (const o of objects) visit(o, new Set());
  return out;
}

async function startCluster(
  name: string,
  crds: readonly KubeObject[],
  providers: readonly Provider[] | null,
  objects: readonly KubeObject[],
): Promise<Cluster> {
  const server = await Server.start({
    name,
    crds: [...crds, ...(providers ? [INVENTORY_CRD] : [])] as unknown as CustomResourceDefinition[],
  });
  try {
    return await seed(server, providers, objects);
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The REST collection path of a kind (and namespace) on the simulated server. */
function collectionPath(
  server: SimulatedApiServer,
  apiVersion: string,
  kind: string,
  namespace?: string,
): string {
  const type = server.engine.typeFor(apiVersion, kind);
  if (!type) throw new Error(`the simulated server does not serve ${apiVersion} ${kind}`);
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${base}${type.namespaced && namespace ? `/namespaces/${namespace}` : ''}/${type.plural}`;
}

/** Creates an object in process (no HTTP, no request log, no faults), status included; returns what was stored. */
function put(server: SimulatedApiServer, object: KubeObject): KubeObject {
  const path = collectionPath(server, object.apiVersion, object.kind, object.metadata.namespace);
  const created = server.call({ method: 'POST', path, body: object, fieldManager: 'fixtures' });
  if (created.status >= 300) {
    throw new Error(`seeding ${object.kind} ${object.metadata.name}: ${JSON.stringify(created.body)}`);
  }
  const stored = created.body as KubeObject;
  const status = (object as { status?: unknown }).status;
  if (status !== undefined && server.engine.typeFor(object.apiVersion, object.kind)?.statusSubresource) {
    const updated = server.call({
      method: 'PUT',
      path: `${path}/${object.metadata.name}/status`,
      body: { ...stored, status },
    });
    if (updated.status >= 300) {
      throw new Error(
        `seeding the status of ${object.kind} ${object.metadata.name}: ${JSON.stringify(updated.body)}`,
      );
    }
  }
  return stored;
}

async function seed(
  server: SimulatedApiServer,
  providers: readonly Provider[] | null,
  objects: readonly KubeObject[],
): Promise<Cluster> {
  const client = await connectKube({
    kubeconfig: { yaml: server.kubeconfig() },
    retry: { read: NO_RETRY, write: NO_RETRY },
  });
  const namespaces = new Set([
    ...(providers ?? []).map((p) => p.namespace),
    ...objects.map((o) => o.metadata.namespace ?? ''),
  ]);
  for (const ns of namespaces) {
    if (ns) put(server, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  for (const p of providers ?? []) {
    put(server, {
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
  const uids = new Map<string, string>();
  for (const o of ownersFirst(objects)) {
    const { uid: _uid, ...metadata } = o.metadata;
    const ownerReferences = (o.metadata.ownerReferences ?? []).map((r): OwnerReference => ({
      ...r,
      uid: uids.get(r.uid) ?? r.uid,
    }));
    const created = put(server, {
      ...o,
      metadata: { ...metadata, ...(ownerReferences.length ? { ownerReferences } : {}) },
    });
    uids.set(o.metadata.uid!, created.metadata.uid!);
  }
  server.requests.clear();

  const kindOf = new Map<string, string>(Object.entries(BUILTIN_KINDS));
  for (const t of server.engine.servedTypes()) kindOf.set(`${t.group}/${t.plural}`, t.kind);
  const parse = (method: string, path: string, status: number): SiteRequest => {
    const m =
      /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/status)?$/.exec(
        path,
      );
    if (
      !m ||
      (m[3] === 'namespaces' &&
        m[2] === undefined &&
        m[4] === undefined &&
        !path.startsWith('/api/v1/namespaces'))
    ) {
      return { verb: 'discovery', status };
    }
    const [, group, namespace, plural, objectName] = m;
    const kind = kindOf.get(group ? `${group}/${plural}` : plural);
    if (!kind) return { verb: 'discovery', status };
    const verbs: Record<string, SiteRequest['verb']> = {
      POST: 'create',
      PUT: 'update',
      PATCH: 'patch',
      DELETE: 'delete',
    };
    const verb = method === 'GET' ? (objectName ? 'get' : 'list') : verbs[method];
    return { verb, kind, namespace, name: objectName, status };
  };

  return {
    server,
    client,
    get requests() {
      return server.requests.entries().map((r) => parse(r.method, r.path, r.status));
    },
    fail: (rule) => {
      server.faults.add({ path: '**', status: 503, ...rule });
    },
    clearFaults: () => server.faults.clear(),
    objects: () =>
      server.engine
        .servedTypes()
        .filter((t) => !INFRASTRUCTURE.has(t.kind))
        .flatMap((t) => {
          const version = t.versions.find((v) => v.storage) ?? t.versions[0];
          return server.engine.readAll(
            t.group ? `${t.group}/${version.name}` : version.name,
            t.kind,
          ) as unknown as KubeObject[];
        }),
    uidOf: (fixtureUid) => uids.get(fixtureUid),
  };
}

const running = new Set<Site>();

export async function newSite(
  sourceObjects: readonly KubeObject[],
  options: SiteOptions = {},
): Promise<Site> {
  const crds = [...(options.crds ?? siteCrds()), ...(options.extraCrds ?? [])];
  const from = await startCluster(
    'source',
    crds,
    options.sourceProviders ?? DEFAULT_PROVIDERS,
    sourceObjects,
  );
  let to: Cluster;
  try {
    to = await startCluster(
      'target',
      options.targetCrds ? [...options.targetCrds, ...(options.extraCrds ?? [])] : crds,
      options.targetProviders === undefined ? DEFAULT_PROVIDERS : options.targetProviders,
      options.targetObjects ?? [],
    );
  } catch (error) {
    await from.server.stop();
    throw error;
  }
  const site: Site = {
    from,
    to,
    stop: async () => {
      running.delete(site);
      await Promise.all([from.server.stop(), to.server.stop()]);
    },
  };
  running.add(site);
  return site;
}

/** Stops every site still running (call from afterEach). */
export async function stopSites(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
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

export { crd };
