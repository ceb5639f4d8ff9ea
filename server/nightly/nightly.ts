/**
 * The nightly backup (issue 12; Quy chế Học bạ số, Điều 8: "thực hiện sao lưu định kỳ, phòng chống mất dữ liệu"):
 * one night's run, the same on both engines — the embedded timer (./timer.ts) and the Temporal workflow's
 * activity (workflows/activities.ts). A run claims its night in `scheduled_runs` first, so whichever process gets
 * there first backs up and every other one does nothing; then it takes the backup (`takeBackup`), registers it in
 * every school's archive register as the system, and prunes nightly files beyond BACKUP_KEEP. A failure is audited
 * and told to the admins, with what to do.
 */
import os from 'node:os';
import { lastNightlyRun, nextNightlyRun, shouldCatchUp, type NightlyRunRecord, type NightlyStatus } from '../../domain/backup-schedule';
import { formatVn } from '../../domain/cutoffs';
import { registerNightlyBackup } from '../archive/backups';
import { backupSettingsOf, type BackupSettings, type Config } from '../config';
import { archiveBackupSchoolIds } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { AppError, forbidden } from '../core/errors';
import { t } from '../core/i18n';
import { nowIso, type Db } from '../db/knex';
import type { Clock } from '../timeline/engine';
import { recordNightlyFailure } from './failure';
import { pruneNightlyBackups } from './retention';
import { claimNight, NIGHTLY_JOB } from './scheduled-runs';
import { takeBackup } from '../backup/snapshot';

export interface NightlyDeps {
  db: Db;
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'sessionSecret' | 'auditCheckpointKey' | 'backup'>;
  clock: Clock;
  /** Which engine runs it, recorded with the claim (the operator reading a claim sees who took the night). */
  engine: 'embedded' | 'temporal';
}

/** What a night's run did; plain data, so a Temporal activity returns it as is. */
export type NightlyOutcome =
  | { status: 'claimed-elsewhere'; runDate: string }
  | { status: 'ok'; runDate: string; file: string; sizeBytes: number; registered: number; pruned: string[]; problem?: string }
  | { status: 'failed'; runDate: string; file: string | null; detail: string };

const settingsOf = (deps: NightlyDeps): BackupSettings => backupSettingsOf(deps.config);

/** The night of `runDate`: claimed, backed up, registered, pruned — or, if another process claimed it, nothing. */
export async function runNightlyBackup(deps: NightlyDeps, runDate: string): Promise<NightlyOutcome> {
  const { db, clock } = deps;
  const settings = settingsOf(deps);
  if (!(await claimNight(db, runDate, clock.now(), `${os.hostname()}:${process.pid} (${deps.engine})`))) return { status: 'claimed-elsewhere', runDate };
  let file: string | null = null;
  try {
    const backup = await takeBackup(db, deps.config, { dir: settings.dir, label: 'nightly' });
    file = backup.manifest.file;
    await db('scheduled_runs').where({ job: NIGHTLY_JOB, run_date: runDate }).update({ file, size_bytes: backup.check.sizeBytes, checked: backup.check.ok });
    if (!backup.check.ok) {
      const failed = backup.check.findings.filter((f) => f.level === 'fail').map((f) => t('vi', f.key, f.params));
      throw new AppError('internal', 'backup.nightly.checkFailed', { file, failed: failed.join('; ') });
    }
    await db('scheduled_runs').where({ job: NIGHTLY_JOB, run_date: runDate }).update({ status: 'ok', finished_at: clock.now() });
  } catch (err) {
    const detail = describe(err);
    await recordNightlyFailure(db, { runDate, file, detail, dir: settings.dir, next: nextRunText(deps), now: clock.now(), backupFailed: true });
    return { status: 'failed', runDate, file, detail };
  }
  // The backup is good; what follows cannot undo that, but a failure here is told to the admins all the same.
  const sizeBytes = Number(((await db('scheduled_runs').where({ job: NIGHTLY_JOB, run_date: runDate }).first('size_bytes')) as { size_bytes: number | string }).size_bytes);
  let registered = 0;
  let pruned: string[] = [];
  let problem: string | undefined;
  try {
    const registrations = await registerNightlyBackup(db, settings.dir, file, settings.keep);
    registered = registrations.reduce((n, r) => n + r.registered.length, 0);
    const refused = registrations.flatMap((r) => r.refused.map((x) => t('vi', x.problem.key, x.problem.params)));
    if (refused.length > 0) problem = [...new Set(refused)].join(' ');
    pruned = await pruneNightlyBackups(db, settings, clock.now());
  } catch (err) {
    problem = [problem, describe(err)].filter(Boolean).join(' ');
  }
  if (problem) await recordNightlyFailure(db, { runDate, file, detail: problem, dir: settings.dir, next: nextRunText(deps), now: clock.now(), backupFailed: false });
  return { status: 'ok', runDate, file, sizeBytes, registered, pruned, ...(problem ? { problem } : {}) };
}

const describe = (err: unknown) => (err instanceof AppError ? t('vi', err.key, err.params) : err instanceof Error ? err.message : String(err));
const nextRunText = (deps: NightlyDeps) => formatVn(nextNightlyRun(deps.clock.now(), settingsOf(deps).at).at);

/** The last good nightly backup (its finish instant), and whether the job has ever claimed a night. */
async function history(db: Db): Promise<{ everRan: boolean; lastSuccessAt: string | null }> {
  const any = await db('scheduled_runs').where({ job: NIGHTLY_JOB }).first('id');
  const good = (await db('scheduled_runs').where({ job: NIGHTLY_JOB, status: 'ok' }).orderBy('finished_at', 'desc').first('finished_at')) as { finished_at: string } | undefined;
  return { everRan: !!any, lastSuccessAt: good?.finished_at ?? null };
}

/**
 * At start-up: the night the server missed while it was down (its 02:00 passed with no process running), taken once
 * now — if the job has run before and its last good backup is more than a day old. The claim of that night makes
 * a second process starting at the same time do nothing.
 */
export async function catchUpMissedNight(deps: NightlyDeps): Promise<NightlyOutcome | null> {
  const now = deps.clock.now();
  if (!shouldCatchUp({ now, ...(await history(deps.db)) })) return null;
  return runNightlyBackup(deps, lastNightlyRun(now, settingsOf(deps).at).runDate);
}

export type { NightlyRunRecord, NightlyStatus };

function recordOf(r: Record<string, unknown> | undefined): NightlyRunRecord | null {
  if (!r) return null;
  return {
    runDate: String(r.run_date),
    status: r.status as NightlyRunRecord['status'],
    claimedAt: String(r.claimed_at),
    finishedAt: (r.finished_at as string | null) ?? null,
    file: (r.file as string | null) ?? null,
    sizeBytes: r.size_bytes === null || r.size_bytes === undefined ? null : Number(r.size_bytes),
    checked: r.checked === null || r.checked === undefined ? null : Boolean(Number(r.checked)),
    detail: (r.detail as string | null) ?? null,
    prunedAt: (r.pruned_at as string | null) ?? null,
  };
}

/** GET /api/backups/nightly: for those who register backups (the records clerk, the admin). */
export async function nightlyStatusFor(db: Db, actor: Actor, config: Pick<Config, 'dataDir' | 'backup'>): Promise<NightlyStatus> {
  if (archiveBackupSchoolIds(principalOf(actor)).length === 0) throw forbidden();
  return nightlyStatus(db, config);
}

export async function nightlyStatus(db: Db, config: Pick<Config, 'dataDir' | 'backup'>, now: string = nowIso()): Promise<NightlyStatus> {
  const s = backupSettingsOf(config);
  const last = recordOf(await db('scheduled_runs').where({ job: NIGHTLY_JOB }).orderBy('run_date', 'desc').first());
  const lastGood = last?.status === 'ok' ? last : recordOf(await db('scheduled_runs').where({ job: NIGHTLY_JOB, status: 'ok' }).orderBy('run_date', 'desc').first());
  return { enabled: s.nightly, at: s.at, keep: s.keep, next: s.nightly ? nextNightlyRun(now, s.at).at : null, last, lastGood: lastGood === last ? null : lastGood };
}
