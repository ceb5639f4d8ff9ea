/**
 * A school year of the demo school run by either engine with a virtual clock, and what it did, read back from the
 * database in one shape — so one contract suite can hold both engines to the same year.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { vnAt } from '../../domain/timeline';
import { createSecretBox } from '../../server/auth/secret-box';
import type { Db } from '../../server/db/knex';
import { seedDemo } from '../../server/demo/seed';
import { seedDemoTimeline } from '../../server/demo/timeline';
import { nextDueAt, runDueSteps } from '../../server/timeline/engine';
import { createActivities } from '../../workflows/activities';
import { schoolYearWorkflow } from '../../workflows/timeline';
import { freshDatabase, type DbKind, type FreshDb } from './databases';

const here = path.dirname(fileURLToPath(import.meta.url));
export const TIMELINE_WORKFLOWS = path.join(here, '../../workflows/timeline.ts');

/** A year wholly ahead of the time-skipping server's clock (which starts at today's date). */
export const SIM_YEAR = '2027-2028';
export const SIM_START = vnAt('2027-09-01', '00:00');

export async function demoYear(kind: DbKind, students = 320): Promise<{ fresh: FreshDb; yearId: number }> {
  const fresh = await freshDatabase(kind);
  await seedDemo(fresh.db, { secretBox: createSecretBox('timeline-contract-secret-0123456789-abcdef'), students, schoolYear: SIM_YEAR });
  const yearId = (await seedDemoTimeline(fresh.db, { activatedAt: SIM_START }))!;
  return { fresh, yearId };
}

/** The embedded engine on an injected clock: jump to each next step's instant and run what is due there. */
export async function runEmbedded(db: Db, until: string, from = SIM_START, between?: (at: string) => Promise<void>): Promise<number> {
  let cursor = from;
  let rounds = 0;
  for (;;) {
    const next = await nextDueAt(db, cursor);
    if (!next || next > until) return rounds;
    cursor = next;
    await runDueSteps(db, cursor);
    rounds++;
    if (between) await between(cursor);
  }
}

/** The Temporal engine on the time-skipping server: the school year's workflow until every milestone is done. */
export async function runTemporal(db: Db, env: TestWorkflowEnvironment, yearId: number): Promise<void> {
  const taskQueue = `timeline-${yearId}-${Date.now()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: TIMELINE_WORKFLOWS,
    activities: createActivities({ db, clock: { now: () => new Date().toISOString() }, mailer: null }),
  });
  await worker.runUntil(async () => {
    const wait = Date.parse(SIM_START) - (await env.currentTimeMs());
    if (wait > 0) await env.sleep(wait);
    await env.client.workflow.execute(schoolYearWorkflow, { args: [{ schoolYearId: yearId }], taskQueue, workflowId: `year-${taskQueue}` });
  });
}

export interface DoneAction {
  at: string;
  kind: string;
  milestone: string;
  step: string;
  recipient: string | null;
  title: string;
  lines: string[];
}

/** Every action the year produced: notifications (by recipient's username) and locks, in order. */
export async function actionsDone(db: Db): Promise<DoneAction[]> {
  const notes = (await db('notifications as n').join('users as u', 'u.id', 'n.user_id').select('n.key', 'n.at', 'n.kind', 'n.milestone', 'n.title', 'n.lines', 'u.username')) as Array<Record<string, string>>;
  const config = JSON.parse(String(((await db('timelines').first('config')) as { config: string }).config)) as { milestones: Array<{ key: string; title: string }> };
  const locks = (await db('locks').select('reason', 'scope', 'grade')) as Array<{ reason: string; scope: string; grade: number | null }>;
  const lockSteps = (await db('timeline_steps').where({ step: 'lock', status: 'done' }).select('milestone', 'at')) as Array<{ milestone: string; at: string }>;
  const lockAction = (s: { milestone: string; at: string }): DoneAction => {
    const title = `Khóa sổ theo lộ trình: ${config.milestones.find((m) => m.key === s.milestone)?.title}`;
    const mine = locks.filter((l) => l.reason === title).map((l) => `${l.scope}${l.grade ? ` ${l.grade}` : ''}`).sort();
    return { at: s.at, kind: 'lock', milestone: s.milestone, step: 'lock', recipient: null, title, lines: mine };
  };
  return [
    ...notes.map((n) => ({ at: n.at, kind: n.kind, milestone: n.milestone, step: n.key.split('|')[1], recipient: n.username, title: n.title, lines: JSON.parse(n.lines) as string[] })),
    ...lockSteps.map(lockAction),
  ].sort((a, b) => a.at.localeCompare(b.at) || a.milestone.localeCompare(b.milestone) || a.step.localeCompare(b.step) || String(a.recipient).localeCompare(String(b.recipient)));
}
