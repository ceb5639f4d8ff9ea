import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { AppError } from '../core/errors';
import { flushFile } from './files';

const run = promisify(execFile);

export type PgTool = 'pg_dump' | 'pg_restore';

/**
 * Where the PostgreSQL client programs live besides PATH: Debian/Ubuntu's versioned directories (newest first: a
 * newer pg_dump reads older servers, never the reverse), RHEL's, a source build's and Homebrew's libpq.
 */
export function pgToolDirs(root = '/usr/lib/postgresql'): string[] {
  const versioned = (parent: string, pattern: RegExp) => {
    try {
      return fs
        .readdirSync(parent)
        .filter((d) => pattern.test(d))
        .sort((a, b) => Number(b.replace(/\D+/g, '')) - Number(a.replace(/\D+/g, '')))
        .map((d) => path.join(parent, d, 'bin'));
    } catch {
      return [];
    }
  };
  return [...versioned(root, /^\d+$/), ...versioned('/usr', /^pgsql-\d+$/), '/usr/local/pgsql/bin', '/opt/homebrew/opt/libpq/bin', '/usr/local/opt/libpq/bin'];
}

/** The path of pg_dump or pg_restore: on PATH, else in the usual install directories; refused naming what is missing. */
export function findPgTool(tool: PgTool, where: { pathEnv?: string; dirs?: string[] } = {}): string {
  const onPath = (where.pathEnv ?? process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const dirs = where.dirs ?? pgToolDirs();
  for (const dir of [...onPath, ...dirs]) {
    const candidate = path.join(dir, tool);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new AppError('internal', 'backup.toolMissing', { tool, searched: '/usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, /usr/local/pgsql/bin, Homebrew libpq' });
}

/** A connection URL split for the client programs: the password goes in PGPASSWORD, never on a command line. */
export function pgTarget(url: string): { url: string; env: NodeJS.ProcessEnv; database: string; shown: string } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '10' };
  if (password) env.PGPASSWORD = password;
  return { url: u.toString(), env, database: decodeURIComponent(u.pathname.replace(/^\//, '')), shown: u.toString() };
}

/** Runs a client program; a failure carries the tool's own words (its last lines of stderr). */
async function runTool(tool: PgTool, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const bin = findPgTool(tool);
  try {
    const { stdout } = await run(bin, args, { env, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const detail = (e.stderr || e.message).trim().split('\n').slice(-3).join(' ');
    throw new AppError('internal', 'backup.toolFailed', { tool, detail });
  }
}

/** pg_dump's version line, recorded in the manifest. */
export async function pgDumpVersion(): Promise<string> {
  return (await runTool('pg_dump', ['--version'], process.env)).trim();
}

/**
 * pg_dump in custom format (-Fc): one consistent snapshot (pg_dump reads everything in one repeatable-read
 * transaction, so the server's writes go on), compressed, and restorable selectively by pg_restore. Written as
 * `<out>.partial`, renamed when complete and flushed.
 */
export async function dumpPostgres(url: string, out: string): Promise<void> {
  const target = pgTarget(url);
  const partial = `${out}.partial`;
  try {
    await runTool('pg_dump', ['--format=custom', '--no-password', `--file=${partial}`, `--dbname=${target.url}`], target.env);
    fs.chmodSync(partial, 0o600); // every record of every school: for the operator's eyes only
    flushFile(partial);
    fs.renameSync(partial, out);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

/**
 * pg_restore of a custom-format archive into a database, in one transaction (an error anywhere leaves the database
 * as it was) and stopping at the first error. `clean`: drop the archive's objects first (restoring over a live
 * schema). Owners and grants are the target's, not the backed-up server's.
 */
export async function pgRestore(url: string, file: string, opts: { clean: boolean }): Promise<void> {
  const target = pgTarget(url);
  const args = ['--no-password', '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${target.url}`];
  if (opts.clean) args.push('--clean', '--if-exists');
  await runTool('pg_restore', [...args, file], target.env);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A new empty database on the same server as `url`, for as long as `fn` runs, then dropped: a backup is restored
 * there and checked before anything real is touched. Its name says what it is, should a killed process leave it.
 */
export async function withScratchDatabase<T>(url: string, fn: (scratchUrl: string) => Promise<T>): Promise<T> {
  const name = `hocba_check_${crypto.randomBytes(6).toString('hex')}`;
  try {
    await withClient(url, (c) => c.query(`CREATE DATABASE ${name}`));
  } catch (err) {
    throw new AppError('internal', 'backup.scratchFailed', { detail: (err as Error).message });
  }
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  try {
    return await fn(scratch.toString());
  } finally {
    await withClient(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

/** Other sessions on the target database (the server's pool, a psql): a restore over them is refused. */
export async function otherSessions(url: string): Promise<{ count: number; apps: string }> {
  return withClient(url, async (c) => {
    const r = await c.query<{ n: string; apps: string | null }>(
      `select count(*) as n, string_agg(distinct coalesce(nullif(application_name, ''), client_addr::text, 'local'), ', ') as apps
         from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
    );
    return { count: Number(r.rows[0].n), apps: r.rows[0].apps ?? '' };
  });
}
