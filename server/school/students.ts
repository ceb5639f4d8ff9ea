import type { Knex } from 'knex';
import { z } from 'zod';
import { searchKey } from '../../domain/text';
import { nowIso } from '../db/knex';
import type { ResourceDef, WriteContext } from '../core/resource';
import { assertUnreferenced, duplicate, invalid, num, numOrNull, strOrNull, stripUndefined } from './common';
import { AppError } from '../core/errors';
import { birthDate, name, nationalId, optionalName, optionalText, sex } from '../core/fields';
import { insertReturningId } from '../core/records';

export const STUDENT_STATUSES = ['studying', 'transferred_out', 'graduated', 'dropped_out'] as const;
export type StudentStatus = (typeof STUDENT_STATUSES)[number];

/** Học sinh: the personal record the transcript carries, and (read only) their class this school year. */
export interface Student {
  id: number;
  schoolId: number;
  studentCode: string;
  fullName: string;
  birthDate: string;
  sex: 'male' | 'female';
  nationalId: string | null;
  ethnicity: string | null;
  nationality: string | null;
  placeOfBirth: string | null;
  address: string | null;
  fatherName: string | null;
  motherName: string | null;
  guardianName: string | null;
  /** Quê quán and occupations (nghề nghiệp), printed on the transcript's identity page. */
  homeTown: string | null;
  fatherOccupation: string | null;
  motherOccupation: string | null;
  guardianOccupation: string | null;
  phone: string | null;
  status: StudentStatus;
  /** Read only: the class of the student's active enrolment in the current school year. */
  classId: number | null;
  className: string | null;
  grade: number | null;
}

const StudentInput = z.strictObject({
  studentCode: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9_.-]+$/),
  fullName: name(200),
  birthDate: birthDate,
  sex,
  nationalId: z.preprocess((v) => (v === '' ? null : v), nationalId.nullish()),
  ethnicity: optionalText(64),
  nationality: optionalText(64),
  placeOfBirth: optionalText(200),
  address: optionalText(300),
  fatherName: optionalName(200),
  motherName: optionalName(200),
  guardianName: optionalName(200),
  homeTown: optionalText(200),
  fatherOccupation: optionalText(100),
  motherOccupation: optionalText(100),
  guardianOccupation: optionalText(100),
  phone: optionalText(32),
  status: z.enum(STUDENT_STATUSES).optional(),
});
type Input = z.output<typeof StudentInput>;
export type Fields = Omit<Student, 'id' | 'schoolId' | 'classId' | 'className' | 'grade'>;

/** Active enrolments in a current school year, one row per student (one active enrolment per student per year). */
export function currentEnrolments(conn: Knex | Knex.Transaction): Knex.QueryBuilder {
  return conn('enrolments as ce')
    .join('school_years as cy', 'cy.id', 'ce.school_year_id')
    .join('classes as cc', 'cc.id', 'ce.class_id')
    .where('ce.status', 'active')
    .where('cy.is_current', true)
    .select('ce.student_id', 'ce.class_id', 'cc.name as class_name', 'cc.grade');
}

async function check(s: Fields, ctx: WriteContext, selfId?: number): Promise<void> {
  const today = nowIso().slice(0, 10);
  if (s.birthDate > today) throw invalid('birthDate', 'tooBig', { max: today });
  const same = ctx.trx('students').where({ school_id: ctx.schoolId, student_code: s.studentCode });
  if (selfId) same.whereNot({ id: selfId });
  if (await same.first('id')) throw duplicate('studentCode', s.studentCode);
  // One person, one record: a national ID belongs to one student of the school.
  if (s.nationalId) {
    const twin = ctx.trx('students').where({ school_id: ctx.schoolId, national_id: s.nationalId });
    if (selfId) twin.whereNot({ id: selfId });
    if (await twin.first('id')) throw new AppError('conflict', 'duplicateStudentNationalId', { nationalId: s.nationalId }, { nationalId: { key: 'duplicateStudentNationalId', params: { nationalId: s.nationalId } } });
  }
}

/** A student's columns as stored (the demo seed writes its students through it too). */
export function toRow(s: Fields): Record<string, unknown> {
  return {
    student_code: s.studentCode,
    full_name: s.fullName,
    search_text: searchKey(s.fullName, s.studentCode),
    birth_date: s.birthDate,
    sex: s.sex,
    national_id: s.nationalId,
    ethnicity: s.ethnicity,
    nationality: s.nationality,
    place_of_birth: s.placeOfBirth,
    address: s.address,
    father_name: s.fatherName,
    mother_name: s.motherName,
    guardian_name: s.guardianName,
    home_town: s.homeTown,
    father_occupation: s.fatherOccupation,
    mother_occupation: s.motherOccupation,
    guardian_occupation: s.guardianOccupation,
    phone: s.phone,
    status: s.status,
  };
}

export const studentsResource: ResourceDef<Student> = {
  name: 'students',
  table: 'students',
  baseQuery: (conn) =>
    conn('students')
      .leftJoin(currentEnrolments(conn).as('cur'), 'cur.student_id', 'students.id')
      .select('students.*', 'cur.class_id as class_id', 'cur.class_name as class_name', 'cur.grade as grade'),
  fields: {
    id: { column: 'students.id', type: 'number' },
    studentCode: { column: 'students.student_code', type: 'string' },
    fullName: { column: 'students.full_name', type: 'string' },
    birthDate: { column: 'students.birth_date', type: 'string' },
    sex: { column: 'students.sex', type: 'string' },
    nationalId: { column: 'students.national_id', type: 'string' },
    ethnicity: { column: 'students.ethnicity', type: 'string' },
    status: { column: 'students.status', type: 'string' },
    classId: { column: 'cur.class_id', type: 'number' },
    className: { column: 'cur.class_name', type: 'string' },
    grade: { column: 'cur.grade', type: 'number' },
  },
  searchColumns: ['students.search_text'],
  defaultSort: 'fullName',
  readOnly: ['classId', 'className', 'grade'],
  toApi: (r) => ({
    id: num(r.id),
    schoolId: num(r.school_id),
    studentCode: String(r.student_code),
    fullName: String(r.full_name),
    birthDate: String(r.birth_date),
    sex: r.sex as Student['sex'],
    nationalId: strOrNull(r.national_id),
    ethnicity: strOrNull(r.ethnicity),
    nationality: strOrNull(r.nationality),
    placeOfBirth: strOrNull(r.place_of_birth),
    address: strOrNull(r.address),
    fatherName: strOrNull(r.father_name),
    motherName: strOrNull(r.mother_name),
    guardianName: strOrNull(r.guardian_name),
    homeTown: strOrNull(r.home_town),
    fatherOccupation: strOrNull(r.father_occupation),
    motherOccupation: strOrNull(r.mother_occupation),
    guardianOccupation: strOrNull(r.guardian_occupation),
    phone: strOrNull(r.phone),
    status: r.status as StudentStatus,
    classId: numOrNull(r.class_id),
    className: strOrNull(r.class_name),
    grade: numOrNull(r.grade),
  }),
  // Teachers reach the students enrolled (active, current year) in their classes; a VP those of their grades.
  applyScope: (qb, scope) => {
    if (scope.kind === 'classes') qb.whereIn('cur.class_id', scope.classIds);
    else if (scope.kind === 'grades') qb.whereIn('cur.grade', scope.grades);
    else if (scope.kind === 'student') qb.whereIn('students.id', scope.studentIds);
    else qb.whereRaw('1 = 0');
  },
  attributes: (rec) => ({ schoolId: rec.schoolId, id: rec.id, studentId: rec.id, classId: rec.classId, grade: rec.grade }),
  create: {
    schema: StudentInput,
    insert: async (raw, ctx) => {
      const input = raw as Input;
      const s: Fields = { ...input, nationalId: input.nationalId ?? null, status: input.status ?? 'studying' };
      await check(s, ctx);
      const now = nowIso();
      return insertReturningId(ctx.trx, 'students', { ...toRow(s), school_id: ctx.schoolId, created_at: now, updated_at: now });
    },
  },
  update: {
    schema: StudentInput.partial(),
    apply: async (existing, raw, ctx) => {
      const { id: _id, schoolId: _school, classId: _class, className: _name, grade: _grade, ...current } = existing;
      const s: Fields = { ...current, ...stripUndefined(raw as Partial<Input>) };
      await check(s, ctx, existing.id);
      await ctx.trx('students').where({ id: existing.id }).update({ ...toRow(s), updated_at: nowIso() });
    },
  },
  remove: async (existing, { trx }) => {
    await assertUnreferenced(trx, existing.id, [
      ['enrolments', 'student_id'],
      ['student_transfers', 'student_id'],
      ['users', 'student_id'],
      ['user_roles', 'student_id'],
    ]);
    await trx('students').where({ id: existing.id }).delete();
  },
};
