import fs from 'node:fs';
import path from 'node:path';
import { archiveBackupSchoolIds } from '../../domain/permissions';
import type { Knex } from 'knex';
import { principalOf, systemActor, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { forbidden } from '../core/errors';
import type { MessageKey, Params } from '../core/i18n';
import { loadRecord } from '../core/resource';
import { nowIso, type Db } from '../db/knex';
import { formatSize, sha256File, vnDateTime } from '../backup/files';
import { readManifest, type Manifest } from '../backup/manifest';
import { archiveEntriesResource, insertEntry, type ArchiveEntry } from './entries';

/**
 * Backups in the register (Quy chế Học bạ số, Điều 8: regular backups, records kept long term): every backup that
 * `npm run backup` (or the timeline) wrote to DATA_DIR/backups/ becomes a line of the school's register, once. The
 * file is checked against its manifest first — a backup whose bytes no longer match what was written is not one
 * the school can rely on, so it is refused, by name, and never registered.
 */

/** A backup file found on the server and not in this school's register yet. */
export interface UnregisteredBackup {
  file: string;
  createdAt: string | null;
  sizeBytes: number;
  sha256: string | null;
  /** Why it cannot be registered (a message key), or null when it checks out. */
  problem: { key: MessageKey; params: Params } | null;
}

const BACKUP_FILE = /\.(sqlite|dump)$/;

/** The backups `takeBackup` names (`<db>-<time>.sqlite|.dump`); manifests, partial copies and anything else are not. */
function backupFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && BACKUP_FILE.test(e.name))
    .map((e) => e.name)
    .sort();
}

/** Checks one backup against its manifest (server/backup/manifest.ts): the same SHA-256 and size as when written. */
async function inspect(dir: string, file: string): Promise<{ manifest: Manifest | null; backup: UnregisteredBackup }> {
  const full = path.join(dir, file);
  const sizeBytes = fs.statSync(full).size;
  const read = readManifest(full);
  if ('missing' in read) return { manifest: null, backup: { file, createdAt: null, sizeBytes, sha256: null, problem: { key: 'archive.backupNoManifest', params: { file } } } };
  if ('unreadable' in read) {
    return { manifest: null, backup: { file, createdAt: null, sizeBytes, sha256: null, problem: { key: 'archive.backupManifestUnreadable', params: { file, detail: read.unreadable } } } };
  }
  const m = read.manifest;
  const actual = await sha256File(full);
  const intact = actual === m.sha256 && sizeBytes === m.sizeBytes;
  return {
    manifest: intact ? m : null,
    backup: { file, createdAt: m.createdAt ?? null, sizeBytes, sha256: m.sha256, problem: intact ? null : { key: 'archive.backupAltered', params: { file } } },
  };
}

function schoolOf(actor: Actor): number {
  const schools = archiveBackupSchoolIds(principalOf(actor));
  if (schools.length === 0) throw forbidden();
  // A clerk works for one school; an account spanning several registers in the first (the register is per school).
  return actor.schoolId !== null && schools.includes(actor.schoolId) ? actor.schoolId : schools[0];
}

async function registeredFiles(db: Db, schoolId: number): Promise<Set<string>> {
  const rows = (await db('archive_entries').where({ school_id: schoolId }).whereNotNull('backup_file').whereNull('deleted_at').select('backup_file')) as Array<{ backup_file: string }>;
  return new Set(rows.map((r) => String(r.backup_file)));
}

/** GET /api/archive-entries/backups: the backups on the server that this school's register does not list yet. */
export async function unregisteredBackups(db: Db, actor: Actor, backupsDir: string): Promise<UnregisteredBackup[]> {
  const schoolId = schoolOf(actor);
  const known = await registeredFiles(db, schoolId);
  const out: UnregisteredBackup[] = [];
  for (const file of backupFiles(backupsDir).filter((f) => !known.has(f))) out.push((await inspect(backupsDir, file)).backup);
  return out;
}

/** The school year a backup belongs to: the one its Vietnam date falls in, else the current one. */
async function yearFor(db: Db, schoolId: number, date: string): Promise<number | null> {
  const within = (await db('school_years').where({ school_id: schoolId }).where('start_date', '<=', date).where('end_date', '>=', date).first('id')) as { id: number } | undefined;
  const year = within ?? ((await db('school_years').where({ school_id: schoolId, is_current: true }).first('id')) as { id: number } | undefined);
  return year ? Number(year.id) : null;
}

/** The unique index refused a twin (another request registered the same file a moment earlier). */
const isDuplicate = (err: unknown) => {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/.test(String(e?.message ?? ''));
};

export interface BackupRegistration {
  registered: ArchiveEntry[];
  /** Backups refused, each with why (translated by the route). */
  refused: Array<{ file: string; problem: { key: MessageKey; params: Params } }>;
}

/**
 * POST /api/archive-entries/from-backups: registers each intact, unregistered backup as a `backup` line, each with
 * its audit row in its own transaction (one refused file does not hold back the others). Calling it again adds
 * nothing: the files already listed are skipped, and the unique index stops a twin written at the same moment.
 */
export async function registerBackups(db: Db, actor: Actor, backupsDir: string): Promise<BackupRegistration> {
  const schoolId = schoolOf(actor);
  const known = await registeredFiles(db, schoolId);
  return registerFiles(db, actor, schoolId, backupsDir, backupFiles(backupsDir).filter((f) => !known.has(f)), { receivedBy: actor.userId ?? 0 });
}

/** How a registration records its lines: who received the file, and for a nightly backup, its rotation. */
interface RegisterAs {
  receivedBy: number;
  /** A nightly backup: kept while among the newest `keep` nightly files, not permanently. */
  nightlyKeep?: number;
}

async function registerFiles(db: Db, actor: Actor, schoolId: number, backupsDir: string, files: string[], as: RegisterAs): Promise<BackupRegistration> {
  const result: BackupRegistration = { registered: [], refused: [] };
  for (const file of files) {
    const { manifest, backup } = await inspect(backupsDir, file);
    if (!manifest || backup.problem) {
      result.refused.push({ file, problem: backup.problem ?? { key: 'archive.backupAltered', params: { file } } });
      continue;
    }
    const at = vnDateTime(new Date(manifest.createdAt));
    const receivedOn = at.slice(0, 10);
    const schoolYearId = await yearFor(db, schoolId, receivedOn);
    if (schoolYearId === null) {
      result.refused.push({ file, problem: { key: 'archive.noSchoolYear', params: { date: receivedOn.split('-').reverse().join('/') } } });
      continue;
    }
    const rotating = as.nightlyKeep !== undefined;
    const entry = await db.transaction(async (trx) => {
      // A twin registered since the list above was read (a second click, another clerk): skip it quietly.
      if (await trx('archive_entries').where({ school_id: schoolId, backup_file: file }).whereNull('deleted_at').first('id')) return null;
      const id = await insertEntry(
        trx,
        schoolId,
        actor.userId,
        {
          book: 'backup',
          schoolYearId,
          classId: null,
          period: null,
          pages: null,
          location: null,
          receivedOn,
          retentionYears: null,
          // Điều 8.3: electronic records are kept long term; the clerk may shorten it by editing the line. A nightly
          // backup rotates instead (its note says how many are kept).
          retentionPermanent: !rotating,
          receivedBy: as.receivedBy,
          printRunId: null,
          backupFile: file,
          backupSha256: manifest.sha256,
          note: noteOf(manifest, at) + (rotating ? ` ${nightlyNote(as.nightlyKeep!)}` : ''),
        },
        { rotating },
      );
      const created = await loadRecord(archiveEntriesResource, trx, id);
      await appendAudit(trx, actor, { action: 'create', entity: 'archive-entries', entityId: id, after: created, schoolId, reason: null });
      return created;
    }).catch((err: unknown) => {
      // Both requests passed the check above at once; the index let one in, the other simply has nothing to add.
      if (isDuplicate(err)) return null;
      throw err;
    });
    if (entry) result.registered.push(entry);
  }
  return result;
}

const nightlyNote = (keep: number) => `Sao lưu hằng đêm tự động: giữ ${keep} bản hằng đêm mới nhất, bản cũ hơn tự động xóa và được đánh dấu hủy trong sổ.`;

/**
 * Who "receives" a backup the system registers: the school's records clerk, who keeps the register, else its admin,
 * who is responsible for the backups (roles.md), else its principal. Null when the school has none of them yet.
 */
async function keeperOf(db: Db, schoolId: number): Promise<number | null> {
  for (const role of ['records_clerk', 'admin', 'principal']) {
    const row = (await db('user_roles').where({ school_id: schoolId, role }).orderBy('user_id').first('user_id')) as { user_id: number } | undefined;
    if (row) return Number(row.user_id);
  }
  return null;
}

export interface SchoolRegistration extends BackupRegistration {
  schoolId: number;
}

/**
 * The nightly backup in every school's register (a backup holds every school's records), by the system ("Hệ
 * thống") through the same registration as the clerk's button: the same manifest check, the same line, audited.
 */
export async function registerNightlyBackup(db: Db, backupsDir: string, file: string, keep: number): Promise<SchoolRegistration[]> {
  const out: SchoolRegistration[] = [];
  for (const schoolId of (await db('schools').orderBy('id').pluck('id')) as number[]) {
    const id = Number(schoolId);
    if (await db('archive_entries').where({ school_id: id, backup_file: file }).whereNull('deleted_at').first('id')) continue;
    const keeper = await keeperOf(db, id);
    if (keeper === null) {
      out.push({ schoolId: id, registered: [], refused: [{ file, problem: { key: 'archive.noKeeper', params: { file } } }] });
      continue;
    }
    out.push({ schoolId: id, ...(await registerFiles(db, systemActor(id), id, backupsDir, [file], { receivedBy: keeper, nightlyKeep: keep })) });
  }
  return out;
}

/**
 * A nightly file deleted by retention: each school's live line for it is struck through — kept in the register,
 * marked, with the reason — and audited, in the caller's transaction. Returns how many lines were marked.
 */
export async function strikePrunedBackup(trx: Knex.Transaction, file: string, reason: string): Promise<number> {
  const rows = (await trx('archive_entries').where({ backup_file: file, book: 'backup' }).whereNull('deleted_at').select('id', 'school_id')) as Array<{ id: number; school_id: number }>;
  for (const r of rows) {
    const schoolId = Number(r.school_id);
    const before = await loadRecord(archiveEntriesResource, trx, Number(r.id));
    await trx('archive_entries').where({ id: r.id }).whereNull('deleted_at').update({ deleted_at: nowIso(), deleted_by: null, delete_reason: reason });
    const after = await loadRecord(archiveEntriesResource, trx, Number(r.id));
    await appendAudit(trx, systemActor(schoolId), { action: 'backup_pruned', entity: 'archive-entries', entityId: Number(r.id), before, after, schoolId, reason });
  }
  return rows.length;
}

/** What the register says about a backup, in Vietnamese (the register is a Vietnamese document). */
function noteOf(m: Manifest, at: string): string {
  const kind = m.kind === 'postgres' ? 'PostgreSQL' : 'SQLite';
  const audit = m.audit?.verified ? `toàn vẹn (${m.audit.events} sự kiện)` : 'CHƯA xác minh được';
  return `Bản sao lưu ${kind}, ${formatSize(m.sizeBytes)}, lúc ${at} (giờ Việt Nam); nhật ký kiểm toán: ${audit}.`;
}
