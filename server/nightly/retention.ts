/**
 * Retention of the nightly backups: the newest BACKUP_KEEP nightly backups that passed their checks are kept, and
 * every nightly file older than the oldest of them is deleted — so failed nights never push a good copy out. Only
 * files the nightly job recorded in `scheduled_runs` are candidates: a manual `npm run backup` is never pruned.
 * Never silent: each deletion is audited (system chain, action `backup_pruned`), the run is marked pruned, and each
 * school's register line for the file is struck through with the reason (server/archive/backups.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { vnDateOf } from '../../domain/timeline/calendar';
import { strikePrunedBackup } from '../archive/backups';
import type { BackupSettings } from '../config';
import { systemWideActor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { t } from '../core/i18n';
import type { Db } from '../db/knex';
import { NIGHTLY_JOB } from './scheduled-runs';
import { manifestPathOf } from '../backup/manifest';

/** Deletes the nightly files beyond retention; returns their names. */
export async function pruneNightlyBackups(db: Db, settings: Pick<BackupSettings, 'dir' | 'keep'>, now: string): Promise<string[]> {
  const rows = (await db('scheduled_runs')
    .where({ job: NIGHTLY_JOB })
    .whereNotNull('file')
    .whereNull('pruned_at')
    .orderBy('run_date', 'desc')
    .select('run_date', 'status', 'file')) as Array<{ run_date: string; status: string; file: string }>;
  const good = rows.filter((r) => r.status === 'ok');
  if (good.length <= settings.keep) return [];
  const oldestKept = good[settings.keep - 1].run_date;
  const reason = t('vi', 'backup.nightly.pruneReason', { date: vnDateOf(now).split('-').reverse().join('/'), keep: settings.keep });
  const pruned: string[] = [];
  for (const r of rows.filter((x) => x.run_date < oldestKept).reverse()) {
    // Only ever a file in the backup directory, by its own name: the database cannot steer a deletion elsewhere.
    const file = path.join(settings.dir, path.basename(r.file));
    // The file first: a crash before the record below leaves the run unpruned, and the next night finishes it.
    fs.rmSync(file, { force: true });
    fs.rmSync(manifestPathOf(file), { force: true });
    await db.transaction(async (trx) => {
      const n = await trx('scheduled_runs').where({ job: NIGHTLY_JOB, run_date: r.run_date }).whereNull('pruned_at').update({ pruned_at: now });
      if (n === 0) return; // another process pruned it a moment ago
      const lines = await strikePrunedBackup(trx, path.basename(r.file), reason);
      await appendAudit(trx, systemWideActor(), {
        action: 'backup_pruned',
        entity: 'backups',
        entityId: path.basename(r.file),
        after: { file, runDate: r.run_date, status: r.status, keep: settings.keep, registerLines: lines },
        reason,
      });
    });
    pruned.push(path.basename(r.file));
  }
  return pruned;
}
