import { regularAssessmentCount } from '../../domain/assessment-count';
import { searchKey } from '../../domain/text';
import { insertReturningId } from '../core/records';
import type { Db } from '../db/knex';
import { recomputeSchool } from '../results/recompute';
import { createRng } from '../core/random';

/**
 * DEMO ONLY: last school year, complete, so the demo (and the tests) have transcripts to sign. The demo seeds only
 * the current year; this adds the year before it with the classes today's grade 7–9 students were in (grade g − 1,
 * same section, same homeroom teacher), the same teachers, every assessment of both semesters, conduct and absences,
 * and lets the real results recompute (server/results) produce the year's results.
 */
export async function seedPreviousYear(db: Db, opts: { seed?: number } = {}): Promise<{ schoolYearId: number; name: string; students: number } | null> {
  const current = (await db('school_years').where({ is_current: true }).first('id', 'school_id', 'name')) as { id: number; school_id: number; name: string } | undefined;
  if (!current) return null;
  const schoolId = Number(current.school_id);
  const start = Number(current.name.slice(0, 4)) - 1;
  const name = `${start}-${start + 1}`;
  const existing = (await db('school_years').where({ school_id: schoolId, name }).first('id')) as { id: number } | undefined;
  if (existing) return { schoolYearId: Number(existing.id), name, students: 0 };
  const rng = createRng((opts.seed ?? 2026) + 101);
  const admin = (await db('user_roles').where({ school_id: schoolId, role: 'admin' }).first('user_id')) as { user_id: number };
  const userOfStaff = new Map(((await db('users').whereNotNull('staff_id').select('id', 'staff_id')) as Array<{ id: number; staff_id: number }>).map((u) => [Number(u.staff_id), Number(u.id)]));
  const subjects = (await db('subjects').where({ school_id: schoolId }).select('id', 'code', 'assessment_type', 'periods_per_year', 'regular_assessments_override')) as Array<Record<string, unknown>>;
  const classes = (await db('classes').where({ school_year_id: current.id }).whereIn('grade', [7, 8, 9]).select('id', 'grade', 'name', 'homeroom_staff_id')) as Array<Record<string, unknown>>;
  const assignments = (await db('teaching_assignments').where({ school_year_id: current.id }).select('class_id', 'subject_id', 'staff_id')) as Array<Record<string, unknown>>;
  const anyTeacher = new Map<number, number>();
  for (const a of assignments) anyTeacher.set(Number(a.subject_id), Number(a.staff_id));
  let students = 0;

  const schoolYearId = await db.transaction(async (trx) => {
    const yearId = await insertReturningId(trx, 'school_years', { school_id: schoolId, name, start_date: `${start}-09-05`, end_date: `${start + 1}-05-31`, is_current: false });
    const hk1 = await insertReturningId(trx, 'semesters', { school_id: schoolId, school_year_id: yearId, number: 1, start_date: `${start}-09-05`, end_date: `${start + 1}-01-15` });
    const hk2 = await insertReturningId(trx, 'semesters', { school_id: schoolId, school_year_id: yearId, number: 2, start_date: `${start + 1}-01-16`, end_date: `${start + 1}-05-31` });
    const scoreRows: Record<string, unknown>[] = [];
    const conductRows: Record<string, unknown>[] = [];
    const at = `${start + 1}-05-20T03:00:00.000Z`;
    for (const c of classes) {
      const grade = Number(c.grade) - 1;
      const className = `${grade}${String(c.name).slice(String(c.grade).length)}`;
      const classId = await insertReturningId(trx, 'classes', { school_id: schoolId, school_year_id: yearId, grade, name: className, search_text: searchKey(className), homeroom_staff_id: c.homeroom_staff_id });
      const enrolled = (await trx('enrolments').where({ class_id: c.id, status: 'active' }).select('student_id')) as Array<{ student_id: number }>;
      students += enrolled.length;
      if (enrolled.length > 0) {
        await trx('enrolments').insert(enrolled.map((e) => ({ school_id: schoolId, school_year_id: yearId, class_id: classId, student_id: e.student_id, start_date: `${start}-09-05`, end_date: null, status: 'active' })));
      }
      const homeroomUser = userOfStaff.get(Number(c.homeroom_staff_id)) ?? Number(admin.user_id);
      for (const s of subjects) {
        const periods = (JSON.parse(String(s.periods_per_year)) as Record<string, number>)[String(grade)];
        if (!periods) continue;
        const staffId = Number(assignments.find((a) => a.class_id === c.id && a.subject_id === s.id)?.staff_id ?? anyTeacher.get(Number(s.id)));
        if (!staffId) continue;
        await trx('teaching_assignments').insert({ school_id: schoolId, school_year_id: yearId, class_id: classId, subject_id: s.id, staff_id: staffId });
        const userId = userOfStaff.get(staffId) ?? Number(admin.user_id);
        const count = regularAssessmentCount(periods, s.regular_assessments_override === null ? null : Number(s.regular_assessments_override));
        const scored = s.assessment_type === 'scored';
        for (const e of enrolled) {
          const ability = 5.5 + rng.next() * 4;
          for (const semesterId of [hk1, hk2]) {
            const cell = (kind: string, seq: number) =>
              scoreRows.push({
                school_id: schoolId,
                semester_id: semesterId,
                class_id: classId,
                subject_id: s.id,
                student_id: e.student_id,
                kind,
                seq,
                score: scored ? score(ability, rng.next()) : null,
                grade_text: scored ? null : 'D',
                first_entered_at: at,
                entered_by: userId,
                updated_at: at,
                updated_by: userId,
                version: 1,
              });
            for (let seq = 1; seq <= count; seq++) cell('regular', seq);
            cell('midterm', 1);
            cell('final', 1);
          }
        }
      }
      for (const e of enrolled) {
        for (const semesterId of [hk1, hk2]) {
          conductRows.push({
            school_id: schoolId,
            semester_id: semesterId,
            class_id: classId,
            student_id: e.student_id,
            conduct: rng.chance(0.8) ? 'T' : 'K',
            absences_excused: rng.int(0, 3),
            absences_unexcused: 0,
            homeroom_comment: semesterId === hk2 ? 'Chăm ngoan, có ý thức học tập tốt.' : null,
            updated_by: homeroomUser,
            updated_at: at,
            version: 1,
          });
        }
      }
    }
    for (let i = 0; i < scoreRows.length; i += 300) await trx('assessment_scores').insert(scoreRows.slice(i, i + 300));
    for (let i = 0; i < conductRows.length; i += 300) await trx('conduct_records').insert(conductRows.slice(i, i + 300));
    return yearId;
  });
  await recomputeSchool(db, schoolId, schoolYearId);
  return { schoolYearId, name, students };
}

function score(ability: number, r: number): string {
  const halves = Math.min(20, Math.max(0, Math.round((ability + (r - 0.5) * 3) * 2)));
  return `${Math.floor(halves / 2)}${halves % 2 === 1 ? '.5' : ''}`;
}
