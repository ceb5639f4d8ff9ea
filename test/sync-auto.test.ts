/**
 * Automatic batches at the timeline's sync milestones (issue 13, docs/sync.md "Automatic batches"): a seal holder
 * consents with the seal's PIN and TOTP; the milestone's reminder step then seals and sends a batch of what is ready
 * in its scope to the real receiving service, before it reminds the vice principals of what is left. A step run
 * twice builds one batch; without consent, or after it is withdrawn, a step builds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepsOf, timelineProfile } from '../domain/timeline';
import { DEMO_PASSWORD } from '../server/demo/seed';
import { syncDepsOf } from '../server/sync/operations';
import { runTimelineStep } from '../server/timeline/run-step';
import { schoolCalendar } from '../server/timeline/store';
import { DEMO_PIN } from '../server/transcripts/seed';
import { accountFor, Client, totpNow } from './helpers/client';
import { testDatabases } from './helpers/databases';
import type { TestServer } from './helpers/server';
import { signYearExcept, startSyncSchool, type SyncSchool } from './helpers/sync';

describe.each(testDatabases())('automatic sync at the milestones (%s)', (kind) => {
  let school: SyncSchool;
  let s: TestServer;
  let yearId: number;
  let unsealedClassId: number;

  beforeAll(async () => {
    school = await startSyncSchool(kind, 'test-sync-key-0123456789');
    ({ s, yearId, unsealedClassId } = school);
    // The year's timeline (Khánh Phú profile), stored as the school set it.
    const name = ((await s.db('school_years').where({ id: yearId }).first('name')) as { name: string }).name;
    const config = timelineProfile('khanh-phu', Number(name.slice(0, 4)));
    await s.db('timelines').insert({ school_id: 1, school_year_id: yearId, profile: config.profile, config: JSON.stringify(config), activated_at: '2020-01-01T00:00:00.000Z', version: 1, updated_at: new Date().toISOString() });
  }, 600_000);

  afterAll(async () => school?.close());

  async function login(role: string): Promise<Client> {
    const a = accountFor(s.accounts, role);
    const c = new Client(s.url);
    expect((await c.login(a.username, DEMO_PASSWORD, a.totpSecret)).body.stage).toBe('ok');
    return c;
  }
  const stepOf = async (name: string, milestone = 'dong-bo-hoan-thanh') => {
    const tl = (await s.db('timelines').where({ school_year_id: yearId }).first('config')) as { config: string };
    return stepsOf(JSON.parse(tl.config), await schoolCalendar(s.db, yearId)).find((x) => x.milestone === milestone && x.step === name)!;
  };
  const deps = () => ({ sync: syncDepsOf(s.config, s.box) });
  const batches = async () => (await s.db('sync_batches').orderBy('id').select('id', 'auto_key', 'entries', 'status', 'created_by')) as Array<{ id: number; auto_key: string | null; entries: number; status: string; created_by: number }>;

  it('builds nothing without consent: the step only reminds', async () => {
    await runTimelineStep(s.db, yearId, await stepOf('remind-D-14'), new Date().toISOString(), deps());
    expect(await batches()).toEqual([]);
    const audit = (await s.db('audit_events').where({ action: 'timeline_step' }).orderBy('id', 'desc').first('after')) as { after: unknown };
    const after = typeof audit.after === 'string' ? JSON.parse(audit.after) : audit.after;
    expect(after.autoSync).toEqual({ built: false, why: 'off' });
  });

  it('lets only a seal holder consent, with the right PIN and TOTP', async () => {
    const vp = await login('vice_principal');
    expect((await vp.put('/api/sync/auto', { pin: DEMO_PIN })).status).toBe(403);
    expect((await vp.get('/api/sync/auto')).body).toMatchObject({ enabled: false, mayChange: false });
    const principal = await login('principal');
    const p = accountFor(s.accounts, 'principal');
    const wrong = await principal.put('/api/sync/auto', { pin: '000000', totp: await totpNow(s.db, p) });
    expect(wrong.status).toBe(400);
    expect(await s.db('sync_auto').first('id')).toBeUndefined();
    const ok = await principal.put('/api/sync/auto', { pin: DEMO_PIN, totp: await totpNow(s.db, p) });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ enabled: true, enabledByName: expect.any(String), mayChange: true });
    // The PIN is kept sealed, never as typed.
    const row = (await s.db('sync_auto').first('pin')) as { pin: string };
    expect(row.pin).not.toContain(DEMO_PIN);
  });

  let retestStudent: number;

  it('seals and sends the ready students at the reminder, then reminds the vice principals of the rest; once per step', async () => {
    // One student of a sealed class waits for a retest (Điều 13): not due by 31/5, so not in this batch.
    const waiting = (await s.db('student_year_results').where({ school_year_id: yearId }).whereNot({ class_id: unsealedClassId }).orderBy('id').first('id', 'student_id')) as { id: number; student_id: number };
    await s.db('student_year_results').where({ id: waiting.id }).update({ decision: 'retest' });
    retestStudent = Number(waiting.student_id);
    const step = await stepOf('remind-D-7');
    await runTimelineStep(s.db, yearId, step, new Date().toISOString(), deps());
    const built = await batches();
    expect(built.length).toBe(1);
    expect(built[0]).toMatchObject({ status: 'done', auto_key: expect.stringContaining('remind-D-7') });
    const principalId = Number(((await s.db('users').where({ username: accountFor(s.accounts, 'principal').username }).first('id')) as { id: number }).id);
    expect(Number(built[0].created_by)).toBe(principalId);
    const accepted = Number(((await s.db('sync_records').where({ batch_id: built[0].id, status: 'accepted' }).count({ n: '*' }).first()) as { n: number }).n);
    expect(accepted).toBe(built[0].entries);
    expect(accepted).toBeGreaterThan(0);
    expect(await s.db('sync_records').where({ batch_id: built[0].id, student_id: retestStudent }).first('id')).toBeUndefined();
    // The reminder counts after the batch: only the class still being signed is owed.
    const notes = (await s.db('notifications').where({ milestone: 'dong-bo-hoan-thanh', kind: 'remind' }).where('key', 'like', '%remind-D-7%').select('lines')) as Array<{ lines: string }>;
    const lines = notes.flatMap((n) => JSON.parse(n.lines) as string[]);
    const unsealed = ((await s.db('classes').where({ id: unsealedClassId }).first('name')) as { name: string }).name;
    expect(lines.some((l) => l.startsWith(`${unsealed}: `) && /chưa đủ chữ ký hoặc chưa đóng dấu/.test(l))).toBe(true);
    expect(lines.every((l) => !/sẵn sàng gửi/.test(l))).toBe(true);
    // The same step again (a retry after a crash): no second batch.
    await runTimelineStep(s.db, yearId, step, new Date().toISOString(), deps());
    await s.db('timeline_steps').where({ school_year_id: yearId, step: 'remind-D-7' }).delete();
    await runTimelineStep(s.db, yearId, step, new Date().toISOString(), deps());
    expect((await batches()).length).toBe(1);
    // Audited as the system's.
    const audit = (await s.db('audit_events').where({ entity: 'sync-batches', action: 'create' }).first('username', 'after')) as { username: string; after: unknown };
    expect(audit.username).toBe('Hệ thống');
  });

  it('sends the student after the retest at the 30/8 milestone, which takes everyone', async () => {
    await runTimelineStep(s.db, yearId, await stepOf('remind-D-7', 'dong-bo-sau-he'), new Date().toISOString(), deps());
    const built = await batches();
    expect(built.length).toBe(2);
    expect(built[1]).toMatchObject({ status: 'done', entries: 1, auto_key: expect.stringContaining('dong-bo-sau-he') });
    const rec = (await s.db('sync_records').where({ batch_id: built[1].id }).whereNotNull('sukien').select('student_id', 'status', 'sukien')) as Array<{ student_id: number; status: string; sukien: string }>;
    expect(rec.map((r) => [Number(r.student_id), r.sukien, r.status])).toEqual([[retestStudent, 'NEW', 'accepted']]);
  });

  it('builds nothing once the consent is withdrawn', async () => {
    await signYearExcept(s.db, { schoolId: 1, schoolYearId: yearId, box: s.box }); // the last class sealed now
    const principal = await login('principal');
    expect((await principal.delete('/api/sync/auto')).body).toMatchObject({ enabled: false });
    await runTimelineStep(s.db, yearId, await stepOf('remind-D-3'), new Date().toISOString(), deps());
    expect((await batches()).length).toBe(2);
    expect(await s.db('sync_auto').first('id')).toBeUndefined();
  });
});
