import { ApiObject, type ApiObjectProps, type GroupVersionKind } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';

/**
 * Every property the generated CRD classes (`src/manifests/imports`) spell differently from the JSON API: generated
 * prop name → schema name. `cdk8s import` camel-cases acronyms (`certSANs` → `certSaNs`); its `toJson_…`
 * functions map them back. Each generated name maps to one schema name across all imported groups (checked by a
 * test against the generated sources, so a regenerated import that adds one fails there first).
 */
export const GENERATED_PROP_SCHEMA_NAMES = {
  certSaNs: 'certSANs',
  clusterDnsiPs: 'clusterDNSIPs',
  cpuCfsQuota: 'cpuCFSQuota',
  cryptoKeyId: 'cryptoKeyID',
  customHaProxyConfigTemplateRef: 'customHAProxyConfigTemplateRef',
  customVmxKeys: 'customVMXKeys',
  etcdApiCallSeconds: 'etcdAPICallSeconds',
  etcdReleaseUrl: 'etcdReleaseURL',
  eventRecordQps: 'eventRecordQPS',
  hostOsConfiguration: 'hostOSConfiguration',
  imageGcHighThresholdPercent: 'imageGCHighThresholdPercent',
  imageGcLowThresholdPercent: 'imageGCLowThresholdPercent',
  insecureSkipTlsVerify: 'insecureSkipTLSVerify',
  ipv4NativeRoutingCidr: 'ipv4NativeRoutingCIDR',
  ipv6NativeRoutingCidr: 'ipv6NativeRoutingCIDR',
  kubeApiBurst: 'kubeAPIBurst',
  kubeApiqps: 'kubeAPIQPS',
  kubernetesApiCallSeconds: 'kubernetesAPICallSeconds',
  localApiEndpoint: 'localAPIEndpoint',
  moduleUuid: 'moduleUUID',
  nestedHv: 'nestedHV',
  numCpUs: 'numCPUs',
  peerCertSaNs: 'peerCertSANs',
  preferredApiServerCidr: 'preferredAPIServerCidr',
  providerId: 'providerID',
  proxyUrl: 'proxyURL',
  registryPullQps: 'registryPullQPS',
  replaceFs: 'replaceFS',
  roleArn: 'roleARN',
  serverCertSaNs: 'serverCertSANs',
  skipIpAllocation: 'skipIPAllocation',
  unsafeSkipCaVerification: 'unsafeSkipCAVerification',
  useDns: 'useDNS',
  useMtu: 'useMTU',
  useNtp: 'useNTP',
  userArn: 'userARN',
  vGpuProfile: 'vGPUProfile',
} as const;

type SchemaName<K> = K extends keyof typeof GENERATED_PROP_SCHEMA_NAMES
  ? (typeof GENERATED_PROP_SCHEMA_NAMES)[K]
  : K;

/** The generated int-or-string classes (`…MaxSurge.fromNumber(1)`) carry their JSON value as `value`. */
type IsIntOrString<T> = T extends { readonly value: infer V }
  ? [number | string] extends [V]
    ? [V] extends [number | string]
      ? true
      : false
    : false
  : false;

/**
 * The JSON form of a generated props type: schema property names, int-or-string and date values as JSON. Lets the
 * constructs write an object's body directly as JSON while the generated types still check every field.
 */
export type SchemaJson<T> = 0 extends 1 & T
  ? T
  : T extends Date
    ? string
    : T extends string | number | boolean | null | undefined
      ? T
      : T extends readonly (infer E)[]
        ? readonly SchemaJson<E>[]
        : IsIntOrString<T> extends true
          ? number | string
          : { readonly [K in keyof T as SchemaName<K>]: SchemaJson<T[K]> };

/** A generated CRD class (only its GVK and props type are used; it is never instantiated). */
export interface GeneratedKind<P> {
  readonly GVK: GroupVersionKind;
  new (scope: Construct, id: string, props: P): ApiObject;
}

/**
 * Adds a plain `ApiObject` of a generated kind whose body is written directly as JSON, type-checked against the
 * kind's generated props. The generated classes would re-map every object to schema names on each `toJson()` (a
 * reduce-with-spread per level that cost about a quarter of a synthesis); the JSON here needs no re-mapping, and
 * cdk8s's own rendering (resolve, drop undefined, sort keys) gives the same result the generated one did, whose
 * renderers keep the schema's (sorted) key order.
 */
export function addSchemaObject<P>(
  scope: Construct,
  id: string,
  kind: GeneratedKind<P>,
  body: NoInfer<SchemaJson<P>>,
): ApiObject {
  return new ApiObject(scope, id, schemaObjectProps(kind, body));
}

/**
 * `ApiObject` props of a generated kind with a JSON body type-checked against the kind's props, for constructs that
 * are themselves the object (`extends ApiObject`): no wrapper construct, so a tree half the size and a level less
 * deep for cdk8s to walk on every value it resolves.
 */
export function schemaObjectProps<P>(kind: GeneratedKind<P>, body: NoInfer<SchemaJson<P>>): ApiObjectProps {
  return { ...(body as object), apiVersion: kind.GVK.apiVersion, kind: kind.GVK.kind };
}

/** The path construct `id` will have under `scope`, for errors raised before it exists (before `super()`). */
export function constructPath(scope: IConstruct, id: string): string {
  const own = id.replace(/\//g, '--');
  return scope.node.path ? `${scope.node.path}/${own}` : own;
}

/**
 * Adds a plain `ApiObject` of a generated kind whose body is rendered once, here, from the kind's generated props
 * by its generated `toJson_…Props` function, instead of on every `toJson()` as the generated class does. For
 * objects built once per cluster, where writing the JSON directly ({@link addSchemaObject}) would gain little.
 */
export function addRenderedObject<P>(
  scope: Construct,
  id: string,
  kind: GeneratedKind<P>,
  render: (props: P | undefined) => Record<string, unknown> | undefined,
  props: NoInfer<P>,
): ApiObject {
  return new ApiObject(scope, id, { ...render(props), apiVersion: kind.GVK.apiVersion, kind: kind.GVK.kind });
}
