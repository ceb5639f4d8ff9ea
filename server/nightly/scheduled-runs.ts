/**
 * `scheduled_runs` (migrations/20261201_017): the once-a-night jobs of the whole database. A night is claimed by
 * inserting its row; the unique (job, run_date) lets exactly one process in, whichever engine runs it.
 */
import type { Db } from '../db/knex';

export const NIGHTLY_JOB = 'nightly-backup';

/** True for the one process whose insert went in; the others' inserts are ignored by the unique index. */
export async function claimNight(db: Db, runDate: string, now: string, claimedBy: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    const inserted = (await trx('scheduled_runs')
      .insert({ job: NIGHTLY_JOB, run_date: runDate, claimed_at: now, claimed_by: claimedBy.slice(0, 200), status: 'running' })
      .onConflict(['job', 'run_date'])
      .ignore()
      .returning('id')) as unknown[];
    return inserted.length > 0;
  });
}
