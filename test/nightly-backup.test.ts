/**
 * The nightly backup on the embedded engine (server/nightly/timer.ts), on an injected clock against the real
 * server's database: one backup a night at BACKUP_AT, registered in the archive register by the system; a second
 * app process claiming the same night does nothing; a night missed while the server was down is caught up once;
 * retention deletes only old nightly files (struck in the register, audited); a failure is audited and the admins
 * read what to do. On SQLite and on PostgreSQL (pg_dump).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNightlyBackup, type NightlyOutcome } from '../server/nightly/nightly';
import { startNightlyBackups, type NightlyTimer } from '../server/nightly/timer';
import { findPgTool } from '../server/backup/postgres';
import { takeBackup } from '../server/backup/snapshot';
import type { Config } from '../server/config';
import { createDb, type Db } from '../server/db/knex';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/** An instant given as Vietnam wall-clock time. */
const vn = (local: string) => new Date(`${local}+07:00`).toISOString();

/** The clock the job reads: the test moves it. */
function virtualClock(start: string) {
  let now = start;
  return { now: () => now, set: (t: string) => void (now = t) };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDatabases())('the nightly backup on %s', (kind) => {
  let srv: TestServer;
  let dataDir: string;
  let dir: string;
  let second: Db;
  let config: Config;
  /** Signed in once: the admin's two-step code cannot be used twice in one 30-second window. */
  let admin: Client;
  const clock = virtualClock(vn('2027-01-10T01:59:00'));
  const timers: NightlyTimer[] = [];
  const outcomes: NightlyOutcome[] = [];
  const start = (db: Db, over: Partial<Config> = {}) => {
    const timer = startNightlyBackups({ db, config: { ...config, ...over }, clock, maxSleepMs: 10, onRun: (o) => outcomes.push(o) });
    timers.push(timer);
    return timer;
  };
  const stopAll = async () => {
    for (const t of timers.splice(0)) await t.stop();
  };
  const nightlyFiles = () => fs.readdirSync(dir).filter((f) => /-nightly-.*\.(sqlite|dump)$/.test(f)).sort();
  const runs = () => srv.db('scheduled_runs').orderBy('run_date').select('run_date', 'status', 'file', 'pruned_at', 'claimed_by');

  beforeAll(async () => {
    if (kind === 'postgres') findPgTool('pg_dump'); // missing, every test here fails saying which program (never skipped)
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocba-nightly-'));
    dir = path.join(dataDir, 'backups');
    srv = await startServer(kind, { students: 12, config: { dataDir } });
    config = { ...srv.config, backup: { nightly: true, at: '02:00', dir, keep: 14 } };
    second = createDb(srv.config.databaseUrl); // another app process's connection to the same database
    admin = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'admin'));
  }, 120_000);
  afterAll(async () => {
    await stopAll();
    await second?.destroy();
    await srv?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes exactly one backup at 02:00 each night, registered by the system, even with two app processes', { timeout: 180_000 }, async () => {
    start(srv.db);
    start(second);
    await pause(150);
    // A fresh installation has missed nothing: no backup before the first 02:00.
    expect(await runs()).toEqual([]);

    clock.set(vn('2027-01-10T02:00:01'));
    await until('both processes to try the night', () => outcomes.length === 2);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['claimed-elsewhere', 'ok']);
    const first = outcomes.find((o) => o.status === 'ok') as Extract<NightlyOutcome, { status: 'ok' }>;
    expect(first.runDate).toBe('2027-01-10');
    expect(nightlyFiles()).toEqual([first.file]);
    expect(fs.existsSync(path.join(dir, `${first.file}.json`))).toBe(true);

    // In the register, as a backup line received by the school's records clerk, written by the system.
    const clerk = accountFor(srv.accounts, 'records_clerk');
    const line = (await srv.db('archive_entries').where({ backup_file: first.file }).first()) as Record<string, unknown>;
    expect(line).toBeTruthy();
    expect(line.book).toBe('backup');
    expect(line.created_by).toBeNull();
    expect(Number(line.received_by)).toBe(Number(((await srv.db('users').where({ username: clerk.username }).first('id')) as { id: number }).id));
    expect(String(line.note)).toContain('Sao lưu hằng đêm tự động: giữ 14 bản');
    expect(Boolean(Number(line.retention_permanent))).toBe(false);
    const audited = await srv.db('audit_events').where({ action: 'create', entity: 'archive-entries', entity_id: String(line.id) }).first('username', 'user_id');
    expect(audited).toMatchObject({ username: 'Hệ thống', user_id: null });
    expect(await srv.db('audit_events').where({ action: 'backup', entity: 'backups', entity_id: first.file }).first('id')).toBeTruthy();
    // The clerk's register finds nothing left to register.
    const vt = await new Client(srv.url).loginAs(clerk);
    expect((await vt.get('/api/archive-entries/backups')).body).toEqual([]);

    // Later that night: nothing more.
    clock.set(vn('2027-01-10T02:30:00'));
    await pause(200);
    expect(outcomes).toHaveLength(2);

    // The next night: one more.
    clock.set(vn('2027-01-11T02:00:01'));
    await until('the second night', () => outcomes.length === 4);
    expect(outcomes.slice(2).map((o) => o.status).sort()).toEqual(['claimed-elsewhere', 'ok']);
    expect(nightlyFiles()).toHaveLength(2);
    expect((await runs()).map((r) => [r.run_date, r.status])).toEqual([
      ['2027-01-10', 'ok'],
      ['2027-01-11', 'ok'],
    ]);
    await stopAll();
  });

  it('catches up a night missed while the server was down, once, at start-up', { timeout: 180_000 }, async () => {
    outcomes.length = 0;
    // Down from before 02:00 on the 12th until 09:00 on the 13th; two processes start together.
    clock.set(vn('2027-01-13T09:00:00'));
    start(srv.db);
    start(second);
    // The outcome, not the run's row: the row says 'ok' as soon as the backup is checked, before it is registered.
    await until('the catch-up', () => outcomes.some((o) => o.runDate === '2027-01-13' && o.status === 'ok'));
    await pause(200);
    expect(outcomes.filter((o) => o.status === 'ok').map((o) => o.runDate)).toEqual(['2027-01-13']);
    expect((await runs()).map((r) => r.run_date)).toEqual(['2027-01-10', '2027-01-11', '2027-01-13']);
    await stopAll();
    // A restart half an hour later finds a backup younger than a day: nothing to catch up.
    clock.set(vn('2027-01-13T09:30:00'));
    start(srv.db);
    await pause(200);
    expect(outcomes.filter((o) => o.status === 'ok')).toHaveLength(1);
    expect(nightlyFiles()).toHaveLength(3);
    await stopAll();
  });

  it('keeps the newest BACKUP_KEEP nightly files: older ones are deleted, struck in the register and audited; manual backups stay', { timeout: 180_000 }, async () => {
    const manual = await takeBackup(srv.db, config, { dir });
    // The nightly files by night (names in one real minute sort otherwise: x.sqlite, x-2.sqlite…).
    const before = ((await runs()) as Array<{ file: string }>).map((r) => r.file);
    clock.set(vn('2027-01-14T02:00:01'));
    const kept = { ...config, backup: { ...config.backup!, keep: 2 } };
    const outcome = await runNightlyBackup({ db: srv.db, config: kept, clock, engine: 'embedded' }, '2027-01-14');
    expect(outcome.status).toBe('ok');
    const ok = outcome as Extract<NightlyOutcome, { status: 'ok' }>;
    // Nights 10, 11, 13 and 14 are good; keeping 2 deletes the 10th and the 11th.
    expect(ok.pruned).toEqual(before.slice(0, 2));
    expect(nightlyFiles()).toEqual([before[2], ok.file].sort());
    for (const f of ok.pruned) expect(fs.existsSync(path.join(dir, `${f}.json`))).toBe(false);
    expect(fs.existsSync(manual.file)).toBe(true);
    expect(fs.existsSync(manual.manifestFile)).toBe(true);
    expect((await runs()).filter((r) => r.pruned_at).map((r) => r.run_date)).toEqual(['2027-01-10', '2027-01-11']);

    // The register still lists them, struck, saying why.
    for (const f of ok.pruned) {
      const line = (await srv.db('archive_entries').where({ backup_file: f }).first()) as Record<string, unknown>;
      expect(line.deleted_at).not.toBeNull();
      expect(String(line.delete_reason)).toContain('chỉ giữ 2 bản sao lưu hằng đêm');
      expect(await srv.db('audit_events').where({ action: 'backup_pruned', entity: 'archive-entries', entity_id: String(line.id) }).first('id')).toBeTruthy();
      expect(await srv.db('audit_events').where({ action: 'backup_pruned', entity: 'backups', entity_id: f }).first('id')).toBeTruthy();
    }
    const struck = (await admin.get(`/api/archive-entries?filter=${encodeURIComponent(JSON.stringify({ deleted: true }))}`)).body as Array<{ backupFile: string; deleteReason: string }>;
    expect(struck.map((e) => e.backupFile).sort()).toEqual([...ok.pruned].sort());
  });

  it('a failed night is audited and the admins read what went wrong and what to do', { timeout: 120_000 }, async () => {
    const blocked = path.join(dataDir, 'not-a-directory');
    fs.writeFileSync(blocked, 'a file where the backup directory should be');
    clock.set(vn('2027-01-15T02:00:01'));
    const broken = { ...config, backup: { ...config.backup!, dir: blocked } };
    const outcome = await runNightlyBackup({ db: srv.db, config: broken, clock, engine: 'embedded' }, '2027-01-15');
    expect(outcome.status).toBe('failed');
    expect((await runs()).find((r) => r.run_date === '2027-01-15')?.status).toBe('failed');
    expect(await srv.db('audit_events').where({ action: 'backup_failed', entity: 'backups' }).first('id')).toBeTruthy();

    const inbox = (await admin.get('/api/notifications')).body as Array<{ title: string; lines: string[]; link: string }>;
    const told = inbox.find((n) => n.title.includes('15/01/2027'));
    expect(told?.title).toBe('Sao lưu hằng đêm ngày 15/01/2027 KHÔNG thành công');
    expect(told?.lines.join('\n')).toContain('Việc cần làm');
    expect(told?.lines.join('\n')).toContain('npm run backup');
    expect(told?.lines.join('\n')).toContain(blocked);
    // Trying the same night again (a retry, another process) changes nothing.
    expect((await runNightlyBackup({ db: srv.db, config: broken, clock, engine: 'embedded' }, '2027-01-15')).status).toBe('claimed-elsewhere');
    const again = (await admin.get('/api/notifications')).body as Array<{ title: string }>;
    expect(again.filter((n) => n.title.includes('15/01/2027'))).toHaveLength(1);
  });

  it('a night left "running" by a process that died is taken over after 3 hours, not before', { timeout: 120_000 }, async () => {
    const deps = { db: srv.db, config, clock, engine: 'embedded' as const };
    await srv.db('scheduled_runs').insert({ job: 'nightly-backup', run_date: '2027-01-12', claimed_at: vn('2027-01-12T02:00:00'), claimed_by: 'dead-host:9 (embedded)', status: 'running' });
    clock.set(vn('2027-01-12T04:00:00'));
    expect((await runNightlyBackup(deps, '2027-01-12')).status).toBe('claimed-elsewhere');
    clock.set(vn('2027-01-12T05:00:01'));
    const taken = await runNightlyBackup(deps, '2027-01-12');
    expect(taken.status).toBe('ok');
    expect(await srv.db('scheduled_runs').where({ run_date: '2027-01-12' }).first('status', 'claimed_by')).toMatchObject({ status: 'ok', claimed_by: expect.stringContaining('(embedded)') });
    expect((await runNightlyBackup(deps, '2027-01-12')).status).toBe('claimed-elsewhere');
    // A failed night is never taken over: only a claim still running.
    clock.set(vn('2027-01-15T09:00:00'));
    expect((await runNightlyBackup(deps, '2027-01-15')).status).toBe('claimed-elsewhere');
  });

  it('the admin sees the last nightly backup, the last good one and the next scheduled run', async () => {
    const res = await admin.get('/api/backups/nightly');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enabled: true, at: '02:00', keep: 14, last: { runDate: '2027-01-15', status: 'failed' }, lastGood: { runDate: '2027-01-14', status: 'ok', checked: true } });
    expect(res.body.lastGood.sizeBytes).toBeGreaterThan(0);
    // The next run is real time's next 02:00 in Vietnam.
    const next = Date.parse(res.body.next);
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    expect(new Date(next + 7 * 3_600_000).toISOString().slice(11, 16)).toBe('02:00');
    const teacher = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'subject_teacher'));
    expect((await teacher.get('/api/backups/nightly')).status).toBe(403);
  });
});
