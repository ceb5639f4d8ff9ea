import { z } from 'zod';
import { toBool } from '../db/knex';
import type { ResourceDef, WriteContext } from '../core/resource';
import { assertStartBeforeEnd, assertUnreferenced, assertWithin, duplicate, invalid, num, stripUndefined, vnDate } from './common';
import { schoolDate } from '../core/fields';
import { insertReturningId } from '../core/records';

/** Năm học: "2026-2027", from early September to the end of May. One per school is the current year. */
export interface SchoolYear {
  id: number;
  schoolId: number;
  name: string;
  startDate: string;
  endDate: string;
  isCurrent: boolean;
}

const SchoolYearInput = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{4}$/),
  startDate: schoolDate,
  endDate: schoolDate,
  isCurrent: z.boolean().optional(),
});
type Input = z.output<typeof SchoolYearInput>;

/** The name names the two calendar years the school year spans; the dates must fall in them, in order. */
async function check(y: Omit<SchoolYear, 'id' | 'schoolId'>, ctx: WriteContext, selfId?: number): Promise<void> {
  const [first, second] = y.name.split('-').map(Number);
  if (second !== first + 1) throw invalid('name', 'badChoice', { options: `${first}-${first + 1}` });
  assertWithin(y.startDate, `${first}-01-01`, `${first}-12-31`, 'startDate');
  assertWithin(y.endDate, `${second}-01-01`, `${second}-12-31`, 'endDate');
  assertStartBeforeEnd(y.startDate, y.endDate);
  const same = ctx.trx('school_years').where({ school_id: ctx.schoolId, name: y.name });
  if (selfId) same.whereNot({ id: selfId });
  if (await same.first('id')) throw duplicate('name', y.name);
  if (selfId) {
    // The year must still contain its semesters.
    const span = (await ctx
      .trx('semesters')
      .where({ school_year_id: selfId })
      .min({ start: 'start_date' })
      .max({ end: 'end_date' })
      .first()) as { start: string | null; end: string | null } | undefined;
    if (span?.start && y.startDate > span.start) throw invalid('startDate', 'tooBig', { max: span.start });
    if (span?.end && y.endDate < span.end) throw invalid('endDate', 'dateFrom', { min: vnDate(span.end) });
  }
}

/** Only one current year per school: making one current clears the flag on the others, in the same transaction. */
async function clearOtherCurrent(ctx: WriteContext, id: number): Promise<void> {
  await ctx.trx('school_years').where({ school_id: ctx.schoolId }).whereNot({ id }).update({ is_current: false });
}

export const schoolYearsResource: ResourceDef<SchoolYear> = {
  name: 'school-years',
  table: 'school_years',
  baseQuery: (conn) => conn('school_years').select('school_years.*'),
  fields: {
    id: { column: 'school_years.id', type: 'number' },
    name: { column: 'school_years.name', type: 'string' },
    startDate: { column: 'school_years.start_date', type: 'string' },
    endDate: { column: 'school_years.end_date', type: 'string' },
    isCurrent: { column: 'school_years.is_current', type: 'boolean' },
  },
  searchColumns: ['school_years.name'],
  defaultSort: 'startDate',
  toApi: (r) => ({
    id: num(r.id),
    schoolId: num(r.school_id),
    name: String(r.name),
    startDate: String(r.start_date),
    endDate: String(r.end_date),
    isCurrent: toBool(r.is_current),
  }),
  create: {
    schema: SchoolYearInput,
    insert: async (raw, ctx) => {
      const input = raw as Input;
      const y = { ...input, isCurrent: input.isCurrent ?? false };
      await check(y, ctx);
      const id = await insertReturningId(ctx.trx, 'school_years', {
        school_id: ctx.schoolId,
        name: y.name,
        start_date: y.startDate,
        end_date: y.endDate,
        is_current: y.isCurrent,
      });
      if (y.isCurrent) await clearOtherCurrent(ctx, id);
      return id;
    },
  },
  update: {
    schema: SchoolYearInput.partial(),
    apply: async (existing, raw, ctx) => {
      const input = raw as Partial<Input>;
      const y = { ...existing, ...stripUndefined(input) };
      await check(y, ctx, existing.id);
      await ctx.trx('school_years').where({ id: existing.id }).update({
        name: y.name,
        start_date: y.startDate,
        end_date: y.endDate,
        is_current: y.isCurrent,
      });
      if (y.isCurrent && !existing.isCurrent) await clearOtherCurrent(ctx, existing.id);
    },
  },
  remove: async (existing, { trx }) => {
    await assertUnreferenced(trx, existing.id, [
      ['semesters', 'school_year_id'],
      ['classes', 'school_year_id'],
      ['enrolments', 'school_year_id'],
      ['teaching_assignments', 'school_year_id'],
    ]);
    await trx('school_years').where({ id: existing.id }).delete();
  },
};
