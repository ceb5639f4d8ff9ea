import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from '../../migrations';

export type Db = Knex;

// PostgreSQL: read timestamps and dates back as the same strings SQLite gives, bigint counts as numbers,
// and numeric as exact strings (normalised by db/decimal.ts). One place for every driver difference.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());

export function isPostgres(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** `sqlite:./data/school.sqlite`, `sqlite::memory:` or `postgres://user@host:5432/db`. */
export function createDb(url: string): Db {
  return withAfterCommitWork(openDb(url));
}

function openDb(url: string): Db {
  if (isPostgres(url)) {
    return knexFactory({
      client: 'pg',
      connection: url,
      pool: {
        min: 0,
        max: 10,
        afterCreate: (conn: PgConnection, done: (err: Error | null, conn: unknown) => void) => {
          prepareStatementsByName(conn);
          done(null, conn);
        },
      },
    });
  }
  const file = url.replace(/^sqlite:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    // One connection: SQLite has one writer anyway, and an in-memory database lives in its connection.
    pool: {
      min: 1,
      max: 1,
      idleTimeoutMillis: Number.MAX_SAFE_INTEGER,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) => {
        conn.pragma('journal_mode = WAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        cachePreparedStatements(conn);
        done(null, conn);
      },
    },
  });
}

interface SqliteConnection {
  pragma(s: string): unknown;
  prepare(sql: string): unknown;
}

/**
 * knex opens every transaction with a plain (deferred) BEGIN: it reads from a snapshot and asks for the write lock
 * only at its first write. When another process (`npm run account:recover`, `school:create`, a second server) has
 * committed in between, that write fails at once with SQLITE_BUSY_SNAPSHOT — busy_timeout does not wait it out — and
 * the save is lost with an error. BEGIN IMMEDIATE takes the write lock first (waiting up to busy_timeout for
 * another process's short transaction), so a transaction's snapshot is never stale. Readers are not blocked (WAL),
 * and within this process it costs nothing: its one connection runs one transaction at a time anyway.
 */
const BEGIN_WRITING = 'BEGIN IMMEDIATE;';

/** How many compiled statements the connection keeps (a grid save and its recompute use a few dozen distinct ones). */
const STATEMENT_CACHE = 500;

/**
 * knex asks better-sqlite3 to compile every query anew (`prepare`), and compiling was a sixth of the server's CPU
 * in the 45-teacher storm (bench/storm.ts): the same SQL text now reuses its compiled statement. Safe because knex
 * runs a statement to completion at once (`all` or `run`, synchronous) and sets nothing on it (no safeIntegers
 * option is used here); SQLite recompiles a cached statement by itself after a schema change. Least recently used
 * statements are dropped past STATEMENT_CACHE (queries with IN lists of varying length make many distinct texts).
 */
function cachePreparedStatements(conn: SqliteConnection): void {
  const compile = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (text: string) => {
    const sql = text === 'BEGIN;' ? BEGIN_WRITING : text;
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql); // re-inserted below: most recently used last
    } else {
      statement = compile(sql);
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  };
}

interface PgConnection {
  query(config: unknown, ...rest: unknown[]): unknown;
}

/** Distinct statement texts a process names (each connection prepares those it runs; PostgreSQL keeps them per session). */
const NAMED_STATEMENTS = 300;
const named = new Map<string, string>();
/** `select *`, `t.*`, `returning *`: the result's columns are whatever the table has now. */
const ALL_COLUMNS = /(^|[\s,.(])\*/;

/**
 * PostgreSQL parses and plans every unnamed statement anew, and knex names none: a grid read runs a dozen small
 * queries whose parsing and planning cost the database about as much as running them. A statement with parameters
 * is sent with a name derived from its text, so each connection prepares it once (node-postgres remembers which it
 * has) and PostgreSQL reuses the parse, and after a few runs the plan. The first NAMED_STATEMENTS distinct texts
 * are named; later ones (IN lists of unusual lengths, say) run unnamed as before. Statements without parameters
 * (BEGIN, COMMIT, migrations' multi-statement DDL) keep the simple protocol. Nor is a statement with `*` in its
 * columns named: PostgreSQL refuses to run a prepared statement whose result columns a migration has changed
 * ("cached plan must not change result type"), and app processes keep serving while a new version migrates.
 */
function prepareStatementsByName(conn: PgConnection): void {
  const run = conn.query.bind(conn);
  conn.query = (config: unknown, ...rest: unknown[]) => {
    const c = config as { text?: unknown; values?: unknown[]; name?: string };
    if (c && typeof c === 'object' && typeof c.text === 'string' && !c.name && Array.isArray(c.values) && c.values.length > 0 && !ALL_COLUMNS.test(c.text)) {
      let name = named.get(c.text);
      if (!name && named.size < NAMED_STATEMENTS) {
        name = `k${crypto.createHash('sha1').update(c.text).digest('hex').slice(0, 20)}`;
        named.set(c.text, name);
      }
      if (name) return run({ ...c, name }, ...rest);
    }
    return run(config, ...rest);
  };
}

export async function migrateLatest(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

/**
 * Runs a few reads (or a small write) on one connection. SQLite's one pooled connection is taken once, in a short
 * transaction, instead of once per query — each turn at the pool came behind whatever other requests had queued
 * meanwhile. PostgreSQL's pool serves each query from any free connection; a transaction there would only add
 * BEGIN and COMMIT round trips.
 */
export function onOneConnection<T>(db: Db, fn: (conn: Knex | Knex.Transaction) => Promise<T>): Promise<T> {
  return dialect(db) === 'sqlite' ? db.transaction(fn) : fn(db);
}

/**
 * The rows of one SELECT written as SQL text (`?` placeholders; plain lower-case identifiers, the same on both
 * databases). For the few queries every grid read and save runs: knex's query builder cost 3–5 times the query
 * itself there (≈ 75 µs to build the grade-book query, 20 µs to run it), the largest share of a grid read.
 */
export async function selectRows<T = Record<string, unknown>>(conn: Knex | Knex.Transaction, sql: string, bindings: readonly Knex.Value[]): Promise<T[]> {
  const result = (await conn.raw(sql, bindings as Knex.Value[])) as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** What to do when a row of insertRows meets an existing one on `conflict`: update `merge` columns, or skip it. */
export interface OnConflict {
  conflict: readonly string[];
  /** Columns taken from the new row; without them the new row is skipped (DO NOTHING). */
  merge?: readonly string[];
  /** Columns of the rows written (skipped rows return nothing). */
  returning?: readonly string[];
}

/** Rows per statement on SQLite (insertRows, updateRows): under its 32,766 parameters for the widest row written so. */
const ROWS_PER_STATEMENT = 500;

/** SQLite's rows as `VALUES` tuples, ROWS_PER_STATEMENT at a time: the tuples' text and their bindings, in order. */
function* valuesChunks(rows: ReadonlyArray<Record<string, Knex.Value>>, columns: readonly string[]): Generator<{ tuples: string; bindings: Knex.Value[] }> {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const bindings: Knex.Value[] = [];
    for (const r of chunk) for (const c of columns) bindings.push(r[c] ?? null);
    yield { tuples: Array.from(chunk, () => tuple).join(', '), bindings };
  }
}

/** The row with exactly `columns`, missing ones as null (JSON would drop an undefined). */
function pick(row: Record<string, Knex.Value>, columns: readonly string[]): Record<string, Knex.Value> {
  const out: Record<string, Knex.Value> = {};
  for (const c of columns) out[c] = row[c] ?? null;
  return out;
}

/**
 * A multi-row INSERT … ON CONFLICT written as SQL text (the same on both databases), for the rows every grid save
 * writes: knex's insert builder cost more than running the statement (≈ 6 % of the server in the 45-teacher
 * storm). Every row has the first row's columns. Returns the `returning` columns of the rows written.
 */
export async function insertRows<T = Record<string, unknown>>(conn: Knex | Knex.Transaction, table: string, rows: ReadonlyArray<Record<string, Knex.Value>>, on: OnConflict): Promise<T[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const action = on.merge ? `do update set ${on.merge.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'do nothing';
  const tail = ` on conflict (${on.conflict.join(', ')}) ${action}${on.returning ? ` returning ${on.returning.join(', ')}` : ''}`;
  if (dialect(conn) === 'pg') {
    // One parameter, the rows as JSON, read into the table's own row type: the same text for any number of rows
    // (prepared once per connection), where 264 rows × 14 columns made 3,696 parameters that knex renumbered, the
    // driver framed one by one and PostgreSQL parsed — about a tenth of the server's time in a save storm.
    const list = columns.join(', ');
    const sql = `insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ?::json)${tail}`;
    const result = (await conn.raw(sql, [JSON.stringify(rows.map((r) => pick(r, columns)))])) as { rows?: T[] };
    return on.returning ? (result.rows ?? []) : [];
  }
  const out: T[] = [];
  for (const { tuples, bindings } of valuesChunks(rows, columns)) {
    const sql = `insert into ${table} (${columns.join(', ')}) values ${tuples}${tail}`;
    const result = (await conn.raw(sql, bindings)) as T[] | { rows?: T[] };
    if (on.returning) out.push(...(Array.isArray(result) ? result : (result.rows ?? [])));
  }
  return out;
}

/** The PostgreSQL type of a column updateRows writes or matches on (the element type of its parameter array). */
export type ColumnType = 'integer' | 'numeric' | 'text';

/**
 * Updates existing rows, each found by its `key` columns, to their other columns' values, in one statement
 * (ROWS_PER_STATEMENT rows a statement on SQLite); returns how many rows it updated. For the rows a grid save
 * overwrites: on PostgreSQL an UPDATE joined to the values, one parameter array per column
 * (the statement's text is the same for any number of rows), cost the database and the server less than half of an
 * INSERT … ON CONFLICT DO UPDATE of the same rows (bench/storm.ts), which first tries the insert and must carry every
 * column. `columns` names the columns written and matched, with their types; a row's other fields are ignored.
 * With `versionGuard` (an integer column each row carries as its new value), a row is updated only if its stored
 * value is still the new one minus 1: a writer who read an older version updates nothing there, and the count says
 * so. On PostgreSQL the condition is checked again on the newest row after waiting for a concurrent writer (READ
 * COMMITTED), so it needs no lock taken at read time.
 */
export async function updateRows(
  conn: Knex | Knex.Transaction,
  table: string,
  rows: ReadonlyArray<Record<string, Knex.Value>>,
  key: readonly string[],
  columns: Readonly<Record<string, ColumnType>>,
  opts: { versionGuard?: string } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const names = Object.keys(columns);
  const set = names.filter((c) => !key.includes(c)).map((c) => `${c} = x.${c}`).join(', ');
  const guard = opts.versionGuard ? [`t.${opts.versionGuard} = x.${opts.versionGuard} - 1`] : [];
  const match = [...key.map((c) => `t.${c} = x.${c}`), ...guard].join(' and ');
  if (dialect(conn) === 'pg') {
    const arrays = names.map((c) => rows.map((r) => r[c] ?? null));
    const sql = `update ${table} t set ${set} from unnest(${names.map((c) => `?::${columns[c]}[]`).join(', ')}) as x(${names.join(', ')}) where ${match}`;
    return ((await conn.raw(sql, arrays as unknown as Knex.Value[])) as { rowCount: number }).rowCount;
  }
  let updated = 0;
  for (const { tuples, bindings } of valuesChunks(rows, names)) {
    // SQLite names a VALUES list's columns column1, column2…: the CTE names them as the table's.
    const sql = `with x(${names.join(', ')}) as (values ${tuples}) update ${table} as t set ${set} from x where ${match}`;
    const result = (await conn.raw(sql, bindings)) as unknown;
    updated += typeof result === 'object' && result !== null && 'changes' in result ? Number((result as { changes: number }).changes) : 0;
  }
  return updated;
}

/**
 * Work a commit leaves behind (the audit chain's signed checkpoint on PostgreSQL, server/core/audit-checkpointer.ts)
 * runs on the database the transaction came from, in its own transaction. A transaction shares its database's
 * `client.config` object (knex copies the reference into the transaction's client), which finds the database again.
 */
const dbsByConfig = new WeakMap<object, Db>();
/** Work still running on a database, finished before its pool closes (`db.destroy()`): see `finishBeforeDestroy`. */
const pendingWork = new WeakMap<Db, Set<() => Promise<void>>>();

function withAfterCommitWork(db: Db): Db {
  dbsByConfig.set(db.client.config as object, db);
  const destroy = db.destroy.bind(db) as () => Promise<void>;
  // knex defines `destroy` as a getter on the instance: replaced the same way.
  Object.defineProperty(db, 'destroy', {
    configurable: true,
    value: async () => {
      for (const finish of pendingWork.get(db) ?? []) await finish().catch(() => undefined);
      return destroy();
    },
  });
  return db;
}

/** The database (its pool) a transaction was opened on; null for one not made by `createDb`. */
export function databaseOf(trx: Knex | Knex.Transaction): Db | null {
  return dbsByConfig.get(trx.client.config as object) ?? null;
}

/** `finish` is awaited before `db.destroy()` closes the pool (a CLI's last checkpoint is written before it exits). */
export function finishBeforeDestroy(db: Db, finish: () => Promise<void>): void {
  let set = pendingWork.get(db);
  if (!set) pendingWork.set(db, (set = new Set()));
  set.add(finish);
}

export function dialect(db: Db): 'pg' | 'sqlite' {
  return db.client.config.client === 'pg' ? 'pg' : 'sqlite';
}

/** Booleans come back as 0/1 from SQLite and true/false from PostgreSQL. */
export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't';
}

export function nowIso(): string {
  return new Date().toISOString();
}

export function parseJsonArray<T>(v: unknown): T[] {
  if (typeof v !== 'string' || v === '') return [];
  const parsed: unknown = JSON.parse(v);
  return Array.isArray(parsed) ? (parsed as T[]) : [];
}
