import { z } from 'zod';
import { nowIso } from '../db/knex';
import type { ResourceDef, WriteContext } from '../core/resource';
import { resultInputsChanged } from '../core/events';
import { assertWithin, entityId, invalid, loadClass, loadYear, num, numOrNull, stateConflict, strOrNull, vnDate } from './common';
import { optionalText, schoolDate } from '../core/fields';
import { assertInSchool, insertReturningId } from '../core/records';

/**
 * Chuyển trường: a student leaving for, or arriving from, another school. Creating one changes the student's
 * enrolment and status in the same transaction (the resource router's); the transfer itself is never edited.
 */
export interface StudentTransfer {
  id: number;
  schoolId: number;
  studentId: number;
  direction: 'in' | 'out';
  transferDate: string;
  otherSchool: string | null;
  reason: string | null;
  /** `in`: the class the student joins. `out`: the class they left (set by the server). */
  classId: number | null;
}

const TransferInput = z.strictObject({
  studentId: entityId,
  direction: z.enum(['in', 'out']),
  transferDate: schoolDate,
  otherSchool: optionalText(200),
  reason: optionalText(500),
  classId: entityId.nullish(),
});
export type StudentTransferInput = z.output<typeof TransferInput>;
type Input = StudentTransferInput;

/** Out: end the active enrolments on the transfer date, the student is `transferred_out`. Returns the class left. */
export async function transferOut(t: Input, ctx: WriteContext): Promise<number | null> {
  if (t.classId !== null && t.classId !== undefined) throw invalid('classId', 'unknownKey', { keys: 'classId' });
  const student = (await ctx.trx('students').where({ id: t.studentId }).first('status')) as { status: string };
  if (student.status !== 'studying') throw stateConflict('studentId', 'studentNotStudying');
  const active = (await ctx
    .trx('enrolments as e')
    .join('school_years as y', 'y.id', 'e.school_year_id')
    .where({ 'e.student_id': t.studentId, 'e.status': 'active' })
    .orderBy('y.start_date', 'desc')
    .select('e.id', 'e.class_id', 'e.start_date', 'e.school_year_id')) as Array<{ id: number; class_id: number; start_date: string; school_year_id: number }>;
  for (const e of active) {
    if (t.transferDate < e.start_date) throw invalid('transferDate', 'dateFrom', { min: vnDate(e.start_date) });
  }
  if (active.length > 0) {
    await ctx
      .trx('enrolments')
      .whereIn(
        'id',
        active.map((e) => e.id),
      )
      .update({ end_date: t.transferDate, status: 'left' });
    for (const e of active) await resultInputsChanged(ctx.trx, Number(e.school_year_id), Number(e.class_id), [t.studentId], 'deferred');
  }
  await ctx.trx('students').where({ id: t.studentId }).update({ status: 'transferred_out', updated_at: nowIso() });
  return active.length > 0 ? Number(active[0].class_id) : null;
}

/** In: the student is `studying` again and enrolled (active) in the class from the transfer date. */
export async function transferIn(t: Input, ctx: WriteContext): Promise<number> {
  if (t.classId === null || t.classId === undefined) throw invalid('classId', 'classRequired');
  await assertInSchool(ctx.trx, 'classes', t.classId, ctx.schoolId, 'classId');
  const cls = (await loadClass(ctx.trx, t.classId))!;
  const year = (await loadYear(ctx.trx, cls.school_year_id))!;
  assertWithin(t.transferDate, year.start_date, year.end_date, 'transferDate');
  const enrolled = await ctx.trx('enrolments').where({ student_id: t.studentId, school_year_id: year.id, status: 'active' }).first('id');
  if (enrolled) throw stateConflict('studentId', 'studentAlreadyEnrolled');
  await ctx.trx('students').where({ id: t.studentId }).update({ status: 'studying', updated_at: nowIso() });
  await insertReturningId(ctx.trx, 'enrolments', {
    school_id: ctx.schoolId,
    school_year_id: year.id,
    class_id: cls.id,
    student_id: t.studentId,
    start_date: t.transferDate,
    end_date: null,
    status: 'active',
  });
  await resultInputsChanged(ctx.trx, year.id, cls.id, [t.studentId], 'deferred');
  return cls.id;
}

export const studentTransfersResource: ResourceDef<StudentTransfer> = {
  name: 'student-transfers',
  table: 'student_transfers',
  baseQuery: (conn) =>
    conn('student_transfers').join('students', 'students.id', 'student_transfers.student_id').select('student_transfers.*'),
  fields: {
    id: { column: 'student_transfers.id', type: 'number' },
    studentId: { column: 'student_transfers.student_id', type: 'number' },
    direction: { column: 'student_transfers.direction', type: 'string' },
    transferDate: { column: 'student_transfers.transfer_date', type: 'string' },
    otherSchool: { column: 'student_transfers.other_school', type: 'string' },
    classId: { column: 'student_transfers.class_id', type: 'number' },
  },
  searchColumns: ['students.search_text'],
  defaultSort: 'transferDate',
  toApi: (r) => ({
    id: num(r.id),
    schoolId: num(r.school_id),
    studentId: num(r.student_id),
    direction: r.direction as StudentTransfer['direction'],
    transferDate: String(r.transfer_date),
    otherSchool: strOrNull(r.other_school),
    reason: strOrNull(r.reason),
    classId: numOrNull(r.class_id),
  }),
  applyScope: (qb, scope) => {
    if (scope.kind === 'student') qb.whereIn('student_transfers.student_id', scope.studentIds);
    else qb.whereRaw('1 = 0');
  },
  attributes: (rec) => ({ schoolId: rec.schoolId, studentId: rec.studentId }),
  create: {
    schema: TransferInput,
    insert: async (raw, ctx) => {
      const t = raw as Input;
      await assertInSchool(ctx.trx, 'students', t.studentId, ctx.schoolId, 'studentId');
      const classId = t.direction === 'out' ? await transferOut(t, ctx) : await transferIn(t, ctx);
      return insertReturningId(ctx.trx, 'student_transfers', {
        school_id: ctx.schoolId,
        student_id: t.studentId,
        direction: t.direction,
        transfer_date: t.transferDate,
        other_school: t.otherSchool,
        reason: t.reason,
        class_id: classId,
        created_at: nowIso(),
      });
    },
  },
};
