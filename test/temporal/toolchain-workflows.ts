/**
 * The toolchain probe: a workflow that waits for a deadline days away, then calls one activity. The deadline is an
 * updatable timer (a signal moves it and the wait resumes for what is left), the pattern the timeline's milestones use.
 * Deterministic: time comes only from the workflow sandbox; activities are imported as types only.
 */
import { condition, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ToolchainActivities, WakeUp } from './toolchain-activities';

const DAY_MS = 24 * 60 * 60 * 1000;
const { recordWakeUp } = proxyActivities<ToolchainActivities>({ startToCloseTimeout: '1 minute' });

export const moveDeadline = defineSignal<[number]>('moveDeadline');
export const deadlineQuery = defineQuery<number>('deadline');

export async function sleepUntilDeadline(days: number): Promise<WakeUp> {
  const startedAt = Date.now();
  let deadline = startedAt + days * DAY_MS;
  setHandler(moveDeadline, (at: number) => {
    deadline = at;
  });
  setHandler(deadlineQuery, () => deadline);
  for (;;) {
    const target = deadline;
    const remaining = target - Date.now();
    if (remaining <= 0) break;
    await condition(() => deadline !== target, remaining);
  }
  const wake: WakeUp = { startedAt, wokeAt: Date.now() };
  await recordWakeUp(wake);
  return wake;
}
