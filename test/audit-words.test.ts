import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/**
 * The audit log in words through the API (issue 12): a score saved in the grade book reads back, for the
 * principal, as "Điểm ĐĐGtx n môn … của … (lớp): → 8,5" with the teacher's full name; a page of 50 events costs a
 * fixed number of queries whatever it holds.
 */
describe.each(testDatabases())('audit log in words on %s', (kind) => {
  let srv: TestServer;
  let principal: Client;
  let teacher: Client;
  let book: { classId: number; subjectId: number; semesterId: number };
  let names: { subject: string; className: string; teacher: string };
  let schoolId: number;
  /** Empty regular cells the teacher may still write, in roll-call order. */
  let open: Array<{ studentId: number; fullName: string; seq: number }>;

  const list = (c: Client, filter: Record<string, unknown>, range = [0, 49]) =>
    c.get(`/api/audit-events?sort=${encodeURIComponent('["id","DESC"]')}&range=${encodeURIComponent(JSON.stringify(range))}&filter=${encodeURIComponent(JSON.stringify(filter))}`);
  const saveCells = (cells: typeof open, value: string) =>
    teacher.put('/api/gradebook', { ...book, cells: cells.map((c) => ({ studentId: c.studentId, kind: 'regular', seq: c.seq, value, version: 0 })) });

  beforeAll(async () => {
    srv = await startServer(kind);
    principal = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'principal'));
    teacher = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'subject_teacher'));
    const t = (await srv.db('users').where({ username: accountFor(srv.accounts, 'subject_teacher').username }).first()) as { staff_id: number; full_name: string; school_id: number };
    schoolId = Number(t.school_id);
    const a = (await srv
      .db('teaching_assignments as a')
      .join('classes as c', 'c.id', 'a.class_id')
      .join('subjects as s', 's.id', 'a.subject_id')
      .join('school_years as y', 'y.id', 'a.school_year_id')
      .where({ 'a.staff_id': t.staff_id, 's.assessment_type': 'scored', 'y.is_current': true })
      .orderBy('c.name')
      .first('a.class_id', 'a.subject_id', 'a.school_year_id', 'c.name as class_name', 's.name as subject_name')) as Record<string, string | number>;
    const semester = (await srv.db('semesters').where({ school_year_id: a.school_year_id, number: 1 }).first('id')) as { id: number };
    book = { classId: Number(a.class_id), subjectId: Number(a.subject_id), semesterId: Number(semester.id) };
    names = { subject: String(a.subject_name), className: String(a.class_name), teacher: t.full_name };
    const grid = (await teacher.get(`/api/gradebook?classId=${book.classId}&subjectId=${book.subjectId}&semesterId=${book.semesterId}`)).body;
    open = [];
    for (const row of grid.rows) {
      for (const [key, cell] of Object.entries(row.cells as Record<string, { value: string | null; version: number; closed: unknown }>)) {
        const [k, seq] = key.split(':');
        if (k === 'regular' && cell.value === null && cell.version === 0 && cell.closed === null) open.push({ studentId: row.student.id, fullName: row.student.fullName, seq: Number(seq) });
      }
    }
    expect(open.length).toBeGreaterThanOrEqual(20);
  });
  afterAll(async () => srv?.close());

  it('tells the principal, in Vietnamese, whose score changed and who changed it', async () => {
    const c = open[0];
    expect((await saveCells([c], '8,5')).status).toBe(200);
    const res = await list(principal, { entity: 'gradebook', action: 'gradebook_save' }, [0, 0]);
    expect(res.status).toBe(200);
    const [ev] = res.body;
    const line = `Điểm ĐĐGtx ${c.seq} môn ${names.subject} của ${c.fullName} (${names.className}): → 8,5`;
    expect(ev).toMatchObject({ actorName: names.teacher, actorRole: 'Giáo viên bộ môn', actionLabel: 'Lưu sổ điểm', entityLabel: 'Sổ điểm', summary: line, changes: [line] });
    expect(ev.target).toMatch(new RegExp(`^Sổ điểm môn ${names.subject} lớp ${names.className}, Học kỳ I năm học \\d{4}-\\d{4}$`));
    // The stored row is still there for the technical view.
    expect(ev.after.cells).toEqual([{ kind: 'regular', seq: c.seq, studentId: c.studentId, value: '8.5' }]);

    const shown = await principal.get(`/api/audit-events/${ev.id}`);
    expect(shown.body).toMatchObject({ changes: [line], actorName: names.teacher });
    principal.lang = 'en';
    try {
      const en = await principal.get(`/api/audit-events/${ev.id}`);
      expect(en.body).toMatchObject({ actionLabel: 'Grade book saved', changes: [`Regular ${c.seq} score in ${names.subject} for ${c.fullName} (${names.className}): → 8.5`] });
    } finally {
      principal.lang = 'vi';
    }
  });

  it('shows ten lines of a long save in the list, every line on its own page', async () => {
    const cells = open.slice(1, 16);
    expect((await saveCells(cells, '7')).status).toBe(200);
    const [ev] = (await list(principal, { entity: 'gradebook', action: 'gradebook_save' }, [0, 0])).body;
    expect(ev.changeCount).toBe(15);
    expect(ev.changes).toHaveLength(11);
    expect(ev.changes.at(-1)).toBe('… và 5 thay đổi khác');
    expect(ev.summary).toMatch(/: → 7,0 … và 14 thay đổi khác$/);
    const shown = (await principal.get(`/api/audit-events/${ev.id}`)).body;
    expect(shown.changes).toHaveLength(15);
    expect(shown.changes).toContain(`Điểm ĐĐGtx ${cells[14].seq} môn ${names.subject} của ${cells[14].fullName} (${names.className}): → 7,0`);
  });

  it('describes a page of 50 events in a bounded number of queries', async () => {
    // Fifty events of several kinds: single-cell saves, sign-ins, a record created and renamed.
    for (const c of open.slice(16, 36)) expect((await saveCells([c], '6')).status).toBe(200);
    const staff = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'academic_staff'));
    const dep = await staff.post('/api/departments', { code: 'TD', name: 'Tổ Thể dục' });
    expect((await staff.put(`/api/departments/${dep.body.id}`, { name: 'Tổ Giáo dục thể chất' })).status).toBe(200);
    for (let i = 0; i < 25; i++) await new Client(srv.url).loginAs(accountFor(srv.accounts, 'homeroom_teacher'));

    const seen: string[] = [];
    const listener = (q: { sql: string }) => seen.push(q.sql);
    srv.db.on('query', listener);
    try {
      // What any signed-in request costs (session, account, grants, assignments), to subtract.
      expect((await principal.get(`/api/school-settings/${schoolId}`)).status).toBe(200);
      const baseline = seen.length - 1;
      seen.length = 0;
      const page = await list(principal, {});
      expect(page.status).toBe(200);
      const queries = seen.length - baseline;
      expect(page.body).toHaveLength(50);
      expect(new Set(page.body.map((e: { action: string }) => e.action))).toEqual(new Set(['gradebook_save', 'login', 'create', 'update']));
      for (const e of page.body) {
        expect(e.summary).toBeTruthy();
        expect(e.summary).not.toMatch(/[{}]|#\d/);
      }
      const renamed = page.body.find((e: { entity: string; action: string }) => e.entity === 'departments' && e.action === 'update');
      expect(renamed.changes).toEqual(['Tên tổ chuyên môn: Tổ Thể dục → Tổ Giáo dục thể chất']);
      // Count and rows, then one query per kind of name (users, students, classes, subjects, semesters).
      expect(queries).toBeLessThanOrEqual(7);
      // The ids go as one parameter, not an IN list whose text changes with its length (PostgreSQL names the first
      // 300 distinct texts a process runs: the audit log must not use them up).
      expect(seen.filter((sql) => /\bin \(\?/i.test(sql))).toEqual([]);
    } finally {
      srv.db.removeListener('query', listener);
    }
  });

  it('keeps the filters and the teacher’s exclusion', async () => {
    const logins = (await list(principal, { action: 'login' })).body;
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.every((e: { action: string; actionLabel: string }) => e.action === 'login' && e.actionLabel === 'Đăng nhập')).toBe(true);
    expect(logins[0].changes).toEqual(['Đăng nhập thành công']);
    expect(logins[0].target).toMatch(/^Tài khoản .+ \(.+\)$/);
    expect((await teacher.get('/api/audit-events')).status).toBe(403);
  });
});
