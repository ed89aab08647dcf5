import {
  BLOCK_MOVE_ANNOTATION,
  CORE_GROUP,
  DELETE_FOR_MOVE_ANNOTATION,
  PAUSED_ANNOTATION,
  PAUSED_BY_MOVE_ANNOTATION,
  SOURCE_UID_ANNOTATION,
} from './constants';
import { MoveError } from './move-error';
import { type GraphNode, isCluster, isClusterClass, isSecret } from './object-graph';
import { type KeptInSource, type PlannedObject, refOf } from './plan';
import { pausedByMove } from './preconditions';
import {
  type ResolvedBackoffs,
  describeFailure,
  forEachLimited,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isNotFound,
  pollUntil,
  retry,
} from './retry';
import { managedFieldsToRestore, sameContent, targetBody } from './target-object';
import type { KubeClient, KubeObject, ObjectRef } from '../../kube/types';

/** What happened to an object in the target. */
export type TargetOutcome =
  /** Created by this run. */
  | 'created'
  /** Already there from an interrupted run (our source-UID annotation), unchanged. */
  | 'adopted'
  /** Already there from an interrupted run, brought up to date. */
  | 'updated'
  /** An object of the same name not created by a move was there; it was replaced, as clusterctl does. */
  | 'replaced'
  /** A global object (or part of a global hierarchy) already there; left as it was, as clusterctl does. */
  | 'kept-existing';

/** What happened to an object in the source. */
export type SourceOutcome = 'deleted' | 'already-gone' | 'kept';

export interface MovedObject extends PlannedObject {
  readonly target: TargetOutcome;
  readonly source: SourceOutcome;
}

/** Rounds of create / read / replace before a conflicting object is reported. */
const CONFLICT_ROUNDS = 5;

const PAUSE_CLUSTER = {
  spec: { paused: true },
  metadata: { annotations: { [PAUSED_BY_MOVE_ANNOTATION]: 'true' } },
};
const PAUSE_CLASS = {
  metadata: { annotations: { [PAUSED_ANNOTATION]: '', [PAUSED_BY_MOVE_ANNOTATION]: 'true' } },
};
// `paused: null` removes the field rather than setting false, so no manager ends up owning it (as clusterctl does).
const UNPAUSE_CLUSTER = {
  spec: { paused: null },
  metadata: { annotations: { [PAUSED_BY_MOVE_ANNOTATION]: null } },
};
const UNPAUSE_CLASS = {
  metadata: { annotations: { [PAUSED_ANNOTATION]: null, [PAUSED_BY_MOVE_ANNOTATION]: null } },
};

function failures(errors: unknown[], what: string): MoveError {
  const problems = errors.map((e) => (e instanceof Error ? e.message : String(e)));
  return new MoveError(what, problems, { cause: errors[0] });
}

/** A failure on one object, named, with Secret contents kept out of the message. */
function objectFailure(node: GraphNode, action: string, error: unknown): Error {
  return new Error(`${action} ${node.key}: ${describeFailure(error, { secret: isSecret(node) })}`, {
    cause: error,
  });
}

/** The writes of a move on the source: pause, block-move wait, delete, and unpause. */
export class SourceWriter {
  private readonly pausedHere = new Set<string>();
  private readonly outcomes = new Map<string, SourceOutcome>();

  constructor(
    private readonly client: KubeClient,
    private readonly backoffs: ResolvedBackoffs,
    private readonly concurrency: number,
  ) {}

  /** Pauses the Clusters (spec.paused) and ClusterClasses (annotation) among `nodes` not already paused by us. */
  public async pause(nodes: readonly GraphNode[]): Promise<number> {
    const todo = nodes.filter((n) => (isCluster(n) || isClusterClass(n)) && !pausedByMove(n.object));
    const errors = await forEachLimited(todo, this.concurrency, async (node) => {
      try {
        await retry(this.backoffs.write, () =>
          this.client.mergePatch(refOf(node), isCluster(node) ? PAUSE_CLUSTER : PAUSE_CLASS),
        );
        this.pausedHere.add(node.uid);
      } catch (error) {
        throw objectFailure(node, 'pausing', error);
      }
    });
    if (errors.length > 0) throw failures(errors, 'Pausing the source failed');
    return todo.length;
  }

  /**
   * Unpauses the Clusters and ClusterClasses among `nodes` that this library paused (this run, or an interrupted
   * one). Objects already gone are skipped.
   */
  public async unpause(nodes: readonly GraphNode[], _options: { onlyOurs?: boolean } = {}): Promise<number> {
    const seen = new Set<string>();
    const todo = nodes.filter((n) => {
      if (!(isCluster(n) || isClusterClass(n)) || seen.has(n.uid)) return false;
      seen.add(n.uid);
      return this.pausedHere.has(n.uid) || pausedByMove(n.object);
    });
    const errors = await forEachLimited(todo, this.concurrency, async (node) => {
      try {
        await retry(this.backoffs.write, () =>
          this.client.mergePatch(refOf(node), isCluster(node) ? UNPAUSE_CLUSTER : UNPAUSE_CLASS),
        );
      } catch (error) {
        if (!isNotFound(error)) throw objectFailure(node, 'unpausing', error);
      }
    });
    if (errors.length > 0) throw failures(errors, 'Unpausing the source failed');
    return todo.length;
  }

  /** Waits (block-move backoff) until no object listed with the block-move annotation still has it (§2.11). */
  public async waitForBlockMove(nodes: readonly GraphNode[]): Promise<void> {
    const blocking = nodes.filter((n) => n.blockingMove);
    const stuck: string[] = [];
    for (const node of blocking) {
      const cleared = await pollUntil(this.backoffs.blockMove, async () => {
        const current = await retry(this.backoffs.read, () => this.client.get(refOf(node)));
        return !current || !(BLOCK_MOVE_ANNOTATION in (current.metadata.annotations ?? {}));
      });
      if (!cleared) {
        stuck.push(
          `${node.key} still has the ${BLOCK_MOVE_ANNOTATION} annotation (its provider is not ready to be moved)`,
        );
      }
    }
    if (stuck.length > 0) throw new MoveError('The move is blocked', stuck);
  }

  /**
   * Deletes one layer from the source (§2.15): one merge patch adds the delete-for-move annotation (for validating
   * webhooks) and drops the finalizers, then DELETE. clusterctl strips finalizers after the DELETE, because a
   * controller may re-add its finalizer to a paused object in between (cluster-api#11812); we keep the writes at
   * two and let verifyDeleted() strip any finalizer re-added before the DELETE landed.
   */
  public async deleteGroup(nodes: readonly GraphNode[]): Promise<number> {
    let gone = 0;
    const errors = await forEachLimited(nodes, this.concurrency, async (node) => {
      try {
        const outcome = await this.deleteOne(node);
        this.outcomes.set(node.uid, outcome);
        if (outcome === 'deleted') gone++;
      } catch (error) {
        throw objectFailure(node, 'deleting', error);
      }
    });
    if (errors.length > 0) throw failures(errors, 'Deleting from the source failed');
    return gone;
  }

  private deleteOne(node: GraphNode): Promise<SourceOutcome> {
    const ref = refOf(node);
    // The delete-for-move annotation is for providers' validating webhooks, which only exist for their CRDs; a core
    // Secret or ConfigMap without finalizers goes with the DELETE alone.
    const direct = node.apiVersion === 'v1' && (node.object?.metadata.finalizers ?? []).length === 0;
    return retry(this.backoffs.write, async () => {
      if (!direct) {
        try {
          await this.client.mergePatch(ref, {
            metadata: { annotations: { [DELETE_FOR_MOVE_ANNOTATION]: '' }, finalizers: null },
          });
        } catch (error) {
          if (isNotFound(error)) return 'already-gone';
          throw error;
        }
      }
      return (await this.client.delete(ref)) ? 'deleted' : 'already-gone';
    });
  }

  /**
   * Lists each kind whose deleted objects had finalizers (once per namespace) and finishes what is still there:
   * strips finalizers a controller re-added before the DELETE landed. Returns how many needed it.
   */
  public async verifyDeleted(nodes: readonly GraphNode[], namespace: string): Promise<number> {
    const byKind = new Map<
      string,
      { apiVersion: string; kind: string; namespaces: Set<string | undefined>; uids: Map<string, GraphNode> }
    >();
    // Only objects that had finalizers can have one re-added; a DELETE that returned without error removed or
    // started removing everything else.
    for (const node of nodes.filter((n) => (n.object?.metadata.finalizers ?? []).length > 0)) {
      const key = `${node.apiVersion}/${node.kind}`;
      let entry = byKind.get(key);
      if (!entry) {
        byKind.set(
          key,
          (entry = { apiVersion: node.apiVersion, kind: node.kind, namespaces: new Set(), uids: new Map() }),
        );
      }
      entry.namespaces.add(namespace === '' ? undefined : node.namespace);
      entry.uids.set(node.uid, node);
    }
    let fixed = 0;
    for (const entry of byKind.values()) {
      for (const ns of entry.namespaces) {
        const remaining = await retry(this.backoffs.read, () =>
          this.client.list(entry.apiVersion, entry.kind, ns ? { namespace: ns } : {}),
        );
        for (const object of remaining) {
          const node = entry.uids.get(object.metadata.uid ?? '');
          if (!node) continue;
          fixed++;
          try {
            if (object.metadata.deletionTimestamp) {
              await retry(this.backoffs.write, () =>
                this.client.mergePatch(refOf(node), { metadata: { finalizers: null } }),
              );
            } else {
              await this.deleteOne(node);
            }
            this.outcomes.set(node.uid, 'deleted');
          } catch (error) {
            if (!isNotFound(error)) throw objectFailure(node, 'finishing the deletion of', error);
          }
        }
      }
    }
    return fixed;
  }

  public outcome(uid: string, kept: KeptInSource | undefined): SourceOutcome {
    return kept ? 'kept' : (this.outcomes.get(uid) ?? 'already-gone');
  }
}

/** The writes of a move on the target: namespaces, layer-by-layer creation with adoption, unpause. */
export class TargetWriter {
  private readonly uids = new Map<GraphNode, string>();
  private readonly outcomes = new Map<string, TargetOutcome>();
  private created = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly backoffs: ResolvedBackoffs,
    private readonly concurrency: number,
    private readonly managedFields: 'apply' | 'all' | 'none',
    private readonly coreApiVersion: string = `${CORE_GROUP}/v1beta2`,
    /** Leave objects already in the target as they are (restore), instead of adopting or updating them. */
    private readonly options: { keepExisting?: boolean } = {},
  ) {}

  /** Makes sure every namespace of the (namespaced) objects exists in the target. */
  public async ensureNamespaces(nodes: readonly GraphNode[]): Promise<void> {
    const namespaces = [
      ...new Set(nodes.filter((n) => !n.isGlobal && n.namespace).map((n) => n.namespace!)),
    ].sort();
    let listed: Set<string> | undefined;
    for (const name of namespaces) {
      const ref: ObjectRef = { apiVersion: 'v1', kind: 'Namespace', name };
      let exists: boolean;
      try {
        exists = (await retry(this.backoffs.read, () => this.client.get(ref))) !== undefined;
      } catch (error) {
        if (!isForbidden(error)) throw error;
        // Allowed to list but not to get: look it up in the list instead (clusterctl does the same).
        listed ??= new Set(
          (await retry(this.backoffs.read, () => this.client.list('v1', 'Namespace'))).map(
            (n) => n.metadata.name ?? '',
          ),
        );
        exists = listed.has(name);
      }
      if (exists) continue;
      try {
        await retry(this.backoffs.write, () =>
          this.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
        );
      } catch (error) {
        if (!isAlreadyExists(error)) {
          throw new MoveError(`Cannot create namespace ${name} in the target`, [describeFailure(error)]);
        }
      }
    }
  }

  /** Creates one layer; returns counts by outcome. Stops the move (throws) if any object fails. */
  public async createGroup(nodes: readonly GraphNode[]): Promise<Map<TargetOutcome, number>> {
    const counts = new Map<TargetOutcome, number>();
    const errors = await forEachLimited(nodes, this.concurrency, async (node) => {
      try {
        const outcome = await this.createOne(node);
        this.outcomes.set(node.uid, outcome);
        counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      } catch (error) {
        throw objectFailure(node, 'creating', error);
      }
    });
    if (errors.length > 0) throw failures(errors, 'Creating in the target failed');
    return counts;
  }

  private async createOne(node: GraphNode): Promise<TargetOutcome> {
    const source = node.object!;
    const body = targetBody(node, source, this.uids);
    const ref = refOf(node);
    let outcome: TargetOutcome | undefined;
    // Each round: create; if it exists, read it and adopt, keep or replace it. A replace that loses a race (409
    // Conflict) or an object deleted between the create and the read starts another round.
    for (let round = 1; outcome === undefined; round++) {
      if (round > CONFLICT_ROUNDS) {
        throw new Error(`${node.key} kept changing in the target while being copied`);
      }
      try {
        const created = await retry(this.backoffs.write, () => this.client.create(body));
        this.uids.set(node, created.metadata.uid!);
        this.created++;
        outcome = 'created';
        break;
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
      }
      const existing = await retry(this.backoffs.read, () => this.client.get(ref));
      if (!existing) continue;
      this.uids.set(node, existing.metadata.uid!);
      // Global objects are shared by every management cluster that uses them: never overwritten.
      if (node.isGlobal || node.isGlobalHierarchy || this.options.keepExisting) return 'kept-existing';
      const ours = existing.metadata.annotations?.[SOURCE_UID_ANNOTATION] === node.uid;
      if (ours && sameContent(existing, body)) return 'adopted';
      try {
        await retry(this.backoffs.write, () => this.client.update(withIdentity(body, existing)));
        outcome = ours ? 'updated' : 'replaced';
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    const managedFields = managedFieldsToRestore(source, this.managedFields);
    if (managedFields) {
      await retry(this.backoffs.write, () => this.client.mergePatch(ref, { metadata: { managedFields } }));
    }
    return outcome;
  }

  /** Whether the target has this Cluster (in `namespace`, or in any namespace when it is `''`). */
  public async holdsCluster(namespace: string, name: string): Promise<boolean> {
    if (namespace) {
      return (
        (await retry(this.backoffs.read, () =>
          this.client.get({ apiVersion: this.coreApiVersion, kind: 'Cluster', namespace, name }),
        )) !== undefined
      );
    }
    const all = await retry(this.backoffs.read, () => this.client.list(this.coreApiVersion, 'Cluster'));
    return all.some((c) => c.metadata.name === name);
  }

  /**
   * Unpauses (§2.16) the ClusterClasses, then the Clusters, that a move paused, found by our annotation: those of
   * this run and any an interrupted run left paused. With `clusterName`, only that Cluster.
   */
  public async unpause(namespace: string, clusterName?: string): Promise<number> {
    const list = (kind: string) =>
      retry(this.backoffs.read, () =>
        this.client.list(this.coreApiVersion, kind, namespace ? { namespace } : {}),
      ).catch((error) => {
        if (isNotFound(error)) return [] as KubeObject[];
        throw error;
      });
    const ours = (o: KubeObject) => o.metadata.annotations?.[PAUSED_BY_MOVE_ANNOTATION] !== undefined;
    const classes = (await list('ClusterClass')).filter(ours);
    const clusters = (await list('Cluster')).filter(
      (c) => ours(c) && (!clusterName || c.metadata.name === clusterName),
    );
    for (const [objects, patch] of [
      [classes, UNPAUSE_CLASS],
      [clusters, UNPAUSE_CLUSTER],
    ] as const) {
      const errors = await forEachLimited(objects, this.concurrency, async (o) => {
        const ref = {
          apiVersion: o.apiVersion,
          kind: o.kind,
          name: o.metadata.name!,
          namespace: o.metadata.namespace,
        };
        await retry(this.backoffs.write, () => this.client.mergePatch(ref, patch));
      });
      if (errors.length > 0) throw failures(errors, 'Unpausing the target failed');
    }
    return classes.length + clusters.length;
  }

  /** Unpauses the given ClusterClasses, then Clusters, in the target (a restore unpauses all it restored). */
  public async unpauseNodes(nodes: readonly GraphNode[]): Promise<void> {
    for (const batch of [nodes.filter(isClusterClass), nodes.filter(isCluster)]) {
      const errors = await forEachLimited(batch, this.concurrency, async (node) => {
        try {
          await retry(this.backoffs.write, () =>
            this.client.mergePatch(refOf(node), isCluster(node) ? UNPAUSE_CLUSTER : UNPAUSE_CLASS),
          );
        } catch (error) {
          throw objectFailure(node, 'unpausing', error);
        }
      });
      if (errors.length > 0) throw failures(errors, 'Unpausing the target failed');
    }
  }

  public outcome(uid: string): TargetOutcome {
    return this.outcomes.get(uid) ?? 'adopted';
  }

  /** Objects this run created in the target. */
  public createdCount(): number {
    return this.created;
  }
}

/** `body` with the UID and resourceVersion of the object it replaces (a conditional full update). */
function withIdentity(body: KubeObject, existing: KubeObject): KubeObject {
  return {
    ...body,
    metadata: {
      ...body.metadata,
      uid: existing.metadata.uid,
      resourceVersion: existing.metadata.resourceVersion,
    },
  };
}
