import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { createDb, migrateLatest, type Db } from '../../server/db/knex';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL points at a server (CI sets it). */
export type DbKind = 'sqlite' | 'postgres';

export function testDatabases(): DbKind[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface FreshDb {
  db: Db;
  url: string;
  drop: () => Promise<void>;
}

/** A brand-new, migrated database: a temp SQLite file, or a new PostgreSQL database created for this test file. */
export async function freshDatabase(kind: DbKind): Promise<FreshDb> {
  const name = `t_${Date.now().toString(36)}_${crypto.randomBytes(4).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocba-'));
    const url = `sqlite:${path.join(dir, `${name}.sqlite`)}`;
    const db = createDb(url);
    await migrateLatest(db);
    return {
      db,
      url,
      drop: async () => {
        await db.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = knexFactory({ client: 'pg', connection: process.env.TEST_DATABASE_URL });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const base = new URL(process.env.TEST_DATABASE_URL!);
  base.pathname = `/${name}`;
  const url = base.toString();
  const db = createDb(url);
  await migrateLatest(db);
  return {
    db,
    url,
    drop: async () => {
      await db.destroy();
      const a = knexFactory({ client: 'pg', connection: process.env.TEST_DATABASE_URL });
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.destroy();
    },
  };
}
