/**
 * A school year on a virtual clock, by either engine, and what it did read back in one shape: the contract suite
 * holds both engines to it, and `npm run timeline:simulate` prints it. Nobody enters data meanwhile.
 */
import type { Db } from '../db/knex';
import { nextDueAt, runDueSteps } from './engine';

/** The embedded engine on an injected clock: jump to each next step's instant in (from, until] and run it. */
export async function simulateEmbedded(db: Db, from: string, until: string): Promise<number> {
  let cursor = from;
  let rounds = 0;
  for (;;) {
    const next = await nextDueAt(db, cursor);
    if (!next || next > until) return rounds;
    cursor = next;
    await runDueSteps(db, cursor);
    rounds++;
  }
}

export interface SimulatedAction {
  at: string;
  kind: string;
  milestone: string;
  step: string;
  /** The recipient's username; null for a lock. */
  recipient: string | null;
  title: string;
  lines: string[];
  items: unknown[];
}

/** Every action done so far: notifications (by recipient's username) and the timeline's locks, in order. */
export async function actionsDone(db: Db, until = '9999'): Promise<SimulatedAction[]> {
  const notes = (await db('notifications as n')
    .join('users as u', 'u.id', 'n.user_id')
    .where('n.at', '<=', until)
    .select('n.key', 'n.at', 'n.kind', 'n.milestone', 'n.title', 'n.lines', 'n.items', 'u.username')) as Array<Record<string, string>>;
  const config = JSON.parse(String(((await db('timelines').first('config')) as { config: string }).config)) as { milestones: Array<{ key: string; title: string }> };
  const locks = (await db('locks').select('reason', 'scope', 'grade')) as Array<{ reason: string; scope: string; grade: number | null }>;
  const lockSteps = (await db('timeline_steps').where({ step: 'lock', status: 'done' }).where('at', '<=', until).select('milestone', 'at')) as Array<{ milestone: string; at: string }>;
  const lockAction = (s: { milestone: string; at: string }): SimulatedAction => {
    const title = `Khóa sổ theo lộ trình: ${config.milestones.find((m) => m.key === s.milestone)?.title}`;
    const lines = locks.filter((l) => l.reason === title).map((l) => `${l.scope}${l.grade ? ` ${l.grade}` : ''}`).sort();
    return { at: s.at, kind: 'lock', milestone: s.milestone, step: 'lock', recipient: null, title, lines, items: lines };
  };
  return [
    ...notes.map((n) => ({
      at: n.at,
      kind: n.kind,
      milestone: n.milestone,
      step: n.key.split('|')[1],
      recipient: n.username,
      title: n.title,
      lines: JSON.parse(n.lines) as string[],
      items: JSON.parse(n.items) as unknown[],
    })),
    ...lockSteps.map(lockAction),
  ].sort((a, b) => a.at.localeCompare(b.at) || a.milestone.localeCompare(b.milestone) || a.step.localeCompare(b.step) || String(a.recipient).localeCompare(String(b.recipient)));
}
