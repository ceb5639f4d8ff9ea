import type { Knex } from 'knex';
import { regularAssessmentCount } from '../../domain/assessment-count';
import type { GradebookTarget } from '../../domain/permissions';
import { toBool } from '../db/knex';
import { AppError, notFound } from '../core/errors';

type Conn = Knex | Knex.Transaction;

/** One class × subject × semester grade book, with everything the rules need to know about it. */
export interface Gradebook {
  target: GradebookTarget;
  schoolYearId: number;
  yearIsCurrent: boolean;
  semester: { id: number; number: number; startDate: string; endDate: string };
  klass: { id: number; name: string; grade: number };
  subject: { id: number; code: string; name: string; assessmentType: 'scored' | 'comment'; departmentId: number | null };
  regularCount: number;
  /** Column keys in display order: regular:1 … regular:n, midterm:1, final:1. */
  columns: Array<{ kind: 'regular' | 'midterm' | 'final'; seq: number }>;
}

export const cellKey = (kind: string, seq: number) => `${kind}:${seq}`;

export async function loadGradebook(conn: Conn, classId: number, subjectId: number, semesterId: number): Promise<Gradebook> {
  const klass = (await conn('classes').where({ id: classId }).first()) as Record<string, unknown> | undefined;
  if (!klass) throw notFound('classes', classId);
  const subject = (await conn('subjects').where({ id: subjectId }).first()) as Record<string, unknown> | undefined;
  if (!subject) throw notFound('subjects', subjectId);
  const semester = (await conn('semesters').where({ id: semesterId }).first()) as Record<string, unknown> | undefined;
  if (!semester) throw notFound('semesters', semesterId);
  const schoolId = Number(klass.school_id);
  if (Number(subject.school_id) !== schoolId || Number(semester.school_id) !== schoolId || Number(semester.school_year_id) !== Number(klass.school_year_id)) {
    throw new AppError('invalid', 'validation', {}, { semesterId: { key: 'schoolMismatch' } });
  }
  const year = (await conn('school_years').where({ id: klass.school_year_id }).first()) as Record<string, unknown>;
  const grade = Number(klass.grade);
  const periods = JSON.parse(String(subject.periods_per_year ?? '{}')) as Record<string, number>;
  if (periods[String(grade)] === undefined) throw new AppError('invalid', 'subjectNotInGrade', { grade });
  const override = subject.regular_assessments_override === null ? null : Number(subject.regular_assessments_override);
  const regularCount = regularAssessmentCount(periods[String(grade)], override);
  const departmentId = subject.department_id === null ? null : Number(subject.department_id);
  return {
    target: { schoolId, classId, grade, subjectId, departmentId },
    schoolYearId: Number(klass.school_year_id),
    yearIsCurrent: toBool(year.is_current),
    semester: { id: semesterId, number: Number(semester.number), startDate: String(semester.start_date), endDate: String(semester.end_date) },
    klass: { id: classId, name: String(klass.name), grade },
    subject: { id: subjectId, code: String(subject.code), name: String(subject.name), assessmentType: subject.assessment_type as 'scored' | 'comment', departmentId },
    regularCount,
    columns: [
      ...Array.from({ length: regularCount }, (_, i) => ({ kind: 'regular' as const, seq: i + 1 })),
      { kind: 'midterm' as const, seq: 1 },
      { kind: 'final' as const, seq: 1 },
    ],
  };
}

/** The students of the class this grade book covers: active enrolments, in roll-call order. */
export async function rosterOf(conn: Conn, classId: number): Promise<Array<{ id: number; code: string; fullName: string }>> {
  const rows = (await conn('enrolments as e')
    .join('students as s', 's.id', 'e.student_id')
    .where({ 'e.class_id': classId, 'e.status': 'active' })
    .select('s.id', 's.student_code', 's.full_name', 's.search_text')
    .orderBy('s.id')) as Array<{ id: number; student_code: string; full_name: string }>;
  // Roll-call order: by given name, then the whole name (Vietnamese lists sort by the last word).
  const given = (n: string) => n.trim().split(/\s+/).pop() ?? n;
  return rows
    .map((r) => ({ id: Number(r.id), code: r.student_code, fullName: r.full_name }))
    .sort((a, b) => given(a.fullName).localeCompare(given(b.fullName), 'vi') || a.fullName.localeCompare(b.fullName, 'vi'));
}
