/**
 * npm run timeline:simulate -- --from YYYY-MM-DD --to YYYY-MM-DD [--engine embedded|temporal] [--students 320]
 *
 * Runs the demo school's timeline over the span on a virtual clock, in a throwaway SQLite database (nobody enters
 * data meanwhile), and prints one JSON line per action — at, kind, milestone, recipient, items — then a count
 * line. Both engines print the same lines for the same span. The Temporal engine runs on the time-skipping test
 * server (TEMPORAL_TEST_SERVER_PATH, or the provisioned .tools/venv), whose clock starts today: its span must lie
 * ahead of today.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { vnAt } from '../../domain/timeline';
import { createSecretBox } from '../auth/secret-box';
import { createDb, migrateLatest, type Db } from '../db/knex';
import { schoolYearOf } from '../../domain/school-year';
import { seedDemo } from '../demo/seed';
import { seedDemoTimeline } from '../demo/timeline';
import { actionsDone, simulateEmbedded, type SimulatedAction } from '../timeline/simulate';

const here = path.dirname(fileURLToPath(import.meta.url));
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fail(message: string): never {
  console.error(`timeline:simulate: ${message}`);
  process.exit(1);
}

async function runTemporal(db: Db, yearId: number, from: string, until: string): Promise<void> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const { Worker, Runtime, DefaultLogger, makeTelemetryFilterString } = await import('@temporalio/worker');
  const { createActivities } = await import('../../workflows/activities');
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  const testServer = process.env.TEMPORAL_TEST_SERVER_PATH || path.join(here, '../../.tools/venv/bin/temporal-test-server');
  if (!fs.existsSync(testServer)) fail(`the time-skipping test server is not at ${testServer}: run \`npm run provision\` or set TEMPORAL_TEST_SERVER_PATH`);
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServer } } });
  try {
    if (Date.parse(from) < (await env.currentTimeMs())) fail('--engine temporal simulates spans that start after today (the test server’s clock starts now)');
    const taskQueue = `simulate-${Date.now()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: path.join(here, '../../workflows/timeline.ts'),
      activities: createActivities({ db, clock: { now: () => new Date().toISOString() }, mailer: null }),
    });
    await worker.runUntil(async () => {
      await env.sleep(Date.parse(from) - (await env.currentTimeMs()));
      const handle = await env.client.workflow.start('schoolYearWorkflow', { args: [{ schoolYearId: yearId }], taskQueue, workflowId: `simulate-${yearId}` });
      // Let the clock run to the end of the span (the workflows fire on the way), then stop the year there.
      await env.sleep(Date.parse(until) - (await env.currentTimeMs()));
      await handle.terminate('simulation span ended').catch(() => undefined);
    });
  } finally {
    await env.teardown();
  }
}

function line(a: SimulatedAction): string {
  return JSON.stringify({ at: a.at, kind: a.kind, milestone: a.milestone, recipient: a.recipient, items: a.items });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, engine: { type: 'string', default: 'embedded' }, students: { type: 'string', default: '320' } } });
  const { from, to, engine } = values;
  if (!from || !DATE.test(from) || !to || !DATE.test(to)) fail('give --from YYYY-MM-DD and --to YYYY-MM-DD');
  if (to < from) fail('--to is before --from');
  if (schoolYearOf(from) !== schoolYearOf(to)) fail('the span must lie within one school year (September to August)');
  if (engine !== 'embedded' && engine !== 'temporal') fail('--engine is embedded or temporal');
  const students = Number(values.students);
  if (!Number.isInteger(students) || students < 40 || students > 5000) fail('--students is a whole number from 40 to 5000');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timeline-sim-'));
  const db = createDb(`sqlite:${path.join(dir, 'sim.sqlite')}`);
  try {
    await migrateLatest(db);
    await seedDemo(db, { secretBox: createSecretBox('simulation-only-secret-0123456789-abcdef'), students, schoolYear: schoolYearOf(from) });
    const start = vnAt(from, '00:00');
    const until = vnAt(to, '23:59');
    const yearId = (await seedDemoTimeline(db, { activatedAt: start }))!;
    if (engine === 'temporal') await runTemporal(db, yearId, start, until);
    else await simulateEmbedded(db, start, until);
    const actions = await actionsDone(db, until);
    for (const a of actions) console.log(line(a));
    const count = (k: string) => actions.filter((a) => a.kind === k).length;
    console.log(JSON.stringify({ count: actions.length, remind: count('remind'), escalate: count('escalate'), lock: count('lock'), report: count('report'), engine, from, to }));
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
