import { isKubeApiError } from '../../kube/errors';
import type { ObjectRef } from '../../kube/types';
import {
  annotationMergePatch,
  PAUSED_ANNOTATION,
  pauseReconcilePatches,
  resumeReconcilePatches,
  type AnnotationPatch,
} from '../../manifests/addons/eksa-annotations';
import { fluxKustomizationRef } from '../../manifests/addons/flux-bootstrap';
import type { ClusterConnection } from '../cluster-connection';
import type { PhaseRun, StepControl } from '../phase-run';
import type { PreparedCluster } from '../prepare';

const KUSTOMIZATION = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' } as const;

/** Where EKS-A reconciles a cluster from: the cluster that holds its EKS-A objects and runs Flux for it. */
export interface ReconcileTarget {
  readonly connection: ClusterConnection;
  /** Its kubeconfig as a file, for `flux`. */
  readonly kubeconfigPath: string;
}

/**
 * Stops everything that would reconcile the cluster behind the workflow's back while its CAPI objects change or
 * move (EKS-A's pause-eks-a-reconciliation and `flux suspend ks`): the paused annotation on the datacenter config,
 * the machine configs and the Cluster (plus managed-by-cli), and the Flux Kustomization of a cluster with GitOps.
 * Objects that do not exist (EKS-A's components never installed) and a Flux that does not run are left alone.
 * Already paused objects are not patched again.
 */
export async function pauseReconcile(
  run: PhaseRun,
  prepared: PreparedCluster,
  target: ReconcileTarget,
  control: StepControl,
): Promise<void> {
  const paused = await patchAll(target, pauseReconcilePatches(prepared.config), (annotations, patch) =>
    Object.entries(patch.annotations).some(([k, v]) => annotations[k] !== v),
  );
  const flux = await setFluxSuspended(run, prepared, target, true);
  control.note(`${paused} EKS-A objects paused${flux ? `; ${flux}` : ''}`);
  if (paused === 0 && !flux) control.skipped('nothing reconciles the cluster (no EKS-A objects, no Flux)');
}

/**
 * Lets EKS-A and Flux reconcile the cluster again (EKS-A's resume-eks-a-reconciliation and `flux resume ks`):
 * the paused and managed-by-cli annotations removed (Cluster first), the Kustomization resumed. Nothing paused:
 * nothing to do, so a re-run is free.
 */
export async function resumeReconcile(
  run: PhaseRun,
  prepared: PreparedCluster,
  target: ReconcileTarget,
  control: StepControl,
): Promise<void> {
  const resumed = await patchAll(target, resumeReconcilePatches(prepared.config), (annotations, patch) =>
    Object.keys(patch.annotations).some((k) => k in annotations),
  );
  const flux = await setFluxSuspended(run, prepared, target, false);
  if (resumed === 0 && !flux) control.skipped('nothing was paused');
  else control.note(`${resumed} EKS-A objects resumed${flux ? `; ${flux}` : ''}`);
}

/** True when the cluster's EKS-A Cluster object carries the paused annotation now. */
export async function isReconcilePaused(
  prepared: PreparedCluster,
  target: ReconcileTarget,
): Promise<boolean> {
  const cluster = pauseReconcilePatches(prepared.config).find((p) => p.kind === 'Cluster')!;
  const live = await getTolerant(target, refOf(cluster));
  return live?.metadata.annotations?.[PAUSED_ANNOTATION] === 'true';
}

async function patchAll(
  target: ReconcileTarget,
  patches: readonly AnnotationPatch[],
  needed: (annotations: Record<string, string>, patch: AnnotationPatch) => boolean,
): Promise<number> {
  let patched = 0;
  for (const patch of patches) {
    const ref = refOf(patch);
    const live = await getTolerant(target, ref);
    if (!live || !needed(live.metadata.annotations ?? {}, patch)) continue;
    await target.connection.client.mergePatch(ref, annotationMergePatch(patch));
    patched++;
  }
  return patched;
}

/** Suspends or resumes the cluster's Flux Kustomization through `flux`; undefined when there is nothing to do. */
async function setFluxSuspended(
  run: PhaseRun,
  prepared: PreparedCluster,
  target: ReconcileTarget,
  suspend: boolean,
): Promise<string | undefined> {
  const ref = fluxKustomizationRef(prepared.config);
  if (!ref) return undefined;
  const live = await getTolerant(target, { ...KUSTOMIZATION, ...ref });
  if (!live) return undefined;
  const suspended = (live.spec as { suspend?: boolean } | undefined)?.suspend === true;
  if (suspended === suspend) return undefined;
  const fluxRef = { ...ref, kubeconfigPath: run.site.files.resolve(target.kubeconfigPath) };
  const op = { signal: run.site.signal };
  if (suspend) await run.site.tools.flux.suspendKustomization(fluxRef, op);
  else await run.site.tools.flux.resumeKustomization(fluxRef, op);
  return `flux ${suspend ? 'suspend' : 'resume'} ks ${ref.name}`;
}

async function getTolerant(target: ReconcileTarget, ref: ObjectRef) {
  try {
    return await target.connection.client.get(ref);
  } catch (error) {
    // The kind is not served (EKS-A's or Flux's CRDs are not installed): nothing to pause.
    if (isKubeApiError(error) && error.statusCode === 404) return undefined;
    throw error;
  }
}

function refOf(patch: Pick<AnnotationPatch, 'apiVersion' | 'kind' | 'name' | 'namespace'>): ObjectRef {
  return { apiVersion: patch.apiVersion, kind: patch.kind, name: patch.name, namespace: patch.namespace };
}
