import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../server/audit/audit-log';
import { countRows } from '../server/backup/contents';
import { sha256File } from '../server/backup/files';
import { manifestPathOf, type Manifest } from '../server/backup/manifest';
import { dumpPostgres, findPgTool, pgRestore, withScratchDatabase } from '../server/backup/postgres';
import { restoreSnapshot } from '../server/backup/restore';
import { takeBackup } from '../server/backup/snapshot';
import type { Actor } from '../server/core/actor';
import { appendAudit, recordAudit } from '../server/core/audit';
import { checkpointKeyFrom } from '../server/core/audit-checkpoints';
import { AppError } from '../server/core/errors';
import { t } from '../server/core/i18n';
import { createDb, dialect, nowIso, type Db } from '../server/db/knex';
import { freshDatabase, testDatabases, type DbKind } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

const run = promisify(execFile);

/** `npm run backup` / `npm run restore` as an operator runs them, against a given database. */
async function cli(script: 'backup' | 'restore', args: string[], env: { databaseUrl: string; sessionSecret: string; dataDir: string }): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', `server/cli/${script}.ts`, ...args], {
      env: { ...process.env, DATABASE_URL: env.databaseUrl, SESSION_SECRET: env.sessionSecret, DATA_DIR: env.dataDir },
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** The client programs PostgreSQL backups need; missing, every PostgreSQL test fails saying which (never skipped). */
function requirePgTools(): void {
  for (const tool of ['pg_dump', 'pg_restore'] as const) {
    try {
      findPgTool(tool);
    } catch (err) {
      throw err instanceof AppError ? new Error(t('en', err.key, err.params)) : err;
    }
  }
}

/**
 * A database in the state a restore meets it: migrated, holding one audit event of its own, and closed (the server
 * stopped). Its fingerprint is what "untouched" means: its rows, audit hashes and scores.
 */
async function stoppedTarget(kind: DbKind): Promise<{ url: string; drop: () => Promise<void> }> {
  const target = await freshDatabase(kind);
  await recordAudit(target.db, { userId: null, username: 'test', roles: [], ip: null, schoolId: null }, { action: 'marker', entity: 'test' });
  await target.db.destroy();
  return { url: target.url, drop: target.drop };
}

async function fingerprint(url: string): Promise<unknown> {
  const db = createDb(url);
  try {
    return { counts: await countRows(db), audit: await db('audit_events').orderBy('id').select('id', 'action', 'hash'), scores: await db('assessment_scores').orderBy('id') };
  } finally {
    await db.destroy();
  }
}

/** The files beside an SQLite target: a refused restore leaves no scratch copy and sets nothing aside. */
const besideSqlite = (url: string) => fs.readdirSync(path.dirname(url.replace(/^sqlite:/, ''))).sort();

const failed = (check: { findings: Array<{ level: string; key: string }> }) => check.findings.filter((f) => f.level === 'fail').map((f) => f.key);

/**
 * Saves scores the way the grade book does — each score and its audit row in one transaction — one after another
 * until stopped, remembering the id of each committed score.
 */
function keepSavingScores(db: Db, cells: Array<Record<string, unknown>>, actor: Actor) {
  const committed: number[] = [];
  let stopping = false;
  let i = 0;
  const done = (async () => {
    while (i < cells.length) {
      const cell = cells[i++];
      const now = nowIso();
      await db.transaction(async (trx) => {
        const [row] = await trx('assessment_scores')
          .insert({ ...cell, first_entered_at: now, updated_at: now, version: 1 })
          .returning('id');
        const id = Number(typeof row === 'object' ? (row as { id: number }).id : row);
        await appendAudit(trx, actor, { action: 'gradebook_save', entity: 'gradebook', entityId: `${cell.class_id}:${cell.subject_id}:${cell.semester_id}`, after: { id, score: cell.score } });
        committed.push(id);
      });
      // A breath between saves, as between teachers' saves (and on SQLite, where queries answer synchronously, the
      // event loop's turn to hear the backup process exit).
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (stopping) return;
    }
    throw new Error('the test ran out of cells to save before the backup finished');
  })();
  return {
    committed,
    /** Resolves once `n` scores are committed. */
    until: async (n: number) => {
      while (committed.length < n) await new Promise((resolve) => setTimeout(resolve, 5));
    },
    stop: async () => {
      stopping = true;
      await done;
    },
  };
}

describe('finding the PostgreSQL client programs', () => {
  it('names the missing program and where it looked', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hocba-nopg-'));
    try {
      findPgTool('pg_restore', { pathEnv: '', dirs: [empty] });
      expect.unreachable('pg_restore was found in an empty directory');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      const text = t('vi', (err as AppError).key, (err as AppError).params);
      expect(text).toContain('pg_restore');
      expect(text).toContain('postgresql-client');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe.each(testDatabases())('backups on %s', (kind) => {
  let srv: TestServer;
  let dir: string;
  let cells: Array<Record<string, unknown>>;
  let teacher: Actor;
  const ext = kind === 'sqlite' ? '.sqlite' : '.dump';
  const key = () => checkpointKeyFrom(srv.config);
  const targets: Array<{ drop: () => Promise<void> }> = [];
  const target = async () => {
    const t = await stoppedTarget(kind);
    targets.push(t);
    return t;
  };
  const asTarget = (url: string) => ({ ...srv.config, databaseUrl: url });
  const yes = { confirm: async () => true };

  beforeAll(async () => {
    if (kind === 'postgres') requirePgTools();
    srv = await startServer(kind, { students: 40 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocba-backups-'));
    // Semester II of the current year is empty in the demo: every (student, subject, column) there is a new score.
    const year = (await srv.db('school_years').where({ is_current: true }).first()) as { id: number; school_id: number };
    const semester = (await srv.db('semesters').where({ school_year_id: year.id, number: 2 }).first('id')) as { id: number };
    const enrolments = (await srv.db('enrolments').where({ school_year_id: year.id }).select('class_id', 'student_id')) as Array<{ class_id: number; student_id: number }>;
    const subjects = (await srv.db('subjects').where({ school_id: year.school_id }).pluck('id')) as number[];
    const user = (await srv.db('users').where({ school_id: year.school_id }).first('id', 'username')) as { id: number; username: string };
    teacher = { userId: Number(user.id), username: user.username, roles: ['subject_teacher'], ip: '127.0.0.1', schoolId: Number(year.school_id) };
    cells = [];
    let n = 0;
    for (const subject_id of subjects) {
      for (const seq of [1, 2, 3, 4]) {
        for (const e of enrolments) {
          cells.push({
            school_id: year.school_id,
            semester_id: semester.id,
            class_id: e.class_id,
            subject_id,
            student_id: e.student_id,
            kind: 'regular',
            seq,
            score: String((n++ % 21) / 2),
            entered_by: user.id,
            updated_by: user.id,
          });
        }
      }
    }
  });
  afterAll(async () => {
    for (const t of targets) await t.drop();
    await srv?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a backup taken while scores are being saved restores into a fresh database with every score, the audit chains intact', { timeout: 180_000 }, async () => {
    // SQLite: the saves stay in the write-ahead log instead of being copied into the database file as they go (as
    // when a long read holds checkpoints back), so a copy of the file alone would miss them.
    if (kind === 'sqlite') await srv.db.raw('PRAGMA wal_autocheckpoint = 0');
    const writer = keepSavingScores(srv.db, cells, teacher);
    await writer.until(20);
    const savedBeforeBackup = [...writer.committed];
    const out = path.join(dir, `while-writing${ext}`);
    const backup = await cli('backup', ['--out', out], srv.config);
    const savedWhileBackingUp = writer.committed.length - savedBeforeBackup.length;
    await writer.until(writer.committed.length + 5); // and scores keep coming after it
    await writer.stop();
    if (kind === 'sqlite') await srv.db.raw('PRAGMA wal_autocheckpoint = 1000');
    expect(backup.out).toContain('Đã sao lưu cơ sở dữ liệu');
    expect(backup.code).toBe(0);
    expect(savedWhileBackingUp).toBeGreaterThan(0);

    const manifest = JSON.parse(fs.readFileSync(manifestPathOf(out), 'utf8')) as Manifest;
    expect(manifest).toMatchObject({ kind, file: path.basename(out), sha256: await sha256File(out), sizeBytes: fs.statSync(out).size });
    expect(manifest.audit.verified).toBe(true);
    expect(manifest.source).not.toContain('hocba-test'); // no password in a manifest
    // The backup is in the live audit trail.
    const recorded = (await srv.db('audit_events').where({ action: 'backup', entity: 'backups' }).pluck('entity_id')) as string[];
    expect(recorded).toContain(path.basename(out));

    const restoreTo = await target();
    const restored = await cli('restore', [out, '--yes'], { ...srv.config, databaseUrl: restoreTo.url });
    expect(restored.out).toContain('Đã khôi phục');
    expect(restored.code).toBe(0);

    const db = createDb(restoreTo.url);
    try {
      const scores = (await db('assessment_scores').orderBy('id')) as Array<{ id: number }>;
      const source = (await srv.db('assessment_scores').orderBy('id')) as Array<{ id: number }>;
      const last = scores.at(-1)!.id;
      // Every score saved before the backup started is there…
      expect(scores.map((s) => s.id)).toEqual(expect.arrayContaining(savedBeforeBackup));
      // …and the restored scores are exactly the live ones up to one instant: none missing in between, none altered.
      expect(scores).toEqual(source.filter((s) => s.id <= last));
      expect(scores).toHaveLength(manifest.counts.assessment_scores!);
      expect(source.length).toBeGreaterThan(scores.length); // the saves went on past the snapshot
      // The audit trail restored matches those scores' saves, and verifies with the server's key.
      const report = await verifyChain(db, { key: key() });
      expect(report).toMatchObject({ ok: true, reason: null });
      const saves = (await db('audit_events').where({ action: 'gradebook_save' }).count({ n: '*' }).first()) as { n: number | string };
      expect(Number(saves.n)).toBe(scores.length);
      const lastEvent = (await db('audit_events').orderBy('id', 'desc').first('action', 'entity')) as { action: string; entity: string };
      expect(lastEvent).toEqual({ action: 'restore', entity: 'backups' });
    } finally {
      await db.destroy();
    }
    if (kind === 'sqlite') expect(besideSqlite(restoreTo.url).some((f) => f.includes('.before-restore-'))).toBe(true);
  });

  it('a truncated backup is refused and the database is left as it was', { timeout: 120_000 }, async () => {
    const { file } = await takeBackup(srv.db, srv.config, { out: path.join(dir, `to-truncate${ext}`) });
    const truncated = path.join(dir, `truncated${ext}`);
    fs.copyFileSync(file, truncated); // without its manifest: the file's own contents must give it away
    fs.truncateSync(truncated, Math.floor(fs.statSync(file).size / 2));
    const restoreTo = await target();
    const before = await fingerprint(restoreTo.url);
    const files = kind === 'sqlite' ? besideSqlite(restoreTo.url) : [];

    const res = await cli('restore', [truncated, '--yes'], { ...srv.config, databaseUrl: restoreTo.url });
    expect(res.code).toBe(1);
    expect(res.out).toContain('TỪ CHỐI khôi phục');
    expect(res.out).toMatch(kind === 'sqlite' ? /Tệp bị hỏng|Không mở được tệp/ : /pg_restore không nạp được/);
    expect(await fingerprint(restoreTo.url)).toEqual(before);
    if (kind === 'sqlite') expect(besideSqlite(restoreTo.url)).toEqual(files);
  });

  it('a backup whose audit rows were edited is refused, even when its manifest was rewritten to match', { timeout: 120_000 }, async () => {
    const { file } = await takeBackup(srv.db, srv.config, { out: path.join(dir, `to-tamper${ext}`) });
    const tampered = path.join(dir, `tampered${ext}`);
    await editAuditRow(kind, file, tampered, srv.config.databaseUrl);
    const manifest = JSON.parse(fs.readFileSync(manifestPathOf(file), 'utf8')) as Manifest;
    fs.writeFileSync(manifestPathOf(tampered), JSON.stringify({ ...manifest, sha256: await sha256File(tampered), sizeBytes: fs.statSync(tampered).size }));
    const restoreTo = await target();
    const before = await fingerprint(restoreTo.url);

    const result = await restoreSnapshot(asTarget(restoreTo.url), tampered, yes);
    expect(result.status).toBe('refused');
    expect(failed(result.check)).toEqual(['backup.found.auditBroken']);
    expect(await fingerprint(restoreTo.url)).toEqual(before);
  });

  it('a backup whose bytes differ from its manifest (SHA-256) is refused', { timeout: 120_000 }, async () => {
    const { file } = await takeBackup(srv.db, srv.config, { out: path.join(dir, `to-edit${ext}`) });
    const edited = path.join(dir, `edited${ext}`);
    fs.copyFileSync(file, edited);
    fs.copyFileSync(manifestPathOf(file), manifestPathOf(edited));
    const bytes = fs.readFileSync(edited);
    bytes[bytes.length - 100] ^= 0xff;
    fs.writeFileSync(edited, bytes);
    const restoreTo = await target();
    const before = await fingerprint(restoreTo.url);

    let asked = false;
    const result = await restoreSnapshot(asTarget(restoreTo.url), edited, { confirm: async () => (asked = true) });
    expect(result.status).toBe('refused');
    expect(failed(result.check)).toContain('backup.found.shaMismatch');
    expect(asked).toBe(false); // a refused backup is never offered for confirmation
    expect(await fingerprint(restoreTo.url)).toEqual(before);
  });

  it('a good backup is not restored over a database that is still open', { timeout: 120_000 }, async () => {
    const { file, check } = await takeBackup(srv.db, srv.config, { out: path.join(dir, `good${ext}`) });
    expect(check.ok).toBe(true);
    const restoreTo = await target();
    const before = await fingerprint(restoreTo.url);
    const open = createDb(restoreTo.url); // as a running server holds it
    try {
      await open('audit_events').count({ n: '*' });
      await expect(restoreSnapshot(asTarget(restoreTo.url), file, yes)).rejects.toMatchObject({ key: kind === 'sqlite' ? 'backup.inUse' : 'backup.pgInUse' });
    } finally {
      await open.destroy();
    }
    expect(await fingerprint(restoreTo.url)).toEqual(before);
  });

  it('never overwrites an existing file', async () => {
    const existing = path.join(dir, `existing${ext}`);
    fs.writeFileSync(existing, 'keep me');
    await expect(takeBackup(srv.db, srv.config, { out: existing })).rejects.toMatchObject({ key: 'backup.outExists' });
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
  });
});

/** Someone edits the reason of the first audit event in a copy of a backup (the guarding triggers dropped first). */
async function editAuditRow(kind: DbKind, file: string, out: string, serverUrl: string): Promise<void> {
  if (kind === 'sqlite') {
    fs.copyFileSync(file, out);
    const db = new Database(out);
    for (const trigger of ['audit_events_no_update', 'audit_events_no_delete']) db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
    const changed = db.prepare("update audit_events set reason = 'sửa lén' where id = (select min(id) from audit_events)").run();
    db.close();
    expect(changed.changes).toBe(1);
    return;
  }
  await withScratchDatabase(serverUrl, async (scratch) => {
    await pgRestore(scratch, file, { clean: false });
    const db = createDb(scratch);
    try {
      expect(dialect(db)).toBe('pg');
      await db.raw('ALTER TABLE audit_events DISABLE TRIGGER USER');
      expect(await db('audit_events').where('id', db('audit_events').min('id')).update({ reason: 'sửa lén' })).toBe(1);
      await db.raw('ALTER TABLE audit_events ENABLE TRIGGER USER');
    } finally {
      await db.destroy();
    }
    await dumpPostgres(scratch, out);
  });
}
