import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../server/auth/totp';
import { accountFor, Client, freshTotp } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

describe.each(testDatabases())('authentication on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;
  const demo = (role: string) => accountFor(srv.accounts, role);

  beforeAll(async () => {
    srv = await startServer(kind);
    admin = await new Client(srv.url).loginAs(demo('admin'));
  });
  afterAll(async () => srv?.close());

  /** An account created by the admin, as a new teacher would receive it. */
  async function newTeacherAccount(username: string, password = 'Tam-thoi-2026') {
    const res = await admin.post('/api/users', {
      username,
      fullName: 'Giáo viên Thử',
      password,
      roles: [{ role: 'subject_teacher' }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id as number, username, password };
  }

  it('signs a teacher in with an httpOnly, SameSite session cookie and answers /me', async () => {
    const c = new Client(srv.url);
    const gv = demo('subject_teacher');
    const res = await c.post('/api/auth/login', { username: gv.username, password: gv.password });
    expect(res.status).toBe(200);
    expect(res.body.stage).toBe('ok');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe(gv.username);
    expect(me.body.user.principal.grants.map((g: { role: string }) => g.role)).toContain('subject_teacher');
    expect(me.body.user.principal.assignments.length).toBeGreaterThan(0);
  });

  it('refuses a wrong password with a Vietnamese message, or English when asked', async () => {
    const c = new Client(srv.url);
    const res = await c.post('/api/auth/login', { username: demo('records_clerk').username, password: 'sai-mat-khau-1' });
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    c.lang = 'en';
    const en = await c.post('/api/auth/login', { username: 'nobody-here', password: 'whatever-123' });
    expect(en.status).toBe(401);
    expect(en.body.message).toBe('Wrong username or password.');
  });

  it('locks an account for 15 minutes after five failures, shows it to admins, and lets an admin unlock it', async () => {
    const { id, username, password } = await newTeacherAccount('gv.khoa');
    const c = new Client(srv.url);
    for (let i = 1; i <= 4; i++) {
      expect((await c.post('/api/auth/login', { username, password: `wrong-pass-${i}` })).status).toBe(401);
    }
    const fifth = await c.post('/api/auth/login', { username, password: 'wrong-pass-5' });
    expect(fifth.status).toBe(423);
    const minutes = (Date.parse(fifth.body.lockedUntil) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    expect(fifth.body.message).toMatch(/tạm khóa đến/);
    // Even the right password is refused while locked.
    expect((await c.post('/api/auth/login', { username, password })).status).toBe(423);

    const listed = await admin.get(`/api/users/${id}`);
    expect(listed.body.lockedUntil).toBe(fifth.body.lockedUntil);
    const audit = await admin.get(`/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ entity: 'users', entityId: String(id), action: 'lockout' }))}`);
    expect(audit.body).toHaveLength(1);

    expect((await admin.post(`/api/users/${id}/unlock`)).status).toBe(200);
    const after = await c.post('/api/auth/login', { username, password });
    expect(after.status).toBe(200);
    expect(after.body.stage).toBe('password_change_required');
  });

  it('lets a locked account in again once the 15 minutes are over', async () => {
    const { id, username, password } = await newTeacherAccount('gv.het.khoa');
    await srv.db('users').where({ id }).update({ locked_until: new Date(Date.now() - 1000).toISOString() });
    const res = await new Client(srv.url).post('/api/auth/login', { username, password });
    expect(res.status).toBe(200);
  });

  it('forces a password change on first login, with the policy explained', async () => {
    const { username, password } = await newTeacherAccount('gv.moi');
    const c = new Client(srv.url);
    const login = await c.post('/api/auth/login', { username, password });
    expect(login.body.stage).toBe('password_change_required');
    const blocked = await c.get('/api/schools');
    expect(blocked.status).toBe(401);
    expect(blocked.body.stage).toBe('password_change_required');
    const weak = await c.post('/api/auth/change-password', { currentPassword: password, newPassword: 'short1' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors.newPassword).toBe('Mật khẩu phải có ít nhất 10 ký tự.');
    const noDigit = await c.post('/api/auth/change-password', { currentPassword: password, newPassword: 'chilachuthoi' });
    expect(noDigit.body.errors.newPassword).toBe('Mật khẩu phải có cả chữ và số.');
    const ok = await c.post('/api/auth/change-password', { currentPassword: password, newPassword: 'Mat-khau-rieng-42' });
    expect(ok.status).toBe(200);
    expect(ok.body.stage).toBe('ok');
    expect((await c.get('/api/schools')).status).toBe(200);
    // The old password no longer works; the new one does.
    expect((await new Client(srv.url).post('/api/auth/login', { username, password })).status).toBe(401);
    expect((await new Client(srv.url).post('/api/auth/login', { username, password: 'Mat-khau-rieng-42' })).body.stage).toBe('ok');
  });

  it('requires the TOTP code for an admin and refuses a wrong or replayed code', async () => {
    const a = demo('admin');
    const c = new Client(srv.url);
    const login = await c.post('/api/auth/login', { username: a.username, password: a.password });
    expect(login.body.stage).toBe('totp_required');
    const blocked = await c.get('/api/users');
    expect(blocked.status).toBe(401);
    expect(blocked.body.stage).toBe('totp_required');
    const wrong = await c.post('/api/auth/totp/verify', { code: '000000' === totpCode(a.totpSecret!) ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    const code = await freshTotp(a.totpSecret!, srv.url);
    const ok = await c.post('/api/auth/totp/verify', { code });
    expect(ok.body.stage).toBe('ok');
    expect((await c.get('/api/users')).status).toBe(200);
    // The same code cannot open a second session, and the refusal says why: wait for the next code.
    const c2 = new Client(srv.url);
    await c2.post('/api/auth/login', { username: a.username, password: a.password });
    const replay = await c2.post('/api/auth/totp/verify', { code });
    expect(replay.status).toBe(401);
    expect(replay.body.message).toMatch(/vừa được dùng.*đợi mã tiếp theo/);
    expect(wrong.body.message).toMatch(/không đúng hoặc đã hết hạn/);
  });

  it('makes a new principal enrol TOTP before anything else, then change the password', async () => {
    const created = await admin.post('/api/users', {
      username: 'ht.moi',
      fullName: 'Hiệu trưởng Mới',
      password: 'Tam-thoi-2026',
      roles: [{ role: 'principal' }],
    });
    expect(created.status).toBe(201);
    const c = new Client(srv.url);
    const login = await c.post('/api/auth/login', { username: 'ht.moi', password: 'Tam-thoi-2026' });
    expect(login.body.stage).toBe('totp_setup_required');
    expect(login.body.user.totpRequired).toBe(true);
    const setup = await c.post('/api/auth/totp/setup');
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(setup.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const enabled = await c.post('/api/auth/totp/enable', { code: totpCode(setup.body.secret) });
    expect(enabled.body.stage).toBe('password_change_required');
    const changed = await c.post('/api/auth/change-password', { currentPassword: 'Tam-thoi-2026', newPassword: 'Hieu-truong-2027' });
    expect(changed.body.stage).toBe('ok');
    // A principal may not switch the second factor off.
    expect((await c.post('/api/auth/totp/disable', { password: 'Hieu-truong-2027' })).status).toBe(403);
    // The stored secret is sealed, not the base32 the app showed.
    const row = await srv.db('users').where({ username: 'ht.moi' }).first();
    expect(row.totp_secret).not.toContain(setup.body.secret);
  });

  it('lets a teacher enrol TOTP optionally and then asks for it at login', async () => {
    const gv = demo('homeroom_teacher');
    const c = await new Client(srv.url).loginAs(gv);
    const setup = await c.post('/api/auth/totp/setup');
    expect((await c.post('/api/auth/totp/enable', { code: '12345' })).status).toBe(400);
    expect((await c.post('/api/auth/totp/enable', { code: totpCode(setup.body.secret) })).body.stage).toBe('ok');
    const again = await new Client(srv.url).post('/api/auth/login', { username: gv.username, password: gv.password });
    expect(again.body.stage).toBe('totp_required');
    expect((await c.post('/api/auth/totp/disable', { password: gv.password })).status).toBe(200);
    const third = await new Client(srv.url).post('/api/auth/login', { username: gv.username, password: gv.password });
    expect(third.body.stage).toBe('ok');
  });

  it('refuses state-changing requests without the CSRF token, and form posts and foreign origins outright', async () => {
    const c = await new Client(srv.url).loginAs(demo('academic_staff'));
    const noToken = await c.request('POST', '/api/departments', { code: 'X1', name: 'Tổ thử' }, { 'X-CSRF-Token': '' });
    expect(noToken.status).toBe(403);
    expect(noToken.body.message).toMatch(/chống giả mạo/);
    const wrongToken = await c.request('POST', '/api/departments', { code: 'X1', name: 'Tổ thử' }, { 'X-CSRF-Token': 'x'.repeat(32) });
    expect(wrongToken.status).toBe(403);
    expect(await srv.db('departments').where({ code: 'X1' }).first()).toBeUndefined();
    const form = await new Client(srv.url).request('POST', '/api/auth/login', 'username=a&password=b', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    const foreign = await new Client(srv.url).request('POST', '/api/auth/login', { username: 'a', password: 'b' }, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
  });

  it('logs out: the cookie no longer opens anything', async () => {
    const c = await new Client(srv.url).loginAs(demo('accountant'));
    expect((await c.get('/api/auth/me')).status).toBe(200);
    const cookie = c.cookie;
    expect((await c.post('/api/auth/logout')).status).toBe(200);
    c.cookie = cookie;
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('ends a session after the idle timeout and after the absolute timeout', async () => {
    const idle = await new Client(srv.url).loginAs(demo('records_clerk'));
    const abs = await new Client(srv.url).loginAs(demo('accountant'));
    const [s1, s2] = (await srv.db('sessions').orderBy('created_at', 'desc').limit(2)) as Array<{ id: string }>;
    await srv.db('sessions').where({ id: s2.id }).update({ last_seen_at: new Date(Date.now() - 31 * 60_000).toISOString() });
    await srv.db('sessions').where({ id: s1.id }).update({ expires_at: new Date(Date.now() - 1000).toISOString() });
    expect((await idle.get('/api/schools')).status).toBe(401);
    expect((await abs.get('/api/schools')).status).toBe(401);
  });

  it('ends live sessions at once when an account is disabled, its role changes, or its password is reset', async () => {
    const { id, username, password } = await newTeacherAccount('gv.phien');
    const signIn = async () => {
      const c = new Client(srv.url);
      await c.post('/api/auth/login', { username, password: current });
      if (c.csrf && (await c.get('/api/auth/me')).body.stage === 'password_change_required') {
        await c.post('/api/auth/change-password', { currentPassword: current, newPassword: 'Phien-lam-viec-9' });
        current = 'Phien-lam-viec-9';
      }
      return c;
    };
    let current = password;
    const c1 = await signIn();
    expect((await c1.get('/api/schools')).status).toBe(200);

    expect((await admin.put(`/api/users/${id}`, { roles: [{ role: 'subject_teacher' }, { role: 'records_clerk' }] })).status).toBe(200);
    expect((await c1.get('/api/schools')).status).toBe(401);

    const c2 = await signIn();
    expect((await c2.get('/api/schools')).status).toBe(200);
    const reset = await admin.post(`/api/users/${id}/reset-password`);
    expect(reset.status).toBe(200);
    expect((await c2.get('/api/schools')).status).toBe(401);
    current = reset.body.temporaryPassword;
    const c3 = new Client(srv.url);
    expect((await c3.post('/api/auth/login', { username, password: current })).body.stage).toBe('password_change_required');
    await c3.post('/api/auth/change-password', { currentPassword: current, newPassword: 'Sau-dat-lai-77' });
    expect((await c3.get('/api/schools')).status).toBe(200);

    expect((await admin.put(`/api/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await c3.get('/api/schools')).status).toBe(401);
    const refused = await new Client(srv.url).post('/api/auth/login', { username, password: 'Sau-dat-lai-77' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/vô hiệu hóa/);
  });
});
