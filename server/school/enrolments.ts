import { z } from 'zod';
import type { ResourceDef, WriteContext } from '../core/resource';
import { resultInputsChanged } from '../core/events';
import { assertStartBeforeEnd, assertWithin, entityId, invalid, loadClass, loadYear, num, stateConflict, strOrNull, stripUndefined } from './common';
import { schoolDate } from '../core/fields';
import { assertInSchool, insertReturningId } from '../core/records';

/** Xếp lớp: a student's place in a class for (part of) a school year. One active enrolment per student per year. */
export interface Enrolment {
  id: number;
  schoolId: number;
  schoolYearId: number;
  classId: number;
  studentId: number;
  startDate: string;
  endDate: string | null;
  status: 'active' | 'left';
  /** Read only: the class's grade. */
  grade: number;
}

const EnrolmentInput = z.strictObject({
  // Optional: the class's year when omitted; when given it must be the class's year.
  schoolYearId: entityId.optional(),
  classId: entityId,
  studentId: entityId,
  startDate: schoolDate,
  endDate: schoolDate.nullish(),
  status: z.enum(['active', 'left']).optional(),
});
type Input = z.output<typeof EnrolmentInput>;
type Fields = Pick<Enrolment, 'classId' | 'studentId' | 'startDate' | 'endDate' | 'status'> & { schoolYearId?: number };

/** Checks an enrolment and returns its school year (the class's). */
async function check(e: Fields, ctx: WriteContext, selfId?: number): Promise<number> {
  await assertInSchool(ctx.trx, 'classes', e.classId, ctx.schoolId, 'classId');
  await assertInSchool(ctx.trx, 'students', e.studentId, ctx.schoolId, 'studentId');
  const cls = (await loadClass(ctx.trx, e.classId))!;
  const year = (await loadYear(ctx.trx, cls.school_year_id))!;
  if (e.schoolYearId !== undefined && e.schoolYearId !== year.id) {
    await assertInSchool(ctx.trx, 'school_years', e.schoolYearId, ctx.schoolId, 'schoolYearId');
    throw invalid('schoolYearId', 'badChoice', { options: year.name });
  }
  assertWithin(e.startDate, year.start_date, year.end_date, 'startDate');
  if (e.endDate) {
    assertStartBeforeEnd(e.startDate, e.endDate, 'endDate', true);
    assertWithin(e.endDate, year.start_date, year.end_date, 'endDate');
  } else if (e.status === 'left') {
    throw invalid('endDate', 'required');
  }
  if (e.status === 'active') {
    const other = ctx
      .trx('enrolments')
      .where({ student_id: e.studentId, school_year_id: year.id, status: 'active' });
    if (selfId) other.whereNot({ id: selfId });
    if (await other.first('id')) throw stateConflict('studentId', 'studentAlreadyEnrolled');
    if (year.is_current) {
      const student = (await ctx.trx('students').where({ id: e.studentId }).first('status')) as { status: string };
      if (student.status !== 'studying') throw stateConflict('studentId', 'studentNotStudying');
    }
  }
  return year.id;
}

function toRow(e: Fields, schoolYearId: number): Record<string, unknown> {
  return {
    school_year_id: schoolYearId,
    class_id: e.classId,
    student_id: e.studentId,
    start_date: e.startDate,
    end_date: e.endDate,
    status: e.status,
  };
}

export const enrolmentsResource: ResourceDef<Enrolment> = {
  name: 'enrolments',
  table: 'enrolments',
  baseQuery: (conn) =>
    conn('enrolments')
      .join('classes', 'classes.id', 'enrolments.class_id')
      .join('students', 'students.id', 'enrolments.student_id')
      .select('enrolments.*', 'classes.grade as grade'),
  fields: {
    id: { column: 'enrolments.id', type: 'number' },
    schoolYearId: { column: 'enrolments.school_year_id', type: 'number' },
    classId: { column: 'enrolments.class_id', type: 'number' },
    studentId: { column: 'enrolments.student_id', type: 'number' },
    startDate: { column: 'enrolments.start_date', type: 'string' },
    endDate: { column: 'enrolments.end_date', type: 'string' },
    status: { column: 'enrolments.status', type: 'string' },
    grade: { column: 'classes.grade', type: 'number' },
  },
  searchColumns: ['students.search_text', 'classes.search_text'],
  defaultSort: 'startDate',
  readOnly: ['grade'],
  toApi: (r) => ({
    id: num(r.id),
    schoolId: num(r.school_id),
    schoolYearId: num(r.school_year_id),
    classId: num(r.class_id),
    studentId: num(r.student_id),
    startDate: String(r.start_date),
    endDate: strOrNull(r.end_date),
    status: r.status as Enrolment['status'],
    grade: num(r.grade),
  }),
  applyScope: (qb, scope) => {
    if (scope.kind === 'classes') qb.whereIn('enrolments.class_id', scope.classIds);
    else if (scope.kind === 'grades') qb.whereIn('classes.grade', scope.grades);
    else if (scope.kind === 'student') qb.whereIn('enrolments.student_id', scope.studentIds);
    else qb.whereRaw('1 = 0');
  },
  attributes: (rec) => ({ schoolId: rec.schoolId, classId: rec.classId, grade: rec.grade, studentId: rec.studentId }),
  create: {
    schema: EnrolmentInput,
    insert: async (raw, ctx) => {
      const input = raw as Input;
      const e: Fields = { ...input, endDate: input.endDate ?? null, status: input.status ?? 'active' };
      const schoolYearId = await check(e, ctx);
      const id = await insertReturningId(ctx.trx, 'enrolments', { ...toRow(e, schoolYearId), school_id: ctx.schoolId });
      // The class's stored results now include this student.
      await resultInputsChanged(ctx.trx, schoolYearId, e.classId, [e.studentId], 'deferred');
      return id;
    },
  },
  update: {
    schema: EnrolmentInput.partial(),
    apply: async (existing, raw, ctx) => {
      const input = stripUndefined(raw as Partial<Input>);
      const e: Fields = {
        classId: input.classId ?? existing.classId,
        studentId: input.studentId ?? existing.studentId,
        startDate: input.startDate ?? existing.startDate,
        endDate: input.endDate === undefined ? existing.endDate : input.endDate,
        status: input.status ?? existing.status,
        // A form sends the old year back with a new class: only a year the client changed must match.
        schoolYearId: input.schoolYearId !== existing.schoolYearId ? input.schoolYearId : undefined,
      };
      const schoolYearId = await check(e, ctx, existing.id);
      await ctx.trx('enrolments').where({ id: existing.id }).update(toRow(e, schoolYearId));
      // Both the class left and the class joined recompute (the old one drops the student's rows).
      await resultInputsChanged(ctx.trx, existing.schoolYearId, existing.classId, [existing.studentId], 'deferred');
      await resultInputsChanged(ctx.trx, schoolYearId, e.classId, [e.studentId], 'deferred');
    },
  },
  remove: async (existing, { trx }) => {
    await trx('enrolments').where({ id: existing.id }).delete();
    await resultInputsChanged(trx, existing.schoolYearId, existing.classId, [existing.studentId], 'deferred');
  },
};
