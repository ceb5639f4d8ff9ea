/**
 * The SQLite connection reuses compiled statements (server/db/knex.ts cachePreparedStatements). What must hold: the
 * same query text with other bindings answers for those bindings; after a schema change a cached statement sees the
 * new schema; past the cache's size older statements are compiled again and still answer. SQLite only: PostgreSQL
 * has no such cache of ours.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

describe('SQLite transactions beside another process', () => {
  it('lets a save that read first still write when another process wrote meanwhile, and keeps both changes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocba-immediate-'));
    const file = path.join(dir, 'school.sqlite');
    const db = createDb(`sqlite:${file}`);
    try {
      await db.schema.createTable('t', (t) => {
        t.integer('id').primary();
        t.integer('n').notNullable();
      });
      await db('t').insert({ id: 1, n: 0 });
      const other = spawn('npx', ['tsx', 'test/helpers/sqlite-writer.ts', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      other.stderr.on('data', (d) => (err += d));
      const said = (word: string) =>
        new Promise<void>((resolve, reject) => {
          const check = () => (out.includes(word) ? resolve() : undefined);
          other.stdout.on('data', (d) => ((out += d), check()));
          other.on('exit', () => (out.includes(word) ? resolve() : reject(new Error(`the other process stopped: ${err}`))));
          check();
        });
      const ready = said('ready');
      const exited = new Promise<number | null>((resolve) => other.on('exit', resolve));
      // This process reads inside its transaction; the other one then tries its whole read-then-write while this
      // transaction is still open; only afterwards does this one write. With a deferred BEGIN the other process
      // committed in between and this write failed with SQLITE_BUSY_SNAPSHOT.
      await db.transaction(async (trx) => {
        const { n } = (await trx('t').where({ id: 1 }).first('n')) as { n: number };
        await ready;
        await new Promise((r) => setTimeout(r, 400));
        await trx('t').where({ id: 1 }).update({ n: n + 1 });
      });
      expect(await exited).toBe(0);
      expect(out).toContain('done');
      expect(await db('t').where({ id: 1 }).first('n')).toEqual({ n: 2 });
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
