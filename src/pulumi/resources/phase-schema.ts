import type { ToolName } from '../../tools/preflight';
import type { ClusterInputs } from '../../workflow/inputs';
import type { InputSpec, OutputSpec } from '../resource-schema';

/**
 * Where a phase runs: the machine, not the cluster. Plain JSON, echoed into state so that `delete` runs where
 * `create` did.
 */
export interface SiteInputs {
  /**
   * The working directory: `<c>/…` and `<c>/generated/…` are written under it. A relative path is relative to the
   * directory Pulumi runs the providers in (the project directory). @default "."
   */
  readonly workDir?: string;
  /** Executables of the programs, a path or another name on PATH. @default each program's name on PATH */
  readonly toolPaths?: Readonly<Partial<Record<ToolName, string>>>;
  /**
   * Testing aid: the name of a site registered with `registerSite` in the process the handlers run in (an
   * in-process engine such as PulumiTestEngine). Never set for a real run. @default the real tools
   */
  readonly ref?: string;
}

/**
 * The inputs every phase resource takes: the cluster (as the workflow phases take it) and where it runs. The
 * config is the user's, not the defaulted one: each phase applies EKS-A's defaults and validates it again.
 */
export interface PhaseInputs extends ClusterInputs {
  /** `metadata.name` of the config's Cluster: the cluster's identity in CAPI, in kind and on disk. */
  readonly clusterName: string;
  readonly site?: SiteInputs;
}

/** Outputs every phase resource has: how far it got, so that the next `pulumi up` resumes. */
export interface PhaseStatus {
  /** `ready`; `incomplete` after a step failed (the next `pulumi up` updates the resource, which resumes). */
  readonly status: 'ready' | 'incomplete';
  /** `<Phase>/<step>` that failed, while `incomplete`. */
  readonly failedStep: string | null;
  /** Where the diagnostics of that failure were written, relative to the working directory. */
  readonly diagnosticsDir: string | null;
}

/** The specs of {@link PhaseInputs}, spread into every phase schema. */
export const PHASE_INPUT_SPECS: { readonly [K in keyof Required<PhaseInputs>]: InputSpec } = {
  clusterName: {
    replaceReason:
      "the cluster name is the cluster's identity (its CAPI objects, its kind bootstrap cluster, its files)",
  },
  config: {},
  bundles: {},
  contract: {},
  timeouts: {},
  featureFlags: {},
  site: {},
};

/** The specs of {@link PhaseStatus}. */
export const PHASE_STATUS_SPECS: { readonly [K in keyof PhaseStatus]: OutputSpec } = {
  status: {},
  failedStep: {},
  diagnosticsDir: {},
};

/** The secret spec of a kubeconfig input or output. */
export const KUBECONFIG: InputSpec & OutputSpec = { secret: true };
