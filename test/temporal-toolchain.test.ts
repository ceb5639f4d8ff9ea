/**
 * The Temporal toolchain, proven on the real servers before the timeline is built on it:
 * - on the time-skipping test server, a workflow sleeps 30 virtual days and then runs its activity, in seconds;
 * - on `temporal server start-dev`, the same workflow's 30-day deadline is moved by a signal and the activity runs;
 * - both recorded histories replay (the determinism guard), and so does a history checked in as JSON.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { integration } from './helpers/integrations';
import { startDevServer, timeSkippingEnv, type DevServer } from './helpers/temporal';
import { workflowBundle } from './helpers/workflow-bundle';
import { createToolchainActivities, type WakeUp } from './temporal/toolchain-activities';
import { deadlineQuery, moveDeadline, sleepUntilDeadline } from './temporal/toolchain-workflows';

const here = path.dirname(fileURLToPath(import.meta.url));
const workflowsPath = path.join(here, 'temporal/toolchain-workflows.ts');
const checkedInHistory = path.join(here, 'fixtures/histories/toolchain-sleep-30-days.json');
const DAY_MS = 24 * 60 * 60 * 1000;
const TEST_SERVER = integration('temporal-test-server');
const CLI = integration('temporal-cli');

describe.skipIf(!TEST_SERVER)('Temporal: time-skipping test server (temporal-test-server binary)', () => {
  it('a workflow sleeps 30 virtual days, then its activity runs, in seconds of wall time; its history replays', async () => {
    const env = await timeSkippingEnv(TEST_SERVER!);
    try {
      const woke: WakeUp[] = [];
      const taskQueue = `toolchain-${Date.now()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(workflowsPath),
        activities: createToolchainActivities((w) => woke.push(w)),
      });
      const wallStart = Date.now();
      const virtualStart = await env.currentTimeMs();
      const handle = await env.client.workflow.start(sleepUntilDeadline, { args: [30], taskQueue, workflowId: `sleep-${taskQueue}` });
      const result = await worker.runUntil(handle.result());
      const wallMs = Date.now() - wallStart;

      expect(woke).toEqual([result]);
      expect(result.wokeAt - result.startedAt).toBeGreaterThanOrEqual(30 * DAY_MS);
      expect((await env.currentTimeMs()) - virtualStart).toBeGreaterThanOrEqual(30 * DAY_MS);
      // 30 days passed on the server's clock while the test itself took seconds.
      expect(wallMs).toBeLessThan(60_000);

      const history = await handle.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle(workflowsPath) }, history, handle.workflowId);
    } finally {
      await env.teardown();
    }
  }, 180_000);
});

describe.skipIf(!CLI)('Temporal: dev server (temporal server start-dev)', () => {
  let server: DevServer | undefined;
  afterAll(async () => server?.stop());

  it('a signal moves the 30-day deadline, the activity runs once, and the JSON history the CLI exports replays', async () => {
    server = await startDevServer(CLI!);
    const { env } = server;
    const woke: WakeUp[] = [];
    const taskQueue = `toolchain-${Date.now()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(workflowsPath),
      activities: createToolchainActivities((w) => woke.push(w)),
    });
    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(sleepUntilDeadline, { args: [30], taskQueue, workflowId: `sleep-${taskQueue}` });
      const deadline = await handle.query(deadlineQuery);
      expect(deadline - Date.now()).toBeGreaterThan(29 * DAY_MS);
      await handle.signal(moveDeadline, Date.now() + 500);
      return handle.result();
    });
    expect(woke).toEqual([result]);
    expect(result.wokeAt - result.startedAt).toBeLessThan(29 * DAY_MS);

    // What a developer does with a history: export it with the CLI, replay it against today's workflow code.
    const json = execFileSync(CLI!, ['workflow', 'show', '--address', server.address, '--workflow-id', `sleep-${taskQueue}`, '--output', 'json'], {
      encoding: 'utf8',
    });
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(workflowsPath) }, historyFromJSON(JSON.parse(json)), `sleep-${taskQueue}`);
  }, 180_000);
});

describe('Temporal: checked-in history (determinism guard, needs no server)', () => {
  it('replays the recorded 30-day sleep against today’s workflow code', async () => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(checkedInHistory, 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(workflowsPath) }, history, 'toolchain-sleep-30-days');
  }, 120_000);

  it('fails the replay when the workflow code no longer matches the history', async () => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(checkedInHistory, 'utf8')));
    const changed = path.join(here, 'temporal/toolchain-workflows-changed.ts');
    await expect(Worker.runReplayHistory({ workflowsPath: changed }, history, 'toolchain-sleep-30-days')).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation/);
  }, 120_000);
});
