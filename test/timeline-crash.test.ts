/**
 * Crash safety of the timeline's reminder rounds (run-step: one transaction per step, timeline_steps unique,
 * notifications.key unique). A round killed in the middle and then restarted gives no duplicate and no lost
 * message: (1) a notification insert that fails mid-step (a database trigger) rolls the whole step back, and the
 * retry does it once, whole; (2) a child process running a long catch-up round is killed with SIGKILL mid-round,
 * and after the restart the database holds exactly what an uninterrupted round produces.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vnAt } from '../domain/timeline';
import { dialect } from '../server/db/knex';
import { deliverEmails } from '../server/notifications/deliver';
import { smtpMailer } from '../server/notifications/mailer';
import { runDueSteps } from '../server/timeline/engine';
import { testDatabases, type FreshDb } from './helpers/databases';
import { startSmtpSink } from './helpers/smtp-sink';
import { entryMilestone, scenarioConfig, sentKeys, writeConfig } from './helpers/timeline-scenario';
import { actionsDone, demoYear, SIM_START } from './helpers/timeline-year';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'timeline/run-due-steps-child.ts');
const DELIVER_CHILD = path.join(here, 'timeline/deliver-child.ts');
const TSX = path.join(here, '../node_modules/.bin/tsx');

const M1 = entryMilestone({
  key: 'nhap-du-lieu',
  title: 'Hoàn thành nhập dữ liệu học bạ',
  due: vnAt('2028-05-20', '17:00'),
  reminderDays: [1],
  escalation: [{ role: 'departmentHead', afterDays: 0 }],
});

/** Makes the 6th notification insert of a milestone fail, inside whatever transaction is inserting it. */
async function armCrash(db: FreshDb['db'], milestone: string, after: number): Promise<void> {
  if (dialect(db) === 'sqlite') {
    await db.raw(`CREATE TRIGGER crash_mid_step BEFORE INSERT ON notifications
      WHEN (SELECT count(*) FROM notifications WHERE milestone = '${milestone}') >= ${after}
      BEGIN SELECT RAISE(ABORT, 'simulated crash mid-step'); END`);
  } else {
    await db.raw(`CREATE FUNCTION crash_mid_step() RETURNS trigger AS $$ BEGIN
      IF (SELECT count(*) FROM notifications WHERE milestone = '${milestone}') >= ${after} THEN RAISE EXCEPTION 'simulated crash mid-step'; END IF;
      RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.raw('CREATE TRIGGER crash_mid_step BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION crash_mid_step()');
  }
}

async function disarmCrash(db: FreshDb['db']): Promise<void> {
  await db.raw('DROP TRIGGER crash_mid_step' + (dialect(db) === 'sqlite' ? '' : ' ON notifications'));
  if (dialect(db) !== 'sqlite') await db.raw('DROP FUNCTION crash_mid_step()');
}

const count = async (db: FreshDb['db'], table: string, where: Record<string, unknown> = {}) =>
  Number(((await db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);

describe.each(testDatabases())('timeline crash safety on %s', (kind) => {
  const dbs: FreshDb[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });

  it('a notification insert failing mid-step rolls the step back; the retry sends each message exactly once', async () => {
    const { fresh, yearId } = await demoYear(kind, 40);
    dbs.push(fresh);
    await writeConfig(fresh.db, yearId, scenarioConfig([M1]), vnAt('2028-05-18', '12:00'));
    await armCrash(fresh.db, 'nhap-du-lieu', 5);
    await expect(runDueSteps(fresh.db, vnAt('2028-05-19', '07:00'))).rejects.toThrow(/simulated crash mid-step/);
    // Nothing half-done: no notification, the step not recorded, no audit of it.
    expect(await count(fresh.db, 'notifications')).toBe(0);
    expect(await count(fresh.db, 'timeline_steps')).toBe(0);
    expect(await count(fresh.db, 'audit_events', { action: 'timeline_step' })).toBe(0);

    await disarmCrash(fresh.db);
    const report = await runDueSteps(fresh.db, vnAt('2028-05-19', '07:05'));
    expect(report.steps).toBe(1);
    const keys = await sentKeys(fresh.db);
    expect(keys.length).toBeGreaterThan(10);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).toMatch(/\|nhap-du-lieu\|remind-D-1$/);
    expect(report.actions).toBe(keys.length);
    expect(await fresh.db('timeline_steps').select('step_id', 'status')).toEqual([{ step_id: 'nhap-du-lieu|remind-D-1|2027-2028', status: 'done' }]);
    // Running the round again (another restart) changes nothing.
    expect(await runDueSteps(fresh.db, vnAt('2028-05-19', '07:10'))).toEqual({ steps: 0, actions: 0 });
    expect(await sentKeys(fresh.db)).toEqual(keys);
    // The escalation later goes only to the department heads, once each.
    await runDueSteps(fresh.db, vnAt('2028-05-20', '17:00'));
    const esc = await sentKeys(fresh.db, { 'n.kind': 'escalate' });
    expect(new Set(esc).size).toBe(esc.length);
    expect(esc.length).toBeGreaterThan(0);
  });

  it('a catch-up round killed with SIGKILL mid-round, then restarted, ends exactly like an uninterrupted round', async () => {
    const NOW = vnAt('2028-05-25', '12:00');
    const reference = await demoYear(kind, 40);
    dbs.push(reference.fresh);
    await runDueSteps(reference.fresh.db, NOW);
    const expected = await actionsDone(reference.fresh.db);
    const expectedSteps = await count(reference.fresh.db, 'timeline_steps');
    expect(expected.length).toBeGreaterThan(40);

    const { fresh } = await demoYear(kind, 40);
    dbs.push(fresh);
    expect((await fresh.db('timelines').first('activated_at')).activated_at).toBe(SIM_START);
    const child = spawn(TSX, [CHILD, fresh.url, NOW], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Kill it once a few steps have committed: the round is under way, most of it still to do.
    const until = Date.now() + 60_000;
    while ((await count(fresh.db, 'timeline_steps')) < 5) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`child ended before the kill: ${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const stepsAtKill = await count(fresh.db, 'timeline_steps');
    expect(stepsAtKill).toBeLessThan(expectedSteps);
    // Every step recorded at the kill is whole: its notifications are all there (same as the reference's).
    const partial = await actionsDone(fresh.db);
    const doneIds = new Set(((await fresh.db('timeline_steps').select('milestone', 'step', 'period')) as Array<Record<string, string>>).map((s) => `${s.milestone}|${s.step}`));
    expect(partial).toEqual(expected.filter((a) => partial.some((p) => p.milestone === a.milestone && p.step === a.step && p.at === a.at)));
    for (const p of partial) expect(doneIds.has(`${p.milestone}|${p.step}`)).toBe(true);

    // Restart: the same round again completes it; nothing doubled, nothing lost.
    await runDueSteps(fresh.db, NOW);
    expect(await actionsDone(fresh.db)).toEqual(expected);
    expect(await count(fresh.db, 'timeline_steps')).toBe(expectedSteps);
    const ids = ((await fresh.db('timeline_steps').select('step_id')) as Array<{ step_id: string }>).map((s) => s.step_id);
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);

  it('an email round killed with SIGKILL while SMTP is mid-send: the claimed digest is not lost, and sent once after its lease', async () => {
    const { fresh, yearId } = await demoYear(kind, 40);
    dbs.push(fresh);
    await writeConfig(fresh.db, yearId, scenarioConfig([M1]), vnAt('2028-05-18', '12:00'));
    const now = vnAt('2028-05-19', '07:00');
    await runDueSteps(fresh.db, now);
    const expected = ((await fresh.db('notifications as n').join('users as u', 'u.id', 'n.user_id').whereNotNull('u.email').select('u.email')) as Array<{ email: string }>).map((r) => r.email).sort();
    expect(expected.length).toBeGreaterThan(10);
    const sink = await startSmtpSink();
    try {
      // The SMTP server takes the first digest and never answers: the child hangs mid-send, its items claimed.
      sink.hang = true;
      const child = spawn(TSX, [DELIVER_CHILD, fresh.url, sink.url, now], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const until = Date.now() + 60_000;
      while (sink.hung === 0) {
        if (child.exitCode !== null || Date.now() > until) throw new Error(`child ended before the kill: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await exited;
      expect(await count(fresh.db, 'notifications', { email_status: 'sending' })).toBe(1);
      sink.hang = false;
      const mailer = smtpMailer(sink.url, 'so-diem@thcs.test');
      // The restarted engine delivers the rest at once; the claimed item waits out its lease (another process
      // may still be sending it), then goes out once.
      await deliverEmails(fresh.db, mailer, vnAt('2028-05-19', '07:01'));
      expect(sink.messages).toHaveLength(expected.length - 1);
      await deliverEmails(fresh.db, mailer, vnAt('2028-05-19', '07:40'));
      expect(sink.messages.flatMap((m) => m.to).sort()).toEqual(expected);
      expect(await count(fresh.db, 'notifications', { email_status: 'sent' })).toBe(expected.length);
      await deliverEmails(fresh.db, mailer, vnAt('2028-05-19', '09:00'));
      expect(sink.messages).toHaveLength(expected.length);
    } finally {
      await sink.close();
    }
  }, 120_000);
});
