import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

describe.each(testDatabases())('bad input on %s', (kind) => {
  let srv: TestServer;
  let staff: Client;
  let admin: Client;
  const count = async (table: string) => Number(((await srv.db(table).count({ n: '*' }).first()) as { n: number }).n);

  beforeAll(async () => {
    srv = await startServer(kind);
    staff = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'academic_staff'));
    admin = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'admin'));
  });
  afterAll(async () => srv?.close());

  it('malformed JSON → 400 in plain words, nothing written', async () => {
    const before = await count('departments');
    const res = await staff.request('POST', '/api/departments', '{"code": "A", "name": ', { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Dữ liệu gửi lên không đúng định dạng JSON.', errors: {} });
    expect(await count('departments')).toBe(before);
  });

  it('wrong types, missing and unknown fields → 400 naming each field', async () => {
    const res = await staff.post('/api/departments', { code: 42, isSecret: true });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/chưa hợp lệ/);
    expect(res.body.errors).toEqual({
      code: 'Phải là chữ (văn bản).',
      name: 'Bắt buộc nhập.',
      isSecret: 'Trường không được phép: isSecret.',
    });
    staff.lang = 'en';
    const en = await staff.post('/api/departments', { name: '' });
    staff.lang = 'vi';
    expect(en.body.errors.name).toBe('Required.');
  });

  it('a body over 1 MB → 413', async () => {
    const huge = { code: 'BIG', name: 'x'.repeat(1_100_000) };
    const res = await staff.post('/api/departments', huge);
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/quá lớn/);
    expect(await srv.db('departments').where({ code: 'BIG' }).first()).toBeUndefined();
  });

  it('unknown ids → 404 with the resource named; unknown routes → 404 JSON', async () => {
    const res = await staff.get('/api/departments/987654');
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('Không tìm thấy departments có mã 987654.');
    expect((await staff.put('/api/departments/abc', { name: 'X' })).status).toBe(404);
    expect((await staff.delete('/api/departments/0')).status).toBe(404);
    const route = await staff.get('/api/khong-co');
    expect(route.status).toBe(404);
    expect(route.body.message).toBe('Không có chức năng này.');
  });

  it('a forbidden scope → 403 and nothing written', async () => {
    const teacher = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'subject_teacher'));
    const before = await count('departments');
    const res = await teacher.post('/api/departments', { code: 'HACK', name: 'Tổ lạ' });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('Bạn không có quyền thực hiện thao tác này.');
    expect(await count('departments')).toBe(before);
  });

  it('a duplicate username → 409, a weak password → 400, and no half-created account', async () => {
    const users = await count('users');
    const roles = await count('user_roles');
    const dup = await admin.post('/api/users', { username: 'gvbm', fullName: 'Trùng Tên', password: 'Mat-khau-2026', roles: [{ role: 'subject_teacher' }] });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toBe('Tên đăng nhập "gvbm" đã tồn tại.');
    const weak = await admin.post('/api/users', { username: 'gv.yeu', fullName: 'Mật Khẩu Yếu', password: 'abc', roles: [{ role: 'subject_teacher' }] });
    expect(weak.status).toBe(400);
    expect(weak.body.errors.password).toMatch(/ít nhất 10 ký tự/);
    const badScope = await admin.post('/api/users', { username: 'tt.thieu', fullName: 'Tổ Trưởng', password: 'Mat-khau-2026', roles: [{ role: 'department_head' }] });
    expect(badScope.status).toBe(400);
    expect(await count('users')).toBe(users);
    expect(await count('user_roles')).toBe(roles);
  });

  it('an account-managing vice principal cannot create or promote an admin', async () => {
    const vp = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'vice_principal'));
    const res = await vp.post('/api/users', { username: 'admin2', fullName: 'Quản Trị Hai', password: 'Mat-khau-2026', roles: [{ role: 'admin' }] });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('Bạn không được cấp vai trò "admin".');
    const teacher = (await vp.get(`/api/users?filter=${encodeURIComponent('{"role":"subject_teacher"}')}&range=[0,0]`)).body[0];
    const promote = await vp.put(`/api/users/${teacher.id}`, { roles: [{ role: 'principal' }] });
    expect(promote.status).toBe(403);
    const principalAccount = (await vp.get(`/api/users?filter=${encodeURIComponent('{"role":"principal"}')}`)).body;
    expect(principalAccount).toEqual([]);
  });

  it('one person, one account: a staff member with an account cannot get a second one', async () => {
    const existing = (await srv.db('users').whereNotNull('staff_id').first()) as { staff_id: number };
    const res = await admin.post('/api/users', {
      username: 'tai.khoan.hai',
      fullName: 'Tài Khoản Hai',
      password: 'Mat-khau-2026',
      staffId: existing.staff_id,
      roles: [{ role: 'subject_teacher' }],
    });
    expect(res.status).toBe(409);
    expect(res.body.errors.staffId).toMatch(/mỗi người một tài khoản/);
  });

  it('sends security headers and CORS only to the configured origin', async () => {
    const res = await fetch(`${srv.url}/api/health`, { headers: { Origin: 'http://localhost:3000' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const evil = await fetch(`${srv.url}/api/health`, { headers: { Origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});
