/**
 * Records the histories the timeline determinism guard replays (test/timeline-replay.test.ts): the real
 * schoolYearWorkflow and its milestoneWorkflow children over a whole school year on the time-skipping test server,
 * with in-memory activities, including a deadline moved mid-year (the "timeline changed" signal and re-plan).
 * Re-record only when the workflows change on purpose (and say so in the commit):
 *   npx tsx test/temporal/record-timeline-histories.ts   (after `npm run provision`)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { timelineProfile, vnAt, type SchoolCalendar } from '../../domain/timeline';
import { milestoneWorkflowId, schoolYearWorkflow, timelineChanged } from '../../workflows/timeline';
import { timeSkippingEnv } from '../helpers/temporal';
import { fakeTimelineActivities, type FakeTimeline } from './fake-timeline-activities';

const here = path.dirname(fileURLToPath(import.meta.url));
const testServer = process.env.TEMPORAL_TEST_SERVER_PATH || path.join(here, '../../.tools/venv/bin/temporal-test-server');
const outDir = path.join(here, '../fixtures/histories');

/** The recorded workflows: the year, the entry milestone (moved mid-year) and the monthly inspection. */
export const RECORDED = { year: 'timeline-year', children: ['nhap-du-lieu', 'inspection'] } as const;
export const historyFile = (name: string) => path.join(outDir, `timeline-${name}.json`);

const CAL: SchoolCalendar = {
  yearStart: '2027-09-01',
  yearEnd: '2028-08-31',
  semesters: [
    { startDate: '2027-09-06', endDate: '2028-01-16' },
    { startDate: '2028-01-17', endDate: '2028-05-24' },
  ],
  cutoffs: { regularCutoffWeekday: 5, regularCutoffTime: '15:00', periodicWindowDays: 7 },
};

const env = await timeSkippingEnv(testServer);
try {
  const t: FakeTimeline = {
    config: { ...timelineProfile('khanh-phu', 2027), holidays: [{ name: 'Tết', from: '2028-01-24', to: '2028-02-06' }] },
    calendar: CAL,
    activatedAt: vnAt('2027-08-31', '00:00'),
    done: new Set(),
    ran: [],
    skipped: [],
  };
  const taskQueue = 'timeline-history';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: path.join(here, '../../workflows/timeline.ts'),
    activities: fakeTimelineActivities(t),
  });
  await worker.runUntil(async () => {
    await env.sleep(Date.parse(t.activatedAt) - (await env.currentTimeMs()));
    const handle = await env.client.workflow.start(schoolYearWorkflow, { args: [{ schoolYearId: 1 }], taskQueue, workflowId: RECORDED.year });
    await env.sleep(Date.parse(vnAt('2028-04-15', '12:00')) - (await env.currentTimeMs()));
    t.config = { ...t.config, milestones: t.config.milestones.map((m) => (m.key === 'nhap-du-lieu' ? { ...m, due: vnAt('2028-05-25', '17:00') } : m)) };
    await handle.signal(timelineChanged);
    await handle.result();
    const write = async (name: string, workflowId: string) => {
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      fs.writeFileSync(historyFile(name), `${JSON.stringify(JSON.parse(historyToJSON(history)))}\n`);
      console.log(`recorded ${historyFile(name)} (${history.events!.length} events)`);
    };
    await write('year', RECORDED.year);
    for (const key of RECORDED.children) await write(key, milestoneWorkflowId(RECORDED.year, key));
  });
} finally {
  await env.teardown();
}
