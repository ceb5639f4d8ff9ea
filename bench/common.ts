import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import type { Config } from '../server/config';
import { createDb, migrateLatest, type Db } from '../server/db/knex';

/** A fresh, migrated database for one benchmark run: SQLite in a temp dir, or a new PostgreSQL database. */
export async function freshBenchDb(): Promise<{ db: Db; url: string; drop: () => Promise<void> }> {
  const pgUrl = process.env.BENCH_DATABASE_URL;
  const name = `bench_${crypto.randomBytes(4).toString('hex')}`;
  if (!pgUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
    const url = `sqlite:${path.join(dir, 'bench.sqlite')}`;
    const db = createDb(url);
    await migrateLatest(db);
    return { db, url, drop: async () => (await db.destroy(), fs.rmSync(dir, { recursive: true, force: true })) };
  }
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  const db = createDb(u.toString());
  await migrateLatest(db);
  return {
    db,
    url: u.toString(),
    drop: async () => {
      await db.destroy();
      const a = knexFactory({ client: 'pg', connection: pgUrl });
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.destroy();
    },
  };
}

export function testLikeConfig(databaseUrl: string): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    dataDir: os.tmpdir(),
    sessionSecret: crypto.randomBytes(32).toString('hex'),
    corsOrigin: 'http://localhost:3000',
    sessionIdleMs: 3_600_000,
    sessionAbsoluteMs: 3_600_000,
    demoSeed: false,
    trustProxy: false,
    cookieSecure: false,
  };
}

export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
