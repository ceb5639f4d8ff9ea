/**
 * From a step and the progress at its instant to the concrete actions: who gets what. Reminders go to each person
 * still owing work; an escalation goes to the people above them in the chain, listing who is late on what, and
 * stops the moment nobody owes anything; a lock runs regardless; the monthly report goes to the principal.
 * Every action carries a stable idempotency key (milestone, step, period, recipient): executing it twice is a no-op.
 */
import { stepId } from './steps';
import type { ChainRole, EscalationLevel, Step, StepKind, TimelineConfig } from './types';

/** One thing a person still owes, as a message names it (class, subject, columns, missing count, days overdue). */
export interface DebtDetail {
  classId?: number;
  className?: string;
  subjectId?: number;
  subjectName?: string;
  semesterId?: number;
  /** Column labels, e.g. "TX3", "GK". */
  columns?: string[];
  missing: number;
  overdueDays?: number;
  /** Portal path to the exact grid. */
  link?: string;
  /** What is missing, in words, when it is not a count of cells (sync: "3 chưa đủ chữ ký, 2 bị từ chối"). */
  text?: string;
}

/** What one person still owes for a step, and who is above them. */
export interface Debt {
  personId: number;
  personName: string;
  missing: number;
  details: DebtDetail[];
  /** The people above this person, per role of the chain (their department head, supervising VPs, principal). */
  chain: Partial<Record<ChainRole, number[]>>;
  /** Weekly escalation: how many cutoffs the oldest missing slot has passed (1 at the first). */
  overdueWeeks?: number;
}

/** A progress provider's answer. When it cannot count yet, it says why in words and nothing is sent. */
export type Progress =
  | { available: true; debts: Debt[]; reportTo?: number[] }
  | { available: false; reason: string; reportTo?: number[] };

export interface ActionItem {
  personId: number;
  personName: string;
  missing: number;
  details: DebtDetail[];
}

export interface DueAction {
  key: string;
  at: string;
  kind: StepKind;
  milestone: string;
  step: string;
  period: string;
  /** The person it goes to; null for a lock. */
  recipient: number | null;
  items: ActionItem[];
}

const item = (d: Debt): ActionItem => ({ personId: d.personId, personName: d.personName, missing: d.missing, details: d.details });

function action(s: Step, recipient: number | null, items: ActionItem[]): DueAction {
  return { key: `${stepId(s)}|${recipient ?? '-'}`, at: s.at, kind: s.kind, milestone: s.milestone, step: s.step, period: s.period, recipient, items };
}

/** Groups debts under each recipient the chooser names, recipients in ascending id order. */
function fanOut(s: Step, debts: Debt[], recipientsOf: (d: Debt) => number[]): DueAction[] {
  const byRecipient = new Map<number, ActionItem[]>();
  for (const d of debts) {
    for (const r of new Set(recipientsOf(d))) {
      if (r === d.personId) continue; // nobody is escalated to about themselves
      const items = byRecipient.get(r);
      if (items) items.push(item(d));
      else byRecipient.set(r, [item(d)]);
    }
  }
  return [...byRecipient.keys()].sort((a, b) => a - b).map((r) => action(s, r, byRecipient.get(r)!));
}

/** The weekly chain level for a debt: the highest level whose week has come. */
function weeklyLevel(levels: Array<{ role: ChainRole; afterWeeks: number }>, overdueWeeks: number): ChainRole | undefined {
  let role: ChainRole | undefined;
  for (const l of levels) if (overdueWeeks - 1 >= l.afterWeeks) role = l.role;
  return role;
}

export function actionsFor(s: Step, progress: Progress, config: TimelineConfig): DueAction[] {
  if (s.kind === 'lock') return [action(s, null, [])];
  if (s.kind === 'report') {
    const items = progress.available ? progress.debts.filter((d) => d.missing > 0).map(item) : [];
    return [...new Set(progress.reportTo ?? [])].sort((a, b) => a - b).map((r) => action(s, r, items));
  }
  if (!progress.available) return [];
  const owing = progress.debts.filter((d) => d.missing > 0).sort((a, b) => a.personId - b.personId);
  if (s.kind === 'remind') return owing.map((d) => action(s, d.personId, [item(d)]));
  if (s.step === 'weekly-escalate') {
    return fanOut(s, owing, (d) => {
      const role = weeklyLevel(config.weekly.escalation, d.overdueWeeks ?? 1);
      return role ? (d.chain[role] ?? []) : [];
    });
  }
  const level: EscalationLevel | undefined = config.milestones.find((m) => m.key === s.milestone)?.escalation[(s.level ?? 1) - 1];
  return level ? fanOut(s, owing, (d) => d.chain[level.role] ?? []) : [];
}
