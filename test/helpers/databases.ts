import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
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

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A brand-new, migrated database: a temp SQLite file, or a new PostgreSQL database created for this test file. Both
 * are copies of a database migrated once (per migrations' contents, see migratedTemplate*): running the migrations
 * for each of a run's ≈ 60 PostgreSQL databases cost ≈ 0.9 s apiece, a copy ≈ 0.08 s.
 */
export async function freshDatabase(kind: DbKind): Promise<FreshDb> {
  const name = `t_${Date.now().toString(36)}_${crypto.randomBytes(4).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocba-'));
    const file = path.join(dir, `${name}.sqlite`);
    fs.copyFileSync(await migratedTemplateSqlite(), file);
    const url = `sqlite:${file}`;
    const db = createDb(url);
    return {
      db,
      url,
      drop: async () => {
        await db.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  await withAdmin((admin) => copyTemplatePg(admin, name));
  const url = pgUrl(name);
  const db = createDb(url);
  return {
    db,
    url,
    drop: async () => {
      await db.destroy();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

let hashed: string | undefined;

/** The first 12 hex digits of the SHA-256 of migrations/ (names and contents): a template's version. */
function migrationsHash(): string {
  hashed ??= hashMigrations();
  return hashed;
}

function hashMigrations(): string {
  const dir = path.join(repoRoot, 'migrations');
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, f);
    if (!fs.statSync(file).isFile()) continue;
    hash.update(`${f}\0`).update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * A migrated SQLite file for this version of the migrations (found or built once per process), kept between runs
 * under node_modules/.cache. Built under a temporary name and renamed into place, so a process copying it never sees
 * half of one (two processes building at once both rename the same content).
 */
function migratedTemplateSqlite(): Promise<string> {
  sqliteTemplate ??= buildTemplateSqlite();
  return sqliteTemplate;
}

let sqliteTemplate: Promise<string> | undefined;

async function buildTemplateSqlite(): Promise<string> {
  const dir = path.join(repoRoot, 'node_modules/.cache/hocba-test-sqlite');
  const file = path.join(dir, `migrated-${migrationsHash()}.sqlite`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const db = createDb(`sqlite:${tmp}`);
  await migrateLatest(db);
  await db.destroy(); // the last connection's close checkpoints the WAL into the file
  for (const f of fs.readdirSync(dir)) if (f.startsWith('migrated-') && f.endsWith('.sqlite') && path.join(dir, f) !== file) fs.rmSync(path.join(dir, f), { force: true });
  fs.renameSync(tmp, file);
  for (const extra of ['-wal', '-shm']) fs.rmSync(`${tmp}${extra}`, { force: true });
  return file;
}

/** Held shared while a database is copied from a template, exclusively while one is built or old ones dropped. */
const TEMPLATE_LOCK = 7_202_611;

function pgUrl(database: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

async function databaseExists(admin: pg.Client, name: string): Promise<boolean> {
  return ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
}

/**
 * CREATE DATABASE `name` as a copy of the migrated template of this version of the migrations, building the template
 * first if no run has (a template is a database nobody connects to once built: PostgreSQL copies only those).
 */
async function copyTemplatePg(admin: pg.Client, name: string): Promise<void> {
  const template = `hocba_tpl_${migrationsHash()}`;
  for (;;) {
    await admin.query('SELECT pg_advisory_lock_shared($1)', [TEMPLATE_LOCK]);
    try {
      if (await databaseExists(admin, template)) {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock_shared($1)', [TEMPLATE_LOCK]);
    }
    await buildTemplatePg(admin, template);
  }
}

/** Migrates a new database and renames it `template` (unless another process did meanwhile); drops older templates. */
async function buildTemplatePg(admin: pg.Client, template: string): Promise<void> {
  await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
  try {
    if (await databaseExists(admin, template)) return;
    const old = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'hocba\\_tpl\\_%'");
    for (const { datname } of old.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    const building = `${template}_building`;
    await admin.query(`CREATE DATABASE ${building}`);
    const db = createDb(pgUrl(building));
    await migrateLatest(db);
    await db.destroy();
    // A closed connection's server process may still be ending, and a database in use cannot be renamed.
    for (let i = 0; ; i++) {
      try {
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
        break;
      } catch (e) {
        if (i >= 50 || (e as { code?: string }).code !== '55006') throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
  }
}
