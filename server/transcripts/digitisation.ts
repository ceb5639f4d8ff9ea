import { z } from 'zod';
import { canEnterPaperTranscripts, canReconcilePaperTranscripts, canSeePaperTranscripts } from '../../domain/permissions';
import { afterFirstEntry, diffEntries, digitisationStatus, reconcileEntries, type DigitisationEntry } from '../../domain/transcript/digitisation';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden, notFound } from '../core/errors';
import { msg, type MessageKey } from '../core/i18n';
import { insertReturningId } from '../core/records';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { openPaperVersion } from './digitisation-open';
import type { Conn } from './store';

/**
 * Số hóa học bạ giấy — the entry side (docs/digitisation.md): the academic staff enter an old year from the paper
 * book; with the school's double entry on, a second person enters it too and the differences are reconciled
 * field by field; the final entry is then opened as a transcript version for the signing chain
 * (digitisation-open.ts), where reviews of departed teachers' content are recorded (digitisation-review.ts).
 */

const level = z.enum(['T', 'K', 'D', 'CD']).nullable();
/** A score as the book prints it ("7", "8,5", "8.5") or a comment subject's Đ / CĐ (D / CD). */
const value = z
  .string()
  .trim()
  .max(4)
  .nullable()
  .transform((v) => (v === null || v === '' ? null : normaliseValue(v)));

export const entrySchema = z
  .object({
    subjects: z
      .array(
        z
          .object({
            subjectId: z.number().int().positive(),
            hk1: value,
            hk2: value,
            year: value,
            retest: value.default(null),
            comment: z.string().trim().max(1000).nullable().default(null),
            teacherStaffId: z.number().int().positive(),
          })
          .strict(),
      )
      .min(1)
      .max(40),
    summary: z
      .object({
        learning: z.object({ hk1: level, hk2: level, year: level, afterRetest: level.default(null) }).strict(),
        conduct: z.object({ hk1: level, hk2: level, year: level, afterSummerTraining: level.default(null) }).strict(),
        absences: z.number().int().min(0).max(366),
        summerTraining: z.boolean().default(false),
        promoted: z.boolean().nullable(),
        completedLevel: z.boolean().nullable().default(null),
        award: z.enum(['excellent', 'very_good']).nullable().default(null),
        homeroomComment: z.string().trim().max(2000).nullable().default(null),
      })
      .strict(),
    homeroomStaffId: z.number().int().positive(),
    principalStaffId: z.number().int().positive().nullable().default(null),
  })
  .strict();

/** "8,5" → "8.5", "7.0" → "7", "Đ" → "D", "CĐ" → "CD": the grade book's stored form; anything else is kept to be refused. */
function normaliseValue(v: string): string {
  const upper = v.toUpperCase().replace('Đ', 'D');
  if (upper === 'D' || upper === 'CD') return upper;
  const n = Number(v.replace(',', '.'));
  if (!/^\d{1,2}([.,]\d)?$/.test(v) || !(n >= 0 && n <= 10)) return `!${v}`;
  return String(Number(n.toFixed(1)));
}

const createSchema = z.object({ studentId: z.number().int().positive(), schoolYearId: z.number().int().positive(), classId: z.number().int().positive(), entry: entrySchema }).strict();

function schoolOf(actor: Actor, may: (p: ReturnType<typeof principalOf>, schoolId: number) => boolean): number {
  const schoolId = actor.schoolId;
  if (schoolId === null || !may(principalOf(actor), schoolId)) throw forbidden();
  return schoolId;
}

/** Operation: the academic staff start a paper year (the first entry, status entering). */
export async function createDigitisation(db: Db, actor: Actor, input: unknown) {
  const schoolId = schoolOf(actor, canEnterPaperTranscripts);
  const body = parse(createSchema, input);
  await assertTarget(db, schoolId, body);
  await assertEntry(db, schoolId, body.entry);
  const doubleEntry = await doubleEntryOn(db, schoolId);
  const now = nowIso();
  return db.transaction(async (trx) => {
    const existing = (await trx('transcript_digitisations').where({ student_id: body.studentId, school_year_id: body.schoolYearId }).first('id')) as { id: number } | undefined;
    if (existing) throw new AppError('conflict', 'digitisationExists', { id: Number(existing.id) });
    const id = await insertReturningId(trx, 'transcript_digitisations', {
      school_id: schoolId,
      student_id: body.studentId,
      school_year_id: body.schoolYearId,
      class_id: body.classId,
      status: 'entering',
      double_entry: doubleEntry,
      entry1: JSON.stringify(body.entry),
      entry1_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await appendAudit(trx, actor, { action: 'create', entity: 'transcript-digitisations', entityId: id, after: { studentId: body.studentId, schoolYearId: body.schoolYearId, classId: body.classId, doubleEntry }, schoolId });
    return { id, status: 'entering' as const, doubleEntry };
  });
}

/** Operation: the first enterer corrects their entry while it is still being entered. */
export async function updateFirstEntry(db: Db, actor: Actor, id: number, input: unknown) {
  const schoolId = schoolOf(actor, canEnterPaperTranscripts);
  const entry = parse(z.object({ entry: entrySchema }).strict(), input).entry;
  const d = await loadRow(db, schoolId, id);
  assertStatus(d, 'entering');
  if (Number(d.entry1_by) !== actor.userId) throw new AppError('forbidden', 'digitisationNotAuthor');
  await assertEntry(db, schoolId, entry);
  await db.transaction(async (trx) => {
    await trx('transcript_digitisations').where({ id }).update({ entry1: JSON.stringify(entry), updated_at: nowIso(), row_version: Number(d.row_version) + 1 });
    await appendAudit(trx, actor, { action: 'update', entity: 'transcript-digitisations', entityId: id, before: JSON.parse(String(d.entry1)), after: entry, schoolId });
  });
  return { id, status: 'entering' };
}

/** Operation: the first entry is done: with double entry on it waits for the second, otherwise it goes to signing. */
export async function submitFirstEntry(db: Db, actor: Actor, id: number) {
  const schoolId = schoolOf(actor, canEnterPaperTranscripts);
  const d = await loadRow(db, schoolId, id);
  assertStatus(d, 'entering');
  if (Number(d.entry1_by) !== actor.userId) throw new AppError('forbidden', 'digitisationNotAuthor');
  if (afterFirstEntry(Boolean(d.double_entry)) === 'awaiting_second') {
    await setStatus(db, actor, d, { status: 'awaiting_second' }, 'submit');
    return { id, status: 'awaiting_second' };
  }
  await setStatus(db, actor, d, { final_entry: d.entry1, reconciled_by: actor.userId }, 'submit');
  const versionId = await openPaperVersion(db, actor, rowOf(d), JSON.parse(String(d.entry1)) as DigitisationEntry);
  return { id, status: 'reviewing', versionId };
}

/** Operation: a second person enters the same book; equal entries go straight to signing, others to reconciling. */
export async function submitSecondEntry(db: Db, actor: Actor, id: number, input: unknown) {
  const schoolId = schoolOf(actor, canEnterPaperTranscripts);
  const entry = parse(z.object({ entry: entrySchema }).strict(), input).entry;
  const d = await loadRow(db, schoolId, id);
  assertStatus(d, 'awaiting_second');
  if (Number(d.entry1_by) === actor.userId) throw new AppError('conflict', 'digitisationSameEnterer');
  await assertEntry(db, schoolId, entry);
  const first = JSON.parse(String(d.entry1)) as DigitisationEntry;
  const differences = diffEntries(first, entry);
  const same = differences.length === 0;
  await setStatus(db, actor, d, { entry2: JSON.stringify(entry), entry2_by: actor.userId, status: same ? 'awaiting_second' : 'to_reconcile', ...(same ? { final_entry: d.entry1 } : {}) }, 'second_entry');
  if (!same) return { id, status: 'to_reconcile', differences };
  const versionId = await openPaperVersion(db, actor, rowOf(d), first);
  return { id, status: 'reviewing', differences, versionId };
}

const reconcileSchema = z.object({ choices: z.record(z.string().max(100), z.enum(['first', 'second'])) }).strict();

/** Operation: one of the enterers, a third person of the academic staff, or the principal chooses per field. */
export async function reconcileDigitisation(db: Db, actor: Actor, id: number, input: unknown) {
  const schoolId = schoolOf(actor, canReconcilePaperTranscripts);
  const { choices } = parse(reconcileSchema, input);
  const d = await loadRow(db, schoolId, id);
  assertStatus(d, 'to_reconcile');
  const result = reconcileEntries(JSON.parse(String(d.entry1)) as DigitisationEntry, JSON.parse(String(d.entry2)) as DigitisationEntry, choices);
  if ('missing' in result) throw new AppError('invalid', 'digitisationChooseAll', { count: result.missing.length, fields: result.missing.slice(0, 5).join(', ') });
  await assertEntry(db, schoolId, result.entry);
  await setStatus(db, actor, d, { final_entry: JSON.stringify(result.entry), reconciled_by: actor.userId }, 'reconcile', { choices });
  const versionId = await openPaperVersion(db, actor, rowOf(d), result.entry);
  return { id, status: 'reviewing', versionId };
}

/** Query: the two entries' differences, field by field. */
export async function digitisationDifferences(db: Db, actor: Actor, id: number) {
  const schoolId = schoolOf(actor, canSeePaperTranscripts);
  const d = await loadRow(db, schoolId, id);
  if (!d.entry2) return { id, differences: [] };
  return { id, differences: diffEntries(JSON.parse(String(d.entry1)) as DigitisationEntry, JSON.parse(String(d.entry2)) as DigitisationEntry) };
}

/** Query: the digitisation list (react-admin), newest first, with the status in the chain's terms. */
export async function listDigitisations(db: Db, actor: Actor) {
  const schoolId = schoolOf(actor, canSeePaperTranscripts);
  const rows = (await db('transcript_digitisations as d')
    .join('students as s', 's.id', 'd.student_id')
    .join('classes as c', 'c.id', 'd.class_id')
    .join('school_years as y', 'y.id', 'd.school_year_id')
    .leftJoin('transcript_versions as v', 'v.id', 'd.version_id')
    .where('d.school_id', schoolId)
    .orderBy('d.id', 'desc')
    .select('d.*', 's.full_name as student_name', 'c.name as class_name', 'c.grade', 'y.name as school_year', 'v.status as version_status')) as Array<Record<string, unknown>>;
  return rows.map(toListRow);
}

export async function showDigitisation(db: Db, actor: Actor, id: number) {
  const schoolId = schoolOf(actor, canSeePaperTranscripts);
  const row = (await db('transcript_digitisations as d')
    .join('students as s', 's.id', 'd.student_id')
    .join('classes as c', 'c.id', 'd.class_id')
    .join('school_years as y', 'y.id', 'd.school_year_id')
    .leftJoin('transcript_versions as v', 'v.id', 'd.version_id')
    .where({ 'd.id': id, 'd.school_id': schoolId })
    .first('d.*', 's.full_name as student_name', 'c.name as class_name', 'c.grade', 'y.name as school_year', 'v.status as version_status')) as Record<string, unknown> | undefined;
  if (!row) throw notFound('transcript-digitisations', id);
  const reviews = (await db('transcript_digitisation_reviews').where({ digitisation_id: id }).select('slot', 'staff_id', 'reviewed_by', 'reviewed_at')) as Array<Record<string, unknown>>;
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.parse(String(v)));
  return {
    ...toListRow(row),
    entry1: json(row.entry1),
    entry2: json(row.entry2),
    finalEntry: json(row.final_entry),
    signers: json(row.signers),
    reviews: reviews.map((r) => ({ slot: String(r.slot), staffId: Number(r.staff_id), reviewedBy: Number(r.reviewed_by), reviewedAt: String(r.reviewed_at) })),
  };
}

function toListRow(r: Record<string, unknown>) {
  return {
    id: Number(r.id),
    studentId: Number(r.student_id),
    studentName: String(r.student_name),
    schoolYearId: Number(r.school_year_id),
    schoolYear: String(r.school_year),
    classId: Number(r.class_id),
    className: String(r.class_name),
    grade: Number(r.grade),
    status: digitisationStatus(String(r.status), r.version_status === null || r.version_status === undefined ? null : String(r.version_status)),
    doubleEntry: r.double_entry === true || r.double_entry === 1,
    entry1By: Number(r.entry1_by),
    entry2By: r.entry2_by === null || r.entry2_by === undefined ? null : Number(r.entry2_by),
    versionId: r.version_id === null || r.version_id === undefined ? null : Number(r.version_id),
    updatedAt: String(r.updated_at),
  };
}

/* ---------------------------------------------------------------------------------------------------------- */

export async function loadRow(conn: Conn, schoolId: number, id: number): Promise<Record<string, unknown>> {
  const d = (await conn('transcript_digitisations').where({ id, school_id: schoolId }).first()) as Record<string, unknown> | undefined;
  if (!d) throw notFound('transcript-digitisations', id);
  return d;
}

const rowOf = (d: Record<string, unknown>) => ({ id: Number(d.id), schoolId: Number(d.school_id), studentId: Number(d.student_id), schoolYearId: Number(d.school_year_id), classId: Number(d.class_id) });

function assertStatus(d: Record<string, unknown>, status: string): void {
  if (d.status !== status) throw new AppError('conflict', 'digitisationWrongStatus', { status: msg(`digitisationStatus_${String(d.status)}` as MessageKey) });
}

/** A status change with its audit, guarded by the row version the caller read (two enterers at once: one wins). */
async function setStatus(db: Db, actor: Actor, d: Record<string, unknown>, patch: Record<string, unknown>, step: string, extra: Record<string, unknown> = {}): Promise<void> {
  await db.transaction(async (trx) => {
    const n = await trx('transcript_digitisations')
      .where({ id: d.id, row_version: d.row_version })
      .update({ ...patch, row_version: Number(d.row_version) + 1, updated_at: nowIso() });
    if (n !== 1) throw new AppError('conflict', 'digitisationStale');
    const after = { step, ...Object.fromEntries(Object.entries(patch).filter(([k]) => k === 'status')), ...extra };
    await appendAudit(trx, actor, { action: step === 'reconcile' ? 'reconcile' : 'update', entity: 'transcript-digitisations', entityId: Number(d.id), after, schoolId: Number(d.school_id) });
  });
}

async function doubleEntryOn(conn: Conn, schoolId: number): Promise<boolean> {
  const row = (await conn('school_settings').where({ school_id: schoolId }).first('digitisation_double_entry')) as { digitisation_double_entry: unknown } | undefined;
  return row?.digitisation_double_entry === true || row?.digitisation_double_entry === 1;
}

/** The student, the class and its year are the school's; the year has no grade-book transcript already. */
async function assertTarget(conn: Conn, schoolId: number, b: { studentId: number; schoolYearId: number; classId: number }): Promise<void> {
  const student = await conn('students').where({ id: b.studentId, school_id: schoolId }).first('id');
  if (!student) throw notFound('students', b.studentId);
  const cls = (await conn('classes as c').join('school_years as y', 'y.id', 'c.school_year_id').where({ 'c.id': b.classId, 'c.school_id': schoolId }).first('c.school_year_id', 'y.name')) as { school_year_id: number; name: string } | undefined;
  if (!cls || Number(cls.school_year_id) !== b.schoolYearId) throw notFound('classes', b.classId);
  const inGradebook = await conn('transcript_versions as v')
    .join('transcripts as t', 't.id', 'v.transcript_id')
    .leftJoin('transcript_digitisations as d', 'd.version_id', 'v.id')
    .where({ 't.student_id': b.studentId, 'v.school_year_id': b.schoolYearId })
    .whereNot('v.status', 'revoked')
    .whereNull('d.id')
    .first('v.id');
  if (inGradebook) throw new AppError('conflict', 'digitisationYearInGradebook', { year: cls.name });
}

/** Subjects of the school, teachers on the school's staff (current or departed), values that are scores or Đ/CĐ. */
async function assertEntry(conn: Conn, schoolId: number, e: DigitisationEntry): Promise<void> {
  const subjectIds = e.subjects.map((s) => s.subjectId);
  const subjects = (await conn('subjects').where({ school_id: schoolId }).whereIn('id', subjectIds).select('id', 'name', 'assessment_type')) as Array<Record<string, unknown>>;
  for (const s of e.subjects) {
    const row = subjects.find((r) => Number(r.id) === s.subjectId);
    if (!row) throw new AppError('invalid', 'digitisationBadSubject', { id: s.subjectId });
    const comment = row.assessment_type === 'comment';
    for (const v of [s.hk1, s.hk2, s.year, s.retest]) {
      if (v === null) continue;
      const isLevel = v === 'D' || v === 'CD';
      if (v.startsWith('!') || isLevel !== comment) throw new AppError('invalid', 'digitisationBadValue', { subject: String(row.name), value: v.replace(/^!/, '') });
    }
  }
  const staffIds = [...new Set([...e.subjects.map((s) => s.teacherStaffId), e.homeroomStaffId, ...(e.principalStaffId ? [e.principalStaffId] : [])])];
  const staff = (await conn('staff').where({ school_id: schoolId }).whereIn('id', staffIds).select('id')) as Array<{ id: number }>;
  const known = new Set(staff.map((s) => Number(s.id)));
  const stranger = staffIds.find((id) => !known.has(id));
  if (stranger !== undefined) throw new AppError('invalid', 'digitisationNotStaff', { id: stranger });
}
