import { z } from 'zod';
import { LEVELS } from '../../domain/scoring';
import { canReadClassResults } from '../../domain/permissions';
import type { Db } from '../db/knex';
import { principalOf, type Actor } from '../core/actor';
import { loadYearContext, subjectsForGrade } from './inputs';
import { ensureComputed, loadClass, readSubjectRows, readYearRows } from './stored';
import { forbidden } from '../core/errors';
import { parse } from '../core/validate';

const id = z.coerce.number().int().positive();
const SummaryQuery = z.strictObject({ classId: id, schoolYearId: id, semester: z.enum(['1', '2', 'year']).default('year') });

type Counts = Record<string, number>;
const levelCounts = (): Counts => Object.fromEntries([...[...LEVELS].reverse(), 'incomplete'].map((l) => [l, 0]));
const bump = (c: Counts, level: string | null) => void (c[level ?? 'incomplete'] = (c[level ?? 'incomplete'] ?? 0) + 1);

/**
 * Bảng tổng hợp kết quả đánh giá (the class summary sheet): one row per student with every subject's result, the
 * learning and conduct levels, absences and — for the year — the decision, retest subjects, summer training and
 * award, plus the count per level. Values are canonical strings ('8.3'); the portal writes the decimal comma.
 * For the year, each subject shows both the computed year result and any retest result (Điều 13–14: the
 * original stays visible), and `final`, the one that counts.
 */
export async function classSummary(db: Db, actor: Actor, query: unknown) {
  const principal = principalOf(actor);
  const q = parse(SummaryQuery, query);
  const klass = await loadClass(db, q.classId, q.schoolYearId);
  if (!canReadClassResults(principal, klass)) throw forbidden();
  const ctx = await loadYearContext(db, q.schoolYearId);
  await ensureComputed(db, ctx, [klass.classId]);
  const [years, subjectRows] = await Promise.all([readYearRows(db, q.schoolYearId, [klass.classId]), readSubjectRows(db, q.schoolYearId, [klass.classId])]);
  const subjects = subjectsForGrade(ctx, klass.grade);
  const codeOf = new Map(subjects.map((s) => [s.id, s.code]));
  const sem = q.semester === '1' ? 'hk1' : q.semester === '2' ? 'hk2' : 'year';

  const counts = { learning: levelCounts(), conduct: levelCounts() };
  const yearCounts = { learningFinal: levelCounts(), conductFinal: levelCounts(), decisions: {} as Counts, awards: { excellent: 0, very_good: 0 } as Counts };
  const rows = years.map((y) => {
    const mine = subjectRows.get(y.student.id);
    bump(counts.learning, y.learning[sem]);
    bump(counts.conduct, y.conduct[sem]);
    const base = { student: y.student, inputProblem: y.inputProblem };
    if (sem !== 'year') {
      return {
        ...base,
        subjects: Object.fromEntries(subjects.map((s) => [s.code, { [sem]: mine?.get(s.id)?.[sem] ?? null }])),
        learning: { [sem]: y.learning[sem] },
        conduct: { [sem]: y.conduct[sem] },
        absences: y.absences[sem],
      };
    }
    bump(yearCounts.learningFinal, y.learning.final);
    bump(yearCounts.conductFinal, y.conduct.final);
    yearCounts.decisions[y.decision] = (yearCounts.decisions[y.decision] ?? 0) + 1;
    if (y.award) yearCounts.awards[y.award] += 1;
    return {
      ...base,
      subjects: Object.fromEntries(subjects.map((s) => [s.code, mine?.get(s.id) ?? { hk1: null, hk2: null, year: null, retest: null, final: null }])),
      learning: { ...y.learning, yearLiftedBy: y.learning.yearLiftedBy === null ? null : (codeOf.get(y.learning.yearLiftedBy) ?? null) },
      conduct: y.conduct,
      absences: y.absences.year,
      absencesBySemester: { hk1: y.absences.hk1, hk2: y.absences.hk2 },
      decision: y.decision,
      promoted: y.promoted,
      heldBackReasons: y.heldBackReasons,
      retestSubjects: y.retestSubjectIds.map((sid) => codeOf.get(sid) ?? String(sid)),
      summerTraining: y.summerTraining,
      award: y.award,
      missing: y.missing.map((m) => (m.subjectId ? { what: m.what, subject: codeOf.get(m.subjectId) ?? String(m.subjectId), semester: m.semester } : m)),
    };
  });
  return {
    class: { id: klass.classId, name: klass.name, grade: klass.grade },
    schoolYearId: q.schoolYearId,
    semester: q.semester,
    subjects: subjects.map((s) => ({ id: s.id, code: s.code, name: s.name, kind: s.kind })),
    rows,
    counts: sem === 'year' ? { ...counts, ...yearCounts } : counts,
    computedAt: years.reduce<string | null>((max, y) => (max === null || y.computedAt > max ? y.computedAt : max), null),
  };
}
