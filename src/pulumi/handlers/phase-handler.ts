import { ResourceInitError } from '../init-failure';
import { describeReplacements, diffInputs, toDiffOutcome, type InputDiff } from '../input-diff';
import {
  defineHandler,
  type HandlerContext,
  type ResourceHandler,
  type StoredState,
} from '../resource-handler';
import type { ResourceSchema } from '../resource-schema';
import { openSite } from './site';
import { configChange, refusalFailures } from './update-rules';
import { prepareForRun, validatePhaseInputs, type ValidatedInputs } from './validate-inputs';
import { WorkflowError } from '../../workflow/errors';
import type { PhaseName } from '../../workflow/journal';
import { VALIDATE_STEP, type PhaseOptions } from '../../workflow/phase-run';
import type { Site } from '../../workflow/site';
import type { PhaseInputs, PhaseStatus } from '../resources/phase-schema';

/** The outputs a phase produces, without the status fields the handler adds. */
export type PhaseOutputs<O extends PhaseStatus> = Omit<O, keyof PhaseStatus>;

/** What one phase resource's handler is made of; {@link definePhaseHandler} adds the engine-facing rest. */
export interface PhaseHandlerSpec<I extends PhaseInputs, O extends PhaseStatus, R> {
  readonly schema: ResourceSchema<I, O>;
  readonly phase: PhaseName;
  /** The resource's id: deterministic, so that a create retried after a crash adopts what the first one left. */
  id(inputs: I): string;
  /**
   * Runs the workflow phase, with the cluster prepared already (`options.prepared`). Phases are idempotent: a
   * re-run adopts or skips what is done already.
   */
  run(site: Site, inputs: I, options: PhaseOptions, ctx: HandlerContext): Promise<R>;
  /** Every output of a finished phase, the status fields excepted; absent optional values are `null`. */
  outputs(result: R, inputs: I, site: Site): PhaseOutputs<O>;
  /**
   * The update: by default the phase is run again with the new inputs (what a resume after a failure and a
   * changed input both need on the create path). Upgrades (issue 6) replace this for the phases that roll.
   */
  update?(
    site: Site,
    olds: StoredState<I, O>,
    news: I,
    options: PhaseOptions,
    ctx: HandlerContext,
  ): Promise<R>;
  /**
   * The delete. It must be tolerant (what is gone already is fine) and never destructive beyond this resource.
   * @default nothing to delete
   */
  delete?(site: Site, olds: StoredState<I, O>, ctx: HandlerContext): Promise<void>;
  /** Inputs `check` fills in from the validation (e.g. the manifest digest). @default none */
  checked?(news: I, validated: ValidatedInputs): Partial<I>;
  /**
   * Inputs `check` fills in from the old inputs and the new ones, once both are valid (e.g. the rollout plan),
   * without changing anything. @default none
   */
  planned?(site: Site, olds: Partial<I>, news: I, ctx: HandlerContext): Promise<Partial<I>>;
}

/**
 * A phase resource's handler: validation in `check` (no program, no request), the phase run against the resource's
 * site in `create` and `update`, full outputs, and failures that say which step failed and where the diagnostics
 * are. A failure after the phase changed something is a partial create or update (`ResourceInitError`), recorded
 * with the failed step, so that the next `pulumi up` updates the resource, which resumes; a failure in validation
 * (nothing changed) is a plain error and leaves no state behind.
 */
export function definePhaseHandler<I extends PhaseInputs, O extends PhaseStatus, R>(
  spec: PhaseHandlerSpec<I, O, R>,
): ResourceHandler<I, O> {
  const { schema, phase } = spec;
  const site = (inputs: PhaseInputs, ctx: HandlerContext) =>
    openSite(inputs.site, ctx.logger, { interruptible: true, type: schema.type });
  return defineHandler<I, O>({
    schema,
    async check(news, olds, ctx) {
      const validated = await validatePhaseInputs(news, phase, ctx.logger);
      if (validated.failures.length > 0) return { failures: validated.failures };
      // An update EKS-A refuses (version skew, a downgrade) fails the preview; nothing is changed.
      const refused = refusalFailures(configChange(olds.config, news.config));
      if (refused.length > 0) return { failures: refused };
      const planned = spec.planned ? await spec.planned(site(news, ctx), olds, news, ctx) : {};
      return { inputs: { ...news, ...spec.checked?.(news, validated), ...planned } };
    },
    diff(_id, olds, news, ctx) {
      // EKS-A's immutable fields (pods CIDR, endpoint, etcd topology, …) cannot change on a running cluster: the
      // whole chain is planned as a replacement (every phase resource sees the same config, so all are replaced,
      // deleted in reverse order before being created again), with EKS-A's reason logged, as the engine shows no
      // detailed diff of a dynamic resource.
      const base = diffInputs(schema, asRecord(olds), asRecord(news));
      const immutable = configChange(olds.config, news.config).replacements;
      const diff: InputDiff = {
        ...base,
        replacements: [
          ...base.replacements,
          ...immutable.map((reason) => ({ input: 'config', reason, unknown: false })),
        ],
      };
      for (const line of describeReplacements(diff)) ctx.logger.warn(line);
      // What a change rolls, when the resource plans it: the preview's only detailed view of an upgrade.
      const plan = (news as { rolloutPlan?: unknown }).rolloutPlan;
      if (immutable.length === 0 && base.changed.includes('rolloutPlan') && Array.isArray(plan)) {
        for (const line of plan) ctx.logger.info(`rollout: ${String(line)}`);
      }
      const outcome = toDiffOutcome(schema, diff);
      const replaces = [...new Set(outcome.replaces)];
      // Fixed names (the kind cluster, the CAPI objects, the files) cannot exist twice.
      return immutable.length > 0
        ? { ...outcome, replaces, deleteBeforeReplace: true }
        : { ...outcome, replaces };
    },
    async create(inputs, ctx) {
      const id = spec.id(inputs);
      const runSite = site(inputs, ctx);
      const result = await runOrFail(
        async () => spec.run(runSite, inputs, { prepared: await prepareForRun(runSite, inputs, phase) }, ctx),
        id,
        runSite,
      );
      return { id, outs: ready(spec.outputs(result, inputs, runSite)) as O };
    },
    async update(id, olds, news, ctx) {
      if (olds.status === 'incomplete') {
        ctx.logger.info(`resuming ${id} after the failed step ${olds.failedStep ?? '(unknown)'}`);
      }
      const runSite = site(news, ctx);
      const result = await runOrFail(
        async () => {
          const options = { prepared: await prepareForRun(runSite, news, phase) };
          return spec.update
            ? spec.update(runSite, olds, news, options, ctx)
            : spec.run(runSite, news, options, ctx);
        },
        id,
        runSite,
      );
      return ready(spec.outputs(result, news, runSite)) as O;
    },
    async delete(id, olds, ctx) {
      if (!spec.delete) {
        ctx.logger.info(`${id}: nothing of its own to delete`);
        return;
      }
      await spec.delete(site(olds, ctx), olds, ctx);
    },
  });
}

/** Stored state and inputs are plain JSON objects. */
function asRecord(value: object): Readonly<Record<string, unknown>> {
  return value as Readonly<Record<string, unknown>>;
}

/** A finished phase's outputs with the status fields of success. */
function ready<O extends object>(outputs: O): O & PhaseStatus {
  return { ...outputs, status: 'ready', failedStep: null, diagnosticsDir: null };
}

/**
 * Runs a phase; a step that failed after validation becomes a partial create or update naming the step and the
 * diagnostics, a failure in validation stays a plain error.
 */
async function runOrFail<R>(body: () => Promise<R>, id: string, site: Site): Promise<R> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof WorkflowError) || error.step === VALIDATE_STEP) throw error;
    const lines = [error.message];
    // The diagnostics path is relative to the working directory, which the CLI user may not know.
    if (error.diagnosticsDir) lines.push(`  working directory: ${site.files.root}`);
    const outs: Partial<PhaseStatus> = {
      status: 'incomplete',
      failedStep: `${error.phase}/${error.step}`,
      diagnosticsDir: error.diagnosticsDir ?? null,
    };
    throw new ResourceInitError(lines.join('\n'), { id, outs, cause: error });
  }
}
