import type { Knex } from 'knex';
import { z } from 'zod';
import { ARCHIVE_BOOK_LABELS, ARCHIVE_BOOKS, type ArchiveBook } from '../../domain/archive';
import { formatVn } from '../../domain/cutoffs';
import { ARCHIVE_BOOK_OF_KIND, type PrintKind } from '../../domain/printing';
import { searchKey } from '../../domain/text';
import { AppError, invalidField, invalidInput, type FieldError } from '../core/errors';
import { id as entityId, isoDate, name, optionalText } from '../core/fields';
import { insertReturningId } from '../core/records';
import type { ResourceDef, WriteContext } from '../core/resource';
import { nowIso, toBool } from '../db/knex';
import { loadClass, loadYear, num, numOrNull, strOrNull, stripUndefined, vnDate } from '../school/common';

/** One line of the archive register (sổ đăng ký lưu trữ). */
export interface ArchiveEntry {
  id: number;
  schoolId: number;
  book: ArchiveBook;
  schoolYearId: number;
  schoolYearName: string | null;
  classId: number | null;
  className: string | null;
  /** Học kỳ / giai đoạn as written on the cover ("Học kỳ I", "Cả năm"). */
  period: string | null;
  pages: number | null;
  /** Vị trí lưu: kệ / hộp. */
  location: string | null;
  receivedOn: string;
  retentionYears: number | null;
  retentionPermanent: boolean;
  receivedBy: number;
  receivedByName: string | null;
  /** The approved print run the paper book came from (grade book, roll-call book or enrolment register). */
  printRunId: number | null;
  backupFile: string | null;
  backupSha256: string | null;
  note: string | null;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  updatedBy: number | null;
  updatedAt: string;
  deleted: boolean;
  deletedAt: string | null;
  deletedBy: number | null;
  deletedByName: string | null;
  deleteReason: string | null;
}

const nullable = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? null : v), s.nullish());

const EntryInput = z.strictObject({
  book: z.enum(ARCHIVE_BOOKS),
  schoolYearId: entityId,
  classId: nullable(entityId),
  period: optionalText(100),
  pages: nullable(z.number().int().min(1).max(100_000)),
  location: optionalText(100),
  receivedOn: isoDate,
  retentionYears: nullable(z.number().int().min(1).max(100)),
  retentionPermanent: z.boolean().optional(),
  receivedBy: entityId.optional(),
  printRunId: nullable(entityId),
  backupFile: optionalText(255),
  backupSha256: optionalText(64),
  note: optionalText(2000),
});
type Input = z.output<typeof EntryInput>;

/** Striking an entry from the register keeps it, with who, when and why (entries are records themselves). */
const StrikeBody = z.strictObject({ reason: name(500) });

/** The writable fields as stored, after defaults: what `check` validates and `toRow` writes. */
interface Fields {
  book: ArchiveBook;
  schoolYearId: number;
  classId: number | null;
  period: string | null;
  pages: number | null;
  location: string | null;
  receivedOn: string;
  retentionYears: number | null;
  retentionPermanent: boolean;
  receivedBy: number;
  printRunId: number | null;
  backupFile: string | null;
  backupSha256: string | null;
  note: string | null;
}

/** Today in Vietnam (UTC+7): a book received "today" at 6 in the morning is not in the future. */
const todayVn = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * The rules of a register line, all reported at once so the clerk fixes the form in one go: a paper book has its
 * pages and shelf; a retention period is given one way; the class belongs to the year; nothing is received tomorrow.
 */
async function check(f: Fields, trx: Knex.Transaction, schoolId: number, opts: EntryOptions = {}): Promise<string | null> {
  const errors: Record<string, FieldError> = {};
  const today = todayVn();
  if (f.receivedOn > today) errors.receivedOn = { key: 'archive.receivedInFuture', params: { max: vnDate(today) } };
  if (f.retentionPermanent && f.retentionYears !== null) errors.retentionYears = { key: 'archive.retentionBoth' };
  else if (!f.retentionPermanent && f.retentionYears === null && !(opts.rotating && f.book === 'backup')) errors.retentionYears = { key: 'archive.retentionRequired' };
  if (f.book !== 'backup') {
    if (f.pages === null) errors.pages = { key: 'archive.pagesRequired' };
    if (f.location === null) errors.location = { key: 'archive.locationRequired' };
    if (f.backupFile !== null) errors.backupFile = { key: 'archive.backupFieldsOnlyForBackup' };
    if (f.backupSha256 !== null) errors.backupSha256 = { key: 'archive.backupFieldsOnlyForBackup' };
  } else if (f.backupSha256 !== null && !/^[0-9a-f]{64}$/.test(f.backupSha256)) {
    errors.backupSha256 = { key: 'archive.sha256Format' };
  }
  const year = await loadYear(trx, f.schoolYearId);
  if (!year) errors.schoolYearId = { key: 'badReference' };
  else if (year.school_id !== schoolId) errors.schoolYearId = { key: 'schoolMismatch' };
  let className: string | null = null;
  if (f.classId !== null) {
    const cls = await loadClass(trx, f.classId);
    if (!cls) errors.classId = { key: 'badReference' };
    else if (cls.school_id !== schoolId) errors.classId = { key: 'schoolMismatch' };
    else if (cls.school_year_id !== f.schoolYearId) errors.classId = { key: 'notInSchoolYear' };
    else className = cls.name;
  }
  // A printed book's copy names its print run: approved, of this school, the same book, year and class (none for
  // the enrolment register, the school's book).
  if (f.printRunId !== null) {
    const run = (await trx('print_runs').where({ id: f.printRunId }).first('school_id', 'status', 'kind', 'class_id', 'school_year_id')) as Record<string, unknown> | undefined;
    const runClass = run?.class_id === null || run?.class_id === undefined ? null : Number(run.class_id);
    if (!run || Number(run.school_id) !== schoolId) errors.printRunId = { key: 'badReference' };
    else if (run.status !== 'approved') errors.printRunId = { key: 'archive.printRunNotApproved' };
    else if (f.book !== ARCHIVE_BOOK_OF_KIND[run.kind as PrintKind] || runClass !== f.classId || Number(run.school_year_id) !== f.schoolYearId) errors.printRunId = { key: 'archive.printRunOtherBook' };
  }
  // Whoever received the book works at this school (any role there).
  const receiver = await trx('user_roles').where({ user_id: f.receivedBy, school_id: schoolId }).first('user_id');
  if (!receiver) errors.receivedBy = { key: 'badReference' };
  if (Object.keys(errors).length > 0) throw invalidInput(errors);
  return className;
}

function toRow(f: Fields, className: string | null): Record<string, unknown> {
  return {
    book: f.book,
    school_year_id: f.schoolYearId,
    class_id: f.classId,
    period: f.period,
    pages: f.pages,
    location: f.location,
    received_on: f.receivedOn,
    retention_years: f.retentionYears,
    retention_permanent: f.retentionPermanent,
    received_by: f.receivedBy,
    print_run_id: f.printRunId,
    backup_file: f.backupFile,
    backup_sha256: f.backupSha256,
    note: f.note,
    search_text: searchKey(ARCHIVE_BOOK_LABELS[f.book], className, f.period, f.location, f.note, f.backupFile),
  };
}

/**
 * `rotating`: a nightly backup, kept while it is among the newest BACKUP_KEEP nightly files (server/
 * nightly/retention.ts), so it has no retention in years and is not kept permanently: its note says so instead.
 */
export interface EntryOptions {
  rotating?: boolean;
}

/** Inserts a checked line of the register (the REST create and the backup registration share it). */
export async function insertEntry(trx: Knex.Transaction, schoolId: number, userId: number | null, f: Fields, opts: EntryOptions = {}): Promise<number> {
  const className = await check(f, trx, schoolId, opts);
  const now = nowIso();
  return insertReturningId(trx, 'archive_entries', {
    ...toRow(f, className),
    school_id: schoolId,
    created_by: userId,
    created_at: now,
    updated_by: userId,
    updated_at: now,
  });
}

export type { Fields as ArchiveFields };

const READ_ONLY = ['schoolYearName', 'className', 'receivedByName', 'createdBy', 'createdByName', 'createdAt', 'updatedBy', 'updatedAt', 'deleted', 'deletedAt', 'deletedBy', 'deletedByName', 'deleteReason'];

export const archiveEntriesResource: ResourceDef<ArchiveEntry> = {
  name: 'archive-entries',
  table: 'archive_entries',
  // People by full name: a reader of the register need not be able to read the accounts.
  baseQuery: (conn) =>
    conn('archive_entries')
      .leftJoin('school_years as ay', 'ay.id', 'archive_entries.school_year_id')
      .leftJoin('classes as ac', 'ac.id', 'archive_entries.class_id')
      .leftJoin('users as receiver', 'receiver.id', 'archive_entries.received_by')
      .leftJoin('users as creator', 'creator.id', 'archive_entries.created_by')
      .leftJoin('users as striker', 'striker.id', 'archive_entries.deleted_by')
      .select(
        'archive_entries.*',
        'ay.name as school_year_name',
        'ac.name as class_name',
        'receiver.full_name as received_by_name',
        'creator.full_name as created_by_name',
        'striker.full_name as deleted_by_name',
      ),
  fields: {
    id: { column: 'archive_entries.id', type: 'number' },
    book: { column: 'archive_entries.book', type: 'string' },
    schoolYearId: { column: 'archive_entries.school_year_id', type: 'number' },
    schoolYearName: { column: 'ay.name', type: 'string' },
    classId: { column: 'archive_entries.class_id', type: 'number' },
    className: { column: 'ac.name', type: 'string' },
    period: { column: 'archive_entries.period', type: 'string' },
    pages: { column: 'archive_entries.pages', type: 'number' },
    location: { column: 'archive_entries.location', type: 'string' },
    receivedOn: { column: 'archive_entries.received_on', type: 'string' },
    retentionYears: { column: 'archive_entries.retention_years', type: 'number' },
    receivedBy: { column: 'archive_entries.received_by', type: 'number' },
    receivedByName: { column: 'receiver.full_name', type: 'string' },
    printRunId: { column: 'archive_entries.print_run_id', type: 'number' },
    backupFile: { column: 'archive_entries.backup_file', type: 'string' },
    createdAt: { column: 'archive_entries.created_at', type: 'string' },
    updatedAt: { column: 'archive_entries.updated_at', type: 'string' },
    deleted: {
      column: 'archive_entries.deleted_at',
      type: 'boolean',
      where: (qb, values) => (values[0] === true ? qb.whereNotNull('archive_entries.deleted_at') : qb.whereNull('archive_entries.deleted_at')),
    },
  },
  searchColumns: ['archive_entries.search_text'],
  defaultSort: 'receivedOn',
  readOnly: READ_ONLY,
  toApi: (r) => ({
    id: num(r.id),
    schoolId: num(r.school_id),
    book: r.book as ArchiveBook,
    schoolYearId: num(r.school_year_id),
    schoolYearName: strOrNull(r.school_year_name),
    classId: numOrNull(r.class_id),
    className: strOrNull(r.class_name),
    period: strOrNull(r.period),
    pages: numOrNull(r.pages),
    location: strOrNull(r.location),
    receivedOn: String(r.received_on),
    retentionYears: numOrNull(r.retention_years),
    retentionPermanent: toBool(r.retention_permanent),
    receivedBy: num(r.received_by),
    receivedByName: strOrNull(r.received_by_name),
    printRunId: numOrNull(r.print_run_id),
    backupFile: strOrNull(r.backup_file),
    backupSha256: strOrNull(r.backup_sha256),
    note: strOrNull(r.note),
    createdBy: numOrNull(r.created_by),
    createdByName: strOrNull(r.created_by_name),
    createdAt: String(r.created_at),
    updatedBy: numOrNull(r.updated_by),
    updatedAt: String(r.updated_at),
    deleted: r.deleted_at !== null && r.deleted_at !== undefined,
    deletedAt: strOrNull(r.deleted_at),
    deletedBy: numOrNull(r.deleted_by),
    deletedByName: strOrNull(r.deleted_by_name),
    deleteReason: strOrNull(r.delete_reason),
  }),
  create: {
    schema: EntryInput as never,
    // The register is the school's whose year the entry names.
    schoolOf: async (raw, trx) => {
      const year = await loadYear(trx, (raw as Input).schoolYearId);
      if (!year) throw invalidField('schoolYearId', { key: 'badReference' });
      return year.school_id;
    },
    insert: async (raw, ctx) => {
      const input = raw as Input;
      return insertEntry(ctx.trx, ctx.schoolId, ctx.actor.userId, fieldsOf(input, ctx));
    },
  },
  update: {
    schema: EntryInput.partial() as never,
    apply: async (existing, raw, ctx) => {
      if (existing.deleted) throw new AppError('conflict', 'archive.deletedReadOnly');
      const f: Fields = { ...pickFields(existing), ...stripUndefined(raw as Partial<Input>) } as Fields;
      const normalised: Fields = { ...f, retentionPermanent: f.retentionPermanent ?? false };
      const className = await check(normalised, ctx.trx, ctx.schoolId);
      await ctx.trx('archive_entries')
        .where({ id: existing.id })
        .update({ ...toRow(normalised, className), updated_by: ctx.actor.userId, updated_at: nowIso() });
    },
  },
  // DELETE strikes the line through (ra-data-simple-rest delete) and answers with the struck entry.
  softDelete: { action: 'delete', schema: StrikeBody, apply: strike },
};

function fieldsOf(input: Input, ctx: WriteContext): Fields {
  return {
    book: input.book,
    schoolYearId: input.schoolYearId,
    classId: input.classId ?? null,
    period: input.period ?? null,
    pages: input.pages ?? null,
    location: input.location ?? null,
    receivedOn: input.receivedOn,
    retentionYears: input.retentionYears ?? null,
    retentionPermanent: input.retentionPermanent ?? false,
    // By default whoever writes the line received the book.
    receivedBy: input.receivedBy ?? ctx.actor.userId ?? 0,
    printRunId: input.printRunId ?? null,
    backupFile: input.backupFile ?? null,
    backupSha256: input.backupSha256 ?? null,
    note: input.note ?? null,
  };
}

function pickFields(e: ArchiveEntry): Fields {
  return {
    book: e.book,
    schoolYearId: e.schoolYearId,
    classId: e.classId,
    period: e.period,
    pages: e.pages,
    location: e.location,
    receivedOn: e.receivedOn,
    retentionYears: e.retentionYears,
    retentionPermanent: e.retentionPermanent,
    receivedBy: e.receivedBy,
    printRunId: e.printRunId,
    backupFile: e.backupFile,
    backupSha256: e.backupSha256,
    note: e.note,
  };
}

async function strike(existing: ArchiveEntry, input: { reason?: string | null }, { trx, actor }: WriteContext): Promise<void> {
  if (existing.deletedAt) throw new AppError('conflict', 'archive.alreadyDeleted', { since: formatVn(existing.deletedAt) });
  const n = await trx('archive_entries')
    .where({ id: existing.id })
    .whereNull('deleted_at')
    .update({ deleted_at: nowIso(), deleted_by: actor.userId, delete_reason: input.reason ?? null });
  if (n !== 1) throw new AppError('conflict', 'archive.alreadyDeleted', { since: '' });
}
