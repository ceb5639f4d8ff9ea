import type { Knex } from 'knex';
import { regularAssessmentCount } from '../../domain/assessment-count';
import type { Level, RetestResults, SemesterEntries, StudentYearInput } from '../../domain/scoring';
import { dialect } from '../db/knex';
import { notFound } from '../core/errors';

type Conn = Knex | Knex.Transaction;

/**
 * Independent queries: side by side on a pool, one after another inside a transaction (a transaction is one
 * connection, and pg refuses overlapping queries on one client).
 */
export async function queries<T extends unknown[]>(conn: Conn, ...thunks: { [K in keyof T]: () => PromiseLike<T[K]> }): Promise<T> {
  if (conn.isTransaction) {
    const out: unknown[] = [];
    for (const t of thunks) out.push(await t());
    return out as T;
  }
  return (await Promise.all(thunks.map((t) => t()))) as T;
}

/** What every student of a school year shares: the semesters and the school's subjects. */
export interface YearContext {
  schoolId: number;
  schoolYearId: number;
  /** semesters.id of semester I and II (null when not set up). */
  semesters: { hk1: number | null; hk2: number | null };
  subjects: YearSubject[];
}

export interface YearSubject {
  id: number;
  code: string;
  name: string;
  kind: 'scored' | 'comment';
  periods: Record<string, number>;
  override: number | null;
}

/** A subject as a grade takes it, with its number of regular assessments (Điều 7). */
export interface GradeSubject extends YearSubject {
  regularCount: number;
}

export async function loadYearContext(conn: Conn, schoolYearId: number): Promise<YearContext> {
  const year = (await conn('school_years').where({ id: schoolYearId }).first('id', 'school_id')) as { id: number; school_id: number } | undefined;
  if (!year) throw notFound('school-years', schoolYearId);
  const schoolId = Number(year.school_id);
  const [semesters, subjects] = await queries(
    conn,
    () => conn('semesters').where({ school_year_id: schoolYearId }).select('id', 'number') as Promise<Array<{ id: number; number: number }>>,
    () =>
      conn('subjects')
        .where({ school_id: schoolId })
        .orderBy('id')
        .select('id', 'code', 'name', 'assessment_type', 'periods_per_year', 'regular_assessments_override') as Promise<Array<Record<string, unknown>>>,
  );
  const semesterId = (n: number) => {
    const s = semesters.find((x) => Number(x.number) === n);
    return s ? Number(s.id) : null;
  };
  return {
    schoolId,
    schoolYearId,
    semesters: { hk1: semesterId(1), hk2: semesterId(2) },
    subjects: subjects.map((s) => ({
      id: Number(s.id),
      code: String(s.code),
      name: String(s.name),
      kind: s.assessment_type === 'comment' ? 'comment' : 'scored',
      periods: JSON.parse(String(s.periods_per_year ?? '{}')) as Record<string, number>,
      override: s.regular_assessments_override === null || s.regular_assessments_override === undefined ? null : Number(s.regular_assessments_override),
    })),
  };
}

/** The subjects a grade takes: those with periods in that grade (the same test loadGradebook applies). */
export function subjectsForGrade(ctx: YearContext, grade: number): GradeSubject[] {
  return ctx.subjects
    .filter((s) => s.periods[String(grade)] !== undefined)
    .map((s) => ({ ...s, regularCount: regularAssessmentCount(s.periods[String(grade)], s.override) }));
}

/** A student whose year is computed: their class this year (active enrolment). */
export interface Enrolled {
  studentId: number;
  classId: number;
  grade: number;
}

/** Active enrolments of the year, for some classes, optionally only some students. One query. */
export async function loadEnrolled(conn: Conn, ctx: YearContext, classIds: number[], studentIds?: number[]): Promise<Enrolled[]> {
  if (classIds.length === 0) return [];
  const q = conn('enrolments as e')
    .join('classes as c', 'c.id', 'e.class_id')
    .where({ 'e.school_year_id': ctx.schoolYearId, 'e.status': 'active' })
    .whereIn('e.class_id', classIds)
    .select('e.student_id', 'e.class_id', 'c.grade')
    .orderBy('e.student_id');
  if (studentIds) q.whereIn('e.student_id', studentIds);
  const rows = (await q) as Array<{ student_id: number; class_id: number; grade: number }>;
  return rows.map((r) => ({ studentId: Number(r.student_id), classId: Number(r.class_id), grade: Number(r.grade) }));
}

/** Everything studentYearOutcome needs for one student, plus the per-semester absences the summary shows. */
export interface LoadedStudent {
  enrolled: Enrolled;
  subjects: GradeSubject[];
  input: StudentYearInput;
  absences: { hk1: number; hk2: number };
}

/**
 * A stored semester result handed to studentYearOutcome as the one assessment pair that reproduces it exactly:
 * no regular assessments, midterm = final = the result, so ĐTBmhk = (2r + 3r)/5 = r (r has one decimal: the
 * rounding leaves it unchanged) and a comment subject's semester is r. Null stays null (not complete yet).
 */
function asEntries(result: string | null): SemesterEntries {
  return { regular: [], midterm: result, final: result };
}

/**
 * When one grade book changed (a grid save), the other subjects' semester results are read from the stored rows —
 * one query — instead of recomputing them from their cells. Only when every other subject of every student has
 * a stored row (otherwise null: the caller loads everything).
 */
async function storedSemesterResults(conn: Conn, ctx: YearContext, students: Enrolled[], changedSubjectId: number) {
  const rows = (await conn('student_subject_results')
    .where({ school_year_id: ctx.schoolYearId })
    .whereIn(
      'student_id',
      students.map((s) => s.studentId),
    )
    .whereNot('subject_id', changedSubjectId)
    .select('student_id', 'class_id', 'subject_id', 'hk1', 'hk2')) as Array<{ student_id: number; class_id: number; subject_id: number; hk1: string | null; hk2: string | null }>;
  const classOf = new Map(students.map((s) => [s.studentId, s.classId]));
  const out = new Map<number, Map<number, { hk1: string | null; hk2: string | null }>>();
  for (const r of rows) {
    // Rows from another class were computed before the student moved: not to be trusted here.
    if (Number(r.class_id) !== classOf.get(Number(r.student_id))) continue;
    const m = out.get(Number(r.student_id)) ?? new Map();
    m.set(Number(r.subject_id), { hk1: r.hk1 ?? null, hk2: r.hk2 ?? null });
    out.set(Number(r.student_id), m);
  }
  const complete = students.every((s) => {
    const mine = out.get(s.studentId);
    return subjectsForGrade(ctx, s.grade).every((sub) => sub.id === changedSubjectId || mine?.has(sub.id));
  });
  return complete ? out : null;
}

/** One stored cell, as the loader hands it on. */
interface CellRow {
  studentId: number;
  classId: number;
  subjectId: number;
  semesterId: number;
  kind: string;
  seq: number;
  /** The database's text form: '8.5' or '8.0' for a score, 'D' / 'CD' for a comment. parseScore reads it. */
  value: string;
}

/**
 * The cells of both semesters for these students. Aggregated in the database into one string per student and
 * class (group_concat / string_agg): a class's year is some 6,000 cells, and materialising a row object per cell
 * cost more than everything else here. Scores are cast to text by the database, never through a JS number;
 * scoring's parseScore reads '8.0' and '8.5' alike.
 * Looked up by class first (the grade book's own index keeps a class's cells together), then, for the few
 * students who were in another class earlier this year, in those classes too.
 */
async function loadCells(conn: Conn, ctx: YearContext, students: Enrolled[], semesterIds: number[], onlySubjectId?: number): Promise<CellRow[]> {
  if (semesterIds.length === 0) return [];
  const ids = students.map((s) => s.studentId);
  const classIds = [...new Set(students.map((s) => s.classId))];
  const query = (classes: number[], studentIds: number[]) =>
    conn('assessment_scores')
      .whereIn('semester_id', semesterIds)
      .whereIn('class_id', classes)
      .whereIn('student_id', studentIds)
      .modify((q) => {
        if (onlySubjectId !== undefined) q.where('subject_id', onlySubjectId);
      })
      .groupBy('student_id', 'class_id')
      .select('student_id', 'class_id', conn.raw(dialect(conn) === 'pg' ? PG_CELLS : SQLITE_CELLS)) as Promise<Array<{ student_id: number; class_id: number; cells: string }>>;
  const [own, earlier] = await queries(
    conn,
    () => query(classIds, ids),
    () =>
      conn('enrolments')
        .where({ school_year_id: ctx.schoolYearId })
        .whereIn('student_id', ids)
        .whereNotIn('class_id', classIds)
        .select('student_id', 'class_id') as Promise<Array<{ student_id: number; class_id: number }>>,
  );
  const rows =
    earlier.length === 0
      ? own
      : [...own, ...(await query([...new Set(earlier.map((e) => Number(e.class_id)))], [...new Set(earlier.map((e) => Number(e.student_id)))]))];
  const out: CellRow[] = [];
  for (const r of rows) {
    const studentId = Number(r.student_id);
    const classId = Number(r.class_id);
    for (const cell of String(r.cells).split(',')) {
      const [subjectId, semesterId, kind, seq, value] = cell.split(':');
      out.push({ studentId, classId, subjectId: Number(subjectId), semesterId: Number(semesterId), kind, seq: Number(seq), value });
    }
  }
  return out;
}
// subject:semester:kind:seq:value per cell; a score is numeric(3,1) (PostgreSQL) or REAL (SQLite) cast to text.
const SQLITE_CELLS = "group_concat(subject_id || ':' || semester_id || ':' || kind || ':' || seq || ':' || coalesce(grade_text, score), ',') as cells";
const PG_CELLS = "string_agg(subject_id::text || ':' || semester_id::text || ':' || kind || ':' || seq::text || ':' || coalesce(grade_text, score::text), ',') as cells";

interface Cells {
  regular: (string | null)[];
  midterm: string | null;
  final: string | null;
}

/**
 * The inputs of studentYearOutcome for these students, in four set-based queries whatever their number: the
 * cells of both semesters, conduct and absences, retest results and summer-training results.
 * Subjects are keyed by String(subjects.id) in the input, so a retest result names its subject unambiguously.
 */
export async function loadInputs(conn: Conn, ctx: YearContext, students: Enrolled[], changedSubjectId?: number): Promise<LoadedStudent[]> {
  if (students.length === 0) return [];
  const stored = changedSubjectId === undefined ? null : await storedSemesterResults(conn, ctx, students, changedSubjectId);
  const ids = students.map((s) => s.studentId);
  const semesterIds = [ctx.semesters.hk1, ctx.semesters.hk2].filter((s): s is number => s !== null);
  type Rows = Array<Record<string, unknown>>;
  const [cellRows, conductRows, retestRows, summerRows] = await queries(
    conn,
    () => loadCells(conn, ctx, students, semesterIds, stored ? changedSubjectId : undefined),
    () =>
      semesterIds.length === 0
        ? Promise.resolve([] as Rows)
        : (conn('conduct_records')
            .whereIn('semester_id', semesterIds)
            .whereIn('student_id', ids)
            .select('student_id', 'semester_id', 'conduct', 'absences_excused', 'absences_unexcused') as Promise<Rows>),
    () => conn('retest_results').where({ school_year_id: ctx.schoolYearId }).whereIn('student_id', ids).select('student_id', 'subject_id', 'value') as Promise<Rows>,
    () => conn('summer_training_results').where({ school_year_id: ctx.schoolYearId }).whereIn('student_id', ids).select('student_id', 'conduct') as Promise<Rows>,
  );

  const classOf = new Map(students.map((s) => [s.studentId, s.classId]));
  // student → subject → semester → cells. A student who changed class mid-year may have a cell under both
  // classes: the one of their current class wins (the old class's book is history), so those go first and the
  // others only fill slots still empty.
  const cells = new Map<number, Map<number, { hk1?: Cells; hk2?: Cells }>>();
  const place = (r: CellRow, onlyIfEmpty: boolean) => {
    const sem = r.semesterId === ctx.semesters.hk1 ? 'hk1' : 'hk2';
    let bySubject = cells.get(r.studentId);
    if (!bySubject) cells.set(r.studentId, (bySubject = new Map()));
    let bySem = bySubject.get(r.subjectId);
    if (!bySem) bySubject.set(r.subjectId, (bySem = {}));
    const c = (bySem[sem] ??= { regular: [], midterm: null, final: null });
    if (r.kind === 'regular') {
      if (!onlyIfEmpty || c.regular[r.seq - 1] === undefined) c.regular[r.seq - 1] = r.value;
    } else if (r.kind === 'midterm') {
      if (!onlyIfEmpty || c.midterm === null) c.midterm = r.value;
    } else if (r.kind === 'final') {
      if (!onlyIfEmpty || c.final === null) c.final = r.value;
    }
  };
  const elsewhere: CellRow[] = [];
  for (const r of cellRows) {
    if (r.classId === classOf.get(r.studentId)) place(r, false);
    else elsewhere.push(r);
  }
  for (const r of elsewhere) place(r, true);

  const conduct = new Map<number, { hk1: Level | null; hk2: Level | null; abs1: number; abs2: number }>();
  for (const r of conductRows) {
    const studentId = Number(r.student_id);
    const c = conduct.get(studentId) ?? { hk1: null, hk2: null, abs1: 0, abs2: 0 };
    const absences = Number(r.absences_excused ?? 0) + Number(r.absences_unexcused ?? 0);
    const level = (r.conduct as Level | null) ?? null;
    if (Number(r.semester_id) === ctx.semesters.hk1) Object.assign(c, { hk1: level, abs1: absences });
    else Object.assign(c, { hk2: level, abs2: absences });
    conduct.set(studentId, c);
  }
  const retests = new Map<number, Record<string, string>>();
  for (const r of retestRows) {
    const m = retests.get(Number(r.student_id)) ?? {};
    m[String(r.subject_id)] = String(r.value);
    retests.set(Number(r.student_id), m);
  }
  const summer = new Map(summerRows.map((r) => [Number(r.student_id), String(r.conduct) as Level]));

  const bySubjectsOfGrade = new Map<number, GradeSubject[]>();
  return students.map((enrolled) => {
    let subjects = bySubjectsOfGrade.get(enrolled.grade);
    if (!subjects) bySubjectsOfGrade.set(enrolled.grade, (subjects = subjectsForGrade(ctx, enrolled.grade)));
    const mine = cells.get(enrolled.studentId);
    const entries = (c: Cells | undefined, regularCount: number): SemesterEntries => {
      // Slots up to the required count, plus any stored beyond it (the rules refuse those rather than drop them).
      const length = Math.max(regularCount, c?.regular.length ?? 0);
      return { regular: Array.from({ length }, (_, i) => c?.regular[i] ?? null), midterm: c?.midterm ?? null, final: c?.final ?? null };
    };
    const cd = conduct.get(enrolled.studentId);
    const retest: RetestResults | null = retests.get(enrolled.studentId) ?? null;
    return {
      enrolled,
      subjects,
      absences: { hk1: cd?.abs1 ?? 0, hk2: cd?.abs2 ?? 0 },
      input: {
        subjects: subjects.map((s) => {
          const kept = s.id === changedSubjectId ? undefined : stored?.get(enrolled.studentId)?.get(s.id);
          return kept
            ? { subject: String(s.id), kind: s.kind, regularCount: 0, hk1: asEntries(kept.hk1), hk2: asEntries(kept.hk2) }
            : { subject: String(s.id), kind: s.kind, regularCount: s.regularCount, hk1: entries(mine?.get(s.id)?.hk1, s.regularCount), hk2: entries(mine?.get(s.id)?.hk2, s.regularCount) };
        }),
        conduct: { hk1: cd?.hk1 ?? null, hk2: cd?.hk2 ?? null },
        // Điều 12: sessions absent in the whole year, excused or not, both semesters.
        absences: (cd?.abs1 ?? 0) + (cd?.abs2 ?? 0),
        summerTraining: summer.get(enrolled.studentId) ?? null,
        retests: retest,
      },
    };
  });
}
