import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VN_OFFSET_MS } from '../domain/cutoffs';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/**
 * Issue 12, trap 1: the true date of a past periodic test closed the whole column at once and for good, a typo did
 * the same, and the date could not be corrected. Now a date that closes cells warns first (what it closes), a wrong
 * date is corrected through the same approval as an unlock, and a teacher's own date change never reopens cells.
 */
const DAY = 86_400_000;
/** Monday 23/11/2026 10:00 Vietnam time, in semester I of the demo year. */
const NOW = Date.parse('2026-11-23T03:00:00.000Z');
const vnDate = (days: number) => new Date(NOW + VN_OFFSET_MS + days * DAY).toISOString().slice(0, 10);

describe.each(testDatabases())('test date corrections on %s', (kind) => {
  let srv: TestServer;
  let teacher: Client;
  let principal: Client;
  let other: Client;
  let book: { classId: number; subjectId: number; semesterId: number };
  let students: number[];

  const setDate = (k: 'midterm' | 'final', d: string, confirm?: boolean) => teacher.put('/api/gradebook/test-dates', { ...book, kind: k, testDate: d, ...(confirm ? { confirm } : {}) });
  const grid = async () => (await teacher.get(`/api/gradebook?classId=${book.classId}&subjectId=${book.subjectId}&semesterId=${book.semesterId}`)).body;
  const saveMidterm = (studentId: number, value: string) => teacher.put('/api/gradebook', { ...book, cells: [{ studentId, kind: 'midterm', seq: 1, value, version: 0 }] });

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    srv = await startServer(kind);
    teacher = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'subject_teacher'));
    principal = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'principal'));
    other = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'homeroom_teacher'));
    const me = (await teacher.get('/api/auth/me')).body.user.principal.assignments[0];
    const semester = (await srv.db('semesters').join('classes', 'classes.school_year_id', 'semesters.school_year_id').where({ 'classes.id': me.classId, 'semesters.number': 1 }).first('semesters.id')) as { id: number };
    book = { classId: me.classId, subjectId: me.subjectId, semesterId: Number(semester.id) };
    // A clean column: no periodic date or score yet.
    await srv.db('assessment_scores').where({ class_id: book.classId, subject_id: book.subjectId, semester_id: book.semesterId }).whereIn('kind', ['midterm', 'final']).delete();
    await srv.db('test_dates').where({ class_id: book.classId, subject_id: book.subjectId, semester_id: book.semesterId }).delete();
    students = (await grid()).rows.map((r: { student: { id: number } }) => r.student.id);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await srv?.close();
  });

  it('warns before a date that closes the column, saying what it closes; nothing is saved until confirmed', async () => {
    // A typo: 03/11 instead of 21/11. Its window ended at 00:00 on 11/11.
    const typo = vnDate(-20);
    const warned = await setDate('midterm', typo);
    expect(warned.status).toBe(409);
    expect(warned.body.message).toContain(`đã hết từ 00:00 ngày ${vnDate(-12).split('-').reverse().join('/')}`);
    expect(warned.body.message).toContain(`${students.length}/${students.length} học sinh chưa có điểm`);
    expect((await grid()).testDates.midterm).toBeNull();
    // A recent date is saved at once (no warning: nothing closes).
    expect((await setDate('final', vnDate(-1))).status).toBe(200);
    // Confirmed: saved, and the column is closed.
    expect((await setDate('midterm', typo, true)).status).toBe(200);
    const closed = await saveMidterm(students[0], '7');
    expect(closed.status).toBe(423);
    expect(closed.body.closed[0].rule).toBe('periodic_window');
  });

  it('never lets the teacher reopen the closed column by changing the date; the message says how to correct it', async () => {
    const moved = await setDate('midterm', vnDate(-2), true);
    expect(moved.status).toBe(423);
    expect(moved.body.message).toMatch(/gửi đề nghị sửa ngày kiểm tra để Hiệu trưởng phê duyệt/);
    expect((await grid()).testDates.midterm).toBe(vnDate(-20));
  });

  it('corrects a wrong date through an unlock request the principal approves', async () => {
    const fix = { ...book, kind: 'midterm', date: vnDate(-2) };
    // Only where the teacher could not change it: an open column's date is changed directly.
    const needless = await teacher.post('/api/unlock-requests', { reason: 'Ghi nhầm', cells: [], testDate: { ...fix, kind: 'final', date: vnDate(-3) } });
    expect(needless.status).toBe(409);
    expect(needless.body.message).toMatch(/hãy sửa ngày trực tiếp/);
    // Another teacher's grade book: refused.
    expect((await other.post('/api/unlock-requests', { reason: 'Ghi nhầm', cells: [], testDate: fix })).status).toBe(403);
    expect((await teacher.post('/api/unlock-requests', { reason: 'Ghi nhầm', cells: [] })).status).toBe(400);

    const filed = await teacher.post('/api/unlock-requests', { reason: 'Ghi nhầm ngày kiểm tra giữa kỳ (03/11 thay vì 21/11)', cells: [], testDate: fix });
    expect(filed.status).toBe(201);
    expect(filed.body.testDate).toEqual({ ...book, kind: 'midterm', oldDate: vnDate(-20), newDate: vnDate(-2) });
    // Nothing changes until the principal decides.
    expect((await grid()).testDates.midterm).toBe(vnDate(-20));
    const approved = await principal.post(`/api/unlock-requests/${filed.body.id}/approve`, { note: 'Đồng ý' });
    expect(approved.status).toBe(200);
    // The request names its grade book and the decider by name, for lists that show them without opening it.
    const names = async (table: string, id: number) => ((await srv.db(table).where({ id }).first(table === 'users' ? 'full_name' : 'name')) as Record<string, string>);
    expect(approved.body.books).toEqual([{ classId: book.classId, className: (await names('classes', book.classId)).name, subjectId: book.subjectId, subjectName: (await names('subjects', book.subjectId)).name }]);
    expect(approved.body.decidedByName).toBe(accountFor(srv.accounts, 'principal').fullName);
    expect((await grid()).testDates.midterm).toBe(vnDate(-2));
    // The corrected date's window is open: the scores go in.
    expect((await saveMidterm(students[0], '7')).status).toBe(200);
    // Audited as the principal's change of the date, naming the request.
    const event = (await srv.db('audit_events').where({ action: 'test_date' }).orderBy('id', 'desc').first()) as Record<string, unknown>;
    expect(JSON.parse(String(event.before))).toEqual({ kind: 'midterm', testDate: vnDate(-20) });
    expect(JSON.parse(String(event.after))).toEqual({ kind: 'midterm', testDate: vnDate(-2) });
    expect(event.reason).toBe(`unlock-request ${filed.body.id}`);
    expect(event.username).toBe(accountFor(srv.accounts, 'principal').username);
  });

  it('leaves the date as it was when the principal rejects the correction', async () => {
    // Scores are in now: the teacher cannot move the date, and a correction request is the way.
    expect((await setDate('midterm', vnDate(-3), true)).status).toBe(409);
    const filed = await teacher.post('/api/unlock-requests', { reason: 'Nhầm ngày', cells: [], testDate: { ...book, kind: 'midterm', date: vnDate(-3) } });
    expect(filed.status).toBe(201);
    expect((await principal.post(`/api/unlock-requests/${filed.body.id}/reject`, { note: 'Ngày đang ghi là đúng' })).status).toBe(200);
    expect((await grid()).testDates.midterm).toBe(vnDate(-2));
  });
});
