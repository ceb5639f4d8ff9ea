/**
 * Reading a school year's timeline for people: the configuration, and per milestone its next step with a
 * countdown, how many steps ran, and how complete it is within the reader's reach (the progress page's counting).
 * A milestone whose provider cannot count yet says why, in words, and shows no figure.
 */
import type { Knex } from 'knex';
import { canReadTimeline, progressReach, reachCovers, type ProgressReach } from '../../domain/permissions';
import { percent, slotsOf, tallyGradebook, weeklyCutoffs } from '../../domain/progress';
import { nextStep, stepId, stepsOf, vnDateOf, type Milestone, type Step } from '../../domain/timeline';
import { principalOf, type Actor } from '../core/actor';
import { AppError, forbidden, notFound } from '../core/errors';
import { nowIso, type Db } from '../db/knex';
import { loadSettings } from '../gradebook/guards';
import { bookKey, fillHistogram, holidaysOf, loadBooks, rosterSizes, testDatesOf } from '../progress/queries';
import { inScope } from './entry-progress';
import { UNAVAILABLE } from './providers';
import { studentsForSync, type StudentSync } from '../sync/readiness';
import { signingCounter } from './signing-progress';
import { syncCounter } from './sync-progress';
import { doneStepIds, loadTimeline, schoolCalendar } from './store';

type Conn = Knex | Knex.Transaction;

export interface Completion {
  available: boolean;
  required?: number;
  entered?: number;
  percent?: number | null;
  reason?: string;
}

/**
 * Counts, for any scope and due instant, the cells required by then and entered so far over the grade books in the
 * reader's reach. What every count needs (settings, books, holidays, roster sizes, each semester's fills and test
 * dates) is read once per page, however many milestones it shows.
 */
export async function completionCounter(conn: Conn, schoolYearId: number, schoolId: number, reach: ProgressReach) {
  const [settings, allBooks, holidays, roster, sems] = await Promise.all([
    loadSettings(conn, schoolId),
    loadBooks(conn, schoolYearId),
    holidaysOf(conn, schoolYearId),
    rosterSizes(conn, schoolYearId, null),
    conn('semesters').where({ school_year_id: schoolYearId }).orderBy('number') as Promise<Array<Record<string, unknown>>>,
  ]);
  const books = allBooks.filter((b) => reachCovers(reach, { schoolId, ...b }));
  const perSemester = new Map<number, Promise<[Awaited<ReturnType<typeof fillHistogram>>, Awaited<ReturnType<typeof testDatesOf>>]>>();
  const fillsOf = (semesterId: number) => {
    if (!perSemester.has(semesterId)) perSemester.set(semesterId, Promise.all([fillHistogram(conn, semesterId, null), testDatesOf(conn, semesterId)]));
    return perSemester.get(semesterId)!;
  };
  // A grade book's slots do not depend on the milestone: computed once per semester and book, however many
  // milestones and classes ask (the office counts every class of every school), on the semester's cutoffs computed once.
  const slotCache = new Map<string, ReturnType<typeof slotsOf>>();
  const weeksOf = new Map<number, string[]>();
  return async (scope: Milestone['scope'], dueBy: string): Promise<Completion> => {
    let required = 0;
    let entered = 0;
    for (const s of sems.filter((x) => String(x.start_date) <= vnDateOf(dueBy))) {
      const sem = { startDate: String(s.start_date), endDate: String(s.end_date), holidays };
      const [histogram, testDates] = await fillsOf(Number(s.id));
      if (!weeksOf.has(Number(s.id))) weeksOf.set(Number(s.id), weeklyCutoffs(sem, settings));
      for (const b of books.filter((x) => inScope(scope, x))) {
        const key = bookKey(b.classId, b.subjectId);
        const cacheKey = `${s.id}:${key}`;
        const slots = slotCache.get(cacheKey) ?? slotsOf(b.regularCount, testDates.get(key) ?? { midterm: null, final: null }, sem, settings, weeksOf.get(Number(s.id)));
        slotCache.set(cacheKey, slots);
        // Students with nothing entered are not in the histogram: they are the roster minus the rest (as the progress page counts).
        const groups = histogram.get(key) ?? [];
        const withScores = groups.reduce((n, g) => n + g.students, 0);
        const empty = { filled: { regular: 0, midterm: false, final: false }, students: Math.max((roster.get(b.classId) ?? 0) - withScores, 0) };
        const t = tallyGradebook(slots, [...groups, empty], dueBy, { from: dueBy, until: dueBy });
        required += t.required;
        entered += t.entered;
      }
    }
    return { available: true, required, entered, percent: percent(entered, required) };
  };
}

/**
 * Each milestone's completion figure, by its provider: the one counting the timeline page shows, and that the
 * education office's dashboard shows per school and per class (`narrow` adds a class to the milestone's scope).
 * What signing and sync need is read once, at the first milestone that asks; `syncStudents` skips even that read.
 */
export function milestoneCounter(conn: Conn, schoolYearId: number, schoolId: number, countEntry: Awaited<ReturnType<typeof completionCounter>>, syncStudents?: StudentSync[]) {
  let signing: ReturnType<typeof signingCounter> | undefined;
  let sync: Promise<ReturnType<typeof syncCounter>> | undefined;
  return async (m: Milestone, narrow: Milestone['scope'] = {}): Promise<Completion> => {
    // A class inside the milestone's own scope: both must hold (a class outside it counts nothing).
    const classIds = m.scope.classIds && narrow.classIds ? m.scope.classIds.filter((c) => narrow.classIds!.includes(c)) : (narrow.classIds ?? m.scope.classIds);
    const scope = { ...m.scope, ...(classIds ? { classIds } : {}) };
    switch (m.provider) {
      case 'entry':
        return countEntry(scope, m.due);
      case 'signing':
        signing ??= signingCounter(conn, schoolYearId);
        return (await signing)(scope);
      case 'sync':
        sync ??= syncStudents ? Promise.resolve(syncCounter(syncStudents)) : studentsForSync(conn, schoolId, schoolYearId).then(syncCounter);
        return (await sync)(scope);
      default:
        return { available: false, reason: UNAVAILABLE[m.provider] ?? 'Chưa đếm được.' };
    }
  };
}

export interface MilestoneView {
  key: string;
  title: string;
  due: string | null;
  kind: 'milestone' | 'weekly' | 'inspection';
  milestone?: Milestone;
  next: Step | null;
  stepsDone: number;
  stepsTotal: number;
  completion: Completion;
}

export async function showTimeline(db: Db, actor: Actor, schoolYearId: number, now = nowIso()) {
  const tl = await loadTimeline(db, schoolYearId);
  if (!tl) {
    const year = (await db('school_years').where({ id: schoolYearId }).first('school_id')) as { school_id: number } | undefined;
    if (!year) throw notFound('school-years', schoolYearId);
    if (!canReadTimeline(principalOf(actor), Number(year.school_id))) throw forbidden();
    throw new AppError('not_found', 'timelineMissing');
  }
  const p = principalOf(actor);
  if (!canReadTimeline(p, tl.schoolId)) throw forbidden();
  const reach = progressReach(p, tl.schoolId) ?? { kind: 'some' as const, grades: [], departmentIds: [], classIds: [], assignments: [] };
  const cal = await schoolCalendar(db, schoolYearId);
  const steps = stepsOf(tl.config, cal);
  const done = await doneStepIds(db, schoolYearId);
  const of = (key: string) => steps.filter((s) => s.milestone === key);
  const counts = (key: string) => ({ next: nextStep(of(key), now, done) ?? null, stepsDone: of(key).filter((s) => done.has(stepId(s))).length, stepsTotal: of(key).length });
  const countCompletion = await completionCounter(db, schoolYearId, tl.schoolId, reach);
  const completionOf = milestoneCounter(db, schoolYearId, tl.schoolId, countCompletion);
  const milestones: MilestoneView[] = [];
  for (const m of tl.config.milestones) {
    milestones.push({ key: m.key, title: m.title, due: m.due, kind: 'milestone', milestone: m, ...counts(m.key), completion: await completionOf(m) });
  }
  const weeklyNext = counts('weekly');
  const thisWeek = weeklyNext.next && weeklyNext.next.milestone === 'weekly' ? weeklyNext.next : null;
  if (tl.config.weekly.enabled) {
    const cutoff = steps.find((s) => s.milestone === 'weekly' && s.step === 'weekly-escalate' && s.at > now);
    milestones.push({
      key: 'weekly',
      title: 'Nhập điểm đánh giá thường xuyên trong tuần',
      due: cutoff?.at ?? null,
      kind: 'weekly',
      ...weeklyNext,
      next: thisWeek,
      completion: cutoff ? await countCompletion({}, cutoff.at) : { available: true, required: 0, entered: 0, percent: null },
    });
  }
  if (tl.config.inspection.enabled) milestones.push({ key: 'inspection', title: 'Kiểm tra việc nhập điểm hằng tháng', due: null, kind: 'inspection', ...counts('inspection'), completion: { available: true } });
  return { ...tl, now, engine: undefined as string | undefined, milestones: milestones.sort((a, b) => (a.next?.at ?? '~').localeCompare(b.next?.at ?? '~')) };
}
