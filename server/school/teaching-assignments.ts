import { z } from 'zod';
import type { ResourceDef, WriteContext } from '../core/resource';
import { assertActiveStaff } from './classes';
import { duplicate, entityId, invalid, loadClass, loadYear, num, stripUndefined } from './common';
import { assertInSchool, insertReturningId } from '../core/records';

/** Phân công giảng dạy: one teacher per class × subject in a school year. */
export interface TeachingAssignment {
  id: number;
  schoolId: number;
  schoolYearId: number;
  classId: number;
  subjectId: number;
  staffId: number;
  /** Read only, from the class, subject and teacher. */
  grade: number;
  className: string;
  subjectName: string;
  staffName: string;
}

const AssignmentInput = z.strictObject({
  // Optional: the class's year when omitted; when given it must be the class's year.
  schoolYearId: entityId.optional(),
  classId: entityId,
  subjectId: entityId,
  staffId: entityId,
});
type Input = z.output<typeof AssignmentInput>;
type Fields = Pick<TeachingAssignment, 'classId' | 'subjectId' | 'staffId'> & { schoolYearId?: number };

/** Checks the references and returns the assignment's school year (the class's). */
async function check(a: Fields, ctx: WriteContext, existing?: TeachingAssignment): Promise<number> {
  await assertInSchool(ctx.trx, 'classes', a.classId, ctx.schoolId, 'classId');
  await assertInSchool(ctx.trx, 'subjects', a.subjectId, ctx.schoolId, 'subjectId');
  if (a.staffId !== existing?.staffId) await assertActiveStaff(ctx, a.staffId, 'staffId');
  const cls = (await loadClass(ctx.trx, a.classId))!;
  if (a.schoolYearId !== undefined && a.schoolYearId !== cls.school_year_id) {
    await assertInSchool(ctx.trx, 'school_years', a.schoolYearId, ctx.schoolId, 'schoolYearId');
    const year = (await loadYear(ctx.trx, cls.school_year_id))!;
    throw invalid('schoolYearId', 'badChoice', { options: year.name });
  }
  const same = ctx.trx('teaching_assignments').where({ class_id: a.classId, subject_id: a.subjectId });
  if (existing) same.whereNot({ id: existing.id });
  if (await same.first('id')) {
    const subject = (await ctx.trx('subjects').where({ id: a.subjectId }).first('name')) as { name: string };
    throw duplicate('subjectId', `${cls.name} – ${subject.name}`);
  }
  return cls.school_year_id;
}

export const teachingAssignmentsResource: ResourceDef<TeachingAssignment> = {
  name: 'teaching-assignments',
  table: 'teaching_assignments',
  baseQuery: (conn) =>
    conn('teaching_assignments')
      .join('classes', 'classes.id', 'teaching_assignments.class_id')
      .join('subjects', 'subjects.id', 'teaching_assignments.subject_id')
      .join('staff', 'staff.id', 'teaching_assignments.staff_id')
      .select(
        'teaching_assignments.*',
        'classes.grade as grade',
        'classes.name as class_name',
        'subjects.name as subject_name',
        'staff.full_name as staff_name',
      ),
  fields: {
    id: { column: 'teaching_assignments.id', type: 'number' },
    schoolYearId: { column: 'teaching_assignments.school_year_id', type: 'number' },
    classId: { column: 'teaching_assignments.class_id', type: 'number' },
    subjectId: { column: 'teaching_assignments.subject_id', type: 'number' },
    staffId: { column: 'teaching_assignments.staff_id', type: 'number' },
    grade: { column: 'classes.grade', type: 'number' },
    className: { column: 'classes.name', type: 'string' },
    subjectName: { column: 'subjects.name', type: 'string' },
    staffName: { column: 'staff.full_name', type: 'string' },
  },
  searchColumns: ['classes.search_text', 'subjects.search_text', 'staff.search_text'],
  defaultSort: 'className',
  readOnly: ['grade', 'className', 'subjectName', 'staffName'],
  toApi: (r) => ({
    id: num(r.id),
    schoolId: num(r.school_id),
    schoolYearId: num(r.school_year_id),
    classId: num(r.class_id),
    subjectId: num(r.subject_id),
    staffId: num(r.staff_id),
    grade: num(r.grade),
    className: String(r.class_name),
    subjectName: String(r.subject_name),
    staffName: String(r.staff_name),
  }),
  applyScope: (qb, scope) => {
    if (scope.kind === 'classes') qb.whereIn('teaching_assignments.class_id', scope.classIds);
    else if (scope.kind === 'grades') qb.whereIn('classes.grade', scope.grades);
    else if (scope.kind === 'department') qb.whereIn('subjects.department_id', scope.departmentIds);
    else qb.whereRaw('1 = 0');
  },
  attributes: async (rec, conn) => {
    const subject = (await conn('subjects').where({ id: rec.subjectId }).first('department_id')) as { department_id: number | null } | undefined;
    const departmentId = subject?.department_id;
    return {
      schoolId: rec.schoolId,
      classId: rec.classId,
      grade: rec.grade,
      departmentId: departmentId === null || departmentId === undefined ? null : Number(departmentId),
    };
  },
  create: {
    schema: AssignmentInput,
    insert: async (raw, ctx) => {
      const a = raw as Input;
      const schoolYearId = await check(a, ctx);
      return insertReturningId(ctx.trx, 'teaching_assignments', {
        school_id: ctx.schoolId,
        school_year_id: schoolYearId,
        class_id: a.classId,
        subject_id: a.subjectId,
        staff_id: a.staffId,
      });
    },
  },
  update: {
    schema: AssignmentInput.partial(),
    apply: async (existing, raw, ctx) => {
      const input = stripUndefined(raw as Partial<Input>);
      const a: Fields = {
        classId: input.classId ?? existing.classId,
        subjectId: input.subjectId ?? existing.subjectId,
        staffId: input.staffId ?? existing.staffId,
        // A react-admin form sends the old year back with a new class: only a year the client changed must match.
        schoolYearId: input.schoolYearId !== existing.schoolYearId ? input.schoolYearId : undefined,
      };
      const schoolYearId = await check(a, ctx, existing);
      await ctx.trx('teaching_assignments').where({ id: existing.id }).update({
        school_year_id: schoolYearId,
        class_id: a.classId,
        subject_id: a.subjectId,
        staff_id: a.staffId,
      });
    },
  },
  remove: async (existing, { trx }) => {
    await trx('teaching_assignments').where({ id: existing.id }).delete();
  },
};
