import type { Knex } from 'knex';
import { regularAssessmentCount } from '../../domain/assessment-count';
import type { Filled } from '../../domain/progress';

type Conn = Knex | Knex.Transaction;

/** One class × subject grade book of the year, with its teacher and department. */
export interface Book {
  classId: number;
  className: string;
  grade: number;
  subjectId: number;
  subjectName: string;
  departmentId: number | null;
  departmentName: string | null;
  teacherId: number;
  teacherName: string;
  regularCount: number;
}

export const bookKey = (classId: number, subjectId: number) => `${classId}:${subjectId}`;

/** Every teaching assignment of the year whose subject is taught in the class's grade: one query. */
export async function loadBooks(conn: Conn, schoolYearId: number): Promise<Book[]> {
  const rows = (await conn('teaching_assignments as a')
    .join('classes as c', 'c.id', 'a.class_id')
    .join('subjects as s', 's.id', 'a.subject_id')
    .join('staff as t', 't.id', 'a.staff_id')
    .leftJoin('departments as d', 'd.id', 's.department_id')
    .where('a.school_year_id', schoolYearId)
    .select(
      'a.class_id',
      'c.name as class_name',
      'c.grade',
      'a.subject_id',
      's.name as subject_name',
      's.department_id',
      'd.name as department_name',
      's.periods_per_year',
      's.regular_assessments_override',
      'a.staff_id',
      't.full_name as teacher_name',
    )) as Array<Record<string, unknown>>;
  const books: Book[] = [];
  for (const r of rows) {
    const periods = JSON.parse(String(r.periods_per_year ?? '{}')) as Record<string, number>;
    const p = periods[String(r.grade)];
    if (p === undefined) continue; // not a grade book (the grid refuses it too)
    books.push({
      classId: Number(r.class_id),
      className: String(r.class_name),
      grade: Number(r.grade),
      subjectId: Number(r.subject_id),
      subjectName: String(r.subject_name),
      departmentId: r.department_id === null ? null : Number(r.department_id),
      departmentName: (r.department_name as string | null) ?? null,
      teacherId: Number(r.staff_id),
      teacherName: String(r.teacher_name),
      regularCount: regularAssessmentCount(p, r.regular_assessments_override === null ? null : Number(r.regular_assessments_override)),
    });
  }
  return books;
}

/** Students actively enrolled per class (the grid's roster). */
export async function rosterSizes(conn: Conn, schoolYearId: number, classIds: number[] | null): Promise<Map<number, number>> {
  const q = conn('enrolments').where({ school_year_id: schoolYearId, status: 'active' }).groupBy('class_id').select('class_id').countDistinct('student_id as n');
  if (classIds) q.whereIn('class_id', classIds);
  const rows = (await q) as Array<{ class_id: number; n: number | string }>;
  return new Map(rows.map((r) => [Number(r.class_id), Number(r.n)]));
}

/** Scores of the semester by students on their class's active roster, grouped per class × subject × student. */
function perStudent(conn: Conn, semesterId: number, classIds: number[] | null) {
  const q = conn('assessment_scores as a')
    .where('a.semester_id', semesterId)
    .whereExists(function roster(this: Knex.QueryBuilder) {
      this.select(conn.raw('1')).from('enrolments as e').whereRaw('e.class_id = a.class_id').whereRaw('e.student_id = a.student_id').where('e.status', 'active');
    })
    .groupBy('a.class_id', 'a.subject_id', 'a.student_id');
  if (classIds) q.whereIn('a.class_id', classIds);
  return q;
}

const sumWhen = (conn: Conn, cond: string, alias: string) => conn.raw(`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS ${alias}`);

/**
 * A histogram per grade book: how many students have each (regular count, midterm?, final?) combination. A few
 * rows per grade book whatever the school's size; students with nothing entered are the roster minus the rest.
 */
export async function fillHistogram(conn: Conn, semesterId: number, classIds: number[] | null): Promise<Map<string, Array<{ filled: Filled; students: number }>>> {
  const inner = perStudent(conn, semesterId, classIds).select(
    'a.class_id',
    'a.subject_id',
    sumWhen(conn, "a.kind = 'regular'", 'reg'),
    sumWhen(conn, "a.kind = 'midterm'", 'mid'),
    sumWhen(conn, "a.kind = 'final'", 'fin'),
  );
  const rows = (await conn
    .from(inner.as('p'))
    .groupBy('class_id', 'subject_id', 'reg', 'mid', 'fin')
    .select('class_id', 'subject_id', 'reg', 'mid', 'fin')
    .count('* as n')) as Array<Record<string, unknown>>;
  const out = new Map<string, Array<{ filled: Filled; students: number }>>();
  for (const r of rows) {
    const key = bookKey(Number(r.class_id), Number(r.subject_id));
    const list = out.get(key) ?? [];
    list.push({ filled: { regular: Number(r.reg), midterm: Number(r.mid) > 0, final: Number(r.fin) > 0 }, students: Number(r.n) });
    out.set(key, list);
  }
  return out;
}

export interface StudentFill {
  regularSeqs: number[];
  midterm: boolean;
  final: boolean;
}

/** Per student (for the overdue list): which regular columns, and whether midterm and final, are entered. */
export async function studentFills(conn: Conn, semesterId: number, classIds: number[] | null): Promise<Map<string, StudentFill>> {
  const rows = (await perStudent(conn, semesterId, classIds).select(
    'a.class_id',
    'a.subject_id',
    'a.student_id',
    ...[1, 2, 3, 4].map((s) => sumWhen(conn, `a.kind = 'regular' AND a.seq = ${s}`, `r${s}`)),
    sumWhen(conn, "a.kind = 'midterm'", 'mid'),
    sumWhen(conn, "a.kind = 'final'", 'fin'),
  )) as Array<Record<string, unknown>>;
  return new Map(
    rows.map((r) => [
      `${r.class_id}:${r.subject_id}:${r.student_id}`,
      { regularSeqs: [1, 2, 3, 4].filter((s) => Number(r[`r${s}`]) > 0), midterm: Number(r.mid) > 0, final: Number(r.fin) > 0 },
    ]),
  );
}

/** The active roster of the classes, with names, for the overdue list. */
export async function rosters(conn: Conn, schoolYearId: number, classIds: number[]): Promise<Map<number, Array<{ id: number; code: string; fullName: string }>>> {
  const rows = (await conn('enrolments as e')
    .join('students as s', 's.id', 'e.student_id')
    .where({ 'e.school_year_id': schoolYearId, 'e.status': 'active' })
    .whereIn('e.class_id', classIds)
    .distinct('e.class_id', 's.id', 's.student_code', 's.full_name')
    .orderBy('s.id')) as Array<Record<string, unknown>>;
  const out = new Map<number, Array<{ id: number; code: string; fullName: string }>>();
  for (const r of rows) {
    const list = out.get(Number(r.class_id)) ?? [];
    list.push({ id: Number(r.id), code: String(r.student_code), fullName: String(r.full_name) });
    out.set(Number(r.class_id), list);
  }
  return out;
}

/** Recorded test dates of the semester, per grade book. */
export async function testDatesOf(conn: Conn, semesterId: number): Promise<Map<string, { midterm: string | null; final: string | null }>> {
  const rows = (await conn('test_dates').where({ semester_id: semesterId }).select('class_id', 'subject_id', 'kind', 'test_date')) as Array<Record<string, unknown>>;
  const out = new Map<string, { midterm: string | null; final: string | null }>();
  for (const r of rows) {
    const key = bookKey(Number(r.class_id), Number(r.subject_id));
    const cur = out.get(key) ?? { midterm: null, final: null };
    cur[r.kind as 'midterm' | 'final'] = String(r.test_date);
    out.set(key, cur);
  }
  return out;
}

/**
 * The school holidays of a year, from its timeline's configuration (none without a timeline): weeks whose cutoff
 * falls in one have no cutoff, so progress spreads regular assessments over teaching weeks only.
 */
export async function holidaysOf(conn: Conn, schoolYearId: number): Promise<Array<{ from: string; to: string }>> {
  const row = (await conn('timelines').where({ school_year_id: schoolYearId }).first('config')) as { config: string } | undefined;
  return holidaysFromConfig(row?.config);
}

/** The holidays of a stored timeline configuration (JSON text), or none. */
export function holidaysFromConfig(config: unknown): Array<{ from: string; to: string }> {
  if (typeof config !== 'string') return [];
  const parsed = JSON.parse(config) as { holidays?: Array<{ from: string; to: string }> };
  return (parsed.holidays ?? []).map((h) => ({ from: h.from, to: h.to }));
}
