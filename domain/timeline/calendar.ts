/** Wall-clock helpers for the timeline, in Vietnam time (UTC+7 all year). */
import { VN_OFFSET_MS, vnMidnight } from '../cutoffs';
import { addDays, holidayOn, weeklyCutoffs } from '../progress';
import type { Holiday, SchoolCalendar } from './types';

/** The instant of HH:MM on a Vietnam calendar day. */
export function vnAt(date: string, hhmm: string): string {
  const [hh, mm] = hhmm.split(':').map(Number);
  return new Date(Date.parse(vnMidnight(date)) + (hh * 60 + mm) * 60_000).toISOString();
}

/** The Vietnam calendar day (YYYY-MM-DD) of an instant. */
export function vnDateOf(instant: string): string {
  return new Date(Date.parse(instant) + VN_OFFSET_MS).toISOString().slice(0, 10);
}

export const inHoliday = (date: string, holidays: Holiday[]): Holiday | undefined => holidayOn(date, holidays);

/** The weekly score cutoffs of the year: inside a semester, never inside a holiday (no cutoff in Tết week). */
export function yearCutoffs(cal: SchoolCalendar, holidays: Holiday[]): string[] {
  return cal.semesters.flatMap((sem) => weeklyCutoffs({ ...sem, holidays }, cal.cutoffs)).sort();
}

/** YYYY-MM months from the first semester's start to the last semester's end. */
export function teachingMonths(cal: SchoolCalendar): string[] {
  const first = cal.semesters.map((s) => s.startDate).sort()[0];
  const last = cal.semesters.map((s) => s.endDate).sort().at(-1);
  if (!first || !last) return [];
  const out: string[] = [];
  for (let d = `${first.slice(0, 7)}-01`; d.slice(0, 7) <= last.slice(0, 7); d = nextMonth(d)) out.push(d.slice(0, 7));
  return out;
}

function nextMonth(firstOfMonth: string): string {
  const [y, m] = firstOfMonth.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

export { addDays };
