import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/** Stored results follow the student when enrolments change (transfers, class moves). */
describe.each(testDatabases())('results after enrolment changes on %s', (kind) => {
  let srv: TestServer;
  let principal: Client;
  let staff: Client;
  let yearId: number;

  beforeAll(async () => {
    srv = await startServer(kind);
    principal = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'principal'));
    staff = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'academic_staff'));
    yearId = Number((await srv.db('school_years').where({ is_current: true }).first()).id);
  });
  afterAll(async () => srv?.close());

  const summaryIds = async (classId: number) => {
    const res = await principal.get(`/api/results/class-summary?classId=${classId}&schoolYearId=${yearId}`);
    expect(res.status).toBe(200);
    return res.body.rows.map((r: { student: { id: number } }) => r.student.id) as number[];
  };

  it('drops a transferred-out student from the class summary and adds a transferred-in one to the new class', async () => {
    const [a, b] = (await srv.db('classes').where({ school_year_id: yearId, grade: 6 }).orderBy('name').limit(2)) as Array<{ id: number }>;
    const before = await summaryIds(a.id);
    const leaving = before[0];
    const out = await staff.post('/api/student-transfers', { studentId: leaving, direction: 'out', transferDate: '2026-11-20', otherSchool: 'THCS Yên Mỹ', reason: 'Chuyển nơi ở' });
    expect(out.status).toBe(201);
    expect(await summaryIds(a.id)).not.toContain(leaving);
    expect((await summaryIds(a.id)).length).toBe(before.length - 1);
    const back = await staff.post('/api/student-transfers', { studentId: leaving, direction: 'in', transferDate: '2026-11-22', classId: b.id, otherSchool: 'THCS Yên Mỹ', reason: 'Quay lại' });
    expect(back.status).toBe(201);
    expect(await summaryIds(b.id)).toContain(leaving);
    expect(await summaryIds(a.id)).not.toContain(leaving);
  });
});
