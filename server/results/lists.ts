import type { Knex } from 'knex';
import { z } from 'zod';
import { canApproveResultLists, canReadClassResults, canReadSchoolResults } from '../../domain/permissions';
import { nowIso, type Db } from '../db/knex';
import type { Principal } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { loadYearContext, type YearContext } from './inputs';
import { ensureComputed, loadClass, readYearRows, type StoredYear } from './stored';
import { appendAudit, canonicalJson } from '../core/audit';
import { AppError, forbidden } from '../core/errors';
import { msg } from '../core/i18n';
import { insertReturningId } from '../core/records';
import { parse } from '../core/validate';

type Conn = Knex | Knex.Transaction;
const id = z.coerce.number().int().positive();
export const LISTS = ['promotion', 'retest', 'summer_training', 'awards'] as const;
export type ListName = (typeof LISTS)[number];

const ListsQuery = z.strictObject({ schoolYearId: id, classId: id.optional() });
const ApproveBody = z.strictObject({ schoolYearId: z.number().int().positive(), list: z.enum(LISTS), classId: z.number().int().positive().optional() });

type Item = Record<string, unknown>;

/**
 * The lists the principal approves (roles.md), from the stored results:
 * - promotion (Điều 12): every student, promoted / held back with the reasons, or still pending (retest, summer
 *   training, incomplete);
 * - retest (Điều 13): students with learning Chưa đạt and conduct ≥ Đạt, and their subjects;
 * - summer_training (Điều 12, 14): year conduct Chưa đạt, absences within the limit;
 * - awards (Điều 15): Học sinh Xuất sắc and Học sinh Giỏi.
 */
function itemsOf(list: ListName, rows: StoredYear[], codeOf: Map<number, string>): Item[] {
  const who = (r: StoredYear) => ({ studentId: r.student.id, studentCode: r.student.code, fullName: r.student.fullName, classId: r.classId, className: r.className });
  switch (list) {
    case 'promotion':
      return rows.map((r) => ({ ...who(r), decision: r.decision, promoted: r.promoted, heldBackReasons: r.heldBackReasons }));
    case 'retest':
      return rows.filter((r) => r.retestSubjectIds.length > 0).map((r) => ({ ...who(r), subjects: r.retestSubjectIds.map((s) => codeOf.get(s) ?? String(s)) }));
    case 'summer_training':
      return rows.filter((r) => r.summerTraining).map((r) => ({ ...who(r), conductYear: r.conduct.year, afterSummerTraining: r.conduct.final === r.conduct.year ? null : r.conduct.final }));
    case 'awards':
      return rows.filter((r) => r.award !== null).map((r) => ({ ...who(r), award: r.award }));
  }
}

/** What an approval is about: names and class labels may be corrected without the list changing. */
function essence(items: Item[]): string {
  return canonicalJson(
    items.map(({ studentCode: _c, fullName: _f, className: _n, afterSummerTraining: _a, ...rest }) => rest).sort((a, b) => Number(a.studentId) - Number(b.studentId)),
  );
}

const scopeKey = (classId: number | undefined) => (classId ? `class:${classId}` : 'school');

/** Which classes a request covers, after checking the principal may read them. */
async function scopeOf(principal: Principal, db: Db, schoolYearId: number, classId: number | undefined): Promise<{ ctx: YearContext; classIds: number[] }> {
  if (classId) {
    const klass = await loadClass(db, classId, schoolYearId);
    if (!canReadClassResults(principal, klass)) throw forbidden();
    return { ctx: await loadYearContext(db, schoolYearId), classIds: [classId] };
  }
  const ctx = await loadYearContext(db, schoolYearId);
  if (!canReadSchoolResults(principal, ctx.schoolId)) throw forbidden();
  const classes = (await db('classes').where({ school_year_id: schoolYearId }).select('id')) as Array<{ id: number }>;
  return { ctx, classIds: classes.map((c) => Number(c.id)) };
}

async function currentLists(conn: Conn, ctx: YearContext, classIds: number[]): Promise<{ lists: Record<ListName, Item[]>; readiness: Readiness }> {
  const rows = await readYearRows(conn, ctx.schoolYearId, classIds);
  const codeOf = new Map(ctx.subjects.map((s) => [s.id, s.code]));
  const lists = Object.fromEntries(LISTS.map((l) => [l, itemsOf(l, rows, codeOf)])) as Record<ListName, Item[]>;
  return { lists, readiness: readinessOf(rows, new Map(ctx.subjects.map((s) => [s.id, s.name]))) };
}

/** One thing still missing, and for how many students (a class, a subject or the conduct, a semester). */
export interface MissingGroup {
  className: string;
  what: 'subject' | 'conduct' | 'other';
  subjectName: string | null;
  semester: string | null;
  students: number;
}

/**
 * Whether the lists can be approved: every student's year is decided or waiting only on the retest or summer
 * training (TT22 Điều 12–15 decide from the year's results; a list approved while a result is missing would
 * approve a guess). Otherwise how many students are incomplete and what is missing, grouped so the principal
 * knows whom to ask (class, subject, semester).
 */
export interface Readiness {
  ready: boolean;
  students: number;
  incompleteStudents: number;
  missing: MissingGroup[];
}

function readinessOf(rows: StoredYear[], nameOf: Map<number, string>): Readiness {
  const incomplete = rows.filter((r) => r.decision === 'incomplete' || r.inputProblem !== null);
  const groups = new Map<string, MissingGroup>();
  const add = (r: StoredYear, g: Omit<MissingGroup, 'className' | 'students'>) => {
    const key = [r.className, g.what, g.subjectName, g.semester].join('|');
    const cur = groups.get(key) ?? { className: r.className, ...g, students: 0 };
    cur.students += 1;
    groups.set(key, cur);
  };
  for (const r of incomplete) {
    if (r.missing.length === 0) add(r, { what: 'other', subjectName: null, semester: null });
    for (const m of r.missing) {
      const subjectName = m.subjectId ? (nameOf.get(m.subjectId) ?? String(m.subjectId)) : null;
      add(r, { what: m.what === 'conduct' ? 'conduct' : 'subject', subjectName, semester: m.semester });
    }
  }
  // The widest gaps first (stable: class, then subject order within the same count).
  const missing = [...groups.values()].sort((a, b) => b.students - a.students);
  return { ready: rows.length > 0 && incomplete.length === 0, students: rows.length, incompleteStudents: incomplete.length, missing };
}

/** The refusal when the lists are not ready: how many students, and the first few things missing, in words. */
function notReady(r: Readiness): AppError {
  if (r.students === 0) return new AppError('conflict', 'listNoStudents');
  const shown = r.missing.slice(0, 5).map((g) =>
    msg(g.what === 'conduct' ? 'missingConduct' : g.what === 'subject' ? 'missingSubject' : 'missingOther', {
      className: g.className,
      subject: g.subjectName ?? '',
      semester: g.semester === 'hk1' ? 'I' : 'II',
      students: g.students,
    }),
  );
  const more = r.missing.length - shown.length;
  return new AppError('conflict', 'listIncomplete', { count: r.incompleteStudents, missing: more > 0 ? [...shown, msg('andMore', { count: more })] : shown }, {}, { readiness: r });
}

async function latestApprovals(conn: Conn, schoolYearId: number, key: string) {
  const rows = (await conn('result_list_approvals as a')
    .join('users as u', 'u.id', 'a.approved_by')
    .where({ 'a.school_year_id': schoolYearId, 'a.scope_key': key })
    .orderBy('a.version', 'desc')
    .select('a.id', 'a.list', 'a.version', 'a.snapshot', 'a.approved_at', 'a.approved_by', 'u.full_name')) as Array<Record<string, unknown>>;
  const latest = new Map<string, Record<string, unknown>>();
  for (const r of rows) if (!latest.has(String(r.list))) latest.set(String(r.list), r);
  return latest;
}

/** Query: the four lists of a class or the whole school, each with its latest approval and whether it still holds. */
export async function resultLists(db: Db, actor: Actor, query: unknown) {
  const principal = principalOf(actor);
  const q = parse(ListsQuery, query);
  const { ctx, classIds } = await scopeOf(principal, db, q.schoolYearId, q.classId);
  await ensureComputed(db, ctx, classIds);
  const [{ lists, readiness }, approvals] = await Promise.all([currentLists(db, ctx, classIds), latestApprovals(db, q.schoolYearId, scopeKey(q.classId))]);
  return {
    schoolYearId: q.schoolYearId,
    classId: q.classId ?? null,
    readiness,
    lists: Object.fromEntries(
      LISTS.map((l) => {
        const a = approvals.get(l);
        const approval = a
          ? {
              id: Number(a.id),
              version: Number(a.version),
              approvedAt: String(a.approved_at),
              approvedBy: { id: Number(a.approved_by), fullName: String(a.full_name) },
              // The computation moved since the principal approved: a new approval is due.
              differs: essence(JSON.parse(String(a.snapshot)) as Item[]) !== essence(lists[l]),
            }
          : null;
        return [l, { items: lists[l], approval }];
      }),
    ),
  };
}

/**
 * Operation — phê duyệt danh sách: principal only; each approval is a new version holding exactly what was approved.
 * Refused (409, what is missing) while any student of the scope has a result still missing.
 */
export async function approveResultList(db: Db, actor: Actor, input: unknown) {
  const principal = principalOf(actor);
  const body = parse(ApproveBody, input);
  const { ctx, classIds } = await scopeOf(principal, db, body.schoolYearId, body.classId);
  if (!canApproveResultLists(principal, ctx.schoolId)) throw forbidden();
  await ensureComputed(db, ctx, classIds);
  const key = scopeKey(body.classId);
  return db.transaction(async (trx) => {
    const { lists, readiness } = await currentLists(trx, ctx, classIds);
    if (!readiness.ready) throw notReady(readiness);
    const items = lists[body.list];
    const last = (await trx('result_list_approvals').where({ school_year_id: body.schoolYearId, scope_key: key, list: body.list }).max('version as v').first()) as
      | { v: number | null }
      | undefined;
    const version = Number(last?.v ?? 0) + 1;
    const approvedAt = nowIso();
    const approvalId = await insertReturningId(trx, 'result_list_approvals', {
      school_id: ctx.schoolId,
      school_year_id: body.schoolYearId,
      class_id: body.classId ?? null,
      scope_key: key,
      list: body.list,
      version,
      snapshot: JSON.stringify(items),
      approved_by: principal.userId,
      approved_at: approvedAt,
    });
    const record = { id: approvalId, schoolYearId: body.schoolYearId, classId: body.classId ?? null, list: body.list, version, approvedAt, approvedBy: { id: principal.userId, fullName: actor.fullName ?? '' }, items };
    await appendAudit(trx, actor, {
      action: 'approve',
      entity: 'result-lists',
      entityId: approvalId,
      schoolId: ctx.schoolId,
      after: { list: body.list, scope: key, schoolYearId: body.schoolYearId, version, count: items.length, studentIds: items.map((i) => i.studentId) },
    });
    return record;
  });
}
