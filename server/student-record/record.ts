import { z } from 'zod';
import { ownStudentIds } from '../../domain/permissions';
import { toDecimalString } from '../db/decimal';
import type { Db } from '../db/knex';
import { principalOf, type Actor } from '../core/actor';
import { AppError, forbidden } from '../core/errors';
import { parse } from '../core/validate';
import { loadYearContext, subjectsForGrade } from '../results/inputs';
import { readYearRows } from '../results/stored';

/**
 * What a student and their parents see (roles.md: own record, read only): the child's scores as they are entered,
 * by subject and semester, the subject averages and the year's results once computed, the teachers' comments, the
 * conduct and the absences. Only the children the account holds a `student` grant for; nothing about classmates.
 */
const id = z.coerce.number().int().positive();
const Query = z.strictObject({ studentId: id.optional(), schoolYearId: id.optional() });

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function studentRecord(db: Db, actor: Actor, query: unknown) {
  const principal = principalOf(actor);
  const q = parse(Query, query);
  const mine = ownStudentIds(principal);
  if (mine.length === 0) throw forbidden();
  const studentId = q.studentId ?? mine[0];
  if (!mine.includes(studentId)) throw forbidden();
  const [student, enrolments] = await Promise.all([
    db('students').where({ id: studentId }).first('id', 'student_code', 'full_name') as Promise<Row | undefined>,
    db('enrolments as e')
      .join('classes as c', 'c.id', 'e.class_id')
      .join('school_years as y', 'y.id', 'e.school_year_id')
      .where({ 'e.student_id': studentId })
      // Past years too (a class left mid-year still shows what was entered there).
      .whereIn('e.status', ['active', 'left'])
      .orderBy('y.start_date', 'desc')
      .select('e.school_year_id', 'e.class_id', 'c.name as class_name', 'c.grade', 'y.name as year_name', 'y.is_current') as Promise<Row[]>,
  ]);
  if (!student) throw forbidden();
  const children = await childrenOf(db, mine);
  if (enrolments.length === 0) return { children, student: who(student), years: [], year: null };
  const enrolment = (q.schoolYearId ? enrolments.find((e) => Number(e.school_year_id) === q.schoolYearId) : (enrolments.find((e) => e.is_current) ?? enrolments[0])) ?? null;
  if (!enrolment) throw new AppError('not_found', 'notFound', { entity: 'school-years', id: q.schoolYearId ?? '' });
  const years = enrolments.map((e) => ({ id: Number(e.school_year_id), name: String(e.year_name), className: String(e.class_name), isCurrent: !!e.is_current }));
  return { children, student: who(student), years, year: await yearOf(db, studentId, enrolment) };
}

const who = (s: Row) => ({ id: Number(s.id), code: String(s.student_code), fullName: String(s.full_name) });

/** The children this account may see (a parent of two sees both, to switch between them). */
async function childrenOf(db: Db, ids: number[]) {
  const rows = (await db('students').whereIn('id', ids).select('id', 'student_code', 'full_name')) as Row[];
  return ids.flatMap((i) => rows.filter((r) => Number(r.id) === i).map(who));
}

async function yearOf(db: Db, studentId: number, e: Row) {
  const schoolYearId = Number(e.school_year_id);
  const classId = Number(e.class_id);
  const ctx = await loadYearContext(db, schoolYearId);
  const semesterIds = [ctx.semesters.hk1, ctx.semesters.hk2].filter((s): s is number => s !== null);
  const [scores, comments, conduct, subjectResults, yearRows] = await Promise.all([
    db('assessment_scores').where({ student_id: studentId }).whereIn('semester_id', semesterIds).select('semester_id', 'subject_id', 'kind', 'seq', 'score', 'grade_text') as Promise<Row[]>,
    db('subject_comments').where({ student_id: studentId }).whereIn('semester_id', semesterIds).select('semester_id', 'subject_id', 'comment') as Promise<Row[]>,
    db('conduct_records').where({ student_id: studentId }).whereIn('semester_id', semesterIds).select('semester_id', 'conduct', 'absences_excused', 'absences_unexcused', 'homeroom_comment') as Promise<Row[]>,
    db('student_subject_results').where({ student_id: studentId, school_year_id: schoolYearId }).select('subject_id', 'hk1', 'hk2', 'year', 'final') as Promise<Row[]>,
    readYearRows(db, schoolYearId, [classId]),
  ]);
  const semesterKey = (semesterId: unknown) => (Number(semesterId) === ctx.semesters.hk1 ? 'hk1' : 'hk2');
  const subjects = subjectsForGrade(ctx, Number(e.grade)).map((s) => {
    const result = subjectResults.find((r) => Number(r.subject_id) === s.id);
    const semester = (key: 'hk1' | 'hk2') => ({
      scores: scores
        .filter((c) => Number(c.subject_id) === s.id && semesterKey(c.semester_id) === key)
        .map((c) => ({ kind: String(c.kind), seq: Number(c.seq), value: c.grade_text !== null && c.grade_text !== undefined ? String(c.grade_text) : toDecimalString(c.score) }))
        .sort((a, b) => KIND_ORDER[a.kind as keyof typeof KIND_ORDER] - KIND_ORDER[b.kind as keyof typeof KIND_ORDER] || a.seq - b.seq),
      comment: str(comments.find((c) => Number(c.subject_id) === s.id && semesterKey(c.semester_id) === key)?.comment),
      average: str(result?.[key]),
    });
    return { id: s.id, name: s.name, kind: s.kind, regularCount: s.regularCount, hk1: semester('hk1'), hk2: semester('hk2'), year: str(result?.final ?? result?.year) };
  });
  const conductOf = (key: 'hk1' | 'hk2') => {
    const c = conduct.find((r) => semesterKey(r.semester_id) === key);
    return c ? { level: str(c.conduct), absencesExcused: Number(c.absences_excused), absencesUnexcused: Number(c.absences_unexcused), homeroomComment: str(c.homeroom_comment) } : null;
  };
  const y = yearRows.find((r) => r.student.id === studentId) ?? null;
  return {
    schoolYearId,
    name: String(e.year_name),
    class: { id: classId, name: String(e.class_name), grade: Number(e.grade) },
    subjects,
    conduct: { hk1: conductOf('hk1'), hk2: conductOf('hk2') },
    results: y && { learning: y.learning, conduct: y.conduct, absences: y.absences, decision: y.decision, award: y.award, computedAt: y.computedAt },
  };
}

const KIND_ORDER = { regular: 0, midterm: 1, final: 2 } as const;
