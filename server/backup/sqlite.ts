import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import knexFactory from 'knex';
import { AppError } from '../core/errors';
import type { Db } from '../db/knex';
import { flushFile, vnStamp } from './files';

/** The database file of an `sqlite:` URL, absolute; an in-memory database has none to back up or replace. */
export function sqliteFileOf(url: string): string {
  const file = url.replace(/^sqlite:/, '');
  if (file === ':memory:' || file === '') throw new AppError('invalid', 'backup.memoryDatabase');
  return path.resolve(file);
}

/** Pages per backup step: all of them, so the whole copy is read in one read transaction (see snapshotSqlite). */
const ALL_PAGES = 0x7fffffff;

/**
 * SQLite's online backup of a live database into `out`, consistent while the server keeps writing: the copy is
 * read on a connection of its own, in one step, i.e. one read transaction — in WAL mode the server's writers go
 * on meanwhile and the copy is the database as of that transaction's start. (Copying in small steps would let a
 * write by another connection restart the copy, maybe forever under a steady stream of score saves.) In the server
 * process the step holds the event loop for the copy's duration — a second or so for a large school, at night.
 *
 * The copy is written as `<out>.partial` and renamed when complete and flushed, and switched out of WAL mode so it
 * is one self-contained file that opens read-only without side files.
 */
export async function snapshotSqlite(liveFile: string, out: string): Promise<void> {
  const partial = `${out}.partial`;
  try {
    const source = new Database(liveFile, { readonly: true, fileMustExist: true });
    try {
      await source.backup(partial, { progress: () => ALL_PAGES });
    } finally {
      source.close();
    }
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fs.chmodSync(partial, 0o600); // every record of every school: for the operator's eyes only
    flushFile(partial);
    fs.renameSync(partial, out);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err instanceof AppError ? err : new AppError('internal', 'backup.snapshotFailed', { detail: (err as Error).message });
  }
}

/** `PRAGMA integrity_check` on a read-only connection: 'ok', or what SQLite found wrong (the first 20 problems). */
export function integrityOf(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check(20)') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** A knex over a database file opened read-only: the checks read a backup with the app's own queries, never write it. */
export async function withReadonlyDb<T>(file: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file, options: { readonly: true } },
    useNullAsDefault: true,
    pool: { min: 0, max: 1 },
  });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/**
 * Opens the live database and takes SQLite's exclusive lock, at once or not at all: while the server (or anything
 * else) has the database open in WAL mode its connection holds a shared lock, so this fails with SQLITE_BUSY —
 * refused as "in use" instead of replacing a file under a running server.
 */
function lockExclusively(liveFile: string): Database.Database {
  const db = new Database(liveFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.prepare('select count(*) from sqlite_master').get();
    return db;
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY') || (err as { code?: string }).code?.startsWith('SQLITE_LOCKED')) {
      throw new AppError('conflict', 'backup.inUse', { target: liveFile });
    }
    throw err;
  }
}

/** Refuses early (before asking for confirmation) when the live database is open; changes nothing. */
export function assertNotInUse(liveFile: string): void {
  if (fs.existsSync(liveFile)) lockExclusively(liveFile).close();
}

/**
 * Puts a checked copy in place of the live database: under the exclusive lock, the live database's WAL is merged
 * into its file (journal mode DELETE), the file is set aside as `<file>.before-restore-<Vietnam time>` (nothing is
 * deleted) and the copy is renamed into its place — a rename in one directory, so a crash leaves either the old
 * file or the new one, never half of each. `copy` must be in the live file's directory. Returns the kept file.
 */
export function replaceSqlite(liveFile: string, copy: string): string | null {
  fs.mkdirSync(path.dirname(liveFile), { recursive: true });
  let kept: string | null = null;
  const lock = fs.existsSync(liveFile) ? lockExclusively(liveFile) : null;
  try {
    if (lock) {
      lock.pragma('journal_mode = DELETE');
      fs.chmodSync(copy, fs.statSync(liveFile).mode & 0o777); // the restored file is as readable as the one it replaces
      kept = `${liveFile}.before-restore-${vnStamp()}`;
      for (let n = 2; fs.existsSync(kept); n++) kept = `${liveFile}.before-restore-${vnStamp()}-${n}`;
      fs.renameSync(liveFile, kept);
    }
    // A WAL left beside the path would be replayed onto the new file: it belongs to the old one.
    for (const side of ['-wal', '-shm', '-journal']) fs.rmSync(`${liveFile}${side}`, { force: true });
    flushFile(copy);
    fs.renameSync(copy, liveFile);
    const dir = fs.openSync(path.dirname(liveFile), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } finally {
    lock?.close();
  }
  return kept;
}
