/**
 * Every step of a school year's timeline, in order, before anyone's progress is known: reminders before each
 * milestone, its escalation chain and its lock; the weekly reminder before each score cutoff and the escalation at
 * it; the principal's monthly inspection report. Pure: both engines (embedded and Temporal) schedule from this.
 */
import { addDays, inHoliday, teachingMonths, vnAt, vnDateOf, yearCutoffs } from './calendar';
import type { Milestone, SchoolCalendar, Step, TimelineConfig } from './types';

export const WEEKLY = 'weekly';
export const INSPECTION = 'inspection';

/** Identifies a step across re-plans: a step fires at most once per milestone and period. */
export function stepId(s: Pick<Step, 'milestone' | 'step' | 'period'>): string {
  return `${s.milestone}|${s.step}|${s.period}`;
}

export function milestoneSteps(m: Milestone, remindAt: string, yearLabel: string): Step[] {
  const dueDate = vnDateOf(m.due);
  const base = { milestone: m.key, period: yearLabel };
  const steps: Step[] = [];
  for (const d of [...new Set(m.reminderDays)].sort((a, b) => b - a)) {
    const at = vnAt(addDays(dueDate, -d), remindAt);
    if (d > 0 && at < m.due) steps.push({ ...base, step: `remind-D-${d}`, kind: 'remind', at });
  }
  m.escalation.forEach((lvl, i) => {
    const at = lvl.afterDays === 0 ? m.due : vnAt(addDays(dueDate, lvl.afterDays), remindAt);
    steps.push({ ...base, step: `escalate-${i + 1}`, kind: 'escalate', at, level: i + 1 });
  });
  if (m.lockAtDue) steps.push({ ...base, step: 'lock', kind: 'lock', at: m.due });
  return steps;
}

/** Weekly rule: remind on the cutoff's week (Friday 07:00 by default), escalate at the cutoff; none in holidays. */
export function weeklySteps(config: TimelineConfig, cal: SchoolCalendar): Step[] {
  if (!config.weekly.enabled) return [];
  const steps: Step[] = [];
  for (const cutoff of yearCutoffs(cal, config.holidays)) {
    const date = vnDateOf(cutoff);
    const back = (cal.cutoffs.regularCutoffWeekday - config.weekly.remindWeekday + 7) % 7;
    const remind = vnAt(addDays(date, -back), config.weekly.remindAt);
    const base = { milestone: WEEKLY, period: date };
    if (remind < cutoff) steps.push({ ...base, step: 'weekly-remind', kind: 'remind', at: remind });
    steps.push({ ...base, step: 'weekly-escalate', kind: 'escalate', at: cutoff });
  }
  return steps;
}

/** The principal's monthly inspection of entry (seed 000): a report each teaching month, moved past holidays. */
export function inspectionSteps(config: TimelineConfig, cal: SchoolCalendar): Step[] {
  if (!config.inspection.enabled) return [];
  return teachingMonths(cal).map((month) => {
    let date = `${month}-${String(config.inspection.dayOfMonth).padStart(2, '0')}`;
    for (let guard = 0; inHoliday(date, config.holidays) && guard < 31; guard++) date = addDays(date, 1);
    return { milestone: INSPECTION, step: 'inspection', kind: 'report' as const, at: vnAt(date, config.inspection.at), period: month };
  });
}

const byInstant = (a: Step, b: Step) => a.at.localeCompare(b.at) || a.milestone.localeCompare(b.milestone) || a.step.localeCompare(b.step);

/** Every step of the year, ordered by instant (then milestone and step, so the order is stable). */
export function stepsOf(config: TimelineConfig, cal: SchoolCalendar): Step[] {
  const yearLabel = `${cal.yearStart.slice(0, 4)}-${cal.yearEnd.slice(0, 4)}`;
  return [
    ...config.milestones.flatMap((m) => milestoneSteps(m, config.remindAt, yearLabel)),
    ...weeklySteps(config, cal),
    ...inspectionSteps(config, cal),
  ].sort(byInstant);
}

/**
 * The steps due now: instant in (activatedAt, now] and not done yet. Reminders that came due together keep only
 * the latest of their milestone and period, and a reminder whose deadline has already passed is dropped: after
 * downtime, or a deadline moved earlier, people get the latest useful reminder once, never a stale pile.
 * Escalations, locks and reports each run once.
 */
export function dueSteps(steps: Step[], window: { activatedAt: string; now: string }, done: ReadonlySet<string>): { due: Step[]; superseded: Step[] } {
  const group = (s: Step) => `${s.milestone}|${s.period}`;
  const passed = steps.filter((s) => s.at > window.activatedAt && s.at <= window.now && !done.has(stepId(s)));
  const deadlinePassed = new Set(steps.filter((s) => s.kind !== 'remind' && s.kind !== 'report' && s.at <= window.now).map(group));
  // The latest reminder come due per milestone and period, sent or not: every earlier one is superseded by it.
  const lastRemind = new Map<string, string>();
  for (const s of steps) if (s.kind === 'remind' && s.at <= window.now && s.at > (lastRemind.get(group(s)) ?? '')) lastRemind.set(group(s), s.at);
  const due: Step[] = [];
  const superseded: Step[] = [];
  for (const s of passed) {
    const stale = s.kind === 'remind' && (deadlinePassed.has(group(s)) || lastRemind.get(group(s)) !== s.at);
    (stale ? superseded : due).push(s);
  }
  return { due, superseded };
}

/** The next step still to come after `now` (what a timer sleeps until), or undefined when the year is over. */
export function nextStep(steps: Step[], now: string, done: ReadonlySet<string>): Step | undefined {
  return steps.find((s) => s.at > now && !done.has(stepId(s)));
}
