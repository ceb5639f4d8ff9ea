/**
 * The toolchain probe as a careless edit would leave it: the activity is now called before the wait. Replaying a
 * history recorded with toolchain-workflows.ts must fail on this code (the determinism guard's negative case).
 */
import { condition, proxyActivities } from '@temporalio/workflow';
import type { ToolchainActivities, WakeUp } from './toolchain-activities';

const { recordWakeUp } = proxyActivities<ToolchainActivities>({ startToCloseTimeout: '1 minute' });

export async function sleepUntilDeadline(days: number): Promise<WakeUp> {
  const startedAt = Date.now();
  await recordWakeUp({ startedAt, wokeAt: startedAt });
  await condition(() => false, days * 24 * 60 * 60 * 1000);
  return { startedAt, wokeAt: Date.now() };
}
