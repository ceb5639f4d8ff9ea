import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationSource } from '../migrations';
import { createSecretBox } from '../server/auth/secret-box';
import { seedDemo } from '../server/demo/seed';
import { freshDatabase, testDatabases, type FreshDb } from './helpers/databases';

/**
 * Migration 20261201_017_print_books on a database that already has print runs: class_id becomes nullable (SQLite
 * rebuilds the table) without losing a row or an index, and the runs approved before it name the first grade book
 * renderer, with which they keep downloading byte for byte.
 */
describe.each(testDatabases())('print runs migration 017 on %s', (kind) => {
  let fresh: FreshDb;
  beforeAll(async () => {
    fresh = await freshDatabase(kind);
    await seedDemo(fresh.db, { secretBox: createSecretBox('test-secret-0123456789-0123456789-abcdef'), students: 30 });
  }, 60_000);
  afterAll(async () => fresh?.drop());

  const insert = (rows: object[]) => fresh.db('print_runs').insert(rows);
  const indexes = async (): Promise<string[]> => {
    if (kind === 'sqlite') return (await fresh.db.raw("select name from sqlite_master where type = 'index' and tbl_name = 'print_runs' and sql is not null")).map((r: { name: string }) => r.name).sort();
    return (await fresh.db.raw("select indexname from pg_indexes where tablename = 'print_runs' and indexname <> 'print_runs_pkey'")).rows.map((r: { indexname: string }) => r.indexname).sort();
  };

  it('keeps every run and index, lets a run have no class, and marks the approved runs gradebook@1', async () => {
    const db = fresh.db;
    // Back to just before 017, undoing any later migrations first.
    const applied = async () => ((await db.migrate.list({ migrationSource }))[0] as Array<{ name: string } | string>).map((m) => (typeof m === 'string' ? m : m.name));
    while ((await applied()).includes('20261201_017_print_books')) await db.migrate.down({ migrationSource });
    const before = await indexes();
    expect(before).toEqual(['print_runs_school_id_status_index', 'print_runs_verification_code_unique']);
    const klass = await db('classes').orderBy('id').first('id', 'school_id', 'school_year_id');
    const user = await db('users').orderBy('id').first('id');
    const base = { school_id: klass.school_id, kind: 'gradebook', school_year_id: klass.school_year_id, class_id: klass.id, requested_by: user.id, requested_at: '2026-11-30T01:00:00.000Z' };
    await insert([
      { ...base, period: '1', status: 'approved', verification_code: 'ABCDEFGHJK', sha256: 'a'.repeat(64), page_count: 9, snapshot: '{"format":1}' },
      { ...base, period: '2', status: 'requested' },
    ]);
    await db.migrate.latest({ migrationSource });

    const rows = await db('print_runs').orderBy('id').select('id', 'class_id', 'period', 'status', 'verification_code', 'sha256', 'page_count', 'snapshot', 'renderer', 'grade');
    expect(rows).toEqual([
      { id: 1, class_id: klass.id, period: '1', status: 'approved', verification_code: 'ABCDEFGHJK', sha256: 'a'.repeat(64), page_count: 9, snapshot: '{"format":1}', renderer: 'gradebook@1', grade: null },
      { id: 2, class_id: klass.id, period: '2', status: 'requested', verification_code: null, sha256: null, page_count: null, snapshot: null, renderer: null, grade: null },
    ]);
    expect(await indexes()).toEqual(before);
    // The school's enrolment register has no class; the verification code stays unique.
    await insert([{ ...base, kind: 'enrolment', class_id: null, grade: 7, period: 'year', status: 'requested' }]);
    await expect(insert([{ ...base, period: 'year', status: 'approved', verification_code: 'ABCDEFGHJK' }])).rejects.toThrow(/unique|UNIQUE/);
    // The foreign keys survived the rebuild: a run of a class that does not exist is refused.
    await expect(insert([{ ...base, class_id: 999_999, period: 'year', status: 'requested' }])).rejects.toThrow(/foreign key|FOREIGN KEY/i);
    if (kind === 'sqlite') expect((await db.raw('PRAGMA foreign_key_list(print_runs)')).map((f: { table: string }) => f.table).sort()).toEqual(['classes', 'school_years', 'schools', 'users', 'users']);
    else expect((await db.raw("select count(*)::int as n from information_schema.table_constraints where table_name = 'print_runs' and constraint_type = 'FOREIGN KEY'")).rows[0].n).toBe(5);
  });
});
