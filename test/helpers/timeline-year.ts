/** The demo school's year for the timeline contract: seeded into a fresh database, run by either engine. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { vnAt } from '../../domain/timeline';
import { createSecretBox } from '../../server/auth/secret-box';
import type { Db } from '../../server/db/knex';
import { seedDemo } from '../../server/demo/seed';
import { seedDemoTimeline } from '../../server/demo/timeline';
import { createActivities } from '../../workflows/activities';
import { schoolYearWorkflow } from '../../workflows/timeline';
import { freshDatabase, type DbKind, type FreshDb } from './databases';
import { workflowBundle } from './workflow-bundle';

export { actionsDone, simulateEmbedded, type SimulatedAction } from '../../server/timeline/simulate';

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

/** The Temporal engine on the time-skipping server: the school year's workflow until every milestone is done. */
export async function runTemporal(db: Db, env: TestWorkflowEnvironment, yearId: number): Promise<void> {
  const taskQueue = `timeline-${yearId}-${Date.now()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(TIMELINE_WORKFLOWS),
    activities: createActivities({ db, clock: { now: () => new Date().toISOString() }, mailer: null }),
  });
  await worker.runUntil(async () => {
    const wait = Date.parse(SIM_START) - (await env.currentTimeMs());
    if (wait > 0) await env.sleep(wait);
    await env.client.workflow.execute(schoolYearWorkflow, { args: [{ schoolYearId: yearId }], taskQueue, workflowId: `year-${taskQueue}` });
  });
}
