/**
 * Fixture builders for the move tests: the same object families as clusterctl's test fixtures (research/capi.md
 * §3.0), written from that description. Objects get readable UIDs `<apiVersion>, Kind=<Kind>, <ns>/<name>`.
 */
import type { KubeObject, OwnerReference } from '../../../src/kube/types';

export const V = 'v1beta2';
export const CORE = `cluster.x-k8s.io/${V}`;
export const ADDONS = `addons.cluster.x-k8s.io/${V}`;
export const INFRA = `infrastructure.cluster.x-k8s.io/${V}`;
export const BOOTSTRAP = `bootstrap.cluster.x-k8s.io/${V}`;
export const CONTROLPLANE = `controlplane.cluster.x-k8s.io/${V}`;
export const EXTERNAL = `external.cluster.x-k8s.io/${V}`;

/** Short names used in test tables → [apiVersion, kind]. */
export const KINDS = {
  C: [CORE, 'Cluster'],
  CC: [CORE, 'ClusterClass'],
  M: [CORE, 'Machine'],
  MS: [CORE, 'MachineSet'],
  MD: [CORE, 'MachineDeployment'],
  MP: [CORE, 'MachinePool'],
  CRS: [ADDONS, 'ClusterResourceSet'],
  CRSB: [ADDONS, 'ClusterResourceSetBinding'],
  GIC: [INFRA, 'GenericInfrastructureCluster'],
  GICT: [INFRA, 'GenericInfrastructureClusterTemplate'],
  GIM: [INFRA, 'GenericInfrastructureMachine'],
  GIMT: [INFRA, 'GenericInfrastructureMachineTemplate'],
  GCII: [INFRA, 'GenericClusterInfrastructureIdentity'],
  GBC: [BOOTSTRAP, 'GenericBootstrapConfig'],
  GBCT: [BOOTSTRAP, 'GenericBootstrapConfigTemplate'],
  GCP: [CONTROLPLANE, 'GenericControlPlane'],
  GCPT: [CONTROLPLANE, 'GenericControlPlaneTemplate'],
  GEO: [EXTERNAL, 'GenericExternalObject'],
  GCEO: [EXTERNAL, 'GenericClusterExternalObject'],
  S: ['v1', 'Secret'],
  CM: ['v1', 'ConfigMap'],
} as const;
export type Short = keyof typeof KINDS;

/** Cluster-scoped kinds among the fixtures. */
const GLOBAL: ReadonlySet<Short> = new Set(['GCII', 'GCEO']);

export function uidOf(short: Short, namespace: string | undefined, name: string): string {
  const [apiVersion, kind] = KINDS[short];
  return `${apiVersion}, Kind=${kind}, ${namespace ?? ''}/${name}`;
}

/** `Kind ns/name` or `Kind name`: the key GraphNode uses. */
export function keyOf(short: Short, namespace: string | undefined, name: string): string {
  const kind = KINDS[short][1];
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

type Owner = KubeObject | { object: KubeObject; controller?: boolean; blockOwnerDeletion?: boolean };

function ownerRef(owner: Owner): OwnerReference {
  const flagged = 'object' in owner && !('metadata' in owner);
  const target = flagged ? owner.object : (owner as KubeObject);
  const flags: { controller?: boolean; blockOwnerDeletion?: boolean } = flagged ? owner : {};
  return {
    apiVersion: target.apiVersion,
    kind: target.kind,
    name: target.metadata.name!,
    uid: target.metadata.uid!,
    ...(flags.controller !== undefined ? { controller: flags.controller } : {}),
    ...(flags.blockOwnerDeletion !== undefined ? { blockOwnerDeletion: flags.blockOwnerDeletion } : {}),
  };
}

export interface ObjectOptions {
  readonly owners?: readonly Owner[];
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly body?: Record<string, unknown>;
}

export function object(
  short: Short,
  namespace: string | undefined,
  name: string,
  options: ObjectOptions = {},
): KubeObject {
  const [apiVersion, kind] = KINDS[short];
  const ns = GLOBAL.has(short) ? undefined : namespace;
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(ns ? { namespace: ns } : {}),
      uid: uidOf(short, ns, name),
      ...(options.labels ? { labels: options.labels } : {}),
      ...(options.annotations ? { annotations: options.annotations } : {}),
      ...(options.owners?.length ? { ownerReferences: options.owners.map(ownerRef) } : {}),
    },
    ...(options.body ?? {}),
  };
}

const ref = (o: KubeObject) => ({
  apiGroup: o.apiVersion.split('/')[0],
  kind: o.kind,
  name: o.metadata.name!,
});
const templateRef = (o: KubeObject) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name! });

/**
 * A set of fixture objects. Adding an object whose UID is already present merges its ownerReferences: that is how
 * a shared template ends up with one owner per user.
 */
export class Objects {
  private readonly byUid = new Map<string, KubeObject>();

  public add(...objects: KubeObject[]): this {
    for (const o of objects) {
      const existing = this.byUid.get(o.metadata.uid!);
      if (!existing) {
        this.byUid.set(o.metadata.uid!, o);
        continue;
      }
      const refs = [...(existing.metadata.ownerReferences ?? [])];
      for (const r of o.metadata.ownerReferences ?? []) if (!refs.some((x) => x.uid === r.uid)) refs.push(r);
      this.byUid.set(o.metadata.uid!, {
        ...existing,
        metadata: { ...existing.metadata, ownerReferences: refs },
      });
    }
    return this;
  }

  public get list(): KubeObject[] {
    return [...this.byUid.values()];
  }
}

/** A v1beta2 (metav1) condition with every required field. */
export function condition(type: string, status: 'True' | 'False' | 'Unknown') {
  const reason = status === 'True' ? type : `Not${type}`;
  return {
    type,
    status,
    reason,
    message: `${type} is ${status}`,
    lastTransitionTime: '2026-01-01T00:00:00Z',
  };
}

const PROVISIONED_CLUSTER_STATUS = {
  initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true },
  conditions: [condition('ControlPlaneInitialized', 'True')],
};

export interface MachineOptions {
  readonly name: string;
  /** Uses `dataSecretName` instead of a bootstrap config. */
  readonly staticBootstrap?: boolean;
  /** Omit the nodeRef (a machine still provisioning). */
  readonly noNodeRef?: boolean;
  readonly labels?: Record<string, string>;
}
export type MachineSpec = string | MachineOptions;

export interface MachineSetOptions {
  readonly name: string;
  readonly machines?: readonly MachineSpec[];
  readonly staticBootstrap?: boolean;
  /** A GIMT shared with other users instead of the MachineSet's own (built with `sharedTemplate`). */
  readonly sharedTemplate?: string;
}

export interface MachineDeploymentOptions {
  readonly name: string;
  readonly machineSets?: readonly { readonly name: string; readonly machines?: readonly MachineSpec[] }[];
  readonly staticBootstrap?: boolean;
  readonly sharedTemplate?: string;
}

export interface ClusterOptions {
  readonly topologyClass?: string;
  readonly topologyClassNamespace?: string;
  readonly paused?: boolean;
  readonly cloudConfigSecret?: boolean;
  readonly credentialSecret?: boolean;
  /** Leave status empty (infrastructure not provisioned, control plane not initialized). */
  readonly unprovisioned?: boolean;
  readonly controlPlane?: { readonly name: string; readonly machines?: readonly MachineSpec[] };
  /** Machines directly under the Cluster (no control plane object). */
  readonly machines?: readonly MachineSpec[];
  readonly machineSets?: readonly MachineSetOptions[];
  readonly machineDeployments?: readonly MachineDeploymentOptions[];
  readonly machinePools?: readonly { readonly name: string; readonly staticBootstrap?: boolean }[];
  readonly annotations?: Record<string, string>;
}

function machineOptions(spec: MachineSpec): MachineOptions {
  return typeof spec === 'string' ? { name: spec } : spec;
}

/** The objects of one Cluster and what hangs off it, added to `into` (which may be shared with other builders). */
export function cluster(
  namespace: string,
  name: string,
  options: ClusterOptions = {},
  into = new Objects(),
): Objects {
  const infraRef = {
    apiGroup: 'infrastructure.cluster.x-k8s.io',
    kind: 'GenericInfrastructureCluster',
    name,
  };
  const spec: Record<string, unknown> = { infrastructureRef: infraRef };
  if (options.controlPlane) {
    spec.controlPlaneRef = {
      apiGroup: 'controlplane.cluster.x-k8s.io',
      kind: 'GenericControlPlane',
      name: options.controlPlane.name,
    };
  }
  if (options.topologyClass) {
    spec.topology = {
      classRef: {
        name: options.topologyClass,
        ...(options.topologyClassNamespace ? { namespace: options.topologyClassNamespace } : {}),
      },
      version: 'v1.30.0',
    };
  }
  if (options.paused) spec.paused = true;
  const c = object('C', namespace, name, {
    annotations: options.annotations,
    body: { spec, ...(options.unprovisioned ? {} : { status: PROVISIONED_CLUSTER_STATUS }) },
  });
  const label = { 'cluster.x-k8s.io/cluster-name': name };
  into.add(c, object('GIC', namespace, name, { owners: [c], labels: label, body: { spec: {} } }));
  // User-provided CA: no owner, soft-owned by name.
  into.add(secret(namespace, `${name}-ca`));
  if (!options.controlPlane) into.add(secret(namespace, `${name}-kubeconfig`, { owners: [c] }));
  if (options.cloudConfigSecret) {
    into.add(
      secret(namespace, `${name}-cloud-config`, { labels: { 'clusterctl.cluster.x-k8s.io/move': '' } }),
    );
  }
  if (options.credentialSecret) into.add(secret(namespace, `${name}-credentials`, { owners: [c] }));

  if (options.controlPlane) {
    const cp = options.controlPlane.name;
    const gimt = object('GIMT', namespace, cp, { owners: [c], body: { spec: {} } });
    const gcp = object('GCP', namespace, cp, { owners: [c], labels: label, body: { spec: {} } });
    into.add(gimt, gcp);
    into.add(secret(namespace, `${name}-kubeconfig`, { owners: [{ object: gcp, controller: true }] }));
    into.add(secret(namespace, `${name}-sa`, { owners: [{ object: gcp, controller: true }] }));
    for (const m of options.controlPlane.machines ?? []) {
      machine(namespace, name, machineOptions(m), { object: gcp, controller: true }, into);
    }
  }

  (options.machines ?? []).forEach((m, i) => {
    const bootstrap = machine(namespace, name, machineOptions(m), c, into);
    // The first Machine of a Cluster without a control plane object carries the service-account keys.
    if (i === 0 && !options.controlPlane && bootstrap) {
      into.add(secret(namespace, `${name}-sa`, { owners: [{ object: bootstrap, controller: true }] }));
    }
  });

  for (const ms of options.machineSets ?? []) {
    const gimt = templateFor(namespace, ms.sharedTemplate ?? ms.name, c);
    const gbct = ms.staticBootstrap
      ? undefined
      : object('GBCT', namespace, ms.name, { owners: [c], body: { spec: {} } });
    const set = object('MS', namespace, ms.name, {
      owners: [c],
      body: { spec: machineSetSpec(name, gimt, gbct) },
    });
    into.add(gimt, set);
    if (gbct) into.add(gbct);
    for (const m of ms.machines ?? []) {
      machine(
        namespace,
        name,
        { staticBootstrap: ms.staticBootstrap, ...machineOptions(m) },
        { object: set, controller: true },
        into,
      );
    }
  }

  for (const md of options.machineDeployments ?? []) {
    const gimt = templateFor(namespace, md.sharedTemplate ?? md.name, c);
    const gbct = md.staticBootstrap
      ? undefined
      : object('GBCT', namespace, md.name, { owners: [c], body: { spec: {} } });
    const deployment = object('MD', namespace, md.name, {
      owners: [c],
      body: { spec: machineSetSpec(name, gimt, gbct) },
    });
    into.add(gimt, deployment);
    if (gbct) into.add(gbct);
    for (const ms of md.machineSets ?? []) {
      const set = object('MS', namespace, ms.name, {
        owners: [{ object: deployment, controller: true }],
        body: { spec: machineSetSpec(name, gimt, gbct) },
      });
      into.add(set);
      for (const m of ms.machines ?? []) {
        machine(
          namespace,
          name,
          { staticBootstrap: md.staticBootstrap, ...machineOptions(m) },
          { object: set, controller: true },
          into,
        );
      }
    }
  }

  for (const mp of options.machinePools ?? []) {
    const gimt = object('GIMT', namespace, mp.name, { owners: [c], body: { spec: {} } });
    const gbct = mp.staticBootstrap
      ? undefined
      : object('GBCT', namespace, mp.name, { owners: [c], body: { spec: {} } });
    const pool = object('MP', namespace, mp.name, {
      owners: [c],
      body: { spec: { clusterName: name, template: { spec: machineTemplateSpec(name, gimt, gbct) } } },
    });
    into.add(pool, gimt);
    if (gbct) into.add(gbct);
  }
  return into;
}

function templateFor(namespace: string, name: string, owner: KubeObject): KubeObject {
  return object('GIMT', namespace, name, { owners: [owner], body: { spec: {} } });
}

function machineTemplateSpec(clusterName: string, infra: KubeObject, bootstrap: KubeObject | undefined) {
  return {
    clusterName,
    bootstrap: bootstrap ? { configRef: ref(bootstrap) } : { dataSecretName: 'static-bootstrap' },
    infrastructureRef: ref(infra),
  };
}

function machineSetSpec(clusterName: string, infra: KubeObject, bootstrap: KubeObject | undefined) {
  return {
    clusterName,
    selector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': clusterName } },
    template: {
      metadata: { labels: { 'cluster.x-k8s.io/cluster-name': clusterName } },
      spec: machineTemplateSpec(clusterName, infra, bootstrap),
    },
  };
}

/** A Machine, its infrastructure machine and (unless static) its bootstrap config and data Secret; returns the config. */
function machine(
  namespace: string,
  clusterName: string,
  options: MachineOptions,
  parent: Owner,
  into: Objects,
): KubeObject | undefined {
  const name = options.name;
  const infraRef = {
    apiGroup: 'infrastructure.cluster.x-k8s.io',
    kind: 'GenericInfrastructureMachine',
    name,
  };
  const bootstrap = options.staticBootstrap
    ? { dataSecretName: name }
    : { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'GenericBootstrapConfig', name } };
  const m = object('M', namespace, name, {
    owners: [parent],
    labels: { 'cluster.x-k8s.io/cluster-name': clusterName, ...(options.labels ?? {}) },
    body: {
      spec: { clusterName, bootstrap, infrastructureRef: infraRef },
      ...(options.noNodeRef ? {} : { status: { nodeRef: { name: `node-${name}` } } }),
    },
  });
  into.add(m, object('GIM', namespace, name, { owners: [m], body: { spec: {} } }));
  if (options.staticBootstrap) return undefined;
  const gbc = object('GBC', namespace, name, { owners: [m], body: { spec: {} } });
  into.add(gbc, secret(namespace, name, { owners: [{ object: gbc, controller: true }] }));
  return gbc;
}

export function secret(namespace: string, name: string, options: ObjectOptions = {}): KubeObject {
  return object('S', namespace, name, {
    ...options,
    body: { type: 'Opaque', data: { value: Buffer.from(`secret-${name}`).toString('base64') } },
  });
}

export function configMap(namespace: string, name: string, options: ObjectOptions = {}): KubeObject {
  return object('CM', namespace, name, { ...options, body: { data: { value: name } } });
}

/** A ClusterResourceSet with its resources, bound to the given Clusters (one binding each, named after it). */
export function clusterResourceSet(
  namespace: string,
  name: string,
  options: { secrets?: string[]; configMaps?: string[]; clusters?: string[] },
  into = new Objects(),
): Objects {
  const resources = [
    ...(options.secrets ?? []).map((n) => ({ kind: 'Secret', name: n })),
    ...(options.configMaps ?? []).map((n) => ({ kind: 'ConfigMap', name: n })),
  ];
  const crs = object('CRS', namespace, name, {
    body: { spec: { clusterSelector: { matchLabels: {} }, resources } },
  });
  into.add(crs);
  for (const s of options.secrets ?? []) into.add(secret(namespace, s, { owners: [crs] }));
  for (const c of options.configMaps ?? []) into.add(configMap(namespace, c, { owners: [crs] }));
  for (const c of options.clusters ?? []) {
    into.add(object('CRSB', namespace, c, { owners: [crs], body: { spec: { clusterName: c } } }));
  }
  return into;
}

export interface ClusterClassOptions {
  /** Defaults to the class name. */
  readonly infrastructureTemplate?: string;
  /** Defaults to the class name. */
  readonly controlPlaneTemplate?: string;
  readonly controlPlaneMachineInfrastructure?: string;
  readonly machineDeploymentClasses?: readonly { class: string; infrastructure: string; bootstrap: string }[];
  readonly paused?: boolean;
}

/** A ClusterClass and the templates it owns (shared templates get one owner per class). */
export function clusterClass(
  namespace: string,
  name: string,
  options: ClusterClassOptions = {},
  into = new Objects(),
): Objects {
  const infra = object('GICT', namespace, options.infrastructureTemplate ?? name, { body: { spec: {} } });
  const cp = object('GCPT', namespace, options.controlPlaneTemplate ?? name, { body: { spec: {} } });
  const machineInfra = options.controlPlaneMachineInfrastructure
    ? object('GIMT', namespace, options.controlPlaneMachineInfrastructure, { body: { spec: {} } })
    : undefined;
  const mdClasses = (options.machineDeploymentClasses ?? []).map((md) => ({
    class: md.class,
    infrastructure: object('GIMT', namespace, md.infrastructure, { body: { spec: {} } }),
    bootstrap: object('GBCT', namespace, md.bootstrap, { body: { spec: {} } }),
  }));
  const cc = object('CC', namespace, name, {
    annotations: options.paused ? { 'cluster.x-k8s.io/paused': '' } : undefined,
    body: {
      spec: {
        infrastructure: { templateRef: templateRef(infra) },
        controlPlane: {
          templateRef: templateRef(cp),
          ...(machineInfra ? { machineInfrastructure: { templateRef: templateRef(machineInfra) } } : {}),
        },
        ...(mdClasses.length
          ? {
              workers: {
                machineDeployments: mdClasses.map((md) => ({
                  class: md.class,
                  bootstrap: { templateRef: templateRef(md.bootstrap) },
                  infrastructure: { templateRef: templateRef(md.infrastructure) },
                })),
              },
            }
          : {}),
      },
    },
  });
  const owned = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, ownerReferences: [ownerRef(cc)] } });
  into.add(cc, owned(infra), owned(cp));
  if (machineInfra) into.add(owned(machineInfra));
  for (const md of mdClasses) into.add(owned(md.infrastructure), owned(md.bootstrap));
  return into;
}

/** A namespaced external object with the move label on its CRD. */
export function externalObject(namespace: string, name: string, into = new Objects()): Objects {
  return into.add(object('GEO', namespace, name, { body: { spec: {} } }));
}

/** A cluster-scoped external object with the move label on its CRD. */
export function clusterExternalObject(name: string, into = new Objects()): Objects {
  return into.add(object('GCEO', undefined, name, { body: { spec: {} } }));
}

/** A global identity (move-hierarchy CRD) with its credentials Secret in `secretNamespace`. */
export function clusterIdentity(name: string, secretNamespace: string, into = new Objects()): Objects {
  const identity = object('GCII', undefined, name, { body: { spec: {} } });
  return into.add(identity, secret(secretNamespace, `${name}-credentials`, { owners: [identity] }));
}

/** Minimal CRD objects (what discovery reads) for every fixture kind, labelled as clusterctl would. */
export function fixtureCrds(): KubeObject[] {
  const moveLabel = { 'clusterctl.cluster.x-k8s.io/move': '' };
  const hierarchyLabel = { 'clusterctl.cluster.x-k8s.io/move-hierarchy': '' };
  const crds: KubeObject[] = [];
  for (const short of Object.keys(KINDS) as Short[]) {
    if (short === 'S' || short === 'CM') continue;
    const [apiVersion, kind] = KINDS[short];
    const extra = short === 'GEO' || short === 'GCEO' ? moveLabel : short === 'GCII' ? hierarchyLabel : {};
    crds.push(crd(apiVersion, kind, GLOBAL.has(short) ? 'Cluster' : 'Namespaced', extra));
  }
  return crds;
}

export function crd(
  apiVersion: string,
  kind: string,
  scope: 'Namespaced' | 'Cluster',
  labels: Record<string, string> = {},
): KubeObject {
  const [group, version] = apiVersion.split('/');
  const plural = kind.toLowerCase().endsWith('s') ? `${kind.toLowerCase()}es` : `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, labels: { 'clusterctl.cluster.x-k8s.io': '', ...labels } },
    spec: {
      group,
      scope,
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          subresources: { status: {} },
        },
      ],
    },
  };
}
