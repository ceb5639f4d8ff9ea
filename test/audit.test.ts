import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialect } from '../server/db/knex';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

const run = promisify(execFile);

/** Runs `npm run audit:verify` against the test database, as an operator would. */
async function cliVerify(databaseUrl: string, sessionSecret: string): Promise<{ code: number; out: string }> {
  try {
    // The server's own secret: the checkpoints of the chain are signed with a key derived from it.
    const { stdout } = await run('npx', ['tsx', 'server/cli/audit-verify.ts'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, SESSION_SECRET: sessionSecret },
    });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe.each(testDatabases())('audit trail on %s', (kind) => {
  let srv: TestServer;
  let principal: Client;
  let staff: Client;

  beforeAll(async () => {
    srv = await startServer(kind);
    principal = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'principal'));
    staff = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'academic_staff'));
  });
  afterAll(async () => srv?.close());

  const auditOf = (entity: string, id: number | string) =>
    principal.get(`/api/audit-events?sort=${encodeURIComponent('["id","ASC"]')}&filter=${encodeURIComponent(JSON.stringify({ entity, entityId: String(id) }))}`);

  it('records who, role, when, IP, before, after and reason for every write', async () => {
    const created = await staff.post('/api/departments', { code: 'TD', name: 'Tổ Thể dục' });
    expect(created.status).toBe(201);
    const renamed = await staff.put(`/api/departments/${created.body.id}`, { name: 'Tổ Giáo dục thể chất', reason: 'Đổi tên theo chương trình 2018' });
    expect(renamed.status).toBe(200);
    const events = (await auditOf('departments', created.body.id)).body;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['create', 'update']);
    const [create, update] = events;
    expect(create.username).toBe(accountFor(srv.accounts, 'academic_staff').username);
    expect(create.role).toBe('academic_staff');
    expect(create.ip).toMatch(/127\.0\.0\.1/);
    expect(Math.abs(Date.parse(create.at) - Date.now())).toBeLessThan(60_000);
    expect(create.after.name).toBe('Tổ Thể dục');
    expect(update.before.name).toBe('Tổ Thể dục');
    expect(update.after.name).toBe('Tổ Giáo dục thể chất');
    expect(update.reason).toBe('Đổi tên theo chương trình 2018');
    expect(update.prevHash).toBe(create.hash);
  });

  it('filters by user, entity and date range for the principal, and hides the trail from teachers', async () => {
    const clerk = accountFor(srv.accounts, 'academic_staff');
    const me = (await staff.get('/api/auth/me')).body.user;
    const since = new Date(Date.now() - 3600_000).toISOString();
    const res = await principal.get(`/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ userId: me.id, at_gte: since }))}`);
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(0);
    expect(res.body.every((e: { username: string }) => e.username === clerk.username)).toBe(true);
    const future = await principal.get(`/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ at_gte: '2099-01-01T00:00:00.000Z' }))}`);
    expect(future.body).toEqual([]);
    const teacher = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'subject_teacher'));
    expect((await teacher.get('/api/audit-events')).status).toBe(403);
    expect((await teacher.get('/api/audit-events/verify')).status).toBe(403);
  });

  it('is append-only in the database itself', async () => {
    await expect(srv.db('audit_events').update({ reason: 'sửa lén' })).rejects.toThrow(/append-only/);
    await expect(srv.db('audit_events').delete()).rejects.toThrow(/append-only/);
  });

  it('writes nothing when the database fails mid-request, and says so plainly', async () => {
    const db = srv.db;
    // Make the audit insert fail: the department insert before it must roll back with it.
    if (dialect(db) === 'pg') {
      await db.raw(`CREATE OR REPLACE FUNCTION fail_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END; $$ LANGUAGE plpgsql`);
      await db.raw('CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit()');
    } else {
      await db.raw(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    }
    try {
      const res = await staff.post('/api/departments', { code: 'HONG', name: 'Tổ sẽ không được lưu' });
      expect(res.status).toBe(500);
      expect(res.body.message).toBe('Hệ thống gặp lỗi, không có thay đổi nào được lưu. Vui lòng thử lại hoặc báo quản trị.');
      expect(JSON.stringify(res.body)).not.toMatch(/disk full|at .*\.ts/);
      expect(await db('departments').where({ code: 'HONG' }).first()).toBeUndefined();
    } finally {
      await db.raw(dialect(db) === 'pg' ? 'DROP TRIGGER fail_audit ON audit_events' : 'DROP TRIGGER fail_audit');
    }
  });

  it('verifies the chain, and names the first row that was edited behind its back', async () => {
    const ok = await principal.get('/api/audit-events/verify');
    expect(ok.body).toMatchObject({ ok: true, firstBrokenId: null });
    expect(ok.body.checked).toBeGreaterThan(3);
    const cliOk = await cliVerify(srv.config.databaseUrl, srv.config.sessionSecret);
    expect(cliOk.code).toBe(0);
    expect(cliOk.out).toMatch(/intact/);

    // Someone with database access bypasses the trigger and rewrites history.
    const target = (await srv.db('audit_events').where({ action: 'update', entity: 'departments' }).first()) as { id: number };
    await withoutAppendOnly(srv, () => srv.db('audit_events').where({ id: target.id }).update({ reason: 'Lý do khác' }));
    const broken = await principal.get('/api/audit-events/verify');
    expect(broken.body).toMatchObject({ ok: false, firstBrokenId: target.id });
    expect(broken.body.reason).toMatch(/changed/);
    const cliBroken = await cliVerify(srv.config.databaseUrl, srv.config.sessionSecret);
    expect(cliBroken.code).toBe(2);
    expect(cliBroken.out).toContain(`#${target.id}`);
  });

  it('detects a deleted row through the broken link', async () => {
    const fresh = await startServer(kind, { seed: false });
    try {
      const { recordAudit } = await import('../server/core/audit');
      const actor = { userId: null, username: 'test', roles: [], ip: null, schoolId: null };
      for (let i = 0; i < 3; i++) await recordAudit(fresh.db, actor, { action: 'login', entity: 'users', entityId: i });
      const ids = (await fresh.db('audit_events').orderBy('id').pluck('id')) as number[];
      await withoutAppendOnly(fresh, () => fresh.db('audit_events').where({ id: ids[1] }).delete());
      const { verifyChain } = await import('../server/audit/audit-log');
      const report = await verifyChain(fresh.db);
      expect(report).toMatchObject({ ok: false, firstBrokenId: ids[2] });
      expect(report.reason).toMatch(/removed/);
    } finally {
      await fresh.close();
    }
  });
});

async function withoutAppendOnly(srv: TestServer, change: () => Promise<unknown>): Promise<void> {
  const db = srv.db;
  if (dialect(db) === 'pg') {
    await db.raw('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update');
    await change();
    await db.raw('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update');
  } else {
    await db.raw('DROP TRIGGER audit_events_no_update');
    await db.raw('DROP TRIGGER audit_events_no_delete');
    await change();
    await db.raw(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`);
    await db.raw(`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`);
  }
}
