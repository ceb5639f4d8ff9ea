import type { Db } from '../db/knex';
import { notFound } from '../core/errors';

/** The school and school year an export is about, for its title and file name (read after the view's own checks). */
export interface Names {
  schoolId: number;
  school: string;
  year: string;
}

export async function namesOfYear(db: Db, schoolYearId: number): Promise<Names> {
  const row = (await db('school_years as y').join('schools as s', 's.id', 'y.school_id').where('y.id', schoolYearId).first('s.id', 's.name as school', 'y.name as year')) as
    | { id: number; school: string; year: string }
    | undefined;
  if (!row) throw notFound('school-years', schoolYearId);
  return { schoolId: Number(row.id), school: String(row.school), year: String(row.year) };
}

export async function namesOfSemester(db: Db, semesterId: number): Promise<Names> {
  const row = (await db('semesters').where({ id: semesterId }).first('school_year_id')) as { school_year_id: number } | undefined;
  if (!row) throw notFound('semesters', semesterId);
  return namesOfYear(db, Number(row.school_year_id));
}

/** Subject names by code in a school (the lists name retest subjects by code). */
export async function subjectNames(db: Db, schoolId: number): Promise<Map<string, string>> {
  const rows = (await db('subjects').where({ school_id: schoolId }).select('code', 'name')) as Array<{ code: string; name: string }>;
  return new Map(rows.map((r) => [String(r.code), String(r.name)]));
}
