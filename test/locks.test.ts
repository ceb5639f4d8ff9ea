import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVn } from '../domain/cutoffs';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/**
 * Khóa sổ, đề nghị mở khóa, ủy quyền nhập điểm (issue 3 "Cutoffs and locks"; seed 002 Điều 9.3, 14.3, 18.2):
 * an admin locks on the principal's order, a teacher asks to reopen named cells, only the principal decides, an
 * approval opens only those cells for school_settings.unlock_hours, and a delegate writes someone else's grid.
 */
describe.each(testDatabases())('locks, unlock requests and entry delegations on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;
  let principal: Client;
  let vp: Client;
  let teacher: Client; // gvbm: teaches GDCD in 6A1, 6A2 and 7A1
  let other: Client; // gvcn: teaches Tin học in 6A1, not GDCD
  const ids = { year: 0, semester: 0, c6a1: 0, c6a2: 0, c7a1: 0, gdcd: 0, tin: 0, principal: 0, admin: 0, teacher: 0, student: 0 };

  const userId = async (username: string) => Number(((await srv.db('users').where({ username }).first('id')) as { id: number }).id);
  const idOf = async (table: string, where: Record<string, unknown>) => Number(((await srv.db(table).where(where).first('id')) as { id: number }).id);

  beforeAll(async () => {
    srv = await startServer(kind);
    admin = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'admin'));
    principal = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'principal'));
    vp = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'vice_principal'));
    teacher = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'subject_teacher'));
    other = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'homeroom_teacher'));
    ids.year = await idOf('school_years', { name: '2026-2027' });
    ids.semester = await idOf('semesters', { school_year_id: ids.year, number: 1 });
    ids.c6a1 = await idOf('classes', { school_year_id: ids.year, name: '6A1' });
    ids.c6a2 = await idOf('classes', { school_year_id: ids.year, name: '6A2' });
    ids.c7a1 = await idOf('classes', { school_year_id: ids.year, name: '7A1' });
    ids.gdcd = await idOf('subjects', { code: 'GDCD' });
    ids.tin = await idOf('subjects', { code: 'TIN-HOC' });
    ids.principal = await userId(accountFor(srv.accounts, 'principal').username);
    ids.admin = await userId(accountFor(srv.accounts, 'admin').username);
    ids.teacher = await userId(accountFor(srv.accounts, 'subject_teacher').username);
    ids.student = await userId(accountFor(srv.accounts, 'student').username);
  }, 120_000);
  afterAll(async () => srv?.close());

  const gridUrl = (classId: number, subjectId: number) => `/api/gradebook?classId=${classId}&subjectId=${subjectId}&semesterId=${ids.semester}`;
  /** The nth student on a class's roll (n from 0). */
  const studentOf = async (classId: number, subjectId: number, n: number): Promise<number> => (await admin.get(gridUrl(classId, subjectId))).body.rows[n].student.id;
  /** Saves one regular cell as the grid would: with the version the grid showed. */
  async function save(c: Client, classId: number, subjectId: number, studentId: number, value: string, seq = 1) {
    const grid = await admin.get(gridUrl(classId, subjectId));
    const row = grid.body.rows.find((r: { student: { id: number } }) => r.student.id === studentId);
    const version = row.cells[`regular:${seq}`].version;
    return c.put('/api/gradebook', { classId, subjectId, semesterId: ids.semester, cells: [{ studentId, kind: 'regular', seq, value, version }] });
  }
  /** Moves a cell's first entry two weeks back: the weekly Friday 15:00 cutoff has closed it since. */
  const ageCell = (classId: number, subjectId: number, studentId: number) =>
    srv.db('assessment_scores')
      .where({ class_id: classId, subject_id: subjectId, semester_id: ids.semester, student_id: studentId, kind: 'regular', seq: 1 })
      .update({ first_entered_at: new Date(Date.now() - 14 * 86_400_000).toISOString() });
  const auditActions = async (entity: string, id: number) =>
    (await principal.get(`/api/audit-events?sort=${encodeURIComponent('["id","ASC"]')}&filter=${encodeURIComponent(JSON.stringify({ entity, entityId: String(id) }))}`)).body.map(
      (e: { action: string }) => e.action,
    );
  const lockBody = (extra: Record<string, unknown>) => ({ schoolYearId: ids.year, reason: 'Khóa sổ theo quyết định của Hiệu trưởng', orderedBy: ids.principal, ...extra });

  it('lets only an admin set a lock, with exactly the fields its scope names, on a principal’s order', async () => {
    expect((await teacher.post('/api/locks', lockBody({ scope: 'class', classId: ids.c6a1 }))).status).toBe(403);
    expect((await principal.post('/api/locks', lockBody({ scope: 'class', classId: ids.c6a1 }))).status).toBe(403);

    const missing = await admin.post('/api/locks', lockBody({ scope: 'class' }));
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.errors)).toEqual(['classId']);
    const extra = await admin.post('/api/locks', lockBody({ scope: 'class', classId: ids.c6a1, grade: 6 }));
    expect(extra.status).toBe(400);
    expect(extra.body.errors.grade).toMatch(/lớp/);
    const notPrincipal = await admin.post('/api/locks', lockBody({ scope: 'class', classId: ids.c6a1, orderedBy: ids.teacher }));
    expect(notPrincipal.status).toBe(400);
    expect(notPrincipal.body.errors.orderedBy).toMatch(/hiệu trưởng/);
    const noReason = await admin.post('/api/locks', { scope: 'year', schoolYearId: ids.year, orderedBy: ids.principal });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.reason).toBeTruthy();
    const noColumn = await admin.post('/api/locks', lockBody({ scope: 'column', semesterId: ids.semester, classId: ids.c6a1, subjectId: ids.gdcd, kind: 'midterm', seq: 2 }));
    expect(noColumn.status).toBe(400);
    expect(noColumn.body.errors.seq).toBeTruthy();
    expect(Number(((await srv.db('locks').count({ n: '*' }).first()) as { n: number }).n)).toBe(0);
  });

  it('refuses a save into a class-locked grid with 423 naming the scope, since when and the reason; lifting reopens and keeps the history', async () => {
    const reason = 'Khóa sổ để kiểm tra hồ sơ lớp 6A1';
    const created = await admin.post('/api/locks', lockBody({ scope: 'class', classId: ids.c6a1, reason }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ scope: 'class', classId: ids.c6a1, orderedBy: ids.principal, createdBy: ids.admin, active: true, liftedAt: null });
    // People by full name (a teacher reading the lock need not read the accounts).
    const fullName = async (id: number) => ((await srv.db('users').where({ id }).first('full_name')) as { full_name: string }).full_name;
    expect(created.body).toMatchObject({ orderedByName: await fullName(ids.principal), createdByName: await fullName(ids.admin), liftedByName: null });
    const student = await studentOf(ids.c6a1, ids.gdcd, 5);

    const refused = await save(teacher, ids.c6a1, ids.gdcd, student, '8,5');
    expect(refused.status).toBe(423);
    expect(refused.body.closed[0].rule).toBe('lock');
    const message = refused.body.errors['cells.0'] as string;
    expect(message).toContain('(lớp)');
    expect(message).toContain(formatVn(created.body.createdAt));
    expect(message).toContain(reason);
    expect(await srv.db('assessment_scores').where({ class_id: ids.c6a1, subject_id: ids.gdcd, student_id: student }).first()).toBeUndefined();

    const teacherLift = await teacher.delete(`/api/locks/${created.body.id}`);
    expect(teacherLift.status).toBe(403);
    const lifted = await admin.delete(`/api/locks/${created.body.id}`);
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({ id: created.body.id, active: false, liftedBy: ids.admin });
    expect(lifted.body.liftedAt).toBeTruthy();
    expect((await save(teacher, ids.c6a1, ids.gdcd, student, '8,5')).status).toBe(200);

    // Lifted, not deleted: the lock is still there to read, listed among the inactive ones.
    expect((await admin.get(`/api/locks/${created.body.id}`)).body.active).toBe(false);
    const inactive = await principal.get(`/api/locks?filter=${encodeURIComponent(JSON.stringify({ active: false, classId: ids.c6a1 }))}`);
    expect(inactive.body.map((l: { id: number }) => l.id)).toContain(created.body.id);
    const active = await principal.get(`/api/locks?filter=${encodeURIComponent(JSON.stringify({ active: true }))}`);
    expect(active.body.map((l: { id: number }) => l.id)).not.toContain(created.body.id);
    expect((await admin.delete(`/api/locks/${created.body.id}`)).status).toBe(409);
    expect(await auditActions('locks', created.body.id)).toEqual(['create', 'lift']);
  });

  it('covers every class of the grade with a grade lock, and no class of another grade', async () => {
    const created = await admin.post('/api/locks', lockBody({ scope: 'grade', grade: 6 }));
    expect(created.status).toBe(201);
    const a1 = await save(teacher, ids.c6a1, ids.gdcd, await studentOf(ids.c6a1, ids.gdcd, 6), '7');
    expect(a1.status).toBe(423);
    expect(a1.body.errors['cells.0']).toContain('(khối)');
    expect((await save(teacher, ids.c6a2, ids.gdcd, await studentOf(ids.c6a2, ids.gdcd, 0), '7')).status).toBe(423);
    expect((await save(teacher, ids.c7a1, ids.gdcd, await studentOf(ids.c7a1, ids.gdcd, 0), '7')).status).toBe(200);
    expect((await admin.delete(`/api/locks/${created.body.id}`)).status).toBe(200);
  });

  it('reopens only the approved cells, until opens_until passes, and only on the principal’s approval', async () => {
    const [s1, s2] = [await studentOf(ids.c6a1, ids.gdcd, 0), await studentOf(ids.c6a1, ids.gdcd, 1)];
    expect((await save(teacher, ids.c6a1, ids.gdcd, s1, '6')).status).toBe(200);
    expect((await save(teacher, ids.c6a1, ids.gdcd, s2, '6')).status).toBe(200);
    await ageCell(ids.c6a1, ids.gdcd, s1);
    await ageCell(ids.c6a1, ids.gdcd, s2);
    const closed = await save(teacher, ids.c6a1, ids.gdcd, s1, '9');
    expect(closed.status).toBe(423);
    expect(closed.body.closed[0].rule).toBe('regular_weekly');

    const cell = { semesterId: ids.semester, classId: ids.c6a1, subjectId: ids.gdcd, studentId: s1, kind: 'regular', seq: 1 };
    const filed = await teacher.post('/api/unlock-requests', { reason: 'Nhập nhầm điểm của học sinh', cells: [cell] });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ status: 'pending', open: false, requestedBy: ids.teacher, decidedBy: null, opensUntil: null, cells: [cell] });
    const url = `/api/unlock-requests/${filed.body.id}`;

    // Nobody but the principal decides; a refused decision changes nothing.
    for (const who of [admin, vp, teacher]) expect((await who.post(`${url}/approve`, {})).status).toBe(403);
    expect((await principal.get(url)).body).toMatchObject({ status: 'pending', decidedBy: null, opensUntil: null, open: false });
    expect((await save(teacher, ids.c6a1, ids.gdcd, s1, '9')).status).toBe(423);

    const before = Date.now();
    const approved = await principal.post(`${url}/approve`, { note: 'Đồng ý mở để sửa' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', open: true, decidedBy: ids.principal, decisionNote: 'Đồng ý mở để sửa', cells: [cell] });
    // Default school_settings.unlock_hours: 48.
    const opens = Date.parse(approved.body.opensUntil);
    expect(opens).toBeGreaterThanOrEqual(before + 48 * 3_600_000 - 5_000);
    expect(opens).toBeLessThanOrEqual(Date.now() + 48 * 3_600_000 + 5_000);
    expect((await principal.post(`${url}/approve`, {})).status).toBe(409);

    expect((await save(teacher, ids.c6a1, ids.gdcd, s1, '9')).status).toBe(200);
    expect((await save(teacher, ids.c6a1, ids.gdcd, s2, '9')).status).toBe(423); // not named: still closed

    // The opening ends at opens_until by itself: moved into the past, the next write is refused.
    await srv.db('unlock_requests').where({ id: filed.body.id }).update({ opens_until: new Date(Date.now() - 60_000).toISOString() });
    const again = await save(teacher, ids.c6a1, ids.gdcd, s1, '9,5');
    expect(again.status).toBe(423);
    expect(again.body.closed[0].rule).toBe('regular_weekly');
    expect((await teacher.get(url)).body.open).toBe(false);
    expect(await auditActions('unlock-requests', filed.body.id)).toEqual(['create', 'approve']);

    // A teacher sees their own requests only; the principal sees the school's.
    expect((await other.get('/api/unlock-requests')).body.map((r: { id: number }) => r.id)).not.toContain(filed.body.id);
    expect((await other.get(url)).status).toBe(403);
    expect((await teacher.get('/api/unlock-requests')).body.map((r: { id: number }) => r.id)).toContain(filed.body.id);
    expect((await principal.get(`/api/unlock-requests?filter=${encodeURIComponent(JSON.stringify({ classId: ids.c6a1, status: 'approved' }))}`)).body.map((r: { id: number }) => r.id)).toContain(filed.body.id);
  });

  it('refuses unlock requests for a class × subject the teacher does not teach (403) or for cells that do not exist (400)', async () => {
    const count = async () => Number(((await srv.db('unlock_requests').count({ n: '*' }).first()) as { n: number }).n);
    const n = await count();
    const student = await studentOf(ids.c6a1, ids.tin, 0);
    const notMine = await teacher.post('/api/unlock-requests', {
      reason: 'Xin mở khóa',
      cells: [{ semesterId: ids.semester, classId: ids.c6a1, subjectId: ids.tin, studentId: student, kind: 'regular', seq: 1 }],
    });
    expect(notMine.status).toBe(403);
    const otherClass = await studentOf(ids.c7a1, ids.gdcd, 0);
    const bad = await teacher.post('/api/unlock-requests', {
      reason: 'Xin mở khóa',
      cells: [
        { semesterId: ids.semester, classId: ids.c6a1, subjectId: ids.gdcd, studentId: otherClass, kind: 'regular', seq: 1 },
        { semesterId: ids.semester, classId: ids.c6a1, subjectId: ids.gdcd, studentId: student, kind: 'midterm', seq: 2 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors['cells.0']).toMatch(/không thuộc lớp/);
    expect(bad.body.errors['cells.1']).toMatch(/cột điểm/);
    expect((await teacher.post('/api/unlock-requests', { cells: [] })).body.errors).toHaveProperty('reason');
    expect((await principal.post('/api/unlock-requests', { reason: 'x', cells: [] })).status).toBe(403);
    expect(await count()).toBe(n);
  });

  it('requires a note to reject, and a decided request cannot be decided again', async () => {
    const student = await studentOf(ids.c6a2, ids.gdcd, 3);
    const filed = await teacher.post('/api/unlock-requests', {
      reason: 'Học sinh kiểm tra bù',
      cells: [{ semesterId: ids.semester, classId: ids.c6a2, subjectId: ids.gdcd, studentId: student, kind: 'regular', seq: 1 }],
    });
    expect(filed.status).toBe(201);
    const url = `/api/unlock-requests/${filed.body.id}`;
    const noNote = await principal.post(`${url}/reject`, {});
    expect(noNote.status).toBe(400);
    expect(noNote.body.errors.note).toBeTruthy();
    const rejected = await principal.post(`${url}/reject`, { note: 'Không có biên bản kiểm tra bù' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', open: false, opensUntil: null, decidedBy: ids.principal, decisionNote: 'Không có biên bản kiểm tra bù' });
    const late = await principal.post(`${url}/approve`, {});
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/đã từ chối/);
    expect(await auditActions('unlock-requests', filed.body.id)).toEqual(['create', 'reject']);
  });

  it('lets a delegate write a grid the principal delegated, until revoked or expired', async () => {
    const student = await studentOf(ids.c6a1, ids.tin, 2);
    expect((await save(teacher, ids.c6a1, ids.tin, student, '8')).status).toBe(403);
    const body = { classId: ids.c6a1, subjectId: ids.tin, delegateUserId: ids.teacher, reason: 'Giáo viên Tin học nghỉ ốm', validUntil: '2026-12-31' };
    expect((await admin.post('/api/entry-delegations', body)).status).toBe(403);
    expect((await principal.post('/api/entry-delegations', { ...body, validUntil: '2026-01-01' })).body.errors).toHaveProperty('validUntil');
    expect((await principal.post('/api/entry-delegations', { ...body, delegateUserId: ids.student })).body.errors).toHaveProperty('delegateUserId');

    const created = await principal.post('/api/entry-delegations', body);
    expect(created.status).toBe(201);
    // Through the whole of 31/12/2026, Vietnam time.
    expect(created.body).toMatchObject({ delegateUserId: ids.teacher, grantedBy: ids.principal, validUntil: '2026-12-31T17:00:00.000Z', active: true, revokedAt: null });
    expect((await save(teacher, ids.c6a1, ids.tin, student, '8')).status).toBe(200);

    expect((await vp.delete(`/api/entry-delegations/${created.body.id}`)).status).toBe(403);
    const revoked = await principal.delete(`/api/entry-delegations/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: created.body.id, active: false, revokedBy: ids.principal });
    expect(revoked.body.revokedAt).toBeTruthy();
    expect((await save(teacher, ids.c6a1, ids.tin, student, '9')).status).toBe(403);
    expect((await vp.get(`/api/entry-delegations/${created.body.id}`)).body.active).toBe(false);
    expect(await auditActions('entry-delegations', created.body.id)).toEqual(['create', 'revoke']);

    // Expiry needs no timer either: past valid_until the right is gone at the next write.
    const second = await principal.post('/api/entry-delegations', body);
    expect((await save(teacher, ids.c6a1, ids.tin, student, '9')).status).toBe(200);
    await srv.db('entry_delegations').where({ id: second.body.id }).update({ valid_until: new Date(Date.now() - 1_000).toISOString() });
    expect((await save(teacher, ids.c6a1, ids.tin, student, '9,5')).status).toBe(403);
    expect((await principal.get(`/api/entry-delegations/${second.body.id}`)).body.active).toBe(false);
  });

  it('shows a delegate their own active delegations (GET /api/entry-delegations/mine), and nobody else’s', async () => {
    const mine = async (c: Client) => {
      const res = await c.get('/api/entry-delegations/mine');
      expect(res.status).toBe(200);
      return res.body as Array<{ id: number; classId: number; className: string; subjectId: number; subjectName: string; validUntil: string }>;
    };
    const body = { classId: ids.c6a2, subjectId: ids.tin, delegateUserId: ids.teacher, reason: 'Giáo viên Tin học đi tập huấn', validUntil: '2026-12-31' };
    const created = await principal.post('/api/entry-delegations', body);
    expect(created.status).toBe(201);
    const tin = (await srv.db('subjects').where({ id: ids.tin }).first('name')) as { name: string };
    expect(await mine(teacher)).toEqual([
      { id: created.body.id, schoolId: created.body.schoolId, classId: ids.c6a2, className: '6A2', grade: 6, subjectId: ids.tin, subjectName: tin.name, validUntil: '2026-12-31T17:00:00.000Z' },
    ]);
    // Not the route of one record: "mine" is no id, and the others' lists do not carry it.
    for (const c of [other, principal, vp, admin]) expect((await mine(c)).map((d) => d.id)).not.toContain(created.body.id);
    const student = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'student'));
    expect((await student.get('/api/entry-delegations/mine')).status).toBe(403);
    expect((await teacher.get('/api/entry-delegations/mine?all=1')).status).toBe(400);

    expect((await principal.delete(`/api/entry-delegations/${created.body.id}`)).status).toBe(200);
    expect(await mine(teacher)).toEqual([]);
    const second = await principal.post('/api/entry-delegations', body);
    expect((await mine(teacher)).map((d) => d.id)).toEqual([second.body.id]);
    await srv.db('entry_delegations').where({ id: second.body.id }).update({ valid_until: new Date(Date.now() - 1_000).toISOString() });
    expect(await mine(teacher)).toEqual([]);
  });
});
