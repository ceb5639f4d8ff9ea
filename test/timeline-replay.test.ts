/**
 * Determinism guard for the real timeline workflows (workflows/timeline.ts): histories of schoolYearWorkflow and
 * its milestoneWorkflow children — a whole year, with a deadline moved mid-year — recorded on the time-skipping
 * server by test/temporal/record-timeline-histories.ts, replayed against today's code. Needs no server. A change
 * that would break the running years' workflows on deploy fails here (the second test proves the guard bites).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import './helpers/temporal'; // quiet SDK logging
import { workflowBundle } from './helpers/workflow-bundle';
import { milestoneWorkflowId } from '../workflows/timeline';

const here = path.dirname(fileURLToPath(import.meta.url));
const workflowsPath = path.join(here, '../workflows/timeline.ts');
const dir = path.join(here, 'fixtures/histories');
const YEAR_ID = 'timeline-year';
const load = (name: string) => historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, `timeline-${name}.json`), 'utf8')));

describe('timeline workflows: recorded histories replay against today’s code', () => {
  const changed = path.join(here, 'temporal', `.timeline-changed-${process.pid}.ts`);
  afterAll(() => fs.rmSync(changed, { force: true }));

  it.each([
    ['year', YEAR_ID],
    ['nhap-du-lieu', milestoneWorkflowId(YEAR_ID, 'nhap-du-lieu')],
    ['inspection', milestoneWorkflowId(YEAR_ID, 'inspection')],
  ])('replays the %s history', async (name, workflowId) => {
    const history = load(name);
    expect(history.events!.length).toBeGreaterThan(50);
    // The milestone's history includes the mid-year "timeline changed" signal and its re-plan.
    if (name === 'nhap-du-lieu') expect(JSON.stringify(history)).toContain('timelineChanged');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(workflowsPath) }, history, workflowId);
  }, 120_000);

  it('fails the replay when the milestone workflow’s commands change', async () => {
    const src = fs
      .readFileSync(workflowsPath, 'utf8')
      .replaceAll("from '../domain/", "from '../../domain/")
      .replace("from './activity-types'", "from '../../workflows/activity-types'")
      .replace(
        'let plan: MilestonePlan = await acts.loadMilestonePlan(input.schoolYearId, input.milestone);',
        'await acts.listMilestones(input.schoolYearId);\n  let plan: MilestonePlan = await acts.loadMilestonePlan(input.schoolYearId, input.milestone);',
      );
    expect(src).toContain('await acts.listMilestones(input.schoolYearId);\n  let plan');
    fs.writeFileSync(changed, src);
    await expect(Worker.runReplayHistory({ workflowsPath: changed }, load('nhap-du-lieu'), milestoneWorkflowId(YEAR_ID, 'nhap-du-lieu'))).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation/);
  }, 120_000);
});
