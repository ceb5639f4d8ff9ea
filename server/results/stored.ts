import type { Knex } from 'knex';
import type { ClassResultsRef } from '../../domain/permissions';
import { parseJsonArray, toBool, type Db } from '../db/knex';
import type { YearContext } from './inputs';
import { recomputeClasses, settlePending } from './recompute';
import { AppError, notFound } from '../core/errors';

type Conn = Knex | Knex.Transaction;

export interface ClassInfo extends ClassResultsRef {
  name: string;
  schoolYearId: number;
}

/** A class of this school year, or 404 / 400 when it belongs to another year. */
export async function loadClass(conn: Conn, classId: number, schoolYearId: number): Promise<ClassInfo> {
  const c = (await conn('classes').where({ id: classId }).first('id', 'school_id', 'school_year_id', 'grade', 'name')) as Record<string, unknown> | undefined;
  if (!c) throw notFound('classes', classId);
  if (Number(c.school_year_id) !== schoolYearId) throw new AppError('invalid', 'validation', {}, { classId: { key: 'classNotInYear' } });
  return { classId, schoolId: Number(c.school_id), grade: Number(c.grade), name: String(c.name), schoolYearId };
}

/**
 * Stored results are written on every input change; a class that has had none since it was set up (or since the
 * results tables were added) has no rows yet. Those classes are computed now, once, so a reader never sees a
 * blank where the rules have an answer.
 */
export async function ensureComputed(db: Db, ctx: YearContext, classIds: number[]): Promise<void> {
  if (classIds.length === 0) return;
  await settlePending(db, ctx.schoolYearId, classIds);
  const missing = (await db('enrolments as e')
    .leftJoin('student_year_results as r', function () {
      this.on('r.student_id', '=', 'e.student_id').andOn('r.school_year_id', '=', 'e.school_year_id').andOn('r.class_id', '=', 'e.class_id');
    })
    .where({ 'e.school_year_id': ctx.schoolYearId, 'e.status': 'active' })
    .whereIn('e.class_id', classIds)
    .whereNull('r.id')
    .distinct('e.class_id')) as Array<{ class_id: number }>;
  if (missing.length === 0) return;
  await db.transaction((trx) => recomputeClasses(trx, ctx, missing.map((m) => Number(m.class_id))));
}

export interface StoredYear {
  student: { id: number; code: string; fullName: string };
  classId: number;
  className: string;
  learning: { hk1: string | null; hk2: string | null; year: string | null; final: string | null; yearLiftedBy: number | null };
  conduct: { hk1: string | null; hk2: string | null; year: string | null; final: string | null };
  absences: { hk1: number; hk2: number; year: number };
  decision: string;
  promoted: boolean | null;
  heldBackReasons: string[];
  retestSubjectIds: number[];
  summerTraining: boolean;
  award: string | null;
  missing: Array<{ what: string; subjectId?: number; semester: string }>;
  inputProblem: string | null;
  computedAt: string;
}

/** The stored year rows of a year, for some classes (all when classIds is null), in class then roll-call order. */
export async function readYearRows(conn: Conn, schoolYearId: number, classIds: number[] | null): Promise<StoredYear[]> {
  const q = conn('student_year_results as r')
    .join('students as s', 's.id', 'r.student_id')
    .join('classes as c', 'c.id', 'r.class_id')
    .where({ 'r.school_year_id': schoolYearId })
    .select('r.*', 's.student_code', 's.full_name', 'c.name as class_name', 'c.grade');
  if (classIds) q.whereIn('r.class_id', classIds);
  const rows = (await q) as Array<Record<string, unknown>>;
  const given = (n: string) => n.trim().split(/\s+/).pop() ?? n;
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return rows
    .map(
      (r): StoredYear & { grade: number } => ({
        student: { id: Number(r.student_id), code: String(r.student_code), fullName: String(r.full_name) },
        classId: Number(r.class_id),
        className: String(r.class_name),
        grade: Number(r.grade),
        learning: {
          hk1: str(r.learning_hk1),
          hk2: str(r.learning_hk2),
          year: str(r.learning_year),
          final: str(r.learning_final),
          yearLiftedBy: r.learning_year_lifted_by === null ? null : Number(r.learning_year_lifted_by),
        },
        conduct: { hk1: str(r.conduct_hk1), hk2: str(r.conduct_hk2), year: str(r.conduct_year), final: str(r.conduct_final) },
        absences: { hk1: Number(r.absences_hk1), hk2: Number(r.absences_hk2), year: Number(r.absences) },
        decision: String(r.decision),
        promoted: r.promoted === null || r.promoted === undefined ? null : toBool(r.promoted),
        heldBackReasons: parseJsonArray<string>(r.held_back_reasons),
        retestSubjectIds: parseJsonArray<number>(r.retest_subjects),
        summerTraining: toBool(r.summer_training),
        award: str(r.award),
        missing: parseJsonArray(r.missing),
        inputProblem: str(r.input_problem),
        computedAt: String(r.computed_at),
      }),
    )
    .sort(
      (a, b) =>
        a.grade - b.grade ||
        a.className.localeCompare(b.className, 'vi', { numeric: true }) ||
        given(a.student.fullName).localeCompare(given(b.student.fullName), 'vi') ||
        a.student.fullName.localeCompare(b.student.fullName, 'vi') ||
        a.student.id - b.student.id,
    )
    .map(({ grade: _g, ...rest }) => rest);
}

export interface StoredSubject {
  hk1: string | null;
  hk2: string | null;
  year: string | null;
  retest: string | null;
  final: string | null;
}

/** studentId → subjectId → stored subject results. */
export async function readSubjectRows(conn: Conn, schoolYearId: number, classIds: number[]): Promise<Map<number, Map<number, StoredSubject>>> {
  const rows = (await conn('student_subject_results')
    .where({ school_year_id: schoolYearId })
    .whereIn('class_id', classIds)
    .select('student_id', 'subject_id', 'hk1', 'hk2', 'year', 'retest', 'final')) as Array<Record<string, unknown>>;
  const out = new Map<number, Map<number, StoredSubject>>();
  for (const r of rows) {
    const m = out.get(Number(r.student_id)) ?? new Map<number, StoredSubject>();
    const v = (x: unknown) => (x === null || x === undefined ? null : String(x));
    m.set(Number(r.subject_id), { hk1: v(r.hk1), hk2: v(r.hk2), year: v(r.year), retest: v(r.retest), final: v(r.final) });
    out.set(Number(r.student_id), m);
  }
  return out;
}
