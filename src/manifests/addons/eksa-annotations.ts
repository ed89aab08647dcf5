import {
  DEFAULT_EKSA_NAMESPACE,
  EKSA_API_VERSION,
  type Cluster,
  type ClusterConfig,
  type EksaObject,
} from '../../spec';

/** The EKS-A controller skips objects carrying this annotation (value `"true"`). */
export const PAUSED_ANNOTATION = 'anywhere.eks.amazonaws.com/paused';
/**
 * On a Cluster: the CLI (here: the workflow) is operating on it, so the controller must not act — and a new
 * self-managed Cluster object is admitted by the webhook only with it (or paused).
 */
export const MANAGED_BY_CLI_ANNOTATION = 'anywhere.eks.amazonaws.com/managed-by-cli';
/** On a management Cluster: the EKSARelease version of the EKS-A components installed in it. */
export const MANAGEMENT_COMPONENTS_VERSION_ANNOTATION =
  'anywhere.eks.amazonaws.com/management-components-version';
/** On a paused Cluster: the controller still lets it be deleted (the delete workflow sets it). */
export const ALLOW_DELETE_WHEN_PAUSED_ANNOTATION = 'anywhere.eks.amazonaws.com/allow-delete-when-paused';

/**
 * An annotation change of one object, as a JSON merge patch: a string sets the annotation, `null` removes it.
 * Send `{ metadata: { annotations } }` (see {@link annotationMergePatch}).
 */
export interface AnnotationPatch {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly annotations: Readonly<Record<string, string | null>>;
}

/** The body of the merge patch (`application/merge-patch+json`). */
export function annotationMergePatch(patch: AnnotationPatch): {
  metadata: { annotations: Record<string, string | null> };
} {
  return { metadata: { annotations: { ...patch.annotations } } };
}

/** An object with the patch applied (for objects the workflow creates rather than patches). */
export function withAnnotations<T extends EksaObject<string, unknown>>(
  object: T,
  patch: Pick<AnnotationPatch, 'annotations'>,
): T {
  const annotations: Record<string, string> = { ...(object.metadata.annotations ?? {}) };
  for (const [key, value] of Object.entries(patch.annotations)) {
    if (value === null) delete annotations[key];
    else annotations[key] = value;
  }
  const metadata: Record<string, unknown> = { ...object.metadata };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...object, metadata };
}

/**
 * Pauses EKS-A reconciliation of a cluster before its objects are moved or changed behind the controller's back:
 * the paused annotation on the datacenter config, on every machine config, then on the Cluster, which also gets
 * managed-by-cli — EKS-A's order, so that no child is reconciled while its Cluster is still active.
 */
export function pauseReconcilePatches(config: ClusterConfig): AnnotationPatch[] {
  return [
    patchOf(config.datacenter, { [PAUSED_ANNOTATION]: 'true' }),
    ...machineConfigsOf(config).map((m) => patchOf(m, { [PAUSED_ANNOTATION]: 'true' })),
    patchOf(config.cluster, { [PAUSED_ANNOTATION]: 'true', [MANAGED_BY_CLI_ANNOTATION]: 'true' }),
  ];
}

/** Resumes reconciliation: removes the paused annotations (Cluster first) and managed-by-cli. */
export function resumeReconcilePatches(config: ClusterConfig): AnnotationPatch[] {
  return [
    patchOf(config.cluster, { [PAUSED_ANNOTATION]: null, [MANAGED_BY_CLI_ANNOTATION]: null }),
    patchOf(config.datacenter, { [PAUSED_ANNOTATION]: null }),
    ...machineConfigsOf(config).map((m) => patchOf(m, { [PAUSED_ANNOTATION]: null })),
  ];
}

/** Marks a cluster as created by the CLI (create workflow, before the Cluster is first applied). */
export function managedByCliPatch(cluster: Cluster): AnnotationPatch {
  return patchOf(cluster, { [MANAGED_BY_CLI_ANNOTATION]: 'true' });
}

/** Records the EKS-A release whose components run in a management cluster (e.g. `v0.26.1`). */
export function managementComponentsVersionPatch(cluster: Cluster, eksaVersion: string): AnnotationPatch {
  return patchOf(cluster, { [MANAGEMENT_COMPONENTS_VERSION_ANNOTATION]: eksaVersion });
}

/** Lets the controller delete a paused cluster (delete workflow, after the move to the bootstrap cluster). */
export function allowDeleteWhenPausedPatch(cluster: Cluster): AnnotationPatch {
  return patchOf(cluster, { [ALLOW_DELETE_WHEN_PAUSED_ANNOTATION]: 'true' });
}

function machineConfigsOf(config: ClusterConfig): EksaObject<string, unknown>[] {
  return Object.values(config.machineConfigs ?? {});
}

function patchOf(
  object: EksaObject<string, unknown>,
  annotations: Record<string, string | null>,
): AnnotationPatch {
  return {
    apiVersion: object.apiVersion ?? EKSA_API_VERSION,
    kind: object.kind,
    name: object.metadata.name,
    namespace: object.metadata.namespace || DEFAULT_EKSA_NAMESPACE,
    annotations,
  };
}
