import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/**
 * The home page's week (GET /api/dashboard/week) and the menu's badges (GET /api/dashboard/pending): each role sees
 * its own work, counted exactly as the progress page counts it, and nothing beyond its reach.
 */
describe.each(testDatabases())('dashboard: each role\'s week on %s', (kind) => {
  let srv: TestServer;
  const clients: Record<string, Client> = {};
  const as = (role: string) => clients[role];

  beforeAll(async () => {
    srv = await startServer(kind);
    for (const role of ['subject_teacher', 'principal', 'vice_principal', 'academic_staff', 'accountant', 'student']) {
      clients[role] = await new Client(srv.url).loginAs(accountFor(srv.accounts, role));
    }
  });
  afterAll(async () => srv?.close());

  const week = async (role: string) => {
    const res = await as(role).get('/api/dashboard/week');
    expect(res.status, role).toBe(200);
    return res.body;
  };

  it('shows a teacher their own grade books: what is due before this week\'s cutoff and what is overdue, as the progress page counts them', async () => {
    const mine = await week('subject_teacher');
    const progress = (await as('subject_teacher').get('/api/progress?groupBy=teacher')).body;
    const items = progress.rows[0].items as Array<{ classId: number; subjectId: number; overdueCells: number; week: { required: number; entered: number } }>;
    expect(mine.teaching.length).toBe(items.length);
    expect(mine.teaching.length).toBeGreaterThan(0);
    for (const b of mine.teaching) {
      const p = items.find((i) => i.classId === b.classId && i.subjectId === b.subjectId)!;
      expect(p, `${b.className} ${b.subjectName}`).toBeDefined();
      expect(b.overdueCells).toBe(p.overdueCells);
      expect(b.dueThisWeek).toBe(p.week.required - p.week.entered);
      expect(b.semesterId).toBe(progress.semester.id);
    }
    // The demo's teacher is behind: the most overdue book comes first.
    expect(mine.teaching[0].overdueCells).toBeGreaterThan(0);
    const hours = mine.teaching.map((b: { maxOverdueHours: number | null }) => b.maxOverdueHours ?? -1);
    expect(hours).toEqual([...hours].sort((a, b) => b - a));
    // The weekly cutoff: a Friday at 15:00 in Vietnam (08:00 UTC), within the next 7 days.
    const until = new Date(mine.week.until);
    expect(until.getUTCDay()).toBe(5);
    expect(until.toISOString().slice(11, 16)).toBe('08:00');
    expect(until.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    // A teacher supervises nobody and decides nothing.
    expect(mine.scope).toBeNull();
    expect(mine.pending).toBeNull();
  });

  it('shows a vice principal and academic staff their scope\'s progress and who is furthest behind', async () => {
    for (const role of ['vice_principal', 'academic_staff']) {
      const w = await week(role);
      const totals = (await as(role).get('/api/progress?groupBy=teacher&items=false')).body.totals;
      expect(w.scope, role).toMatchObject({ required: totals.required, entered: totals.entered, overdueCells: totals.overdueCells });
      expect(w.scope.furthestBehind.length).toBeGreaterThan(0);
      const cells = w.scope.furthestBehind.map((t: { overdueCells: number }) => t.overdueCells);
      expect(cells).toEqual([...cells].sort((a, b) => b - a));
    }
    // The VP sees part of the school, the academic staff all of it.
    expect((await week('vice_principal')).scope.required).toBeLessThan((await week('academic_staff')).scope.required);
  });

  it('counts the requests waiting for the principal, and gives nobody else a count', async () => {
    const before = (await as('principal').get('/api/dashboard/pending')).body;
    expect(before).toEqual({ unlockRequests: 0, correctionRequests: 0 });
    expect((await week('principal')).pending).toEqual(before);
    // A teacher asks to reopen a closed cell of their grade book.
    const book = (await week('subject_teacher')).teaching[0];
    const grid = (await as('subject_teacher').get(`/api/gradebook?classId=${book.classId}&subjectId=${book.subjectId}&semesterId=${book.semesterId}`)).body;
    const filed = await as('subject_teacher').post('/api/unlock-requests', {
      reason: 'Nhập nhầm điểm',
      cells: [{ semesterId: book.semesterId, classId: book.classId, subjectId: book.subjectId, studentId: grid.rows[0].student.id, kind: 'regular', seq: 1 }],
    });
    expect(filed.status).toBe(201);
    expect((await as('principal').get('/api/dashboard/pending')).body).toEqual({ unlockRequests: 1, correctionRequests: 0 });
    expect((await week('principal')).pending).toEqual({ unlockRequests: 1, correctionRequests: 0 });
    // Decided: no longer waiting.
    expect((await as('principal').post(`/api/unlock-requests/${filed.body.id}/reject`, { note: 'Không cần' })).status).toBe(200);
    expect((await as('principal').get('/api/dashboard/pending')).body.unlockRequests).toBe(0);
    for (const role of ['subject_teacher', 'vice_principal', 'accountant', 'student']) {
      expect((await as(role).get('/api/dashboard/pending')).body, role).toEqual({ unlockRequests: 0, correctionRequests: 0 });
    }
  });

  it('gives a role without score entry or approvals an empty week, not an error', async () => {
    for (const role of ['accountant', 'student']) {
      expect(await week(role), role).toMatchObject({ teaching: [], scope: null, pending: null });
    }
    expect((await new Client(srv.url).get('/api/dashboard/week')).status).toBe(401);
  });
});
