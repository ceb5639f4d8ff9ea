/**
 * The vice principals' deadline dashboard (GET /api/timelines/:schoolYearId/dashboard): completion over the weeks
 * per department, per teacher and the overdue cells per class × subject, within the reader's progress reach.
 * A vice principal sees only their grades and departments; the principal the whole school; a teacher nothing (403).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTimeline } from '../server/demo/timeline';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

interface Dashboard {
  semester: { id: number } | null;
  departments: Array<{ id: number | null; name: string | null }>;
  weeks: Array<{ cutoff: string; values: Array<{ departmentId: number | null; required: number; entered: number; percent: number | null }> }>;
  teachers: Array<{ id: number; name: string; required: number; entered: number; percent: number | null }>;
  heat: { classes: Array<{ id: number; grade: number }>; subjects: Array<{ id: number }>; cells: Array<{ classId: number; subjectId: number; required: number; overdueCells: number }> };
}

describe.each(testDatabases())('timeline dashboard on %s', (kind) => {
  let s: TestServer;
  let yearId: number;
  // One session per role: a principal's sign-in waits for a fresh TOTP step (replays are refused), up to 30 s each.
  const sessions = new Map<string, Promise<Client>>();
  const as = (role: string) => {
    if (!sessions.has(role)) sessions.set(role, new Client(s.url).loginAs(accountFor(s.accounts, role)));
    return sessions.get(role)!;
  };

  beforeAll(async () => {
    s = await startServer(kind, { students: 120 });
    yearId = (await seedDemoTimeline(s.db))!;
  }, 240_000);
  afterAll(async () => s?.close());

  it('the principal sees the whole school: weeks per department, teachers, class × subject cells', async () => {
    const res = await (await as('principal')).get<Dashboard>(`/api/timelines/${yearId}/dashboard`);
    expect(res.status).toBe(200);
    const d = res.body;
    const books = (await s.db('teaching_assignments').where({ school_year_id: yearId }).count({ n: '*' }).first()) as { n: number | string };
    expect(d.heat.cells.length).toBeGreaterThan(0);
    expect(d.heat.cells.length).toBeLessThanOrEqual(Number(books.n));
    expect(d.weeks.length).toBeGreaterThan(0);
    for (const w of d.weeks) {
      expect(w.values).toHaveLength(d.departments.length);
      for (const v of w.values) {
        expect(v.entered).toBeLessThanOrEqual(v.required);
        if (v.percent !== null) expect(v.percent).toBeLessThanOrEqual(100);
      }
    }
    // Week by week, what is required only grows.
    const total = (i: number) => d.weeks[i].values.reduce((n, v) => n + v.required, 0);
    for (let i = 1; i < d.weeks.length; i++) if (d.weeks[i].cutoff > d.weeks[i - 1].cutoff) expect(total(i)).toBeGreaterThanOrEqual(total(i - 1));
    expect(d.teachers.length).toBeGreaterThan(5);
    const overdue = d.heat.cells.reduce((n, c) => n + c.overdueCells, 0);
    expect(overdue).toBe(d.teachers.reduce((n, t) => n + (t as unknown as { overdueCells: number }).overdueCells, 0));
  });

  it('a vice principal sees only their grades and departments', async () => {
    const vp = accountFor(s.accounts, 'vice_principal');
    const grant = (await s.db('user_roles as r').join('users as u', 'u.id', 'r.user_id').where({ 'u.username': vp.username, 'r.role': 'vice_principal' }).first('r.grades', 'r.department_ids')) as Record<string, unknown>;
    const grades = JSON.parse(String(grant.grades ?? '[]')) as number[];
    const deptIds = JSON.parse(String(grant.department_ids ?? '[]')) as number[];
    expect(grades.length + deptIds.length).toBeGreaterThan(0);
    const res = await (await as('vice_principal')).get<Dashboard>(`/api/timelines/${yearId}/dashboard`);
    expect(res.status).toBe(200);
    const subjects = new Map(((await s.db('subjects').select('id', 'department_id')) as Array<{ id: number; department_id: number | null }>).map((x) => [Number(x.id), x.department_id === null ? null : Number(x.department_id)]));
    const gradeOf = new Map(res.body.heat.classes.map((c) => [c.id, c.grade]));
    expect(res.body.heat.cells.length).toBeGreaterThan(0);
    for (const c of res.body.heat.cells) {
      const dept = subjects.get(c.subjectId) ?? null;
      expect(grades.includes(gradeOf.get(c.classId)!) || (dept !== null && deptIds.includes(dept))).toBe(true);
    }
    const all = await (await as('principal')).get<Dashboard>(`/api/timelines/${yearId}/dashboard`);
    expect(res.body.heat.cells.length).toBeLessThan(all.body.heat.cells.length);
  });

  it('the timeline counts students with nothing entered as missing (completion of the weekly rule)', async () => {
    const res = await (await as('principal')).get(`/api/timelines/${yearId}`);
    expect(res.status).toBe(200);
    const weekly = (res.body.milestones as Array<{ key: string; completion: { available: boolean; required: number; entered: number } }>).find((m) => m.key === 'weekly')!;
    expect(weekly.completion.available).toBe(true);
    // Weeks of the semester have passed: every student on a roster owes the regular scores due by now.
    expect(weekly.completion.required).toBeGreaterThan(0);
    expect(weekly.completion.entered).toBeLessThanOrEqual(weekly.completion.required);
  });

  it('a subject teacher is refused (403); an unknown year is 404', async () => {
    const t = await as('subject_teacher');
    expect((await t.get(`/api/timelines/${yearId}/dashboard`)).status).toBe(403);
    expect((await (await as('principal')).get('/api/timelines/999999/dashboard')).status).toBe(404);
  });
});
