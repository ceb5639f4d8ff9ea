import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoScores } from '../server/demo/scores';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

describe.each(testDatabases())('demo semester I scores on %s', (kind) => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer(kind);
    await seedDemoScores(srv.db);
  });
  afterAll(async () => srv?.close());

  it('gives a teacher a grid whose September scores are closed by the weekly cutoff and whose midterm is recorded', async () => {
    const teacher = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'subject_teacher'));
    const a = (await teacher.get('/api/auth/me')).body.user.principal.assignments[0];
    const semesterId = Number((await srv.db('semesters').where({ number: 1 }).first()).id);
    const grid = (await teacher.get(`/api/gradebook?classId=${a.classId}&subjectId=${a.subjectId}&semesterId=${semesterId}`)).body;
    const first = grid.rows[0].cells['regular:1'];
    expect(first.value).not.toBeNull();
    expect(first.closed).toMatchObject({ rule: 'regular_weekly', since: '2026-09-25T08:00:00.000Z' });
    const values = grid.rows.flatMap((r: { cells: Record<string, { value: string | null }> }) => Object.values(r.cells).map((c) => c.value)).filter(Boolean);
    for (const v of values) expect(v).toMatch(grid.subject.assessmentType === 'scored' ? /^(10|\d)(\.5)?$/ : /^(D|CD)$/);
  });

  it('leaves some teachers behind, so entry progress has something overdue to show', async () => {
    const principal = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'principal'));
    const withMidterm = (await srv.db('test_dates').where({ kind: 'midterm' }).count({ n: '*' }).first()) as { n: number };
    const assignments = (await srv.db('teaching_assignments').count({ n: '*' }).first()) as { n: number };
    expect(Number(withMidterm.n)).toBeLessThan(Number(assignments.n));
    expect(Number(withMidterm.n)).toBeGreaterThan(Number(assignments.n) / 2);
    const overdue = await principal.get('/api/progress/overdue?limit=5');
    expect(overdue.status).toBe(200);
    expect(overdue.body.total).toBeGreaterThan(0);
  });
});
