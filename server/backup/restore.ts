import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config';
import { systemWideActor } from '../core/actor';
import { recordAudit } from '../core/audit';
import { checkpointKeyFrom } from '../core/audit-checkpoints';
import { AppError } from '../core/errors';
import { createDb, isPostgres } from '../db/knex';
import { countRows, MAIN_TABLES } from './contents';
import { otherSessions, pgRestore, pgTarget } from './postgres';
import { assertNotInUse, replaceSqlite, sqliteFileOf } from './sqlite';
import { checkSnapshot, type SnapshotCheck } from './verify';

export interface RestoreOptions {
  /** Called once the backup passed every check (after `onChecked`): true to replace the database. */
  confirm: (check: SnapshotCheck) => Promise<boolean>;
  /** Told what the checks found, passed or not, before anything else happens (the CLI prints it). */
  onChecked?: (check: SnapshotCheck) => void;
}

export type RestoreResult =
  | { status: 'restored'; check: SnapshotCheck; target: string; previous: string | null }
  | { status: 'refused' | 'cancelled'; check: SnapshotCheck; target: string };

/**
 * Replaces the configured database with a backup, only after the backup passed every check (server/backup/
 * verify.ts) and the operator confirmed; a backup that fails any check is refused and nothing is touched. The
 * checks run on a private copy of the file and that same copy is what is restored, so the file cannot change
 * between being checked and being used.
 *
 * It takes the configuration, not a connection: while anything holds the live database open it must not be
 * replaced (SQLite: refused when the file is open; PostgreSQL: when other sessions are connected). The restore
 * itself is recorded in the restored database's audit trail (action `restore`, entity `backups`).
 */
export async function restoreSnapshot(config: Pick<Config, 'databaseUrl' | 'sessionSecret' | 'auditCheckpointKey'>, file: string, opts: RestoreOptions): Promise<RestoreResult> {
  if (!fs.existsSync(file)) throw new AppError('not_found', 'backup.fileMissing', { file });
  const key = checkpointKeyFrom(config);
  const pg = isPostgres(config.databaseUrl);
  const live = pg ? null : sqliteFileOf(config.databaseUrl);
  const target = pg ? pgTarget(config.databaseUrl).shown : `sqlite:${live}`;
  // Beside the live file, so the checked copy is renamed into place (one file system); PostgreSQL's in the temp dir.
  if (live) fs.mkdirSync(path.dirname(live), { recursive: true });
  const scratchDir = fs.mkdtempSync(live ? path.join(path.dirname(live), '.restore-') : path.join(os.tmpdir(), 'hocba-restore-'));
  try {
    const copy = path.join(scratchDir, path.basename(file));
    fs.copyFileSync(file, copy);
    const check = await checkSnapshot(copy, {
      key,
      manifestOf: file,
      shownAs: path.resolve(file),
      expectKind: pg ? 'postgres' : 'sqlite',
      pgServer: pg ? config.databaseUrl : undefined,
    });
    opts.onChecked?.(check);
    if (!check.ok) return { status: 'refused', check, target };

    if (live) assertNotInUse(live);
    else await refuseIfConnected(config.databaseUrl);
    if (!(await opts.confirm(check))) return { status: 'cancelled', check, target };

    let previous: string | null = null;
    if (live) previous = replaceSqlite(live, copy);
    else {
      await refuseIfConnected(config.databaseUrl);
      await pgRestore(config.databaseUrl, copy, { clean: true });
    }
    await afterRestore(config.databaseUrl, check);
    return { status: 'restored', check, target, previous };
  } finally {
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

async function refuseIfConnected(url: string): Promise<void> {
  const { count, apps } = await otherSessions(url);
  if (count > 0) throw new AppError('conflict', 'backup.pgInUse', { target: pgTarget(url).shown, count, apps });
}

/** The restored database holds what the check counted, and the restore is in its audit trail. */
async function afterRestore(url: string, check: SnapshotCheck): Promise<void> {
  const db = createDb(url);
  try {
    const counts = await countRows(db);
    for (const { table } of MAIN_TABLES) {
      const expected = check.contents!.counts[table];
      if (counts[table] !== expected) throw new AppError('internal', 'backup.restoreDiffers', { table, expected: expected ?? '—', actual: counts[table] ?? '—' });
    }
    await recordAudit(db, systemWideActor(), {
      action: 'restore',
      entity: 'backups',
      entityId: path.basename(check.file),
      after: { file: check.file, sha256: check.sha256, sizeBytes: check.sizeBytes, auditEvents: check.contents!.audit?.events ?? null },
    });
  } finally {
    await db.destroy();
  }
}
