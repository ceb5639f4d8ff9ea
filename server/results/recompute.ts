import type { Knex } from 'knex';
import { ScoringInputError, studentYearOutcome, type StudentYearInput, type StudentYearOutcome } from '../../domain/scoring';
import { onScoresChangedListen } from '../gradebook/hooks';
import { dialect, nowIso, toBool, type Db } from '../db/knex';
import { HttpError } from '../http/errors';
import { loadEnrolled, loadInputs, loadYearContext, type LoadedStudent, type YearContext } from './inputs';

type Conn = Knex | Knex.Transaction;

const SUBJECT_COLUMNS = ['class_id', 'hk1', 'hk2', 'year', 'retest', 'final'] as const;
const YEAR_COLUMNS = [
  'class_id',
  'learning_hk1',
  'learning_hk2',
  'learning_year',
  'learning_final',
  'learning_year_lifted_by',
  'conduct_hk1',
  'conduct_hk2',
  'conduct_year',
  'conduct_final',
  'absences_hk1',
  'absences_hk2',
  'absences',
  'decision',
  'promoted',
  'held_back_reasons',
  'retest_subjects',
  'summer_training',
  'award',
  'missing',
  'input_problem',
] as const;

type Row = Record<string, unknown>;

/**
 * One student's outcome. Stored inputs the rules refuse are not guessed past (scoring.ts throws): a retest or
 * summer-training result for a student no longer on that list (a mark corrected since) is set aside and named in
 * input_problem, the rest computed without it; any other refusal (an extra regular cell after the subject's count
 * was lowered, say) leaves the year uncomputed, with the problem named.
 */
function outcomeOf(input: StudentYearInput): { outcome: StudentYearOutcome | null; problem: string | null } {
  try {
    return { outcome: studentYearOutcome(input), problem: null };
  } catch (err) {
    if (!(err instanceof ScoringInputError)) throw err;
    if (err.code === 'unexpected_retest' || err.code === 'unexpected_summer_training') {
      try {
        return { outcome: studentYearOutcome({ ...input, retests: null, summerTraining: null }), problem: err.code };
      } catch (again) {
        if (!(again instanceof ScoringInputError)) throw again;
        return { outcome: null, problem: again.code };
      }
    }
    return { outcome: null, problem: err.code };
  }
}

/** The rows to store for these students (pure, apart from the clock). */
export function resultRows(ctx: YearContext, loaded: LoadedStudent[], now: string): { subjects: Row[]; years: Row[] } {
  const subjects: Row[] = [];
  const years: Row[] = [];
  for (const s of loaded) {
    const key = { school_id: ctx.schoolId, school_year_id: ctx.schoolYearId, student_id: s.enrolled.studentId };
    const { outcome: o, problem } = outcomeOf(s.input);
    if (o) {
      for (const r of o.subjects) {
        subjects.push({ ...key, subject_id: Number(r.subject), class_id: s.enrolled.classId, hk1: r.hk1, hk2: r.hk2, year: r.year, retest: r.retest, final: r.final, computed_at: now });
      }
    }
    years.push({
      ...key,
      class_id: s.enrolled.classId,
      learning_hk1: o?.learning.hk1?.level ?? null,
      learning_hk2: o?.learning.hk2?.level ?? null,
      learning_year: o?.learning.year?.level ?? null,
      learning_final: o?.learning.final ?? null,
      learning_year_lifted_by: o?.learning.year?.liftedBecauseOf ? Number(o.learning.year.liftedBecauseOf) : null,
      conduct_hk1: o?.conduct.hk1 ?? s.input.conduct.hk1,
      conduct_hk2: o?.conduct.hk2 ?? s.input.conduct.hk2,
      conduct_year: o?.conduct.year ?? null,
      conduct_final: o?.conduct.final ?? null,
      absences_hk1: s.absences.hk1,
      absences_hk2: s.absences.hk2,
      absences: s.input.absences,
      decision: o?.decision ?? 'incomplete',
      promoted: o?.promoted ?? null,
      held_back_reasons: JSON.stringify(o?.heldBackReasons ?? []),
      retest_subjects: JSON.stringify((o?.retestSubjects ?? []).map(Number)),
      summer_training: o?.summerTraining ?? false,
      award: o?.award ?? null,
      missing: JSON.stringify((o?.missing ?? []).map((m) => (m.subject ? { what: m.what, subjectId: Number(m.subject), semester: m.semester } : m))),
      input_problem: problem,
      computed_at: now,
    });
  }
  return { subjects, years };
}

/** A comparable form of a stored or new row: booleans as 0/1, numbers as numbers, null as null. */
function signature(r: Row, columns: readonly string[], bools: readonly string[] = []): string {
  return JSON.stringify(columns.map((c) => (bools.includes(c) ? (r[c] === null || r[c] === undefined ? null : toBool(r[c]) ? 1 : 0) : (r[c] ?? null))));
}
const normaliseNumbers = (r: Row, cols: string[]) => {
  for (const c of cols) if (r[c] !== null && r[c] !== undefined) r[c] = Number(r[c]);
  return r;
};

const CHUNK = 400;

/**
 * Writes the new rows for these students, touching only what changed (an upsert of the changed rows in a few
 * statements), and deletes rows that no longer apply (a subject the grade no longer takes, a student who left).
 */
async function persist(trx: Knex.Transaction, ctx: YearContext, studentIds: number[], rows: { subjects: Row[]; years: Row[] }): Promise<void> {
  if (studentIds.length === 0) return;
  const oldSubjects = (await trx('student_subject_results')
    .where({ school_year_id: ctx.schoolYearId })
    .whereIn('student_id', studentIds)
    .select('id', 'student_id', 'subject_id', ...SUBJECT_COLUMNS)) as Row[];
  const oldYears = (await trx('student_year_results')
    .where({ school_year_id: ctx.schoolYearId })
    .whereIn('student_id', studentIds)
    .select('id', 'student_id', ...YEAR_COLUMNS)) as Row[];
  const intCols = ['class_id', 'learning_year_lifted_by', 'absences_hk1', 'absences_hk2', 'absences'];
  const oldSubjectSig = new Map(oldSubjects.map((r) => [`${r.student_id}|${r.subject_id}`, { id: Number(r.id), sig: signature(normaliseNumbers(r, ['class_id']), SUBJECT_COLUMNS) }]));
  const oldYearSig = new Map(oldYears.map((r) => [Number(r.student_id), { id: Number(r.id), sig: signature(normaliseNumbers(r, intCols), YEAR_COLUMNS, ['promoted', 'summer_training']) }]));

  const changedSubjects = rows.subjects.filter((r) => {
    const key = `${r.student_id}|${r.subject_id}`;
    const old = oldSubjectSig.get(key);
    oldSubjectSig.delete(key);
    return !old || old.sig !== signature(r, SUBJECT_COLUMNS);
  });
  const changedYears = rows.years.filter((r) => {
    const old = oldYearSig.get(Number(r.student_id));
    oldYearSig.delete(Number(r.student_id));
    return !old || old.sig !== signature(r, YEAR_COLUMNS, ['promoted', 'summer_training']);
  });
  // What is left over has no new counterpart: gone.
  const staleSubjectIds = [...oldSubjectSig.values()].map((o) => o.id);
  const staleYearIds = [...oldYearSig.values()].map((o) => o.id);
  for (let i = 0; i < staleSubjectIds.length; i += CHUNK) await trx('student_subject_results').whereIn('id', staleSubjectIds.slice(i, i + CHUNK)).delete();
  for (let i = 0; i < staleYearIds.length; i += CHUNK) await trx('student_year_results').whereIn('id', staleYearIds.slice(i, i + CHUNK)).delete();
  for (let i = 0; i < changedSubjects.length; i += CHUNK) {
    await trx('student_subject_results')
      .insert(changedSubjects.slice(i, i + CHUNK))
      .onConflict(['school_year_id', 'student_id', 'subject_id'])
      .merge();
  }
  for (let i = 0; i < changedYears.length; i += CHUNK / 2) {
    await trx('student_year_results')
      .insert(changedYears.slice(i, i + CHUNK / 2))
      .onConflict(['school_year_id', 'student_id'])
      .merge();
  }
}

/**
 * Serialises recomputations of one class on PostgreSQL (SQLite has a single writer anyway): a grid save and a
 * school-wide recompute that read the cells at different moments must not leave the older reading stored last.
 * Taken in ascending class order, so batches never wait on each other in a cycle.
 */
async function lockClasses(trx: Knex.Transaction, classIds: number[]): Promise<void> {
  if (dialect(trx) !== 'pg') return;
  for (const id of [...new Set(classIds)].sort((a, b) => a - b)) await trx.raw('select pg_advisory_xact_lock(?, ?)', [RESULTS_LOCK_SPACE, id]);
}
const RESULTS_LOCK_SPACE = 0x5245; // 'RE'

/**
 * Recomputes and stores the results of these students of one class, inside the caller's transaction. Call it
 * after any input of theirs changes: cells (the grade-book listener below does), conduct and absences (the
 * conduct PUT), retest and summer-training results, enrolment changes. Students no longer active in the class
 * lose their rows for it.
 */
export async function recomputeStudents(trx: Knex.Transaction, schoolYearId: number, classId: number, studentIds: number[]): Promise<void> {
  const ids = [...new Set(studentIds)];
  if (ids.length === 0) return;
  await lockClasses(trx, [classId]);
  const ctx = await loadYearContext(trx, schoolYearId);
  const enrolled = await loadEnrolled(trx, ctx, [classId], ids);
  const loaded = await loadInputs(trx, ctx, enrolled);
  await persist(trx, ctx, enrolled.map((e) => e.studentId), resultRows(ctx, loaded, nowIso()));
  const gone = ids.filter((id) => !enrolled.some((e) => e.studentId === id));
  if (gone.length > 0) {
    await trx('student_subject_results').where({ school_year_id: schoolYearId, class_id: classId }).whereIn('student_id', gone).delete();
    await trx('student_year_results').where({ school_year_id: schoolYearId, class_id: classId }).whereIn('student_id', gone).delete();
  }
}

/** Recomputes some whole classes of a year in the caller's transaction (rows of students who left are removed). */
export async function recomputeClasses(trx: Knex.Transaction, ctx: YearContext, classIds: number[]): Promise<number> {
  await lockClasses(trx, classIds);
  const enrolled = await loadEnrolled(trx, ctx, classIds);
  const loaded = await loadInputs(trx, ctx, enrolled);
  const ids = enrolled.map((e) => e.studentId);
  await persist(trx, ctx, ids, resultRows(ctx, loaded, nowIso()));
  for (const table of ['student_subject_results', 'student_year_results']) {
    await trx(table)
      .where({ school_year_id: ctx.schoolYearId })
      .whereIn('class_id', classIds)
      .modify((q) => {
        if (ids.length > 0) q.whereNotIn('student_id', ids);
      })
      .delete();
  }
  return ids.length;
}

/** Classes per transaction in recomputeSchool: a few hundred students, short write transactions. */
const CLASSES_PER_BATCH = 8;

/**
 * The whole school's year results, recomputed in batches of classes, one transaction each (a grade save in
 * between waits for one batch at most, not for the whole school).
 */
export async function recomputeSchool(db: Db, schoolId: number, schoolYearId: number): Promise<{ students: number; ms: number }> {
  const started = process.hrtime.bigint();
  const ctx = await loadYearContext(db, schoolYearId);
  if (ctx.schoolId !== schoolId) throw new HttpError(404, 'notFound', { entity: 'school-years', id: schoolYearId });
  const classIds = ((await db('classes').where({ school_id: schoolId, school_year_id: schoolYearId }).orderBy('id').select('id')) as Array<{ id: number }>).map((c) =>
    Number(c.id),
  );
  let students = 0;
  for (let i = 0; i < classIds.length; i += CLASSES_PER_BATCH) {
    students += await db.transaction((trx) => recomputeClasses(trx, ctx, classIds.slice(i, i + CLASSES_PER_BATCH)));
  }
  return { students, ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6) };
}

// A grid save recomputes the changed students of that class, in the save's transaction.
let listening = false;
export function listenToScoreChanges(): void {
  if (listening) return;
  listening = true;
  onScoresChangedListen((trx, gb, studentIds) => recomputeStudents(trx, gb.schoolYearId, gb.klass.id, studentIds));
}
listenToScoreChanges();
