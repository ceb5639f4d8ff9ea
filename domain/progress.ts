/**
 * Entry progress (tiến độ nhập điểm): which grade-book cells are *required* by now, which of them are entered,
 * and how late the missing ones are. Pure and framework-free: the progress API, the VPs' dashboard and the
 * timeline's reminders and escalations (timeline.md) all count the same way. Full rules: docs/progress.md.
 *
 * For one class × subject × semester, every student on the roster has the same *slots*, each with a due instant:
 *
 * - Regular assessments (ĐĐGtx, TT22 Điều 7; seed 000: entered by the weekly cutoff). A semester has W weekly
 *   cutoffs (from the school's settings, Friday 15:00 by default) between its first and its last day; with n
 *   regular assessments, the k-th is due by the cutoff of week ceil(k·W/n) — spread evenly, the last one due by
 *   the semester's last cutoff. The k-th slot counts a student's regular scores, not a fixed column: a teacher
 *   who fills TX2 before TX1 has entered one regular score either way.
 * - Midterm and final (ĐĐGgk, ĐĐGck, Điều 7; seed 000: within one week of the test): due when the entry window
 *   after the recorded test date closes (vnMidnight(test date + window days + 1), as in domain/cutoffs.ts).
 *   Without a recorded test date we assume the latest plausible one, so a missing date cannot hide a missing
 *   score: the midterm at the semester's midpoint, the final on the day that still lets it be entered by the
 *   semester's end (end date − window days).
 *
 * A slot is required once its due instant has passed (now ≥ due, the instant the weekly rule closes cells); a
 * required slot a student has not filled is an overdue cell, late by now − due. The current week is the span
 * (previous cutoff, next cutoff]: the slots due in it are what reminders before this week's cutoff chase.
 */
import { regularCutoffAfter, VN_OFFSET_MS, vnMidnight, type CutoffSettings } from './cutoffs';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

export interface SemesterSpan {
  /** YYYY-MM-DD, first and last day (inclusive). */
  startDate: string;
  endDate: string;
  /** School holidays (Tết …), YYYY-MM-DD inclusive: a week whose cutoff falls inside one has no cutoff. */
  holidays?: ReadonlyArray<{ from: string; to: string }>;
}

export type SlotKind = 'regular' | 'midterm' | 'final';

export interface Slot {
  kind: SlotKind;
  /** Regular: the k-th regular assessment (1..n). Midterm and final: 1. */
  k: number;
  /** ISO instant by which the slot must be entered. */
  due: string;
  /** Periodic slots: the test date the due instant comes from, and whether it was assumed (none recorded). */
  testDate?: string;
  assumedTestDate?: boolean;
}

/** The school holiday a Vietnam calendar day (YYYY-MM-DD) falls in, if any (bounds inclusive). */
export function holidayOn<H extends { from: string; to: string }>(date: string, holidays: ReadonlyArray<H>): H | undefined {
  return holidays.find((h) => date >= h.from && date <= h.to);
}

/**
 * The weekly cutoffs that fall within the semester: after 00:00 of its first day, up to 00:00 after its last — none
 * on a day of a school holiday (the timeline's holidays), so regular assessments spread over teaching weeks only.
 */
export function weeklyCutoffs(sem: SemesterSpan, s: CutoffSettings): string[] {
  const end = Date.parse(vnMidnight(sem.endDate, 1));
  const out: string[] = [];
  for (let c = Date.parse(regularCutoffAfter(vnMidnight(sem.startDate), s)); c <= end; c += WEEK) {
    if (!holidayOn(new Date(c + VN_OFFSET_MS).toISOString().slice(0, 10), sem.holidays ?? [])) out.push(new Date(c).toISOString());
  }
  return out;
}

/** Due instants of the n regular assessments: the k-th by the cutoff of week ceil(k·W/n). */
export function regularDueDates(n: number, sem: SemesterSpan, s: CutoffSettings, weeks: string[] = weeklyCutoffs(sem, s)): string[] {
  // A semester too short to contain a cutoff: everything is due when it ends.
  if (weeks.length === 0) return Array.from({ length: n }, () => vnMidnight(sem.endDate, 1));
  return Array.from({ length: n }, (_, i) => weeks[Math.ceil(((i + 1) * weeks.length) / n) - 1]);
}

/** YYYY-MM-DD plus `days` (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** When a periodic score is due: the close of its entry window, from the recorded or the assumed test date. */
export function periodicDue(kind: 'midterm' | 'final', testDate: string | null, sem: SemesterSpan, s: CutoffSettings): Slot {
  let date = testDate;
  if (!date) {
    const days = Math.round((Date.parse(sem.endDate) - Date.parse(sem.startDate)) / (24 * HOUR));
    date = kind === 'midterm' ? addDays(sem.startDate, Math.floor(days / 2)) : addDays(sem.endDate, -s.periodicWindowDays);
    if (date < sem.startDate) date = sem.startDate;
  }
  return { kind, k: 1, due: vnMidnight(date, s.periodicWindowDays + 1), testDate: date, assumedTestDate: !testDate };
}

/** Every slot of one class × subject × semester grade book, in column order. */
/** `weeks`: the semester's weekly cutoffs when the caller already has them (they are the same for every grade book). */
export function slotsOf(regularCount: number, testDates: { midterm: string | null; final: string | null }, sem: SemesterSpan, s: CutoffSettings, weeks?: string[]): Slot[] {
  return [
    ...regularDueDates(regularCount, sem, s, weeks).map((due, i) => ({ kind: 'regular' as const, k: i + 1, due })),
    periodicDue('midterm', testDates.midterm, sem, s),
    periodicDue('final', testDates.final, sem, s),
  ];
}

/** What one student has in a grade book. */
export interface Filled {
  /** Number of regular scores entered (any columns). */
  regular: number;
  midterm: boolean;
  final: boolean;
}

export function fills(slot: Slot, f: Filled): boolean {
  return slot.kind === 'regular' ? f.regular >= slot.k : f[slot.kind];
}

/** The current week for reminders: (previous cutoff, next cutoff]. */
export function currentWeek(now: string, s: CutoffSettings): { from: string; until: string } {
  const until = regularCutoffAfter(now, s);
  return { from: new Date(Date.parse(until) - WEEK).toISOString(), until };
}

export interface Tally {
  /** Cells required by now (slots past their due instant × students). */
  required: number;
  /** Of those, entered. */
  entered: number;
  /** Required and still empty: every one of them is past its due instant. */
  overdueCells: number;
  /** Whole hours since the due instant of the oldest overdue cell; null when nothing is overdue. */
  maxOverdueHours: number | null;
  /** Cells due in the current week (including those not due yet), and how many are entered. */
  week: { required: number; entered: number };
}

export const EMPTY_TALLY: Tally = { required: 0, entered: 0, overdueCells: 0, maxOverdueHours: null, week: { required: 0, entered: 0 } };

/**
 * Tallies one grade book from a histogram of its roster: `groups` says how many students have each fill
 * (students with nothing entered form a group too). Set-based callers never need one row per student.
 */
export function tallyGradebook(slots: Slot[], groups: Array<{ filled: Filled; students: number }>, now: string, week: { from: string; until: string }): Tally {
  const t = Date.parse(now);
  const [from, until] = [Date.parse(week.from), Date.parse(week.until)];
  let required = 0;
  let entered = 0;
  let weekRequired = 0;
  let weekEntered = 0;
  let oldest: number | null = null;
  for (const slot of slots) {
    const due = Date.parse(slot.due);
    const inWeek = due > from && due <= until;
    for (const g of groups) {
      if (g.students === 0) continue;
      const ok = fills(slot, g.filled);
      if (due <= t) {
        required += g.students;
        if (ok) entered += g.students;
        else oldest = oldest === null ? due : Math.min(oldest, due);
      }
      if (inWeek) {
        weekRequired += g.students;
        if (ok) weekEntered += g.students;
      }
    }
  }
  return {
    required,
    entered,
    overdueCells: required - entered,
    maxOverdueHours: oldest === null ? null : hoursBetween(oldest, t),
    week: { required: weekRequired, entered: weekEntered },
  };
}

export function addTallies(a: Tally, b: Tally): Tally {
  const max = a.maxOverdueHours === null ? b.maxOverdueHours : b.maxOverdueHours === null ? a.maxOverdueHours : Math.max(a.maxOverdueHours, b.maxOverdueHours);
  return {
    required: a.required + b.required,
    entered: a.entered + b.entered,
    overdueCells: a.overdueCells + b.overdueCells,
    maxOverdueHours: max,
    week: { required: a.week.required + b.week.required, entered: a.week.entered + b.week.entered },
  };
}

/** entered / required as a percentage with one decimal (rounded down, so 99.96 % never shows as 100 %); null when nothing is required. */
export function percent(entered: number, required: number): number | null {
  if (required === 0) return null;
  return Math.floor((entered * 1000) / required) / 10;
}

export function hoursBetween(from: number, to: number): number {
  return Math.floor((to - from) / HOUR);
}

/** "by how much": whole days and the remaining whole hours. */
export function overdueBy(due: string, now: string): { hours: number; days: number; remainderHours: number } {
  const hours = hoursBetween(Date.parse(due), Date.parse(now));
  return { hours, days: Math.floor(hours / 24), remainderHours: hours % 24 };
}

export interface OverdueCell {
  kind: SlotKind;
  /** The column the score goes into: for regular slots, the student's lowest empty regular column. */
  seq: number;
  due: string;
  testDate?: string;
  assumedTestDate?: boolean;
  overdueHours: number;
}

/**
 * One student's overdue cells in one grade book. The k-th regular slot is missing when fewer than k regular
 * scores are entered; it is shown in the student's lowest-numbered empty regular column not yet named.
 */
export function overdueCellsOf(slots: Slot[], regularCount: number, student: { regularSeqs: number[]; midterm: boolean; final: boolean }, now: string): OverdueCell[] {
  const t = Date.parse(now);
  const seqs = new Set(student.regularSeqs.filter((s) => s >= 1 && s <= regularCount));
  const empty = Array.from({ length: regularCount }, (_, i) => i + 1).filter((s) => !seqs.has(s));
  const filled: Filled = { regular: seqs.size, midterm: student.midterm, final: student.final };
  const out: OverdueCell[] = [];
  for (const slot of slots) {
    const due = Date.parse(slot.due);
    if (due > t || fills(slot, filled)) continue;
    const seq = slot.kind === 'regular' ? empty[slot.k - seqs.size - 1] : 1;
    out.push({
      kind: slot.kind,
      seq,
      due: slot.due,
      ...(slot.testDate ? { testDate: slot.testDate, assumedTestDate: slot.assumedTestDate } : {}),
      overdueHours: hoursBetween(due, t),
    });
  }
  return out;
}
