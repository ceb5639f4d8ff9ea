import type { Db } from '../db/knex';
import type { Actor } from '../core/actor';
import { rosterOf } from '../gradebook/target';
import { loadYearContext, subjectsForGrade } from '../results/inputs';
import { ddmmyyyy, person, sexLabel, text, type RunStamp } from './common-snapshot';
import { readSubjectPages, type Period, type SubjectPage } from './subject-pages';

/**
 * Sổ gọi tên và ghi điểm (glossary `rollCallBook`) of a class for a semester or the year, frozen at approval: the
 * roster (in roll-call order, as the grade book lists it), each student's absences per semester as the homeroom
 * teacher recorded them (conduct_records), and the subject pages shared with the grade book (subject-pages.ts).
 *
 * The system records no day-by-day attendance: the book prints the semester counts (excused / unexcused), never
 * invented daily marks (docs/printing.md).
 */
export interface RollCallSnapshot extends RunStamp {
  format: 1;
  kind: 'rollcall';
  school: { name: string; code: string };
  className: string;
  schoolYear: string;
  period: Period;
  homeroomTeacher: string | null;
  roster: Array<{ name: string; birthDate: string; sex: string; ethnicity: string; code: string; address: string; parents: string }>;
  /** The semesters counted, and per student the excused / unexcused / total absences per semester and in all. */
  attendance: { semesters: Array<1 | 2>; rows: Array<{ name: string; semesters: Array<[string, string, string]>; total: [string, string, string] }> };
  subjectPages: SubjectPage[];
}

export interface RollCallInput extends RunStamp {
  classId: number;
  schoolYearId: number;
  period: Period;
}

export async function buildRollCallSnapshot(db: Db, actor: Actor, input: RollCallInput): Promise<RollCallSnapshot> {
  const klass = await db('classes as c')
    .join('school_years as y', 'y.id', 'c.school_year_id')
    .join('schools as s', 's.id', 'c.school_id')
    .leftJoin('staff as h', 'h.id', 'c.homeroom_staff_id')
    .where('c.id', input.classId)
    .first('c.name', 'c.grade', 'y.name as year_name', 's.name as school_name', 's.code as school_code', 'h.full_name as homeroom');
  const roster = await rosterOf(db, input.classId);
  const ids = roster.map((r) => r.id);
  const students = new Map<number, Record<string, unknown>>(
    ((await db('students').whereIn('id', ids).select('id', 'birth_date', 'sex', 'ethnicity', 'address', 'father_name', 'mother_name', 'guardian_name', 'father_occupation', 'mother_occupation', 'guardian_occupation')) as Array<Record<string, unknown>>).map((s) => [Number(s.id), s]),
  );
  const wanted: Array<1 | 2> = input.period === 'year' ? [1, 2] : [Number(input.period) as 1 | 2];
  const semesters = (await db('semesters').where({ school_year_id: input.schoolYearId }).whereIn('number', wanted).orderBy('number').select('id', 'number')) as Array<{ id: number; number: number }>;
  const absences = new Map<string, { excused: number; unexcused: number }>(
    ((await db('conduct_records').whereIn('student_id', ids).whereIn('semester_id', semesters.map((s) => s.id)).select('student_id', 'semester_id', 'absences_excused', 'absences_unexcused')) as Array<Record<string, unknown>>).map((r) => [
      `${r.student_id}:${r.semester_id}`,
      { excused: Number(r.absences_excused ?? 0), unexcused: Number(r.absences_unexcused ?? 0) },
    ]),
  );
  const ctx = await loadYearContext(db, input.schoolYearId);
  const subjects = subjectsForGrade(ctx, Number(klass.grade)).map((s) => ({ id: s.id, name: s.name, kind: s.kind }));
  const subjectPages = await readSubjectPages(db, actor, { classId: input.classId, schoolYearId: input.schoolYearId, period: input.period, subjects });

  const triple = (e: number, u: number): [string, string, string] => [String(e), String(u), String(e + u)];
  return {
    format: 1,
    kind: 'rollcall',
    runId: input.runId,
    code: input.code,
    verifyUrl: input.verifyUrl,
    approvedAt: input.approvedAt,
    approvedBy: input.approvedBy,
    school: { name: text(klass.school_name), code: text(klass.school_code) },
    className: text(klass.name),
    schoolYear: text(klass.year_name),
    period: input.period,
    homeroomTeacher: klass.homeroom ? text(klass.homeroom) : null,
    roster: roster.map((r) => {
      const s = students.get(r.id) ?? {};
      const parents = [person(s.father_name, null), person(s.mother_name, null)].filter(Boolean);
      return {
        name: text(r.fullName),
        birthDate: ddmmyyyy(s.birth_date as string),
        sex: sexLabel(s.sex),
        ethnicity: text(s.ethnicity),
        code: text(r.code),
        address: text(s.address),
        parents: parents.length > 0 ? parents.join(' – ') : person(s.guardian_name, null),
      };
    }),
    attendance: {
      semesters: semesters.map((s) => Number(s.number) as 1 | 2),
      rows: roster.map((r) => {
        const per = semesters.map((s) => absences.get(`${r.id}:${s.id}`) ?? { excused: 0, unexcused: 0 });
        const e = per.reduce((a, p) => a + p.excused, 0);
        const u = per.reduce((a, p) => a + p.unexcused, 0);
        return { name: text(r.fullName), semesters: per.map((p) => triple(p.excused, p.unexcused)), total: triple(e, u) };
      }),
    },
    subjectPages,
  };
}
