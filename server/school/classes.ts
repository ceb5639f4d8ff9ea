import { z } from 'zod';
import { searchKey } from '../../domain/text';
import type { ResourceDef, WriteContext } from '../core/resource';
import { assertUnreferenced, duplicate, entityId, gradesOfSchool, invalid, loadYear, num, numOrNull, stripUndefined } from './common';
import { name } from '../core/fields';
import { assertInSchool, insertReturningId } from '../core/records';

/** Lớp học of one school year: its grade, name (6A1) and homeroom teacher (GVCN). */
export interface SchoolClass {
  id: number;
  schoolId: number;
  schoolYearId: number;
  grade: number;
  name: string;
  homeroomStaffId: number | null;
  /** Read only: students with an active enrolment in the class. */
  studentCount: number;
  /** Read only: the homeroom teacher's name, for roles that cannot list staff. */
  homeroomStaffName: string | null;
}

const ClassInput = z.strictObject({
  schoolYearId: entityId,
  grade: z.number().int().min(6).max(12),
  name: name(32, 'code'),
  homeroomStaffId: entityId.nullish(),
});
type Input = z.output<typeof ClassInput>;
type Fields = Omit<SchoolClass, 'id' | 'schoolId' | 'studentCount' | 'homeroomStaffName'>;

/** A staff member who can be given a class or a teaching assignment: of this school and still working there. */
export async function assertActiveStaff(ctx: WriteContext, staffId: number | null | undefined, field: string): Promise<void> {
  if (staffId === null || staffId === undefined) return;
  await assertInSchool(ctx.trx, 'staff', staffId, ctx.schoolId, field);
  const staff = (await ctx.trx('staff').where({ id: staffId }).first('status')) as { status: string };
  if (staff.status !== 'active') throw invalid(field, 'staffNotActive');
}

async function check(c: Fields, ctx: WriteContext, existing?: SchoolClass): Promise<void> {
  await assertInSchool(ctx.trx, 'school_years', c.schoolYearId, ctx.schoolId, 'schoolYearId');
  // THCS teaches grades 6–9, THPT 10–12.
  const grades = await gradesOfSchool(ctx.trx, ctx.schoolId);
  if (!grades.includes(c.grade)) throw invalid('grade', 'badChoice', { options: grades.join(', ') });
  // A teacher who has left keeps the classes they had, but cannot be given one.
  if (c.homeroomStaffId !== existing?.homeroomStaffId) await assertActiveStaff(ctx, c.homeroomStaffId, 'homeroomStaffId');
  const same = ctx.trx('classes').where({ school_year_id: c.schoolYearId, name: c.name });
  if (existing) same.whereNot({ id: existing.id });
  if (await same.first('id')) throw duplicate('name', c.name);
}

export const classesResource: ResourceDef<SchoolClass> = {
  name: 'classes',
  table: 'classes',
  baseQuery: (conn) =>
    conn('classes').select(
      'classes.*',
      conn.raw(`(select count(*) from enrolments e where e.class_id = classes.id and e.status = 'active') as student_count`),
      conn.raw(`(select s.full_name from staff s where s.id = classes.homeroom_staff_id) as homeroom_staff_name`),
    ),
  fields: {
    id: { column: 'classes.id', type: 'number' },
    schoolYearId: { column: 'classes.school_year_id', type: 'number' },
    grade: { column: 'classes.grade', type: 'number' },
    name: { column: 'classes.name', type: 'string' },
    homeroomStaffId: { column: 'classes.homeroom_staff_id', type: 'number' },
  },
  searchColumns: ['classes.search_text'],
  defaultSort: 'name',
  readOnly: ['studentCount', 'homeroomStaffName'],
  toApi: (r) => ({
    id: num(r.id),
    schoolId: num(r.school_id),
    schoolYearId: num(r.school_year_id),
    grade: num(r.grade),
    name: String(r.name),
    homeroomStaffId: numOrNull(r.homeroom_staff_id),
    studentCount: num(r.student_count ?? 0),
    homeroomStaffName: (r.homeroom_staff_name as string | null) ?? null,
  }),
  applyScope: (qb, scope) => {
    if (scope.kind === 'classes') qb.whereIn('classes.id', scope.classIds);
    else if (scope.kind === 'grades') qb.whereIn('classes.grade', scope.grades);
    else qb.whereRaw('1 = 0');
  },
  attributes: (rec) => ({ schoolId: rec.schoolId, classId: rec.id, grade: rec.grade }),
  create: {
    schema: ClassInput,
    insert: async (raw, ctx) => {
      const input = raw as Input;
      const c: Fields = { ...input, homeroomStaffId: input.homeroomStaffId ?? null };
      await check(c, ctx);
      return insertReturningId(ctx.trx, 'classes', {
        school_id: ctx.schoolId,
        school_year_id: c.schoolYearId,
        grade: c.grade,
        name: c.name,
        search_text: searchKey(c.name),
        homeroom_staff_id: c.homeroomStaffId,
      });
    },
  },
  update: {
    schema: ClassInput.partial(),
    apply: async (existing, raw, ctx) => {
      const { id: _id, schoolId: _school, studentCount: _count, ...current } = existing;
      const c: Fields = { ...current, ...stripUndefined(raw as Partial<Input>) };
      await check(c, ctx, existing);
      if (c.schoolYearId !== existing.schoolYearId) {
        // Enrolments and teaching assignments belong to the class's year: a class in use stays in its year.
        const used =
          (await ctx.trx('enrolments').where({ class_id: existing.id }).first('id')) ??
          (await ctx.trx('teaching_assignments').where({ class_id: existing.id }).first('id'));
        if (used) throw invalid('schoolYearId', 'badChoice', { options: (await loadYear(ctx.trx, existing.schoolYearId))!.name });
      }
      await ctx.trx('classes').where({ id: existing.id }).update({
        school_year_id: c.schoolYearId,
        grade: c.grade,
        name: c.name,
        search_text: searchKey(c.name),
        homeroom_staff_id: c.homeroomStaffId,
      });
    },
  },
  remove: async (existing, { trx }) => {
    await assertUnreferenced(trx, existing.id, [
      ['enrolments', 'class_id'],
      ['teaching_assignments', 'class_id'],
      ['student_transfers', 'class_id'],
    ]);
    await trx('classes').where({ id: existing.id }).delete();
  },
};
