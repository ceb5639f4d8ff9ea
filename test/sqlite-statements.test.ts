/**
 * The SQLite connection reuses compiled statements (server/db/knex.ts cachePreparedStatements). What must hold: the
 * same query text with other bindings answers for those bindings; after a schema change a cached statement sees the
 * new schema; past the cache's size older statements are compiled again and still answer. SQLite only: PostgreSQL
 * has no such cache of ours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../server/db/knex';
import { createNamesTable } from './helpers/statements';

describe('SQLite compiled-statement reuse', () => {
  let db: Db;
  beforeAll(async () => {
    db = createDb('sqlite::memory:');
    await createNamesTable(db);
  });
  afterAll(async () => db.destroy());

  it('answers the same query text with each call’s own bindings, reads and writes alike', async () => {
    expect(await db('t').where({ id: 1 }).first('name')).toEqual({ name: 'Toán' });
    expect(await db('t').where({ id: 2 }).first('name')).toEqual({ name: 'Ngữ văn' });
    await db('t').where({ id: 1 }).update({ name: 'Toán học' });
    await db('t').where({ id: 2 }).update({ name: 'Văn' });
    expect(await db('t').orderBy('id').pluck('name')).toEqual(['Toán học', 'Văn']);
  });

  it('sees a column added after the statement was first compiled', async () => {
    const all = () => db('t').where({ id: 1 }).first();
    expect(Object.keys((await all()) as object).sort()).toEqual(['id', 'name']);
    await db.schema.alterTable('t', (t) => t.integer('periods').defaultTo(140));
    expect(await all()).toMatchObject({ id: 1, periods: 140 });
  });

  it('keeps answering correctly when more distinct queries run than the cache holds', async () => {
    // 600 distinct texts (IN lists of growing length) push the first ones out; running them again compiles anew.
    const ids = (n: number) => Array.from({ length: n }, (_, i) => (i % 2) + 1);
    for (let n = 1; n <= 600; n++) expect(await db('t').whereIn('id', ids(n)).count({ c: '*' })).toEqual([{ c: n === 1 ? 1 : 2 }]);
    expect(await db('t').whereIn('id', ids(1)).pluck('id')).toEqual([1]);
  });
});
