/**
 * When a grade-book cell closes, computed at write time from the school's settings — never from a timer having
 * fired (timeline.md; seed 000: regular scores entered by Friday 15:00 each week, periodic scores within one week
 * of the test). All wall-clock times are Vietnam time: Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving).
 */
export const VN_OFFSET_MS = 7 * 3_600_000;

export interface CutoffSettings {
  /** ISO weekday of the weekly regular-assessment cutoff: 1 = Monday … 7 = Sunday (default 5, Friday). */
  regularCutoffWeekday: number;
  /** Local time of the cutoff, HH:MM (default 15:00). */
  regularCutoffTime: string;
  /** Periodic (midterm/final) scores may be entered from the test date to this many days after it (default 7). */
  periodicWindowDays: number;
}

export const DEFAULT_CUTOFFS: CutoffSettings = { regularCutoffWeekday: 5, regularCutoffTime: '15:00', periodicWindowDays: 7 };

export type AssessmentKind = 'regular' | 'midterm' | 'final';

export type ClosedRule = 'regular_weekly' | 'periodic_window' | 'periodic_before_test' | 'periodic_no_test_date';
export type Closure = { closed: false } | { closed: true; rule: ClosedRule; since: string | null; until?: string };

/** The first weekly cutoff strictly after `instant` (ISO string, any offset). */
export function regularCutoffAfter(instant: string, s: CutoffSettings): string {
  const t = Date.parse(instant);
  const [hh, mm] = s.regularCutoffTime.split(':').map(Number);
  const local = new Date(t + VN_OFFSET_MS); // fields read with getUTC* are Vietnam wall-clock fields
  const isoWeekday = ((local.getUTCDay() + 6) % 7) + 1;
  const daysAhead = (s.regularCutoffWeekday - isoWeekday + 7) % 7;
  let cutoff = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + daysAhead, hh, mm) - VN_OFFSET_MS;
  if (cutoff <= t) cutoff += 7 * 86_400_000;
  return new Date(cutoff).toISOString();
}

/** Midnight (Vietnam time) at the start of a YYYY-MM-DD day plus `days`, as an ISO instant. */
export function vnMidnight(date: string, days = 0): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days) - VN_OFFSET_MS).toISOString();
}

export interface CellTiming {
  kind: AssessmentKind;
  /** When the cell's value was first saved (regular scores close at the next weekly cutoff after it). */
  firstEnteredAt?: string | null;
  /** The recorded test date of this class × subject × semester × kind (periodic scores). */
  testDate?: string | null;
}

export function cellClosure(cell: CellTiming, s: CutoffSettings, now: string): Closure {
  const t = Date.parse(now);
  if (cell.kind === 'regular') {
    // An empty cell stays open: next week's regular assessment goes into it. A saved one closes at the cutoff.
    if (!cell.firstEnteredAt) return { closed: false };
    const cutoff = regularCutoffAfter(cell.firstEnteredAt, s);
    return t >= Date.parse(cutoff) ? { closed: true, rule: 'regular_weekly', since: cutoff } : { closed: false };
  }
  if (!cell.testDate) return { closed: true, rule: 'periodic_no_test_date', since: null };
  const opens = vnMidnight(cell.testDate);
  if (t < Date.parse(opens)) return { closed: true, rule: 'periodic_before_test', since: null, until: opens };
  // "Within one week of the test": through the whole seventh day after it.
  const closes = vnMidnight(cell.testDate, s.periodicWindowDays + 1);
  return t >= Date.parse(closes) ? { closed: true, rule: 'periodic_window', since: closes } : { closed: false };
}

/** dd/mm/yyyy HH:MM in Vietnam time, for messages. */
export function formatVn(instant: string): string {
  const d = new Date(Date.parse(instant) + VN_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}
