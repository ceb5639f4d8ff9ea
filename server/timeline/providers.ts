/**
 * What "complete" means for each step: the progress provider named by its milestone, asked as of the step's
 * instant. Signing counts the transcript chain's missing signatures (signing-progress.ts), sync the students not yet
 * accepted by the ministry's receiver (sync-progress.ts); the start-of-year report is filed outside the system: it
 * says so in words, and the planner then sends nothing — no invented numbers.
 */
import type { Knex } from 'knex';
import { INSPECTION, WEEKLY, yearCutoffs, type Progress, type ProviderKey, type SchoolCalendar, type Step, type TimelineConfig } from '../../domain/timeline';
import { loadChain } from './chain';
import { entryDebts } from './entry-progress';
import { signingDebts } from './signing-progress';
import { syncDebts } from './sync-progress';

type Conn = Knex | Knex.Transaction;
const WEEK = 7 * 86_400_000;

/** Why a milestone cannot count yet (shown on the dashboard instead of a figure). */
export const UNAVAILABLE: Partial<Record<ProviderKey, string>> = {
  report: 'Báo cáo lập ngoài hệ thống: không có số liệu để nhắc.',
};

export async function progressFor(conn: Conn, schoolYearId: number, config: TimelineConfig, cal: SchoolCalendar & { schoolId: number }, step: Step): Promise<Progress> {
  const chain = await loadChain(conn, cal.schoolId);
  const reportTo = chain.principals;
  if (step.milestone === WEEKLY) {
    const cutoff = step.step === 'weekly-remind' ? cutoffOfWeek(cal, config, step.period) : step.at;
    const remind = step.step === 'weekly-remind';
    const debts = await entryDebts(
      conn,
      schoolYearId,
      remind ? { scope: {}, dueBy: cutoff, dueAfter: new Date(Date.parse(cutoff) - WEEK).toISOString(), at: step.at } : { scope: {}, dueBy: cutoff, at: step.at, cutoffs: yearCutoffs(cal, config.holidays) },
      chain,
    );
    return { available: true, debts, reportTo };
  }
  if (step.milestone === INSPECTION) {
    return { available: true, debts: await entryDebts(conn, schoolYearId, { scope: {}, dueBy: step.at, at: step.at }, chain), reportTo };
  }
  const m = config.milestones.find((x) => x.key === step.milestone);
  if (!m) return { available: false, reason: 'Mốc không còn trong lộ trình.', reportTo };
  if (m.provider === 'signing') return { available: true, debts: await signingDebts(conn, schoolYearId, m.scope, chain), reportTo };
  if (m.provider === 'sync') return { available: true, debts: await syncDebts(conn, cal.schoolId, schoolYearId, m.scope, chain), reportTo };
  if (m.provider !== 'entry') return { available: false, reason: UNAVAILABLE[m.provider] ?? 'Chưa đếm được.', reportTo };
  return { available: true, debts: await entryDebts(conn, schoolYearId, { scope: m.scope, dueBy: m.due, at: step.at }, chain), reportTo };
}

/** The cutoff instant of the week a weekly step belongs to (its period is the cutoff's date). */
function cutoffOfWeek(cal: SchoolCalendar, config: TimelineConfig, date: string): string {
  const found = yearCutoffs(cal, config.holidays).find((c) => new Date(Date.parse(c) + 7 * 3_600_000).toISOString().slice(0, 10) === date);
  if (!found) throw new Error(`No weekly cutoff on ${date}`);
  return found;
}
