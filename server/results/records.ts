import type { Knex } from 'knex';
import { z } from 'zod';
import { canEnterSummerResults, canReadClassResults } from '../../domain/permissions';
import { nowIso, parseJsonArray, toBool, type Db } from '../db/knex';
import type { Principal } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { applyFilters, parseListQuery, type FieldMap } from '../core/list-query';
import { parseCellValue } from '../gradebook/values';
import { resultInputsChanged } from '../core/events';
import { appendAudit } from '../core/audit';
import { forbidden, AppError, notFound } from '../core/errors';
import { insertReturningId } from '../core/records';
import { parse } from '../core/validate';

type Conn = Knex | Knex.Transaction;
const pos = z.number().int().positive();
const RetestBody = z.strictObject({ schoolYearId: pos, studentId: pos, subjectId: pos, value: z.union([z.string().max(16), z.number()]) });
const SummerBody = z.strictObject({ schoolYearId: pos, studentId: pos, conduct: z.enum(['T', 'K', 'D', 'CD']) });

/** The student's active class in that school year, with what the permission rules need. */
async function enrolmentOf(conn: Conn, schoolYearId: number, studentId: number) {
  const year = (await conn('school_years').where({ id: schoolYearId }).first('id', 'school_id')) as { school_id: number } | undefined;
  if (!year) throw notFound('school-years', schoolYearId);
  const e = (await conn('enrolments as e')
    .join('classes as c', 'c.id', 'e.class_id')
    .where({ 'e.school_year_id': schoolYearId, 'e.student_id': studentId, 'e.status': 'active' })
    .first('e.class_id', 'c.grade')) as { class_id: number; grade: number } | undefined;
  return { schoolId: Number(year.school_id), classId: e ? Number(e.class_id) : null, grade: e ? Number(e.grade) : null };
}

/** A typed retest value → canonical, by the subject's kind (Điều 5), with the grade book's messages. */
async function storedYear(conn: Conn, schoolYearId: number, studentId: number) {
  return (await conn('student_year_results').where({ school_year_id: schoolYearId, student_id: studentId }).first('retest_subjects', 'summer_training')) as
    | { retest_subjects: string; summer_training: unknown }
    | undefined;
}

interface RecordKind {
  table: string;
  entity: string;
  fields: FieldMap;
  toApi: (r: Record<string, unknown>) => Record<string, unknown>;
}

const common: FieldMap = {
  id: { column: 'r.id', type: 'number' },
  schoolYearId: { column: 'r.school_year_id', type: 'number' },
  studentId: { column: 'r.student_id', type: 'number' },
  classId: { column: 'e.class_id', type: 'number' },
  createdAt: { column: 'r.created_at', type: 'string' },
};

const RETEST: RecordKind = {
  table: 'retest_results',
  entity: 'retest-results',
  fields: { ...common, subjectId: { column: 'r.subject_id', type: 'number' } },
  toApi: (r) => ({ subjectId: Number(r.subject_id), subjectCode: r.subject_code, value: String(r.value), original: r.original ?? null }),
};
const SUMMER: RecordKind = {
  table: 'summer_training_results',
  entity: 'summer-training-results',
  fields: common,
  toApi: (r) => ({ conduct: String(r.conduct), original: r.original ?? null }),
};

/** Rows joined with the student's class (for scope) and, beside each result, the original it replaces. */
function baseQuery(conn: Conn, kind: RecordKind) {
  const q = conn(`${kind.table} as r`)
    .join('students as s', 's.id', 'r.student_id')
    .leftJoin('enrolments as e', function () {
      this.on('e.student_id', '=', 'r.student_id').andOn('e.school_year_id', '=', 'r.school_year_id').andOnVal('e.status', '=', 'active');
    })
    .leftJoin('classes as c', 'c.id', 'e.class_id')
    .select('r.*', 's.student_code', 's.full_name', 'e.class_id', 'c.name as class_name', 'c.grade');
  if (kind === RETEST) {
    q.join('subjects as sub', 'sub.id', 'r.subject_id')
      .leftJoin('student_subject_results as o', function () {
        this.on('o.student_id', '=', 'r.student_id').andOn('o.school_year_id', '=', 'r.school_year_id').andOn('o.subject_id', '=', 'r.subject_id');
      })
      .select('sub.code as subject_code', 'o.year as original');
  } else {
    q.leftJoin('student_year_results as o', function () {
      this.on('o.student_id', '=', 'r.student_id').andOn('o.school_year_id', '=', 'r.school_year_id');
    }).select('o.conduct_year as original');
  }
  return q;
}

function present(kind: RecordKind, r: Record<string, unknown>) {
  return {
    id: Number(r.id),
    schoolId: Number(r.school_id),
    schoolYearId: Number(r.school_year_id),
    studentId: Number(r.student_id),
    studentCode: String(r.student_code),
    fullName: String(r.full_name),
    classId: r.class_id === null || r.class_id === undefined ? null : Number(r.class_id),
    className: r.class_name ?? null,
    ...kind.toApi(r),
    enteredBy: Number(r.entered_by),
    createdAt: String(r.created_at),
  };
}

/** Those who enter the records see them all; the class's readers (homeroom teacher, VP, principal) see their classes'. */
function mayRead(principal: Principal, r: Record<string, unknown>): boolean {
  const schoolId = Number(r.school_id);
  if (canEnterSummerResults(principal, schoolId)) return true;
  return r.class_id !== null && r.class_id !== undefined && canReadClassResults(principal, { schoolId, classId: Number(r.class_id), grade: Number(r.grade) });
}

export type ResultRecordKind = 'retest' | 'summer';
const KINDS: Record<ResultRecordKind, { kind: RecordKind; table: string }> = {
  retest: { kind: RETEST, table: 'retest_results' },
  summer: { kind: SUMMER, table: 'summer_training_results' },
};
export const entityOf = (k: ResultRecordKind) => KINDS[k].kind.entity;

/** Query: one page of the records the actor may read, and how many there are in all. */
export async function listResultRecords(db: Db, actor: Actor, k: ResultRecordKind, query: Record<string, unknown>) {
  const principal = principalOf(actor);
  const { kind } = KINDS[k];
  const lq = parseListQuery(query, kind.fields);
  const rows = ((await applyFilters(baseQuery(db, kind), lq, []).orderBy(lq.sort.column, lq.sort.order).orderBy('r.id')) as Array<Record<string, unknown>>).filter((r) =>
    mayRead(principal, r),
  );
  const page = rows.slice(lq.range.start, lq.range.end + 1);
  return { start: lq.range.start, total: rows.length, records: page.map((r) => present(kind, r)) };
}

/** Query: one record, if the actor may read it. */
export async function showResultRecord(db: Db, actor: Actor, k: ResultRecordKind, rawId: string) {
  const principal = principalOf(actor);
  const { kind } = KINDS[k];
  const recordId = Number(rawId);
  if (!Number.isInteger(recordId) || recordId <= 0) throw notFound(kind.entity, rawId);
  const row = (await baseQuery(db, kind).where('r.id', recordId).first()) as Record<string, unknown> | undefined;
  if (!row) throw notFound(kind.entity, recordId);
  if (!mayRead(principal, row)) throw forbidden();
  return present(kind, row);
}

/** Checks common to both records: who enters them, and the student's class this year. */
async function prepare(principal: Principal, trx: Knex.Transaction, schoolYearId: number, studentId: number) {
  const where = await enrolmentOf(trx, schoolYearId, studentId);
  if (!canEnterSummerResults(principal, where.schoolId)) throw forbidden();
  if (where.classId === null) throw new AppError('invalid', 'validation', {}, { studentId: { key: 'studentNotInYear' } });
  // The lists are judged on the results as they stand now, not as last stored.
  await resultInputsChanged(trx, schoolYearId, where.classId, [studentId], 'now');
  return { schoolId: where.schoolId, classId: where.classId };
}

/**
 * A mistyped retest or summer-training result is removed (with the reason in the audit trail) and entered again;
 * the student's results fall back to the original year values until then.
 */
export async function deleteResultRecord(db: Db, actor: Actor, k: ResultRecordKind, rawId: string, input: { reason?: unknown } | null | undefined) {
  const principal = principalOf(actor);
  const { kind, table } = KINDS[k];
  const recordId = Number(rawId);
  if (!Number.isInteger(recordId) || recordId <= 0) throw notFound(kind.entity, rawId);
  return db.transaction(async (trx) => {
    const row = (await baseQuery(trx, kind).where('r.id', recordId).first()) as Record<string, unknown> | undefined;
    if (!row) throw notFound(kind.entity, recordId);
    if (!canEnterSummerResults(principal, Number(row.school_id))) throw forbidden();
    const record = present(kind, row);
    await trx(table).where({ id: recordId }).delete();
    if (record.classId !== null) await resultInputsChanged(trx, record.schoolYearId, record.classId, [record.studentId], 'now');
    const reason = typeof input?.reason === 'string' ? input.reason.slice(0, 1000) : null;
    await appendAudit(trx, actor, { action: 'delete', entity: kind.entity, entityId: recordId, schoolId: record.schoolId, before: record, reason });
    return record;
  });
}

/** Operation — kết quả kiểm tra lại (Điều 13–14): only for a subject on the student's current retest list. */
export async function enterRetestResult(db: Db, actor: Actor, input: unknown) {
  const principal = principalOf(actor);
  const body = parse(RetestBody, input);
  return db.transaction(async (trx) => {
    const { schoolId, classId } = await prepare(principal, trx, body.schoolYearId, body.studentId);
    const subject = (await trx('subjects').where({ id: body.subjectId, school_id: schoolId }).first('id', 'code', 'assessment_type')) as Record<string, unknown> | undefined;
    if (!subject) throw new AppError('invalid', 'validation', {}, { subjectId: { key: 'badReference' } });
    const stored = await storedYear(trx, body.schoolYearId, body.studentId);
    if (!parseJsonArray<number>(stored?.retest_subjects).includes(body.subjectId)) {
      throw new AppError('invalid', 'validation', {}, { subjectId: { key: 'notOnRetestList' } });
    }
    const parsed = parseCellValue(String(subject.assessment_type), body.value);
    if ('error' in parsed) throw new AppError('invalid', 'validation', {}, { value: parsed.error });
    // A retest result is a value, never a cleared cell.
    if (parsed.value === null) throw new AppError('invalid', 'validation', {}, { value: { key: 'required' } });
    if (await trx('retest_results').where({ school_year_id: body.schoolYearId, student_id: body.studentId, subject_id: body.subjectId }).first('id')) {
      throw new AppError('conflict', 'retestExists');
    }
    const now = nowIso();
    const recordId = await insertReturningId(trx, 'retest_results', {
      school_id: schoolId,
      school_year_id: body.schoolYearId,
      student_id: body.studentId,
      subject_id: body.subjectId,
      value: parsed.value,
      entered_by: principal.userId,
      created_at: now,
    });
    await resultInputsChanged(trx, body.schoolYearId, classId, [body.studentId], 'now');
    const row = (await baseQuery(trx, RETEST).where('r.id', recordId).first()) as Record<string, unknown>;
    const record = present(RETEST, row);
    await appendAudit(trx, actor, { action: 'create', entity: RETEST.entity, entityId: recordId, schoolId, after: record });
    return record;
  });
}

/** Operation — kết quả rèn luyện trong hè (Điều 12, 14): only for a student on the summer-training list. */
export async function enterSummerTrainingResult(db: Db, actor: Actor, input: unknown) {
  const principal = principalOf(actor);
  const body = parse(SummerBody, input);
  return db.transaction(async (trx) => {
    const { schoolId, classId } = await prepare(principal, trx, body.schoolYearId, body.studentId);
    const stored = await storedYear(trx, body.schoolYearId, body.studentId);
    if (!stored || !toBool(stored.summer_training)) throw new AppError('invalid', 'validation', {}, { studentId: { key: 'notOnSummerTrainingList' } });
    if (await trx('summer_training_results').where({ school_year_id: body.schoolYearId, student_id: body.studentId }).first('id')) {
      throw new AppError('conflict', 'summerTrainingExists');
    }
    const recordId = await insertReturningId(trx, 'summer_training_results', {
      school_id: schoolId,
      school_year_id: body.schoolYearId,
      student_id: body.studentId,
      conduct: body.conduct,
      entered_by: principal.userId,
      created_at: nowIso(),
    });
    await resultInputsChanged(trx, body.schoolYearId, classId, [body.studentId], 'now');
    const record = present(SUMMER, (await baseQuery(trx, SUMMER).where('r.id', recordId).first()) as Record<string, unknown>);
    await appendAudit(trx, actor, { action: 'create', entity: SUMMER.entity, entityId: recordId, schoolId, after: record });
    return record;
  });
}
