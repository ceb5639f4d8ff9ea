import type { Knex } from 'knex';
import { z } from 'zod';
import { can, canWriteGradebook } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden, invalidField, type FieldError } from '../core/errors';
import { id as entityId, isoDate, name, optionalText } from '../core/fields';
import { msg } from '../core/i18n';
import { insertReturningId } from '../core/records';
import { createRecord, loadRecord, type ResourceDef, type WriteContext } from '../core/resource';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { keyOf } from '../gradebook/cells';
import { activeDelegations, loadSettings } from '../gradebook/guards';
import { storeTestDate, whyDateIsFixed } from '../gradebook/test-dates';
import { loadGradebook, rosterOf, type Gradebook } from '../gradebook/target';
import { numOrNull, strOrNull } from './shared';

/**
 * Đề nghị mở khóa: a teacher asks, with a reason, to reopen named cells; only the principal decides (seed 002,
 * Điều 9.3: locked content reopens only with the principal's approval, for the named content only). An approval
 * opens exactly those cells until opens_until = decision + school_settings.unlock_hours; the grade book compares
 * that instant with the clock at each write (gradebook/guards.ts locksAndOpenings), so they close again by
 * themselves — no timer has to fire.
 */
export type UnlockStatus = 'pending' | 'approved' | 'rejected';

export interface UnlockCell {
  semesterId: number;
  classId: number;
  subjectId: number;
  studentId: number;
  kind: 'regular' | 'midterm' | 'final';
  seq: number;
}

export interface UnlockRequestRecord {
  id: number;
  schoolId: number;
  requestedBy: number;
  requestedByName: string;
  reason: string;
  status: UnlockStatus;
  decidedBy: number | null;
  decidedAt: string | null;
  decisionNote: string | null;
  opensUntil: string | null;
  createdAt: string;
  /** Approved and not yet expired: the named cells are open right now. */
  open: boolean;
  cells: UnlockCell[];
  /** The periodic test date this request corrects, if any: recorded when the principal approves. */
  testDate: TestDateCorrection | null;
  decidedByName: string | null;
  /** The grade books it is about, with their names. */
  books: RequestBook[];
}

export interface RequestBook {
  classId: number;
  className: string;
  subjectId: number;
  subjectName: string;
}

export interface TestDateCorrection {
  semesterId: number;
  classId: number;
  subjectId: number;
  kind: 'midterm' | 'final';
  oldDate: string | null;
  newDate: string;
}

const KIND = z.enum(['regular', 'midterm', 'final']);
const CellInput = z.strictObject({
  semesterId: entityId,
  classId: entityId,
  subjectId: entityId,
  studentId: entityId,
  kind: KIND,
  seq: z.number().int().min(1).max(4),
});
/** The periodic test date a request corrects (a wrong date closed the column, or scores were entered against it). */
const TestDateFix = z.strictObject({ semesterId: entityId, classId: entityId, subjectId: entityId, kind: z.enum(['midterm', 'final']), date: isoDate });
const RequestInput = z
  .strictObject({ reason: name(1000), cells: z.array(CellInput).max(500), testDate: TestDateFix.optional() })
  .refine((r) => r.cells.length > 0 || r.testDate !== undefined, { path: ['cells'], params: { key: 'required' } });
const ApproveBody = z.strictObject({ note: optionalText(1000) });
const RejectBody = z.strictObject({ note: name(1000) });

/** Requests naming a cell of these classes / subjects (list filters). */
const byCell = (column: 'class_id' | 'subject_id' | 'semester_id') => (qb: Knex.QueryBuilder, values: unknown[]) =>
  qb.whereIn('unlock_requests.id', (sub: Knex.QueryBuilder) => sub.from('unlock_request_cells').whereIn(column, values as number[]).select('unlock_request_id'));

export const unlockRequestsResource: ResourceDef<UnlockRequestRecord> = {
  name: 'unlock-requests',
  table: 'unlock_requests',
  baseQuery: (conn) =>
    conn('unlock_requests')
      .join('users as requester', 'requester.id', 'unlock_requests.requested_by')
      .leftJoin('users as decider', 'decider.id', 'unlock_requests.decided_by')
      .select('unlock_requests.*', 'requester.full_name as requested_by_name', 'decider.full_name as decided_by_name'),
  fields: {
    id: { column: 'unlock_requests.id', type: 'number' },
    status: { column: 'unlock_requests.status', type: 'string' },
    requestedBy: { column: 'unlock_requests.requested_by', type: 'number' },
    decidedBy: { column: 'unlock_requests.decided_by', type: 'number' },
    createdAt: { column: 'unlock_requests.created_at', type: 'string' },
    decidedAt: { column: 'unlock_requests.decided_at', type: 'string' },
    opensUntil: { column: 'unlock_requests.opens_until', type: 'string' },
    classId: { column: 'unlock_requests.id', type: 'number', where: byCell('class_id') },
    subjectId: { column: 'unlock_requests.id', type: 'number', where: byCell('subject_id') },
    semesterId: { column: 'unlock_requests.id', type: 'number', where: byCell('semester_id') },
    open: {
      column: 'unlock_requests.opens_until',
      type: 'boolean',
      where: (qb, values) => {
        const now = nowIso();
        if (values[0] === true) qb.where({ 'unlock_requests.status': 'approved' }).where('unlock_requests.opens_until', '>', now);
        else qb.where((w) => w.whereNot({ 'unlock_requests.status': 'approved' }).orWhere('unlock_requests.opens_until', '<=', now));
      },
    },
  },
  searchColumns: ['requester.search_text'],
  defaultSort: 'createdAt',
  toApi: (r) => {
    const status = r.status as UnlockStatus;
    const opensUntil = strOrNull(r.opens_until);
    return {
      id: Number(r.id),
      schoolId: Number(r.school_id),
      requestedBy: Number(r.requested_by),
      requestedByName: String(r.requested_by_name),
      reason: String(r.reason),
      status,
      decidedBy: numOrNull(r.decided_by),
      decidedByName: strOrNull(r.decided_by_name),
      decidedAt: strOrNull(r.decided_at),
      decisionNote: strOrNull(r.decision_note),
      opensUntil,
      createdAt: String(r.created_at),
      // Computed at request time from the stored instant, exactly as the grade book decides.
      open: status === 'approved' && opensUntil !== null && opensUntil > nowIso(),
      cells: [],
      testDate: null,
      books: [],
    };
  },
  enrich: async (recs, conn) => {
    if (recs.length === 0) return recs;
    const rows = (await conn('unlock_request_cells')
      .whereIn(
        'unlock_request_id',
        recs.map((r) => r.id),
      )
      .orderBy('id')) as Array<Record<string, unknown>>;
    const fixes = new Map(
      ((await conn('unlock_request_test_dates').whereIn(
        'unlock_request_id',
        recs.map((r) => r.id),
      )) as Array<Record<string, unknown>>).map((f) => [Number(f.unlock_request_id), f]),
    );
    const names = await bookNames(conn, [...rows, ...fixes.values()]);
    return recs.map((rec) => ({
      ...rec,
      testDate: testDateOf(fixes.get(rec.id)),
      books: booksOf([...rows.filter((c) => Number(c.unlock_request_id) === rec.id), ...(fixes.has(rec.id) ? [fixes.get(rec.id)!] : [])], names),
      cells: rows
        .filter((c) => Number(c.unlock_request_id) === rec.id)
        .map((c) => ({
          semesterId: Number(c.semester_id),
          classId: Number(c.class_id),
          subjectId: Number(c.subject_id),
          studentId: Number(c.student_id),
          kind: c.kind as UnlockCell['kind'],
          seq: Number(c.seq),
        })),
    }));
  },
  // A teacher sees the requests they filed.
  applyScope: (qb, scope) => {
    if (scope.kind === 'own') qb.where('unlock_requests.requested_by', scope.userId);
    else qb.whereRaw('1 = 0');
  },
  attributes: (rec) => ({ schoolId: rec.schoolId, userIds: [rec.requestedBy] }),
  create: { schema: RequestInput as never, schoolOf: (input, trx, actor) => schoolOfRequest(trx, actor, input as z.output<typeof RequestInput>), insert: insertRequest },
};

type Names = { classes: Map<number, string>; subjects: Map<number, string> };

/** The names of the classes and subjects the requests' cells and dates are in: two queries per page. */
async function bookNames(conn: Knex | Knex.Transaction, rows: Array<Record<string, unknown>>): Promise<Names> {
  const ids = (col: string) => [...new Set(rows.map((r) => Number(r[col])))];
  const [classes, subjects] = await Promise.all([
    conn('classes').whereIn('id', ids('class_id')).select('id', 'name') as Promise<Array<{ id: number; name: string }>>,
    conn('subjects').whereIn('id', ids('subject_id')).select('id', 'name') as Promise<Array<{ id: number; name: string }>>,
  ]);
  return { classes: new Map(classes.map((c) => [Number(c.id), c.name])), subjects: new Map(subjects.map((x) => [Number(x.id), x.name])) };
}

/** The grade books (class × subject) a request is about, for lists that show them without opening it. */
function booksOf(rows: Array<Record<string, unknown>>, names: Names): RequestBook[] {
  const seen = new Map<string, RequestBook>();
  for (const r of rows) {
    const classId = Number(r.class_id);
    const subjectId = Number(r.subject_id);
    const key = `${classId}:${subjectId}`;
    if (!seen.has(key)) seen.set(key, { classId, className: names.classes.get(classId) ?? '', subjectId, subjectName: names.subjects.get(subjectId) ?? '' });
  }
  return [...seen.values()];
}

function testDateOf(f: Record<string, unknown> | undefined): TestDateCorrection | null {
  if (!f) return null;
  return {
    semesterId: Number(f.semester_id),
    classId: Number(f.class_id),
    subjectId: Number(f.subject_id),
    kind: f.kind as TestDateCorrection['kind'],
    oldDate: strOrNull(f.old_date),
    newDate: String(f.new_date),
  };
}

/** The school of a request: its cells' (checkCells) and its test date's, which must be the same one. */
async function schoolOfRequest(trx: Knex.Transaction, actor: Actor, input: z.output<typeof RequestInput>): Promise<number> {
  const now = nowIso();
  const fromCells = input.cells.length > 0 ? await checkCells(trx, actor, input.cells, now) : null;
  const fromDate = input.testDate ? await checkTestDateFix(trx, actor, input.testDate, now) : null;
  if (fromCells !== null && fromDate !== null && fromCells !== fromDate) throw invalidField('testDate', { key: 'schoolMismatch' });
  return (fromCells ?? fromDate)!;
}

/**
 * A date correction is for the teacher who may write the grade book, within its semester, and only where the
 * teacher could not change the date themselves (the column is closed, or has scores): an open column's date is
 * changed directly.
 */
async function checkTestDateFix(trx: Knex.Transaction, actor: Actor, fix: z.output<typeof TestDateFix>, now: string): Promise<number> {
  const principal = principalOf(actor);
  const gb = await loadGradebook(trx, fix.classId, fix.subjectId, fix.semesterId);
  const delegations = await activeDelegations(trx, principal.userId, now);
  if (!canWriteGradebook(principal, gb.target, delegations) || !gb.yearIsCurrent) throw new AppError('forbidden', 'notAssigned');
  if (fix.date < gb.semester.startDate || fix.date > gb.semester.endDate) throw invalidField('testDate', { key: 'testDateOutsideSemester' });
  if (gb.entry.testDates[fix.kind] === fix.date) throw invalidField('testDate', { key: 'testDateUnchanged' });
  if ((await whyDateIsFixed(trx, gb, fix.kind, now)) === null) throw new AppError('conflict', 'testDateRequestClosedOnly');
  return gb.target.schoolId;
}

async function insertRequest(raw: Record<string, unknown>, { trx, actor, schoolId }: WriteContext): Promise<number> {
  const input = raw as z.output<typeof RequestInput>;
  const id = await insertReturningId(trx, 'unlock_requests', {
    school_id: schoolId,
    requested_by: actor.userId,
    reason: input.reason,
    status: 'pending',
    created_at: nowIso(),
  });
  if (input.cells.length > 0) {
    await trx('unlock_request_cells').insert(input.cells.map((c) => ({ unlock_request_id: id, semester_id: c.semesterId, class_id: c.classId, subject_id: c.subjectId, student_id: c.studentId, kind: c.kind, seq: c.seq })));
  }
  if (input.testDate) {
    const f = input.testDate;
    const gb = await loadGradebook(trx, f.classId, f.subjectId, f.semesterId);
    await trx('unlock_request_test_dates').insert({ unlock_request_id: id, semester_id: f.semesterId, class_id: f.classId, subject_id: f.subjectId, kind: f.kind, old_date: gb.entry.testDates[f.kind], new_date: f.date });
  }
  return id;
}

/** Operation: a teacher asks to reopen named cells of their own grade books. */
export const requestUnlock = (db: Db, actor: Actor, input: unknown) => createRecord(db, unlockRequestsResource, actor, input);

export interface UnlockDecision {
  id: number | string;
  decision: 'approve' | 'reject';
  /** `{ note }`: optional for an approval, required for a rejection. */
  details?: unknown;
}

/**
 * Operation: the principal approves (the cells open for the school's unlock hours) or rejects a pending request.
 * Only the principal decides (Điều 9.3): checked before anything else is read or changed.
 */
export async function decideUnlockRequest(db: Db, actor: Actor, input: UnlockDecision): Promise<UnlockRequestRecord> {
  const principal = principalOf(actor);
  if (!can(principal, 'approve', 'unlock-requests')) throw forbidden();
  const { note } = input.decision === 'approve' ? parse(ApproveBody, input.details ?? {}) : parse(RejectBody, input.details ?? {});
  return db.transaction(async (trx) => {
    const existing = await loadRecord(unlockRequestsResource, trx, input.id);
    if (!can(principal, 'approve', 'unlock-requests', { schoolId: existing.schoolId })) throw forbidden();
    if (existing.status !== 'pending') throw new AppError('conflict', 'requestNotPending', { status: msg(`unlockStatus_${existing.status}`) });
    const now = nowIso();
    const settings = await loadSettings(trx, existing.schoolId);
    const opensUntil = input.decision === 'approve' ? new Date(Date.parse(now) + settings.unlockHours * 3_600_000).toISOString() : null;
    // The status in the WHERE keeps two concurrent decisions from both succeeding.
    const n = await trx('unlock_requests')
      .where({ id: existing.id, status: 'pending' })
      .update({ status: input.decision === 'approve' ? 'approved' : 'rejected', decided_by: actor.userId, decided_at: now, decision_note: note ?? null, opens_until: opensUntil });
    if (n !== 1) throw new AppError('conflict', 'requestNotPending', { status: '' });
    // A corrected test date takes effect with the approval (its cells open for the unlock hours like any other).
    const fix = existing.testDate;
    if (input.decision === 'approve' && fix) {
      const gb = await loadGradebook(trx, fix.classId, fix.subjectId, fix.semesterId);
      await storeTestDate(trx, actor, gb, fix.kind, fix.newDate, now, `unlock-request ${existing.id}`);
    }
    const decided = await loadRecord(unlockRequestsResource, trx, existing.id);
    await appendAudit(trx, actor, { action: input.decision, entity: 'unlock-requests', entityId: existing.id, before: existing, after: decided, schoolId: existing.schoolId, reason: note ?? null });
    return decided;
  });
}

/**
 * The named cells must be cells of grade books this teacher may write (their own class × subject, or a delegated
 * one, in the current year) and exist there: a column of the subject and a student on the class roll. Returns the
 * school they belong to (one request, one school).
 */
async function checkCells(trx: Knex.Transaction, actor: Actor, cells: UnlockCell[], now: string): Promise<number> {
  const principal = principalOf(actor);
  const delegations = await activeDelegations(trx, principal.userId, now);
  const books = new Map<string, Gradebook>();
  const rosters = new Map<number, Set<number>>();
  const errors: Record<string, FieldError> = {};
  const seen = new Set<string>();
  let schoolId: number | null = null;
  for (const [i, c] of cells.entries()) {
    const bookKey = `${c.classId}:${c.subjectId}:${c.semesterId}`;
    let gb = books.get(bookKey);
    if (!gb) {
      try {
        gb = await loadGradebook(trx, c.classId, c.subjectId, c.semesterId);
      } catch (err) {
        // A class, subject or semester that does not exist (404) or does not fit together (400) is a bad cell.
        if (err instanceof AppError && (err.kind === 'not_found' || err.kind === 'invalid')) {
          errors[`cells.${i}`] = { key: err.kind === 'not_found' ? 'badReference' : err.key === 'subjectNotInGrade' ? 'subjectNotInGrade' : 'schoolMismatch', params: err.params };
          continue;
        }
        throw err;
      }
      // Only the teacher who may write the grid asks to reopen it.
      if (!canWriteGradebook(principal, gb.target, delegations) || !gb.yearIsCurrent) throw new AppError('forbidden', 'notAssigned');
      books.set(bookKey, gb);
    }
    if (schoolId !== null && gb.target.schoolId !== schoolId) {
      errors[`cells.${i}`] = { key: 'schoolMismatch' };
      continue;
    }
    schoolId = gb.target.schoolId;
    let roster = rosters.get(c.classId);
    if (!roster) rosters.set(c.classId, (roster = new Set((await rosterOf(trx, c.classId)).map((s) => s.id))));
    const key = `${bookKey}:${keyOf(c)}`;
    if (!roster.has(c.studentId)) errors[`cells.${i}`] = { key: 'studentNotInClass' };
    else if (!gb.columns.some((col) => col.kind === c.kind && col.seq === c.seq)) errors[`cells.${i}`] = { key: 'noSuchColumn' };
    else if (seen.has(key)) errors[`cells.${i}`] = { key: 'duplicateCell' };
    seen.add(key);
  }
  if (Object.keys(errors).length > 0 || schoolId === null) throw new AppError('invalid', 'validation', {}, errors);
  return schoolId;
}
