import { z } from 'zod';
import { VN_OFFSET_MS } from '../../domain/cutoffs';
import { currentWeek } from '../../domain/progress';
import { progressReach, reachCovers } from '../../domain/permissions';
import { nowIso, type Db } from '../db/knex';
import { principalOf, type Actor } from '../core/actor';
import type { Lang } from '../core/i18n';
import { loadSettings } from '../gradebook/guards';
import { fillHistogram, holidaysFromConfig, loadBooks, rosters, rosterSizes, studentFills, testDatesOf, type Book } from './queries';
import { GROUP_BY, overdueColumns, overdueList, summarise, type Inputs } from './report';
import { forbidden, AppError, notFound } from '../core/errors';
import { parse } from '../core/validate';

/**
 * Tiến độ nhập điểm: how complete the required scores are, per teacher, class, subject or department, and the
 * overdue cells themselves (the rules: domain/progress.ts, docs/progress.md). Read only; computed at request time
 * from a handful of set-based queries for the whole school.
 */
const id = z.coerce.number().int().positive();
const filters = {
  schoolYearId: id.optional(),
  semesterId: id.optional(),
  classId: id.optional(),
  subjectId: id.optional(),
  teacherId: id.optional(),
  departmentId: id.optional(),
  grade: z.coerce.number().int().min(1).max(12).optional(),
};
const SummaryQuery = z.strictObject({
  ...filters,
  groupBy: z.enum(GROUP_BY).default('teacher'),
  items: z.enum(['true', 'false']).default('true'),
  // 'late': the most overdue first (the oldest missing score, then the most cells), to chase; 'name': A to Z.
  sort: z.enum(['name', 'late']).default('name'),
});
const OverdueQuery = z.strictObject({
  ...filters,
  // 'column': one line per grade-book column (how many students miss it); 'cell': one line per student cell.
  by: z.enum(['cell', 'column']).default('cell'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
type Filters = { [K in keyof typeof filters]?: number };

/** Query: completeness per teacher, class, subject or department (the summary view). */
export async function progressSummary(db: Db, actor: Actor, query: unknown, l: Lang) {
  const q = parse(SummaryQuery, query);
  const ctx = await context(db, actor, q);
  const x = await inputs(db, ctx);
  const { totals, rows } = summarise(ctx.books, x, q.groupBy, q.items === 'true', l, q.sort);
  return { ...header(ctx, x), groupBy: q.groupBy, totals, rows };
}

/** Query: the overdue cells themselves, a page at a time (what a reminder or an escalation names). */
export async function overdueCells(db: Db, actor: Actor, query: unknown, l: Lang) {
  const q = parse(OverdueQuery, query);
  const ctx = await context(db, actor, q);
  const classIds = [...new Set(ctx.books.map((b) => b.classId))];
  const [x, names, fills] = await Promise.all([inputs(db, ctx), rosters(db, ctx.year.id, classIds), studentFills(db, ctx.semester.id, ctx.classFilter)]);
  const list = q.by === 'column' ? overdueColumns(ctx.books, x, names, fills, l, q) : overdueList(ctx.books, x, names, fills, l, q);
  return { ...header(ctx, x), by: q.by, offset: q.offset, limit: q.limit, ...list };
}

export interface Context {
  now: string;
  schoolId: number;
  year: { id: number; name: string };
  semester: { id: number; number: number; startDate: string; endDate: string; holidays: Array<{ from: string; to: string }> };
  books: Book[];
  /** The classes to query, or null for the whole school (no IN list needed). */
  classFilter: number[] | null;
}

/** The school year, semester and the grade books this user may see, after the filters. */
export async function context(db: Db, actor: Actor, q: Filters): Promise<Context> {
  const principal = principalOf(actor);
  const now = nowIso();
  // The year with its timeline's configuration (its holidays), in one query.
  const years = () => db('school_years as y').leftJoin('timelines as tl', 'tl.school_year_id', 'y.id');
  const year = (await (q.schoolYearId
    ? years().where('y.id', q.schoolYearId).first('y.*', 'tl.config as timeline_config')
    : years()
        .where('y.is_current', true)
        .whereIn('y.school_id', actor.schoolId !== null ? [actor.schoolId] : [...new Set(principal.grants.map((g) => g.schoolId))])
        .orderBy('y.id')
        .first('y.*', 'tl.config as timeline_config'))) as Record<string, unknown> | undefined;
  if (!year) throw notFound('school-years', q.schoolYearId ?? '');
  const schoolId = Number(year.school_id);
  const reach = progressReach(principal, schoolId);
  if (!reach) throw forbidden();
  const semesters = (await db('semesters').where({ school_year_id: year.id }).orderBy('number')) as Array<Record<string, unknown>>;
  const sem = q.semesterId ? semesters.find((s) => Number(s.id) === q.semesterId) : currentSemester(semesters, now);
  if (!sem) throw new AppError('invalid', 'validation', {}, { semesterId: { key: 'notInSchoolYear' } });
  const all = await loadBooks(db, Number(year.id));
  const books = all.filter(
    (b) =>
      reachCovers(reach, { schoolId, ...b }) &&
      (q.classId === undefined || b.classId === q.classId) &&
      (q.subjectId === undefined || b.subjectId === q.subjectId) &&
      (q.teacherId === undefined || b.teacherId === q.teacherId) &&
      (q.departmentId === undefined || b.departmentId === q.departmentId) &&
      (q.grade === undefined || b.grade === q.grade),
  );
  const classIds = [...new Set(books.map((b) => b.classId))];
  return {
    now,
    schoolId,
    year: { id: Number(year.id), name: String(year.name) },
    semester: { id: Number(sem.id), number: Number(sem.number), startDate: String(sem.start_date), endDate: String(sem.end_date), holidays: holidaysFromConfig(year.timeline_config) },
    books,
    classFilter: books.length === all.length ? null : classIds,
  };
}

/** The semester today falls in (Vietnam date); between semesters the last one that started; before any, the first. */
function currentSemester(semesters: Array<Record<string, unknown>>, now: string): Record<string, unknown> | undefined {
  const today = new Date(Date.parse(now) + VN_OFFSET_MS).toISOString().slice(0, 10);
  return (
    semesters.find((s) => String(s.start_date) <= today && today <= String(s.end_date)) ??
    [...semesters].reverse().find((s) => String(s.start_date) <= today) ??
    semesters[0]
  );
}

export async function inputs(db: Db, ctx: Context): Promise<Inputs> {
  const settings = await loadSettings(db, ctx.schoolId);
  if (ctx.books.length === 0) {
    return { semester: ctx.semester, settings, now: ctx.now, week: currentWeek(ctx.now, settings), rosterSizes: new Map(), histogram: new Map(), testDates: new Map() };
  }
  const [sizes, histogram, testDates] = await Promise.all([
    rosterSizes(db, ctx.year.id, ctx.classFilter),
    fillHistogram(db, ctx.semester.id, ctx.classFilter),
    testDatesOf(db, ctx.semester.id),
  ]);
  return { semester: ctx.semester, settings, now: ctx.now, week: currentWeek(ctx.now, settings), rosterSizes: sizes, histogram, testDates };
}

function header(ctx: Context, x: Inputs) {
  return {
    now: ctx.now,
    schoolYear: ctx.year,
    semester: ctx.semester,
    week: x.week,
    settings: { regularCutoffWeekday: x.settings.regularCutoffWeekday, regularCutoffTime: x.settings.regularCutoffTime, periodicWindowDays: x.settings.periodicWindowDays },
  };
}
