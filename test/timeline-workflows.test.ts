/**
 * The timeline's Temporal workflows on the real time-skipping test server, with in-memory activities: a whole
 * school year runs every step once, in order, at its instant; a deadline moved mid-year re-plans the running
 * milestone; no run's history grows past 5,000 events.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { stepId, stepsOf, timelineProfile, vnAt, type SchoolCalendar, type Step } from '../domain/timeline';
import { milestoneWorkflowId, schoolYearWorkflow, timelineChanged } from '../workflows/timeline';
import { integration } from './helpers/integrations';
import { timeSkippingEnv } from './helpers/temporal';
import { workflowBundle } from './helpers/workflow-bundle';
import { fakeTimelineActivities, type FakeTimeline } from './temporal/fake-timeline-activities';

const here = path.dirname(fileURLToPath(import.meta.url));
const workflowsPath = path.join(here, '../workflows/timeline.ts');
const TEST_SERVER = integration('temporal-test-server');

/** A school year wholly in the future of the virtual clock (which starts at today's date). */
const CAL: SchoolCalendar = {
  yearStart: '2027-09-01',
  yearEnd: '2028-08-31',
  semesters: [
    { startDate: '2027-09-06', endDate: '2028-01-16' },
    { startDate: '2028-01-17', endDate: '2028-05-24' },
  ],
  cutoffs: { regularCutoffWeekday: 5, regularCutoffTime: '15:00', periodicWindowDays: 7 },
};
const order = (a: Step, b: Step) => a.at.localeCompare(b.at) || stepId(a).localeCompare(stepId(b));

describe.skipIf(!TEST_SERVER)('timeline workflows on the time-skipping server', () => {
  it('runs a whole year: every step once, at its instant; a deadline moved mid-year re-plans; histories stay short', async () => {
    const env = await timeSkippingEnv(TEST_SERVER!);
    try {
      const t: FakeTimeline = {
        config: { ...timelineProfile('khanh-phu', 2027), holidays: [{ name: 'Tết', from: '2028-01-24', to: '2028-02-06' }] },
        calendar: CAL,
        activatedAt: vnAt('2027-08-31', '00:00'),
        done: new Set(),
        ran: [],
        skipped: [],
      };
      const clockAtRun: string[] = [];
      const activities = fakeTimelineActivities(t);
      const taskQueue = `timeline-${Date.now()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(workflowsPath),
        activities: {
          ...activities,
          runStep: async (year: number, step: Step) => {
            clockAtRun.push(new Date(await env.currentTimeMs()).toISOString());
            return activities.runStep(year, step);
          },
        },
      });
      await worker.runUntil(async () => {
        // Let the virtual clock reach the start of the year before switching the timeline on.
        await env.sleep(Date.parse(t.activatedAt) - (await env.currentTimeMs()));
        const handle = await env.client.workflow.start(schoolYearWorkflow, { args: [{ schoolYearId: 1 }], taskQueue, workflowId: `year-${taskQueue}` });
        // In April the principal moves "all data entered" from 20/5 to 25/5.
        await env.sleep(Date.parse(vnAt('2028-04-15', '12:00')) - (await env.currentTimeMs()));
        t.config = { ...t.config, milestones: t.config.milestones.map((m) => (m.key === 'nhap-du-lieu' ? { ...m, due: vnAt('2028-05-25', '17:00') } : m)) };
        await handle.signal(timelineChanged);
        await handle.result();

        const expected = stepsOf(t.config, CAL).sort(order);
        expect([...t.ran].sort(order).map(stepId)).toEqual(expected.map(stepId));
        expect(t.ran.map(stepId).length).toBe(new Set(t.ran.map(stepId)).size);
        expect(t.ran.find((s) => s.milestone === 'nhap-du-lieu' && s.step === 'lock')!.at).toBe(vnAt('2028-05-25', '17:00'));
        // Each step ran on the virtual clock at (or just after) its instant, never before.
        t.ran.forEach((s, i) => {
          expect(Date.parse(clockAtRun[i])).toBeGreaterThanOrEqual(Date.parse(s.at));
          expect(Date.parse(clockAtRun[i]) - Date.parse(s.at)).toBeLessThan(60 * 60_000);
        });
        // No workflow run's history grows past 5,000 events (the year's and each milestone's latest run).
        const ids = [handle.workflowId, ...new Set(t.ran.map((s) => milestoneWorkflowId(handle.workflowId, s.milestone)))];
        for (const id of ids) {
          const history = await env.client.workflow.getHandle(id).fetchHistory();
          expect(history.events!.length).toBeLessThan(5000);
        }
      });
    } finally {
      await env.teardown();
    }
  }, 300_000);
});
