/**
 * `scheduled_runs` (migrations/20261201_017): the once-a-night jobs of the whole database. A night is claimed by
 * inserting its row; the unique (job, run_date) lets exactly one process in, whichever engine runs it.
 */
import type { Db } from '../db/knex';

export const NIGHTLY_JOB = 'nightly-backup';

/**
 * A claim still "running" this long after it was taken belongs to a process that died mid-backup (a backup's
 * activity may run 2 hours on Temporal): the night may be taken over, once, by whoever asks next.
 */
export const STALE_CLAIM_MS = 3 * 3_600_000;

/**
 * True for the one process whose insert went in; the others' inserts are ignored by the unique index. A stale
 * claim is taken over by a conditional update on the claim it saw, so two processes cannot both take it over.
 */
export async function claimNight(db: Db, runDate: string, now: string, claimedBy: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    const inserted = (await trx('scheduled_runs')
      .insert({ job: NIGHTLY_JOB, run_date: runDate, claimed_at: now, claimed_by: claimedBy.slice(0, 200), status: 'running' })
      .onConflict(['job', 'run_date'])
      .ignore()
      .returning('id')) as unknown[];
    if (inserted.length > 0) return true;
    const staleBefore = new Date(Date.parse(now) - STALE_CLAIM_MS).toISOString();
    const taken = await trx('scheduled_runs')
      .where({ job: NIGHTLY_JOB, run_date: runDate, status: 'running', file: null })
      .where('claimed_at', '<', staleBefore)
      .update({ claimed_at: now, claimed_by: claimedBy.slice(0, 200) });
    return taken === 1;
  });
}
