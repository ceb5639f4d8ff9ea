import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../server/auth/secret-box';
import type { Db } from '../server/db/knex';
import { seedDemo } from '../server/demo/seed';
import { markPending, scheduleSettle, whenSettled } from '../server/results/recompute';
import { freshDatabase, testDatabases, type FreshDb } from './helpers/databases';

/**
 * The after-save recompute (server/results/recompute.ts) follows saves paced: class after class, resting between
 * classes. What a teacher notices is that the server keeps answering while it runs — on SQLite, where every query
 * answers at once, a pass once ran all its classes in one go and nothing else was served for 300 ms at a time.
 */
describe.each(testDatabases())('after-save recompute on %s', (kind) => {
  let fresh: FreshDb;
  let db: Db;
  let classes: Array<{ id: number; yearId: number; students: number[] }>;

  beforeAll(async () => {
    fresh = await freshDatabase(kind);
    db = fresh.db;
    await seedDemo(db, { secretBox: createSecretBox('settler-test-secret-0123456789-abcdef'), students: 320 });
    const rows = (await db('enrolments as e')
      .join('school_years as y', 'y.id', 'e.school_year_id')
      .where({ 'y.is_current': true, 'e.status': 'active' })
      .orderBy(['e.class_id', 'e.student_id'])
      .select('e.class_id', 'e.school_year_id', 'e.student_id')) as Array<{ class_id: number; school_year_id: number; student_id: number }>;
    const byClass = new Map<number, { id: number; yearId: number; students: number[] }>();
    for (const r of rows) {
      const c = byClass.get(Number(r.class_id)) ?? { id: Number(r.class_id), yearId: Number(r.school_year_id), students: [] };
      c.students.push(Number(r.student_id));
      byClass.set(c.id, c);
    }
    classes = [...byClass.values()].slice(0, 4);
  }, 120_000);
  afterAll(async () => {
    await whenSettled();
    await fresh?.drop();
  });

  const marked = async (classId: number) => Number(((await db('results_pending').where({ class_id: classId }).count({ n: '*' }).first()) as { n: number | string }).n);

  it('stores every marked class, one at a time, and answers other queries between classes', async () => {
    expect(classes.length).toBe(4);
    await db.transaction(async (trx) => {
      for (const c of classes) await markPending(trx, c.yearId, c.id, c.students);
    });
    await db('student_year_results').whereIn('class_id', classes.map((c) => c.id)).delete();
    for (const c of classes) void scheduleSettle(db, c.yearId, c.id);

    // Watch from a timer, as another request would come in: the first class is done while the last still waits.
    const [first, last] = [classes[0], classes[3]];
    for (let i = 0; i < 2000 && (await marked(first.id)) > 0; i++) await new Promise((r) => setTimeout(r, 2));
    expect(await marked(first.id)).toBe(0);
    expect(await marked(last.id)).toBe(last.students.length);

    await whenSettled();
    for (const c of classes) expect(await marked(c.id)).toBe(0);
    const stored = Number(((await db('student_year_results').whereIn('class_id', classes.map((c) => c.id)).count({ n: '*' }).first()) as { n: number | string }).n);
    expect(stored).toBe(classes.reduce((a, c) => a + c.students.length, 0));
  }, 60_000);
});
