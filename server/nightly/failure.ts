/**
 * A night that went wrong is never silent: the run is marked failed (when the backup itself failed), the failure is
 * in the audit trail (system chain, action `backup_failed`), and every school's admins — who take care of the
 * backups (roles.md) — get a notification saying what happened and what to do, in the app and by email like the
 * timeline's (server/notifications/deliver.ts). One transaction, so none of it is recorded without the rest.
 */
import { systemWideActor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { t } from '../core/i18n';
import type { Db } from '../db/knex';
import { NIGHTLY_JOB } from './scheduled-runs';

export interface NightlyFailure {
  runDate: string;
  file: string | null;
  /** What went wrong, in Vietnamese. */
  detail: string;
  dir: string;
  /** The next automatic run, as people read it (HH:mm dd/mm/yyyy). */
  next: string;
  now: string;
  /** The backup itself failed (else it is good and a later step — registering, pruning — did not go through). */
  backupFailed: boolean;
}

export async function recordNightlyFailure(db: Db, f: NightlyFailure): Promise<number> {
  const date = f.runDate.split('-').reverse().join('/');
  const title = t('vi', 'backup.nightly.failedTitle', { date });
  const lines = [t('vi', 'backup.nightly.failedWhy', { detail: f.detail }), t('vi', 'backup.nightly.failedTodo', { dir: f.dir, next: f.next })];
  return db.transaction(async (trx) => {
    if (f.backupFailed) {
      await trx('scheduled_runs').where({ job: NIGHTLY_JOB, run_date: f.runDate }).update({ status: 'failed', finished_at: f.now, detail: f.detail });
    } else {
      await trx('scheduled_runs').where({ job: NIGHTLY_JOB, run_date: f.runDate }).update({ detail: f.detail });
    }
    await appendAudit(trx, systemWideActor(), {
      action: 'backup_failed',
      entity: 'backups',
      entityId: f.file ?? f.runDate,
      after: { runDate: f.runDate, file: f.file, detail: f.detail, backupTaken: !f.backupFailed },
    });
    const admins = (await trx('user_roles').where({ role: 'admin' }).distinct('school_id', 'user_id').orderBy(['school_id', 'user_id'])) as Array<{ school_id: number; user_id: number }>;
    for (const a of admins) {
      await trx('notifications')
        .insert({
          school_id: a.school_id,
          user_id: a.user_id,
          // One per admin, school and night (and kind of failure): a retry of the same night adds nothing.
          key: `${NIGHTLY_JOB}|${f.runDate}|${f.backupFailed ? 'failed' : 'after'}|${a.school_id}|${a.user_id}`,
          kind: 'backup',
          milestone: NIGHTLY_JOB,
          title,
          lines: JSON.stringify(lines),
          items: '[]',
          link: '/archive-entries',
          at: f.now,
          created_at: f.now,
          email_status: 'pending',
        })
        .onConflict('key')
        .ignore();
    }
    return admins.length;
  });
}
