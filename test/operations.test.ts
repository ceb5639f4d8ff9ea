import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOfUser } from '../server/auth/principal';
import { createSecretBox } from '../server/auth/secret-box';
import type { Actor } from '../server/core/actor';
import { events, type CoreEvent } from '../server/core/events';
import type { Db } from '../server/db/knex';
import { seedDemo, type DemoAccount } from '../server/demo/seed';
import { saveGrid } from '../server/gradebook/grid';
import { createLock, removeLock } from '../server/locks/locks';
import { decideUnlockRequest, requestUnlock } from '../server/locks/unlock-requests';
import { registerResultsListeners } from '../server/results/listeners';
import { whenSettled } from '../server/results/recompute';
import { freshDatabase, testDatabases, type FreshDb } from './helpers/databases';

/**
 * One core under two entry points: the operations the timeline will call, called here directly — no HTTP, no
 * request — write their audit rows and drive the results recompute exactly as their routes do.
 */
describe.each(testDatabases())('operations without HTTP on %s', (kind) => {
  let fresh: FreshDb;
  let db: Db;
  let accounts: DemoAccount[];
  const emitted: CoreEvent[] = [];
  const ids = { year: 0, semester: 0, c6a1: 0, gdcd: 0, principal: 0 };

  const idOf = async (table: string, where: Record<string, unknown>) => Number(((await db(table).where(where).first('id')) as { id: number }).id);
  const actorAs = async (role: DemoAccount['role']): Promise<Actor> => {
    const username = accounts.find((a) => a.role === role)!.username;
    return actorOfUser(db, await idOf('users', { username }));
  };
  const auditRow = (entity: string, entityId: string | number, action: string) =>
    db('audit_events').where({ entity, entity_id: String(entityId), action }).first() as Promise<Record<string, unknown> | undefined>;

  beforeAll(async () => {
    fresh = await freshDatabase(kind);
    db = fresh.db;
    accounts = await seedDemo(db, { secretBox: createSecretBox('operations-test-secret-0123456789-abcdef'), students: 320 });
    // What an entry point does at start (server/app.ts for HTTP, the worker for the timeline)…
    registerResultsListeners(events);
    // …and a witness of what the operations announce.
    events.on('resultsInputsChanged', async (_trx, e) => void emitted.push(e));
    ids.year = await idOf('school_years', { name: '2026-2027' });
    ids.semester = await idOf('semesters', { school_year_id: ids.year, number: 1 });
    ids.c6a1 = await idOf('classes', { school_year_id: ids.year, name: '6A1' });
    ids.gdcd = await idOf('subjects', { code: 'GDCD' });
    ids.principal = (await actorAs('principal')).userId!;
  }, 120_000);
  afterAll(async () => {
    await whenSettled();
    await fresh?.drop();
  });

  /** The nth student on 6A1's roll. */
  const studentOf6A1 = async (n: number) =>
    Number(((await db('enrolments').where({ class_id: ids.c6a1, status: 'active' }).orderBy('student_id').offset(n).first('student_id')) as { student_id: number }).student_id);

  it('locks a semester: the lock is stored and audited, and no results are touched', async () => {
    const admin = await actorAs('admin');
    const before = emitted.length;
    const lock = await createLock(db, admin, { scope: 'semester', schoolYearId: ids.year, semesterId: ids.semester, reason: 'Khóa sổ học kỳ I', orderedBy: ids.principal });
    expect(lock).toMatchObject({ scope: 'semester', schoolYearId: ids.year, semesterId: ids.semester, reason: 'Khóa sổ học kỳ I', createdBy: admin.userId, active: true });
    const audit = await auditRow('locks', lock.id, 'create');
    expect(audit).toMatchObject({ username: admin.username, role: 'admin', reason: 'Khóa sổ học kỳ I', ip: null });
    expect(JSON.parse(String(audit!.after))).toMatchObject({ id: lock.id, scope: 'semester' });
    expect(emitted.length).toBe(before);
    // Lifted again, so the grid below is open; the lift is a soft delete that answers with the lifted lock.
    const lifted = await removeLock(db, admin, lock.id, { reason: 'Mở lại để kiểm thử' });
    expect(lifted).toMatchObject({ id: lock.id, active: false, liftedBy: admin.userId, liftReason: 'Mở lại để kiểm thử' });
    expect(await auditRow('locks', lock.id, 'lift')).toMatchObject({ reason: 'Mở lại để kiểm thử' });
  });

  it('decides an unlock request: only the principal, once, audited with the note', async () => {
    const teacher = await actorAs('subject_teacher');
    const principal = await actorAs('principal');
    const studentId = await studentOf6A1(0);
    const request = await requestUnlock(db, teacher, {
      reason: 'Nhập nhầm điểm thường xuyên',
      cells: [{ semesterId: ids.semester, classId: ids.c6a1, subjectId: ids.gdcd, studentId, kind: 'regular', seq: 1 }],
    });
    expect(request).toMatchObject({ status: 'pending', requestedBy: teacher.userId });
    expect(await auditRow('unlock-requests', request.id, 'create')).toMatchObject({ username: teacher.username, reason: 'Nhập nhầm điểm thường xuyên' });

    await expect(decideUnlockRequest(db, teacher, { id: request.id, decision: 'approve' })).rejects.toMatchObject({ kind: 'forbidden', key: 'forbidden' });
    const before = emitted.length;
    const decided = await decideUnlockRequest(db, principal, { id: request.id, decision: 'approve', details: { note: 'Đồng ý' } });
    expect(decided).toMatchObject({ id: request.id, status: 'approved', decidedBy: principal.userId, decisionNote: 'Đồng ý', open: true });
    expect(decided.opensUntil! > new Date().toISOString()).toBe(true);
    expect(await auditRow('unlock-requests', request.id, 'approve')).toMatchObject({ username: principal.username, role: 'principal', reason: 'Đồng ý' });
    await expect(decideUnlockRequest(db, principal, { id: request.id, decision: 'reject', details: { note: 'Muộn' } })).rejects.toMatchObject({ kind: 'conflict', key: 'requestNotPending' });
    expect(emitted.length).toBe(before);
  });

  it('saves a grid: the cells and the audit row are written, the students are marked and recomputed after the commit', async () => {
    const teacher = await actorAs('subject_teacher');
    const studentId = await studentOf6A1(1);
    const before = emitted.length;
    const grid = await saveGrid(db, teacher, {
      classId: ids.c6a1,
      subjectId: ids.gdcd,
      semesterId: ids.semester,
      cells: [{ studentId, kind: 'regular', seq: 1, value: '8,5', version: 0 }],
      reason: 'Kiểm tra miệng',
    });
    expect(grid.saved).toBe(1);
    const row = grid.rows.find((r) => r.student.id === studentId)!;
    expect(row.cells['regular:1']).toMatchObject({ value: '8.5', version: 1 });

    const audit = await auditRow('gradebook', `${ids.c6a1}:${ids.gdcd}:${ids.semester}`, 'gradebook_save');
    expect(audit).toMatchObject({ username: teacher.username, reason: 'Kiểm tra miệng' });
    expect(JSON.parse(String(audit!.after))).toEqual({ cells: [{ studentId, kind: 'regular', seq: 1, value: '8.5' }], comments: [] });

    // As the route does: marked in the save's transaction, recomputed once it is committed.
    expect(emitted.slice(before)).toEqual([{ type: 'resultsInputsChanged', schoolYearId: ids.year, classId: ids.c6a1, studentIds: [studentId], recompute: 'deferred' }]);
    await whenSettled();
    expect(await db('results_pending').where({ school_year_id: ids.year, student_id: studentId })).toEqual([]);
    expect(await db('student_year_results').where({ school_year_id: ids.year, student_id: studentId }).first('class_id')).toMatchObject({ class_id: ids.c6a1 });
  });
});
