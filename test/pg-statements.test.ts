/**
 * PostgreSQL statements with parameters are prepared by name per connection (server/db/knex.ts
 * prepareStatementsByName). What must hold: each call answers for its own bindings; a migration that adds a column
 * while the app keeps serving breaks no statement (one naming its columns keeps its result; `select *` is never
 * prepared by name, so it sees the new column); past the named-statement budget queries still answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/knex';
import { freshDatabase, testDatabases, type FreshDb } from './helpers/databases';
import { createNamesTable } from './helpers/statements';

describe.skipIf(!testDatabases().includes('postgres'))('PostgreSQL statements prepared by name', () => {
  let fresh: FreshDb;
  let db: Db;
  beforeAll(async () => {
    fresh = await freshDatabase('postgres');
    db = fresh.db;
    await createNamesTable(db);
  });
  afterAll(async () => fresh.drop());

  it('answers the same query text with each call’s own bindings, on every pooled connection', async () => {
    const names = await Promise.all(Array.from({ length: 30 }, (_, i) => db('t').where({ id: (i % 2) + 1 }).first('name')));
    expect(names.map((r) => (r as { name: string }).name)).toEqual(Array.from({ length: 30 }, (_, i) => (i % 2 ? 'Ngữ văn' : 'Toán')));
  });

  it('keeps answering after a migration adds a column: named columns as before, select * with the new one', async () => {
    const named = () => db('t').where({ id: 1 }).first('id', 'name');
    const all = () => db('t').where({ id: 1 }).first();
    for (let i = 0; i < 12; i++) await Promise.all([named(), all()]); // prepared on the connections, past the custom plans
    await db.schema.alterTable('t', (t) => t.integer('periods').defaultTo(140));
    expect(await named()).toEqual({ id: 1, name: 'Toán' });
    expect(await all()).toEqual({ id: 1, name: 'Toán', periods: 140 });
  });

  it('keeps answering when more distinct statements run than are named', async () => {
    for (let n = 1; n <= 320; n++) {
      const ids = Array.from({ length: n }, (_, i) => (i % 2) + 1);
      const rows = (await db('t').whereIn('id', ids).orderBy('id').select('id')) as Array<{ id: number }>;
      expect(rows.map((r) => r.id)).toEqual([1, 2].slice(0, Math.min(n, 2)));
    }
  });
});
