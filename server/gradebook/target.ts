import type { Knex } from 'knex';
import { regularAssessmentCount } from '../../domain/assessment-count';
import type { GradebookTarget } from '../../domain/permissions';
import { selectRows, toBool } from '../db/knex';
import { AppError, notFound } from '../core/errors';
import { settingsFromRow, type SchoolSettings } from './guards';

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
  /** The school's cutoff settings and this grade book's test dates, as read with it (closureContext uses them). */
  entry: { settings: SchoolSettings; testDates: { midterm: string | null; final: string | null } };
  /** Column keys in display order: regular:1 … regular:n, midterm:1, final:1. */
  columns: Array<{ kind: 'regular' | 'midterm' | 'final'; seq: number }>;
}

export const cellKey = (kind: string, seq: number) => `${kind}:${seq}`;

const GRADEBOOK_SQL = `
  select c.school_id, c.school_year_id, c.grade, c.name as class_name, y.is_current,
    s.school_id as subject_school_id, s.code, s.name as subject_name, s.assessment_type, s.periods_per_year,
    s.regular_assessments_override, s.department_id,
    m.school_id as semester_school_id, m.school_year_id as semester_year_id, m.number, m.start_date, m.end_date,
    ss.school_id as settings_of, ss.regular_cutoff_weekday, ss.regular_cutoff_time, ss.periodic_window_days,
    ss.unlock_hours, ss.correction_procedure,
    tm.test_date as midterm_date, tf.test_date as final_date
  from classes c
    join school_years y on y.id = c.school_year_id
    cross join subjects s
    cross join semesters m
    left join school_settings ss on ss.school_id = c.school_id
    left join test_dates tm on tm.semester_id = m.id and tm.class_id = c.id and tm.subject_id = s.id and tm.kind = 'midterm'
    left join test_dates tf on tf.semester_id = m.id and tf.class_id = c.id and tf.subject_id = s.id and tf.kind = 'final'
  where c.id = ? and s.id = ? and m.id = ?`;

/**
 * A grade book's class, subject, semester and year, with the school's cutoff settings and its test dates, in one
 * query (every grid read and save needs them).
 */
export async function loadGradebook(conn: Conn, classId: number, subjectId: number, semesterId: number): Promise<Gradebook> {
  const [row] = await selectRows(conn, GRADEBOOK_SQL, [classId, subjectId, semesterId]);
  if (!row) throw await whichIsMissing(conn, classId, subjectId, semesterId);
  const schoolId = Number(row.school_id);
  if (Number(row.subject_school_id) !== schoolId || Number(row.semester_school_id) !== schoolId || Number(row.semester_year_id) !== Number(row.school_year_id)) {
    throw new AppError('invalid', 'validation', {}, { semesterId: { key: 'schoolMismatch' } });
  }
  const grade = Number(row.grade);
  const periods = JSON.parse(String(row.periods_per_year ?? '{}')) as Record<string, number>;
  if (periods[String(grade)] === undefined) throw new AppError('invalid', 'subjectNotInGrade', { grade });
  const override = row.regular_assessments_override === null ? null : Number(row.regular_assessments_override);
  const regularCount = regularAssessmentCount(periods[String(grade)], override);
  const departmentId = row.department_id === null ? null : Number(row.department_id);
  return {
    target: { schoolId, classId, grade, subjectId, departmentId },
    schoolYearId: Number(row.school_year_id),
    yearIsCurrent: toBool(row.is_current),
    semester: { id: semesterId, number: Number(row.number), startDate: String(row.start_date), endDate: String(row.end_date) },
    klass: { id: classId, name: String(row.class_name), grade },
    subject: { id: subjectId, code: String(row.code), name: String(row.subject_name), assessmentType: row.assessment_type as 'scored' | 'comment', departmentId },
    regularCount,
    entry: {
      settings: settingsFromRow(row.settings_of === null ? undefined : row),
      testDates: { midterm: (row.midterm_date as string | null) ?? null, final: (row.final_date as string | null) ?? null },
    },
    columns: [
      ...Array.from({ length: regularCount }, (_, i) => ({ kind: 'regular' as const, seq: i + 1 })),
      { kind: 'midterm' as const, seq: 1 },
      { kind: 'final' as const, seq: 1 },
    ],
  };
}

/** The 404 for a grade book that is not there: the first of class, subject, semester that does not exist. */
async function whichIsMissing(conn: Conn, classId: number, subjectId: number, semesterId: number): Promise<AppError> {
  for (const [table, id] of [['classes', classId], ['subjects', subjectId], ['semesters', semesterId]] as const) {
    if (!(await conn(table).where({ id }).first('id'))) return notFound(table, id);
  }
  return notFound('classes', classId);
}

/** The students of the class this grade book covers: active enrolments, in roll-call order. */
export async function rosterOf(conn: Conn, classId: number): Promise<Array<{ id: number; code: string; fullName: string }>> {
  const rows = await selectRows<{ id: number; student_code: string; full_name: string }>(
    conn,
    "select s.id, s.student_code, s.full_name from enrolments e join students s on s.id = e.student_id where e.class_id = ? and e.status = 'active' order by s.id",
    [classId],
  );
  // Roll-call order: by given name, then the whole name (Vietnamese lists sort by the last word).
  const given = (n: string) => n.trim().split(/\s+/).pop() ?? n;
  return rows
    .map((r) => ({ id: Number(r.id), code: r.student_code, fullName: r.full_name, given: given(r.full_name) }))
    .sort((a, b) => vietnamese.compare(a.given, b.given) || vietnamese.compare(a.fullName, b.fullName))
    .map(({ id, code, fullName }) => ({ id, code, fullName }));
}

/** One collator for every roster (localeCompare with a locale builds one per comparison). */
const vietnamese = new Intl.Collator('vi');
