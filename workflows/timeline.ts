/**
 * The school year runs itself on Temporal: one long-running workflow per school year, and a child workflow per
 * milestone (plus the weekly cutoff rule and the monthly inspection). Each child sleeps until its next step on an
 * updatable timer: a "timeline changed" signal wakes it, it re-plans from the database and sleeps again for what is
 * left. Deterministic: time comes from the workflow sandbox, planning from the pure domain/timeline; activities are
 * imported as types only.
 */
import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { dueSteps, nextStep, stepId } from '../domain/timeline/steps';
import type { Step } from '../domain/timeline/types';
import type { MilestonePlan, TimelineActivities } from './activity-types';

const acts = proxyActivities<TimelineActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export const timelineChanged = defineSignal('timelineChanged');
export const progressChanged = defineSignal('progressChanged');

export interface MilestoneStatus {
  milestone: string;
  next: Step | null;
  done: number;
  total: number;
}
export const milestoneStatus = defineQuery<MilestoneStatus>('milestoneStatus');
export const yearStatus = defineQuery<{ milestones: string[]; running: number }>('yearStatus');

/** Past this many events a run continues as new, so no history grows long (a year's weekly rule has ~140 steps). */
const HISTORY_LIMIT = 2_000;

export interface MilestoneInput {
  schoolYearId: number;
  milestone: string;
}

export async function milestoneWorkflow(input: MilestoneInput): Promise<void> {
  let plan: MilestonePlan = await acts.loadMilestonePlan(input.schoolYearId, input.milestone);
  let done = new Set(plan.done);
  let changed = false;
  setHandler(timelineChanged, () => void (changed = true));
  // Progress is read when a step runs; a change of progress needs no re-plan, the signal is accepted for symmetry.
  setHandler(progressChanged, () => undefined);
  setHandler(milestoneStatus, () => ({
    milestone: input.milestone,
    next: nextStep(plan.steps, new Date().toISOString(), done) ?? null,
    done: plan.steps.filter((s) => done.has(stepId(s))).length,
    total: plan.steps.length,
  }));

  for (;;) {
    const now = new Date().toISOString();
    const { due, superseded } = dueSteps(plan.steps, { activatedAt: plan.activatedAt, now }, done);
    if (superseded.length) {
      await acts.skipSteps(input.schoolYearId, superseded);
      for (const s of superseded) done.add(stepId(s));
    }
    let actions = 0;
    for (const s of due) {
      actions += (await acts.runStep(input.schoolYearId, s)).actions;
      done.add(stepId(s));
    }
    // What may go out now goes out now; held digests are the mail workflow's.
    if (actions > 0) await acts.deliverEmails();
    const next = nextStep(plan.steps, now, done);
    if (!next && !changed) return;
    if (next) await condition(() => changed, Math.max(1, Date.parse(next.at) - Date.now()));
    else await condition(() => changed);
    if (changed) {
      changed = false;
      plan = await acts.loadMilestonePlan(input.schoolYearId, input.milestone);
      done = new Set(plan.done);
    }
    if (workflowInfo().historyLength > HISTORY_LIMIT) await continueAsNew<typeof milestoneWorkflow>(input);
  }
}

export const milestoneWorkflowId = (yearWorkflowId: string, milestone: string) => `${yearWorkflowId}/${milestone}`;

export const mailQueued = defineSignal('mailQueued');

/** Sends email digests when they come due (quiet hours and the one-a-day rule decide when); a signal wakes it. */
export async function mailWorkflow(): Promise<void> {
  let queued = false;
  setHandler(mailQueued, () => void (queued = true));
  for (let round = 0; round < 500; round++) {
    queued = false;
    const next = await acts.deliverEmails();
    const wait = next ? Math.max(1_000, Date.parse(next) - Date.now()) : 6 * 3_600_000;
    await condition(() => queued, wait);
  }
  await continueAsNew<typeof mailWorkflow>();
}

/** One per school year: starts a child per milestone, and passes "timeline changed" on to them. */
export async function schoolYearWorkflow(input: { schoolYearId: number }): Promise<void> {
  const yearId = workflowInfo().workflowId;
  const children = new Map<string, ChildWorkflowHandle<typeof milestoneWorkflow>>();
  const finished = new Set<string>();
  let changed = false;
  setHandler(timelineChanged, () => void (changed = true));
  setHandler(progressChanged, () => undefined);
  setHandler(yearStatus, () => ({ milestones: [...children.keys()], running: children.size - finished.size }));

  const startMissing = async (keys: string[]) => {
    for (const key of keys) {
      if (children.has(key) && !finished.has(key)) continue;
      finished.delete(key);
      const handle = await startChild(milestoneWorkflow, {
        workflowId: milestoneWorkflowId(yearId, key),
        args: [{ schoolYearId: input.schoolYearId, milestone: key }],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
      });
      children.set(key, handle);
      void handle.result().then(
        () => finished.add(key),
        () => finished.add(key),
      );
    }
  };

  await startMissing(await acts.listMilestones(input.schoolYearId));
  for (;;) {
    await condition(() => changed || finished.size === children.size);
    if (!changed) return;
    changed = false;
    const keys = await acts.listMilestones(input.schoolYearId);
    for (const [key] of children) {
      if (finished.has(key)) continue;
      try {
        await getExternalWorkflowHandle(milestoneWorkflowId(yearId, key)).signal(timelineChanged);
      } catch {
        // The milestone ended after our last look (its result not yet seen here): treat it as finished, so it is
        // started again below like any finished one, instead of failing the year and terminating its children.
        finished.add(key);
      }
    }
    await startMissing(keys);
    // No continue-as-new here: its history grows only by a few events per timeline change, and a new run would
    // lose its children (they end with their parent).
  }
}
