import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

const run = promisify(execFile);

/** Issue 8, item 3: staff-record changes never reach accounts beyond the actor's reach; the last admin stays. */
describe.each(testDatabases())('hardening: accounts reached through staff records on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;
  let vanthu: Client;
  const demo = (role: string) => accountFor(srv.accounts, role);
  const userRow = (username: string) =>
    srv.db('users').where({ username }).first('id', 'staff_id', 'disabled') as Promise<{ id: number; staff_id: number | null; disabled: unknown }>;
  const isDisabled = async (username: string) => Boolean(Number((await userRow(username)).disabled) || (await userRow(username)).disabled === true);

  beforeAll(async () => {
    srv = await startServer(kind);
    admin = await new Client(srv.url).loginAs(demo('admin'));
    vanthu = await new Client(srv.url).loginAs(demo('records_clerk'));
  });
  afterAll(async () => srv?.close());

  it('#3 a records clerk cannot disable the admin or the principal through PUT /api/staff/:id {status:"left"}', async () => {
    for (const role of ['admin', 'principal', 'vice_principal']) {
      const u = await userRow(demo(role).username);
      expect(u.staff_id, `${role} has a staff record`).not.toBeNull();
      const res = await vanthu.put(`/api/staff/${u.staff_id}`, { status: 'left' });
      expect(res.status, `${role}: ${JSON.stringify(res.body)}`).toBe(403);
      expect(await isDisabled(demo(role).username)).toBe(false);
      expect((await srv.db('staff').where({ id: u.staff_id }).first('status')).status).toBe('active');
    }
  });

  it('#3 a records clerk cannot disable the admin or the principal through a change of post to "left"', async () => {
    for (const role of ['admin', 'principal']) {
      const u = await userRow(demo(role).username);
      const res = await vanthu.post('/api/staff-post-changes', { staffId: Number(u.staff_id), toPost: 'left', effectiveDate: '2026-11-30', note: 'Thử' });
      expect(res.status, `${role}: ${JSON.stringify(res.body)}`).toBe(403);
      expect(await isDisabled(demo(role).username)).toBe(false);
      expect(await srv.db('staff_post_changes').where({ staff_id: u.staff_id }).first()).toBeUndefined();
    }
    // Both can still sign in.
    await new Client(srv.url).loginAs(demo('admin'));
    await new Client(srv.url).loginAs(demo('principal'));
  });

  it('#3 the last active admin of a school cannot be disabled by any path, and account:recover brings an admin back (audited as the system)', async () => {
    const first = await userRow(demo('admin').username);
    // A second admin, then disabled by the first: allowed while another admin remains.
    const created = await admin.post('/api/users', { username: 'qt.hai', fullName: 'Quản trị Hai', password: 'Tam-thoi-2026', roles: [{ role: 'admin' }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await admin.put(`/api/users/${created.body.id}`, { disabled: true })).status).toBe(200);
    // Now the first admin is the last one: neither the staff record nor a change of post may disable them.
    const viaStaff = await admin.put(`/api/staff/${first.staff_id}`, { status: 'left' });
    expect(viaStaff.status).toBe(409);
    expect(viaStaff.body.message).toMatch(/quản trị viên cuối cùng/);
    const viaPost = await admin.post('/api/staff-post-changes', { staffId: Number(first.staff_id), toPost: 'left', effectiveDate: '2026-11-30' });
    expect(viaPost.status).toBe(409);
    expect(await isDisabled(demo('admin').username)).toBe(false);

    // Operator recovery from the command line: the disabled admin is enabled again with a one-time password.
    const { stdout } = await run('npx', ['tsx', 'server/cli/account-recover.ts', '--username', 'qt.hai'], {
      env: { ...process.env, DATABASE_URL: srv.config.databaseUrl, SESSION_SECRET: srv.config.sessionSecret },
    });
    const password = /One-time password: (\S+)/.exec(stdout)?.[1];
    expect(password, stdout).toBeTruthy();
    expect(await isDisabled('qt.hai')).toBe(false);
    const login = await new Client(srv.url).post('/api/auth/login', { username: 'qt.hai', password });
    expect(login.status).toBe(200);
    expect(login.body.stage).toBe('totp_setup_required');
    const audit = await srv.db('audit_events').where({ action: 'recover', entity: 'users', entity_id: String(created.body.id) }).first();
    expect(audit).toMatchObject({ username: 'Hệ thống', user_id: null, reason: 'account:recover' });
    // A non-admin is not "recovered" without saying so explicitly.
    await expect(
      run('npx', ['tsx', 'server/cli/account-recover.ts', '--username', demo('subject_teacher').username], {
        env: { ...process.env, DATABASE_URL: srv.config.databaseUrl, SESSION_SECRET: srv.config.sessionSecret },
      }),
    ).rejects.toThrow(/not an admin/);
  }, 60_000);
});
