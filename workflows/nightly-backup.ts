/**
 * The nightly backup on Temporal (issue 12; Quy chế Học bạ số, Điều 8: regular backups): one workflow for the whole
 * database, id `nightly-backup`, started by the API with signalWithStart like the school years'. It catches up a
 * night missed before it started, then sleeps until the next BACKUP_AT (domain/backup-schedule.ts) and runs that
 * night as one activity — which claims the night in the database, so the embedded engine or a retry never backs up
 * the same night twice. Its own workflow, not a step of `schoolYearWorkflow`: backups are per database, and the
 * year's recorded histories must replay unchanged.
 *
 * Deterministic: time comes from the sandbox's replay-safe `Date`, the schedule from pure domain code, and the
 * activities are imported as types only.
 */
import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { nextNightlyRun, type NightlyRun } from '../domain/backup-schedule';
import type { BackupActivities, NightlyOutcome } from './activity-types';

const acts = proxyActivities<BackupActivities>({
  // pg_dump of a large database, then its check (a restore into a scratch database) can take a while.
  startToCloseTimeout: '2 hours',
  // Only a crashed worker or an unreachable database makes the activity fail: it records a failed backup itself.
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 10 },
});

export interface NightlyInput {
  /** BACKUP_AT, HH:MM Vietnam time. */
  at: string;
  /** Set by continue-as-new: the catch-up already happened in an earlier run. */
  caughtUp?: boolean;
}

/** `at: null`: BACKUP_NIGHTLY=off — the workflow ends. */
export const nightlyScheduleSet = defineSignal<[{ at: string | null }]>('nightlyScheduleSet');
export const nightlyBackupStatus = defineQuery<{ at: string | null; next: NightlyRun | null; last: NightlyOutcome | null }>('nightlyBackupStatus');

/** Nights per run before continuing as new (about 10 events a night). */
const NIGHTS_PER_RUN = 60;
const HISTORY_LIMIT = 2_000;

export async function nightlyBackupWorkflow(input: NightlyInput): Promise<void> {
  let at: string | null = input.at;
  let changed = false;
  let next: NightlyRun | null = null;
  let last: NightlyOutcome | null = null;
  setHandler(nightlyScheduleSet, (s) => {
    changed = true;
    at = s.at;
  });
  setHandler(nightlyBackupStatus, () => ({ at, next, last }));

  if (!input.caughtUp) last = (await acts.catchUpNightlyBackup()) ?? last;
  for (let nights = 0; nights < NIGHTS_PER_RUN && workflowInfo().historyLength < HISTORY_LIMIT; ) {
    if (at === null) return;
    changed = false;
    next = nextNightlyRun(new Date().toISOString(), at);
    // Asleep until the night's instant; a new BACKUP_AT wakes it to re-plan.
    if (await condition(() => changed, Math.max(1, Date.parse(next.at) - Date.now()))) continue;
    last = await acts.runNightlyBackup(next.runDate);
    nights++;
  }
  if (at === null) return;
  await continueAsNew<typeof nightlyBackupWorkflow>({ at, caughtUp: true });
}
