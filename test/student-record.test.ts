import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPreviousYear } from '../server/transcripts/previous-year';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/**
 * What a student or parent sees (GET /api/student-record): their own child's scores as they are entered, by subject
 * and semester, with comments, conduct and absences, and the year's results once computed. Nothing else.
 */
describe.each(testDatabases())('a student\'s own record on %s', (kind) => {
  let srv: TestServer;
  let family: Client;
  let child: { id: number; fullName: string; classId: number };
  let teacher: Client;

  beforeAll(async () => {
    srv = await startServer(kind);
    family = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'student'));
    teacher = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'subject_teacher'));
    const user = (await srv.db('users').where({ username: accountFor(srv.accounts, 'student').username }).first('id')) as { id: number };
    const grant = (await srv.db('user_roles').where({ user_id: user.id, role: 'student' }).first('student_id')) as { student_id: number };
    const s = (await srv.db('students as s').join('enrolments as e', 'e.student_id', 's.id').where({ 's.id': grant.student_id, 'e.status': 'active' }).first('s.id', 's.full_name', 'e.class_id')) as Record<string, unknown>;
    child = { id: Number(s.id), fullName: String(s.full_name), classId: Number(s.class_id) };
  });
  afterAll(async () => srv?.close());

  it('shows the child\'s scores as they are entered, subject by subject, and nothing of classmates', async () => {
    const res = await family.get('/api/student-record');
    expect(res.status).toBe(200);
    expect(res.body.student).toMatchObject({ id: child.id, fullName: child.fullName });
    expect(res.body.year.class.id).toBe(child.classId);
    expect(res.body.year.subjects.map((s: { name: string }) => s.name)).toContain('Toán');
    // Every stored score of the child this year is there, with its value.
    const semesters = (await srv.db('semesters').where({ school_year_id: res.body.year.schoolYearId }).orderBy('number').select('id')) as Array<{ id: number }>;
    const stored = (await srv.db('assessment_scores').where({ student_id: child.id }).whereIn('semester_id', semesters.map((s) => s.id)).count({ n: '*' }).first()) as { n: number };
    const shown = res.body.year.subjects.reduce((n: number, s: any) => n + s.hk1.scores.length + s.hk2.scores.length, 0);
    expect(shown).toBe(Number(stored.n));
    // No classmate's name anywhere in the answer.
    const classmates = (await srv.db('enrolments as e').join('students as s', 's.id', 'e.student_id').where({ 'e.class_id': child.classId }).whereNot('s.id', child.id).select('s.full_name')) as Array<{ full_name: string }>;
    const text = JSON.stringify(res.body);
    for (const c of classmates) if (c.full_name !== child.fullName) expect(text).not.toContain(c.full_name);
  });

  it('shows a score the moment the teacher saves it', async () => {
    const me = (await teacher.get('/api/auth/me')).body.user.principal.assignments as Array<{ classId: number; subjectId: number }>;
    const book = me.find((a) => a.classId === child.classId);
    expect(book, 'the demo teacher teaches the child\'s class').toBeDefined();
    const semester = (await family.get('/api/student-record')).body.year.subjects.find((s: { id: number }) => s.id === book!.subjectId);
    const sem = (await srv.db('semesters as m').join('classes as c', 'c.school_year_id', 'm.school_year_id').where({ 'c.id': child.classId, 'm.number': 1 }).first('m.id')) as { id: number };
    const grid = (await teacher.get(`/api/gradebook?classId=${child.classId}&subjectId=${book!.subjectId}&semesterId=${sem.id}`)).body;
    const row = grid.rows.find((r: { student: { id: number } }) => r.student.id === child.id);
    const free = Object.entries(row.cells as Record<string, { value: string | null; closed: unknown; version: number }>).find(([k, c]) => k.startsWith('regular') && !c.closed && c.value === null);
    expect(free, 'an open empty regular cell').toBeDefined();
    const [kind, seq] = free![0].split(':');
    const saved = await teacher.put('/api/gradebook', { classId: child.classId, subjectId: book!.subjectId, semesterId: sem.id, cells: [{ studentId: child.id, kind, seq: Number(seq), value: '9,5', version: 0 }] });
    expect(saved.status).toBe(200);
    const after = (await family.get('/api/student-record')).body.year.subjects.find((s: { id: number }) => s.id === book!.subjectId);
    expect(after.hk1.scores).toContainEqual({ kind, seq: Number(seq), value: '9.5' });
    expect(after.hk1.scores.length).toBe(semester.hk1.scores.length + 1);
  });

  it('refuses another child and every staff account', async () => {
    const other = (await srv.db('enrolments').where({ class_id: child.classId, status: 'active' }).whereNot({ student_id: child.id }).first('student_id')) as { student_id: number };
    expect((await family.get(`/api/student-record?studentId=${other.student_id}`)).status).toBe(403);
    for (const role of ['subject_teacher', 'principal', 'accountant']) {
      expect((await new Client(srv.url).loginAs(accountFor(srv.accounts, role)).then((c) => c.get('/api/student-record'))).status, role).toBe(403);
    }
    expect((await new Client(srv.url).get('/api/student-record')).status).toBe(401);
  });

  it('lets a parent of two switch children, and shows a past year\'s results once computed', async () => {
    const past = (await seedPreviousYear(srv.db))!;
    // A student of last year (in grade 7+ now): the parent's second child.
    const older = (await srv.db('enrolments').where({ school_year_id: past.schoolYearId }).first('student_id')) as { student_id: number };
    const user = (await srv.db('users').where({ username: accountFor(srv.accounts, 'student').username }).first('id', 'school_id')) as { id: number; school_id: number };
    await srv.db('user_roles').insert({ user_id: user.id, role: 'student', school_id: user.school_id, student_id: older.student_id });
    const again = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'student'));
    const first = (await again.get('/api/student-record')).body;
    expect(first.children.map((c: { id: number }) => c.id).sort()).toEqual([child.id, older.student_id].sort());
    const second = (await again.get(`/api/student-record?studentId=${older.student_id}&schoolYearId=${past.schoolYearId}`)).body;
    expect(second.years.map((y: { id: number }) => y.id)).toContain(past.schoolYearId);
    expect(second.year.name).toBe(past.name);
    expect(second.year.results).toMatchObject({ decision: expect.stringMatching(/promoted|held_back|retest|summer_training/) });
    expect(second.year.subjects.every((s: { year: string | null }) => s.year !== null)).toBe(true);
    expect(second.year.conduct.hk2).toMatchObject({ level: expect.stringMatching(/^(T|K|D|CD)$/) });
  });
});
