/** The phases of the create workflow, in order (architecture.md, the resource table). */
export type PhaseName =
  | 'BootstrapCluster'
  | 'CapiProviders'
  | 'WorkloadCluster'
  | 'ManagementMove'
  | 'EksaComponents'
  | 'GitOps'
  | 'ClusterConfigFiles'
  | 'BootstrapCleanup'
  | 'CuratedPackages';

/** How a step ended. */
export type StepOutcome =
  /** It did its work. */
  | 'done'
  /** What it would create was there already and was taken over (a re-run after a crash). */
  | 'adopted'
  /** Nothing to do: the state it produces holds already, or the step does not apply to this cluster. */
  | 'skipped'
  /** It failed, but the workflow goes on (GitOps and curated packages, as in EKS-A). */
  | 'warning'
  | 'failed';

/** One step a phase ran. */
export interface StepRecord {
  readonly phase: PhaseName;
  /** Kebab-case name, stable across releases (tests and users match on it). */
  readonly step: string;
  readonly outcome: StepOutcome;
  /** A short note: why it was skipped, what was adopted, the warning. Never secret. */
  readonly detail?: string;
  readonly durationMs: number;
}

/** Where the steps of every phase run on a site are recorded, in order. */
export interface StepJournal {
  /** Every record so far. */
  readonly entries: readonly StepRecord[];
  record(entry: StepRecord): void;
}

/** An in-memory journal. */
export class MemoryJournal implements StepJournal {
  private readonly records: StepRecord[] = [];

  public get entries(): readonly StepRecord[] {
    return this.records;
  }

  public record(entry: StepRecord): void {
    this.records.push(entry);
  }

  /** `Phase/step` of each record with one of the outcomes (all by default), for assertions and summaries. */
  public names(outcomes?: readonly StepOutcome[]): string[] {
    return this.records
      .filter((r) => outcomes === undefined || outcomes.includes(r.outcome))
      .map((r) => `${r.phase}/${r.step}`);
  }

  public clear(): void {
    this.records.length = 0;
  }
}
