/**
 * Re-records test/fixtures/histories/toolchain-sleep-30-days.json on the time-skipping test server, for when the
 * probe workflow changes on purpose: `npx tsx test/temporal/record-history.ts` (after `npm run provision`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { timeSkippingEnv } from '../helpers/temporal';
import { createToolchainActivities } from './toolchain-activities';
import { sleepUntilDeadline } from './toolchain-workflows';

const here = path.dirname(fileURLToPath(import.meta.url));
const testServer = process.env.TEMPORAL_TEST_SERVER_PATH ?? path.join(here, '../../.tools/venv/bin/temporal-test-server');
const env = await timeSkippingEnv(testServer);
try {
  const taskQueue = 'toolchain';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: path.join(here, 'toolchain-workflows.ts'),
    activities: createToolchainActivities(() => undefined),
  });
  const handle = await env.client.workflow.start(sleepUntilDeadline, { args: [30], taskQueue, workflowId: 'toolchain-sleep-30-days' });
  await worker.runUntil(handle.result());
  const out = path.join(here, '../fixtures/histories/toolchain-sleep-30-days.json');
  fs.writeFileSync(out, `${JSON.stringify(JSON.parse(historyToJSON(await handle.fetchHistory())), null, 1)}\n`);
  console.log(`recorded ${out}`);
} finally {
  await env.teardown();
}
