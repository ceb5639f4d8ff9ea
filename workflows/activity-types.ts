/**
 * The contract between the timeline's workflows and the activities that touch the world (database, mail).
 * Workflows import only these types; `createActivities({ db, clock, mailer })` implements them, and the embedded
 * engine calls the same implementation directly.
 */
import type { Step } from '../domain/timeline/types';
import type { NightlyOutcome } from '../server/nightly/nightly';

export type { NightlyOutcome };

export interface MilestonePlan {
  /** The milestone's steps for the year, in order (empty when the milestone no longer exists). */
  steps: Step[];
  /** Ids (stepId) of the steps already run or superseded. */
  done: string[];
  /** Steps at or before this instant never run (the timeline was switched on then). */
  activatedAt: string;
}

export interface StepOutcome {
  /** Actions carried out now (a retried step finds its earlier ones done and carries out none). */
  actions: number;
}

export interface TimelineActivities {
  /** The milestone keys of a school year's timeline, including the weekly rule and the monthly inspection. */
  listMilestones(schoolYearId: number): Promise<string[]>;
  loadMilestonePlan(schoolYearId: number, milestone: string): Promise<MilestonePlan>;
  /** Runs one step as of its instant: progress, then each action once (idempotency keys), then marks it done. */
  runStep(schoolYearId: number, step: Step): Promise<StepOutcome>;
  /** Records steps that were superseded (a later reminder came due first), so they never run. */
  skipSteps(schoolYearId: number, steps: Step[]): Promise<void>;
  /** Sends the email digests due now; returns when the next one is due (ISO), or null. */
  deliverEmails(): Promise<string | null>;
}

/** The nightly backup's activities (workflows/nightly-backup.ts), the same code as the embedded timer's. */
export interface BackupActivities {
  /** At the workflow's start: the night missed while nothing ran, once, if the last good backup is over a day old. */
  catchUpNightlyBackup(): Promise<NightlyOutcome | null>;
  /** The night of `runDate` (a Vietnam date): claimed, backed up, registered, pruned — or nothing if claimed elsewhere. */
  runNightlyBackup(runDate: string): Promise<NightlyOutcome>;
}
