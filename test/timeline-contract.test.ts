/**
 * One contract, two engines: the demo school's whole year (September to the end of August) run by the embedded
 * engine on an injected clock and by the Temporal workflows on the real time-skipping server. Nobody enters data,
 * so every teacher owes everything. Both must do the same actions — every reminder, escalation and lock, at the
 * same instant, to the same person, exactly once — and those actions must be the ones the timeline asks for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vnAt } from '../domain/timeline';
import { testDatabases } from './helpers/databases';
import { integration } from './helpers/integrations';
import { timeSkippingEnv } from './helpers/temporal';
import { actionsDone, demoYear, runTemporal, SIM_START, simulateEmbedded, type SimulatedAction } from './helpers/timeline-year';
import type { FreshDb } from './helpers/databases';

const TEST_SERVER = integration('temporal-test-server');
const YEAR_END = vnAt('2028-09-30', '00:00');

describe.each(testDatabases())('timeline contract on %s', (kind) => {
  let embedded: { fresh: FreshDb; yearId: number };
  let actions: SimulatedAction[];
  const usersOf = async (roles: string[]) =>
    new Set(((await embedded.fresh.db('users as u').join('user_roles as r', 'r.user_id', 'u.id').whereIn('r.role', roles).select('u.username')) as Array<{ username: string }>).map((u) => u.username));

  beforeAll(async () => {
    embedded = await demoYear(kind);
    await simulateEmbedded(embedded.fresh.db, SIM_START, YEAR_END);
    actions = await actionsDone(embedded.fresh.db);
  }, 600_000);
  afterAll(async () => embedded?.fresh.drop());

  it('embedded: every action exactly once, reminders only to teachers who owe, escalations up the chain', async () => {
    const keys = actions.map((a) => `${a.at}|${a.milestone}|${a.step}|${a.recipient}`);
    expect(new Set(keys).size).toBe(keys.length);
    const teachers = await usersOf(['subject_teacher', 'department_head', 'homeroom_teacher']);
    const chain = await usersOf(['department_head', 'vice_principal', 'principal']);
    const vicePrincipals = await usersOf(['vice_principal']);
    const sync = (a: SimulatedAction) => a.milestone.startsWith('dong-bo-');
    const reminders = actions.filter((a) => a.kind === 'remind' && !sync(a));
    const escalations = actions.filter((a) => a.kind === 'escalate');
    expect(reminders.length).toBeGreaterThan(50);
    expect(escalations.length).toBeGreaterThan(20);
    for (const r of reminders) expect(teachers.has(r.recipient!)).toBe(true);
    for (const e of escalations) expect(chain.has(e.recipient!)).toBe(true);
    // Sync is the vice principals' work (seed 000): they are reminded of it, the principal is told when it is late.
    const syncReminders = actions.filter((a) => a.kind === 'remind' && sync(a));
    expect(syncReminders.length).toBeGreaterThan(0);
    for (const r of syncReminders) expect(vicePrincipals.has(r.recipient!)).toBe(true);
    // A reminder says what is missing where: class – subject – semester (columns): count.
    expect(reminders[0].lines[0]).toMatch(/^\d[A-Z]\d – .+ – HK I+ \(ĐĐG.+\): thiếu \d+/);
  });

  it('embedded: weekly reminders on Fridays at 07:00 and escalations at the 15:00 cutoff, none inside Tết', () => {
    const weekly = actions.filter((a) => a.milestone === 'weekly');
    for (const a of weekly) {
      const local = new Date(Date.parse(a.at) + 7 * 3_600_000);
      expect(local.getUTCDay()).toBe(5);
      expect(local.toISOString().slice(11, 16)).toBe(a.kind === 'remind' ? '07:00' : '15:00');
      expect(a.at.slice(0, 10) >= '2028-01-21' && a.at.slice(0, 10) <= '2028-02-02').toBe(false);
    }
  });

  it('embedded: reminds D−14/7/3/1 before 20/5, escalates D+0, D+2, D+4 and locks the year at 17:00 on 20/5', () => {
    const entry = actions.filter((a) => a.milestone === 'nhap-du-lieu');
    expect([...new Set(entry.map((a) => `${a.step}@${a.at}`))]).toEqual([
      `remind-D-14@${vnAt('2028-05-06', '07:00')}`,
      `remind-D-7@${vnAt('2028-05-13', '07:00')}`,
      `remind-D-3@${vnAt('2028-05-17', '07:00')}`,
      `remind-D-1@${vnAt('2028-05-19', '07:00')}`,
      `escalate-1@${vnAt('2028-05-20', '17:00')}`,
      `lock@${vnAt('2028-05-20', '17:00')}`,
      `escalate-2@${vnAt('2028-05-22', '07:00')}`,
      `escalate-3@${vnAt('2028-05-24', '07:00')}`,
    ]);
    expect(entry.find((a) => a.kind === 'lock')!.lines).toEqual(['year']);
    // Nobody owes a signature before the year's transcripts are opened.
    expect(actions.filter((a) => ['ky-hoc-ba', 'ky-lop-9'].includes(a.milestone))).toEqual([]);
  });

  it('embedded: sync milestones remind the vice principals per class of the students not accepted, then tell the principal', async () => {
    const sync = actions.filter((a) => a.milestone === 'dong-bo-hoan-thanh');
    expect([...new Set(sync.map((a) => `${a.step}@${a.at}`))]).toEqual([
      `remind-D-14@${vnAt('2028-05-17', '07:00')}`,
      `remind-D-7@${vnAt('2028-05-24', '07:00')}`,
      `remind-D-3@${vnAt('2028-05-28', '07:00')}`,
      `remind-D-1@${vnAt('2028-05-30', '07:00')}`,
      `escalate-1@${vnAt('2028-05-31', '17:00')}`,
    ]);
    // Nothing was ever opened in this year: every student of each class is owed, for want of a transcript.
    const remind = sync.find((a) => a.kind === 'remind')!;
    expect(remind.lines[0]).toMatch(/^\d[A-Z]\d: \d+ học sinh chưa được tiếp nhận — \d+ chưa lập học bạ$/);
    const principals = await usersOf(['principal']);
    for (const e of sync.filter((a) => a.kind === 'escalate')) expect(principals.has(e.recipient!)).toBe(true);
  });

  it.skipIf(!TEST_SERVER)('Temporal on the time-skipping server does exactly what the embedded engine did', async () => {
    const temporal = await demoYear(kind);
    const env = await timeSkippingEnv(TEST_SERVER!);
    try {
      await runTemporal(temporal.fresh.db, env, temporal.yearId);
      expect(await actionsDone(temporal.fresh.db)).toEqual(actions);
    } finally {
      await env.teardown();
      await temporal.fresh.drop();
    }
  }, 600_000);
});
