/**
 * The education office's dashboard (issue 13, "Education office (S1)"; roles.md): the schools an office account
 * supervises, read only — per school the current year's milestone completions, signing and sync — sorted with the
 * furthest behind first, and one school's classes. Reading audits nothing (the project audits changes, not reads).
 */
import { z } from 'zod';
import { byFurthestBehind, lagOf } from '../../domain/office';
import { canReadOfficeSchool, officeSchoolIds } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { forbidden, notFound } from '../core/errors';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { yearCounter, type UnitFigures } from './figures';

interface SchoolHead {
  id: number;
  code: string;
  name: string;
  schoolYear: { id: number; name: string } | null;
  hasTimeline: boolean;
}

export type SchoolSummary = SchoolHead & { figures: UnitFigures | null; lag: number | null };

const EMPTY_HEAD = { schoolYear: null, hasTimeline: false };

/** The schools with the year asked for (by name, "2025-2026"), or each school's current year. */
async function schoolsOf(db: Db, ids: number[], yearName: string | null) {
  if (ids.length === 0) return [];
  const years = db('school_years').whereIn('school_id', ids).select('id', 'school_id', 'name');
  if (yearName) years.where('name', yearName);
  else years.where('is_current', true);
  const [schools, yearRows] = await Promise.all([
    db('schools').whereIn('id', ids).select('id', 'code', 'name') as Promise<Array<{ id: number; code: string; name: string }>>,
    years as Promise<Array<{ id: number; school_id: number; name: string }>>,
  ]);
  const yearOf = new Map(yearRows.map((y) => [Number(y.school_id), { id: Number(y.id), name: y.name }]));
  return schools.map((s) => ({ id: Number(s.id), code: s.code, name: s.name, year: yearOf.get(Number(s.id)) ?? null }));
}

const YearQuery = z.object({ schoolYear: z.string().regex(/^\d{4}-\d{4}$/).optional() });

/** The school years the office may pick (every name a supervised school has), newest first. */
async function yearNames(db: Db, ids: number[]): Promise<string[]> {
  const rows = (await db('school_years').whereIn('school_id', ids).distinct('name')) as Array<{ name: string }>;
  return rows.map((r) => r.name).sort((a, b) => b.localeCompare(a));
}

/** GET /api/office/schools: every supervised school, furthest behind first, for `?schoolYear=` or the current year. */
export async function officeSchools(db: Db, actor: Actor, query: unknown = {}, now = nowIso()) {
  const ids = officeSchoolIds(principalOf(actor));
  if (ids.length === 0) throw forbidden();
  const { schoolYear } = parse(YearQuery, query);
  const [schools, years] = await Promise.all([schoolsOf(db, ids, schoolYear ?? null), yearNames(db, ids)]);
  // One school's reads do not wait for another's: PostgreSQL answers them on the pool's connections side by side.
  const rows = await Promise.all(
    schools.map(async (s): Promise<SchoolSummary> => {
      if (!s.year) return { id: s.id, code: s.code, name: s.name, ...EMPTY_HEAD, figures: null, lag: null };
      const counter = await yearCounter(db, s.id, s.year.id);
      const figures = await counter.figures();
      return { id: s.id, code: s.code, name: s.name, schoolYear: s.year, hasTimeline: counter.hasTimeline, figures, lag: lagOf(figures.milestones.map((m) => ({ due: m.due, percent: m.completion.percent })), now) };
    }),
  );
  return { now, schoolYear: schoolYear ?? null, years, schools: rows.sort(byFurthestBehind) };
}

/** GET /api/office/schools/:id: one supervised school's figures and each of its classes' (the drill-down). */
export async function officeSchool(db: Db, actor: Actor, schoolId: number, query: unknown = {}, now = nowIso()) {
  // Scope before any read: a school outside the office's is refused whether it exists or not.
  if (!canReadOfficeSchool(principalOf(actor), schoolId)) throw forbidden();
  const { schoolYear } = parse(YearQuery, query);
  const [s] = await schoolsOf(db, [schoolId], schoolYear ?? null);
  if (!s) throw notFound('schools', schoolId);
  const head = { id: s.id, code: s.code, name: s.name };
  if (!s.year) return { now, school: { ...head, ...EMPTY_HEAD, figures: null, lag: null }, classes: [] };
  const counter = await yearCounter(db, s.id, s.year.id);
  const figures = await counter.figures();
  const classes = await Promise.all(counter.classes.map(async (c) => ({ ...c, figures: await counter.figures({ classIds: [c.id] }) })));
  return {
    now,
    school: { ...head, schoolYear: s.year, hasTimeline: counter.hasTimeline, figures, lag: lagOf(figures.milestones.map((m) => ({ due: m.due, percent: m.completion.percent })), now) },
    classes,
  };
}
