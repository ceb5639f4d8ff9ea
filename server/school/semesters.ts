import { z } from 'zod';
import type { ResourceDef, WriteContext } from '../core/resource';
import { addDays, assertStartBeforeEnd, assertWithin, duplicate, entityId, invalid, loadYear, num, stripUndefined, vnDate } from './common';
import { schoolDate } from '../core/fields';
import { assertInSchool, insertReturningId } from '../core/records';

/** Học kì I and II of a school year: inside the year, semester I before semester II. */
export interface Semester {
  id: number;
  schoolId: number;
  schoolYearId: number;
  number: 1 | 2;
  startDate: string;
  endDate: string;
}

const SemesterInput = z.strictObject({
  schoolYearId: entityId,
  number: z.literal([1, 2]),
  startDate: schoolDate,
  endDate: schoolDate,
});
type Input = z.output<typeof SemesterInput>;

async function check(s: Input, ctx: WriteContext, selfId?: number): Promise<void> {
  await assertInSchool(ctx.trx, 'school_years', s.schoolYearId, ctx.schoolId, 'schoolYearId');
  const year = (await loadYear(ctx.trx, s.schoolYearId))!;
  assertWithin(s.startDate, year.start_date, year.end_date, 'startDate');
  assertWithin(s.endDate, year.start_date, year.end_date, 'endDate');
  assertStartBeforeEnd(s.startDate, s.endDate);
  const others = ctx.trx('semesters').where({ school_year_id: s.schoolYearId });
  if (selfId) others.whereNot({ id: selfId });
  const rows = (await others.select('number', 'start_date', 'end_date')) as Array<{ number: number; start_date: string; end_date: string }>;
  if (rows.some((r) => num(r.number) === s.number)) throw duplicate('number', `${s.number} (${year.name})`);
  for (const other of rows) {
    // Semester I ends before semester II starts.
    if (s.number === 1 && s.endDate >= other.start_date) throw invalid('endDate', 'tooBig', { max: addDays(other.start_date, -1) });
    if (s.number === 2 && s.startDate <= other.end_date) throw invalid('startDate', 'dateFrom', { min: vnDate(addDays(other.end_date, 1)) });
  }
}

export const semestersResource: ResourceDef<Semester> = {
  name: 'semesters',
  table: 'semesters',
  baseQuery: (conn) => conn('semesters').select('semesters.*'),
  fields: {
    id: { column: 'semesters.id', type: 'number' },
    schoolYearId: { column: 'semesters.school_year_id', type: 'number' },
    number: { column: 'semesters.number', type: 'number' },
    startDate: { column: 'semesters.start_date', type: 'string' },
    endDate: { column: 'semesters.end_date', type: 'string' },
  },
  defaultSort: 'startDate',
  toApi: (r) => ({
    id: num(r.id),
    schoolId: num(r.school_id),
    schoolYearId: num(r.school_year_id),
    number: num(r.number) as 1 | 2,
    startDate: String(r.start_date),
    endDate: String(r.end_date),
  }),
  create: {
    schema: SemesterInput,
    insert: async (raw, ctx) => {
      const s = raw as Input;
      await check(s, ctx);
      return insertReturningId(ctx.trx, 'semesters', {
        school_id: ctx.schoolId,
        school_year_id: s.schoolYearId,
        number: s.number,
        start_date: s.startDate,
        end_date: s.endDate,
      });
    },
  },
  update: {
    schema: SemesterInput.partial(),
    apply: async (existing, raw, ctx) => {
      const s = { ...existing, ...stripUndefined(raw as Partial<Input>) };
      await check(s, ctx, existing.id);
      await ctx.trx('semesters').where({ id: existing.id }).update({
        school_year_id: s.schoolYearId,
        number: s.number,
        start_date: s.startDate,
        end_date: s.endDate,
      });
    },
  },
  remove: async (existing, { trx }) => {
    await trx('semesters').where({ id: existing.id }).delete();
  },
};
