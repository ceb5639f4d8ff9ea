import { regularAssessmentCount } from '../../domain/assessment-count';
import type { Db } from '../db/knex';
import { createRng } from '../core/random';

/**
 * Semester I of the demo school as it would stand in late November: the first regular assessments entered in
 * September and October (so closed by the weekly cutoff), midterm tests taken on 28/10 and entered within the
 * week, a few teachers still behind — so the grid, the locks and the progress view have something to show.
 * Deterministic; only `npm start`'s first seed calls it (tests and benchmarks start from empty grade books).
 */
// Dates of the 2026-2027 year; another current year gets the same days of its own autumn (see `inYear`).
const ENTRY_WEEKS = ['2026-09-25T06:00:00.000Z', '2026-10-16T06:00:00.000Z', '2026-11-06T06:00:00.000Z', '2026-11-13T06:00:00.000Z'];
const MIDTERM_DATE = '2026-10-28';
const MIDTERM_ENTERED = '2026-10-30T03:00:00.000Z';

/** A 2026 date or instant moved to the autumn of the year starting `startYear`. */
function inYear(value: string, startYear: number): string {
  return `${startYear}${value.slice(4)}`;
}
const CHUNK = 300;

export async function seedDemoScores(db: Db, seed = 2026, schoolId?: number): Promise<number> {
  const rng = createRng(seed + 7);
  const semester = (await db('semesters as s').join('school_years as y', 'y.id', 's.school_year_id').where({ 'y.is_current': true, 's.number': 1, ...(schoolId ? { 's.school_id': schoolId } : {}) }).orderBy('s.id').first('s.id', 's.school_id', 'y.name')) as
    | { id: number; school_id: number; name: string }
    | undefined;
  if (!semester) return 0;
  const startYear = Number(String(semester.name).slice(0, 4));
  const entryWeeks = ENTRY_WEEKS.map((w) => inYear(w, startYear));
  const [midtermDate, midtermEntered] = [inYear(MIDTERM_DATE, startYear), inYear(MIDTERM_ENTERED, startYear)];
  const assignments = (await db('teaching_assignments as a')
    .join('classes as c', 'c.id', 'a.class_id')
    .join('subjects as s', 's.id', 'a.subject_id')
    .join('users as u', 'u.staff_id', 'a.staff_id')
    .where('a.school_id', semester.school_id)
    .select('a.class_id', 'a.subject_id', 'c.grade', 's.assessment_type', 's.periods_per_year', 's.regular_assessments_override', 'u.id as user_id')) as Array<
    Record<string, unknown>
  >;
  const enrolments = (await db('enrolments').where({ status: 'active', school_id: semester.school_id }).select('class_id', 'student_id')) as Array<{ class_id: number; student_id: number }>;
  const byClass = new Map<number, number[]>();
  for (const e of enrolments) byClass.set(Number(e.class_id), [...(byClass.get(Number(e.class_id)) ?? []), Number(e.student_id)]);

  const rows: Record<string, unknown>[] = [];
  const testDates: Record<string, unknown>[] = [];
  for (const a of assignments) {
    const periods = JSON.parse(String(a.periods_per_year)) as Record<string, number>;
    const count = regularAssessmentCount(periods[String(a.grade)], a.regular_assessments_override === null ? null : Number(a.regular_assessments_override));
    const scored = a.assessment_type === 'scored';
    // One teacher in eight is behind: only the first assessment entered, no midterm yet.
    const behind = rng.chance(0.125);
    const regularDone = behind ? 1 : Math.min(count, rng.int(2, 3));
    const midtermDone = !behind && rng.chance(0.85);
    if (midtermDone) {
      testDates.push({ school_id: semester.school_id, semester_id: semester.id, class_id: a.class_id, subject_id: a.subject_id, kind: 'midterm', test_date: midtermDate, set_by: a.user_id, updated_at: midtermEntered });
    }
    for (const studentId of byClass.get(Number(a.class_id)) ?? []) {
      const ability = 5 + rng.next() * 4.5;
      const cell = (kind: string, seq: number, at: string) =>
        rows.push({
          school_id: semester.school_id,
          semester_id: semester.id,
          class_id: a.class_id,
          subject_id: a.subject_id,
          student_id: studentId,
          kind,
          seq,
          score: scored ? score(ability, rng.next()) : null,
          grade_text: scored ? null : rng.chance(0.96) ? 'D' : 'CD',
          first_entered_at: at,
          entered_by: a.user_id,
          updated_at: at,
          updated_by: a.user_id,
          version: 1,
        });
      for (let seq = 1; seq <= regularDone; seq++) cell('regular', seq, entryWeeks[seq - 1]);
      if (midtermDone) cell('midterm', 1, midtermEntered);
    }
  }
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await trx('assessment_scores').insert(rows.slice(i, i + CHUNK));
    for (let i = 0; i < testDates.length; i += CHUNK) await trx('test_dates').insert(testDates.slice(i, i + CHUNK));
  });
  return rows.length;
}

/** A score around the student's level, in the half-point steps teachers mostly give, within 0–10 (built as text). */
function score(ability: number, r: number): string {
  const halves = Math.min(20, Math.max(0, Math.round((ability + (r - 0.5) * 4) * 2)));
  return `${Math.floor(halves / 2)}${halves % 2 === 1 ? '.5' : ''}`;
}
