import type { Knex } from 'knex';
import { z } from 'zod';
import { formatVn } from '../../domain/cutoffs';
import { LOCK_SCOPE_FIELDS, LOCK_SCOPES, type LockScope } from '../../domain/locks';
import type { Actor } from '../core/actor';
import { AppError, invalidField, invalidInput, type FieldError } from '../core/errors';
import { id as entityId, name } from '../core/fields';
import { msg } from '../core/i18n';
import { assertInSchool, insertReturningId } from '../core/records';
import { createRecord, deleteRecord, type ResourceDef, type WriteContext } from '../core/resource';
import { nowIso, type Db } from '../db/knex';
import { lockFromRow } from '../gradebook/guards';
import { loadGradebook, rosterOf } from '../gradebook/target';
import { gradesOfSchool, loadClass, loadYear } from '../school/common';
import { numOrNull, strOrNull } from './shared';

/**
 * Khóa sổ: explicit locks at any scope, set by an admin on the principal's order (seed 002, Điều 14.3 and 18.2).
 * The grade book honours them at write time (gradebook/guards.ts activeLocks). Lifting never deletes: the lock
 * keeps its row with who lifted it, when and why, so the history of what was closed stays readable.
 */
export interface LockRecord {
  id: number;
  schoolId: number;
  scope: LockScope;
  schoolYearId: number;
  semesterId: number | null;
  grade: number | null;
  classId: number | null;
  subjectId: number | null;
  studentId: number | null;
  kind: string | null;
  seq: number | null;
  reason: string;
  /** The principal who ordered the lock. */
  orderedBy: number;
  orderedByName: string | null;
  createdBy: number;
  createdByName: string | null;
  liftedByName: string | null;
  createdAt: string;
  liftedAt: string | null;
  liftedBy: number | null;
  liftReason: string | null;
  /** In force now (not lifted). */
  active: boolean;
}

type Located = 'semesterId' | 'grade' | 'classId' | 'subjectId' | 'studentId' | 'kind' | 'seq';
const LOCATED: Located[] = ['semesterId', 'grade', 'classId', 'subjectId', 'studentId', 'kind', 'seq'];

const LockInput = z.strictObject({
  scope: z.enum(LOCK_SCOPES),
  schoolYearId: entityId,
  // null is "not given" (react-admin sends empty inputs as null).
  semesterId: entityId.nullish(),
  grade: z.number().int().min(1).max(12).nullish(),
  classId: entityId.nullish(),
  subjectId: entityId.nullish(),
  studentId: entityId.nullish(),
  kind: z.enum(['regular', 'midterm', 'final']).nullish(),
  seq: z.number().int().min(1).max(4).nullish(),
  reason: name(500),
  orderedBy: entityId,
});
type Input = z.output<typeof LockInput>;

const LiftBody = z.strictObject({ reason: name(500).optional() });

export const locksResource: ResourceDef<LockRecord> = {
  name: 'locks',
  table: 'locks',
  // People by full name (issue 12, trap 2): a reader of locks need not be able to read the accounts.
  baseQuery: (conn) =>
    conn('locks')
      .leftJoin('users as orderer', 'orderer.id', 'locks.ordered_by')
      .leftJoin('users as creator', 'creator.id', 'locks.created_by')
      .leftJoin('users as lifter', 'lifter.id', 'locks.lifted_by')
      .select('locks.*', 'orderer.full_name as ordered_by_name', 'creator.full_name as created_by_name', 'lifter.full_name as lifted_by_name'),
  fields: {
    id: { column: 'locks.id', type: 'number' },
    scope: { column: 'locks.scope', type: 'string' },
    schoolYearId: { column: 'locks.school_year_id', type: 'number' },
    semesterId: { column: 'locks.semester_id', type: 'number' },
    grade: { column: 'locks.grade', type: 'number' },
    classId: { column: 'locks.class_id', type: 'number' },
    subjectId: { column: 'locks.subject_id', type: 'number' },
    studentId: { column: 'locks.student_id', type: 'number' },
    orderedBy: { column: 'locks.ordered_by', type: 'number' },
    createdAt: { column: 'locks.created_at', type: 'string' },
    liftedAt: { column: 'locks.lifted_at', type: 'string' },
    active: {
      column: 'locks.lifted_at',
      type: 'boolean',
      where: (qb, values) => (values[0] === true ? qb.whereNull('locks.lifted_at') : qb.whereNotNull('locks.lifted_at')),
    },
  },
  searchColumns: ['locks.reason'],
  defaultSort: 'createdAt',
  toApi: (r) => ({
    ...lockFromRow(r),
    schoolId: Number(r.school_id),
    orderedBy: Number(r.ordered_by),
    orderedByName: (r.ordered_by_name as string | null) ?? null,
    createdBy: Number(r.created_by),
    createdByName: (r.created_by_name as string | null) ?? null,
    liftedByName: (r.lifted_by_name as string | null) ?? null,
    liftedAt: strOrNull(r.lifted_at),
    liftedBy: numOrNull(r.lifted_by),
    liftReason: strOrNull(r.lift_reason),
    active: r.lifted_at === null || r.lifted_at === undefined,
  }),
  create: { schema: LockInput as never, schoolOf: schoolOfLock, insert: insertLock },
  // DELETE lifts the lock (ra-data-simple-rest delete) and answers with the lifted lock.
  softDelete: { action: 'lift', schema: LiftBody, apply: liftLock },
};

/** The school of a new lock is its school year's; the scope's fields are checked first (exactly those it needs). */
async function schoolOfLock(raw: Record<string, unknown>, trx: Knex.Transaction): Promise<number> {
  const input = raw as Input;
  // The exact fields the scope needs, and no others (a semester may narrow any wider scope: lockCovers).
  const fieldErrors: Record<string, FieldError> = {};
  const needed = LOCK_SCOPE_FIELDS[input.scope] as string[];
  for (const f of LOCATED) {
    const given = input[f] !== null && input[f] !== undefined;
    if (needed.includes(f) && !given) fieldErrors[f] = { key: 'required' };
    if (!needed.includes(f) && given && f !== 'semesterId') fieldErrors[f] = { key: 'lockFieldNotInScope', params: { scope: msg(`lockScope_${input.scope}`) } };
  }
  if (Object.keys(fieldErrors).length > 0) throw invalidInput(fieldErrors);
  const year = await loadYear(trx, input.schoolYearId);
  if (!year) throw invalid('schoolYearId', { key: 'badReference' });
  return year.school_id;
}

async function insertLock(raw: Record<string, unknown>, { trx, actor, schoolId }: WriteContext): Promise<number> {
  const input = raw as Input;
  await checkReferences(trx, input, schoolId, input.schoolYearId);
  return insertReturningId(trx, 'locks', {
    school_id: schoolId,
    scope: input.scope,
    school_year_id: input.schoolYearId,
    semester_id: input.semesterId ?? null,
    grade: input.grade ?? null,
    class_id: input.classId ?? null,
    subject_id: input.subjectId ?? null,
    student_id: input.studentId ?? null,
    kind: input.kind ?? null,
    seq: input.seq ?? null,
    reason: input.reason,
    ordered_by: input.orderedBy,
    // The timeline's system actor has no account: it carries out the principal's order, so the row names them.
    created_by: actor.userId ?? input.orderedBy,
    created_at: nowIso(),
  });
}

/** Lifting never deletes: the row stays, with who lifted it, when and why. */
async function liftLock(existing: LockRecord, input: { reason?: string | null }, { trx, actor }: WriteContext): Promise<void> {
  if (existing.liftedAt) throw new AppError('conflict', 'lockAlreadyLifted', { since: formatVn(existing.liftedAt) });
  const n = await trx('locks')
    .where({ id: existing.id })
    .whereNull('lifted_at')
    .update({ lifted_at: nowIso(), lifted_by: actor.userId, lift_reason: input.reason ?? null });
  if (n !== 1) throw new AppError('conflict', 'lockAlreadyLifted', { since: '' });
}

/** Operations: a lock (a semester, a class, … a cell), and its lifting; both audited. */
export const createLock = (db: Db, actor: Actor, input: unknown) => createRecord(db, locksResource, actor, input);
export const removeLock = (db: Db, actor: Actor, id: number, input: { reason?: string }) => deleteRecord(db, locksResource, actor, String(id), input);

const invalid = invalidField;

/** Every named row must be of the lock's school and year, and a column or cell must exist in its grade book. */
async function checkReferences(trx: Knex.Transaction, input: Input, schoolId: number, yearId: number): Promise<void> {
  if (input.semesterId) {
    const sem = (await trx('semesters').where({ id: input.semesterId }).first('school_year_id')) as { school_year_id: number } | undefined;
    if (!sem) throw invalid('semesterId', { key: 'badReference' });
    if (Number(sem.school_year_id) !== yearId) throw invalid('semesterId', { key: 'notInSchoolYear' });
  }
  if (input.grade) {
    const grades = await gradesOfSchool(trx, schoolId);
    if (!grades.includes(input.grade)) throw invalid('grade', { key: 'badChoice', params: { options: grades.join(', ') } });
  }
  if (input.classId) {
    const cls = await loadClass(trx, input.classId);
    if (!cls) throw invalid('classId', { key: 'badReference' });
    if (cls.school_id !== schoolId) throw invalid('classId', { key: 'schoolMismatch' });
    if (cls.school_year_id !== yearId) throw invalid('classId', { key: 'notInSchoolYear' });
  }
  await assertInSchool(trx, 'subjects', input.subjectId, schoolId, 'subjectId');
  if (input.scope === 'column' || input.scope === 'cell') {
    const gb = await loadGradebook(trx, input.classId!, input.subjectId!, input.semesterId!);
    if (!gb.columns.some((c) => c.kind === input.kind && c.seq === input.seq)) throw invalid('seq', { key: 'noSuchColumn' });
    if (input.scope === 'cell' && !(await rosterOf(trx, gb.klass.id)).some((s) => s.id === input.studentId)) {
      throw invalid('studentId', { key: 'studentNotInClass' });
    }
  }
  // "On the principal's order" (Điều 18.2): the order is recorded, and must come from this school's principal.
  const ordered = await trx('user_roles as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where({ 'r.user_id': input.orderedBy, 'r.school_id': schoolId, 'r.role': 'principal' })
    .first('u.id');
  if (!ordered) throw invalid('orderedBy', { key: 'orderedByNotPrincipal' });
}
