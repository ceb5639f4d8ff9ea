import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../server/audit/audit-log';
import { appendAudit, chainIdOf, hashEvent, recordAudit, SYSTEM_CHAIN, type StoredFields } from '../server/core/audit';
import { checkpointKeyFrom, checkpointMac } from '../server/core/audit-checkpoints';
import { dialect, type Db } from '../server/db/knex';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';
import { tempDirs } from './helpers/temp';

const anchorDir = tempDirs('anchor-');

const run = promisify(execFile);

async function cliVerify(srv: TestServer, args: string[] = [], secret = srv.config.sessionSecret): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run('npx', ['tsx', 'server/cli/audit-verify.ts', ...args], {
      env: { ...process.env, DATABASE_URL: srv.config.databaseUrl, SESSION_SECRET: secret },
    });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** What an attacker with database access does first: switch the guarding triggers off. */
async function dropGuards(db: Db): Promise<void> {
  if (dialect(db) === 'pg') {
    for (const t of ['audit_events', 'audit_chain_head', 'audit_checkpoints']) await db.raw(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
  } else {
    for (const t of ['audit_events_no_update', 'audit_events_no_delete', 'audit_chain_head_guard', 'audit_chain_head_no_delete', 'audit_checkpoints_no_update', 'audit_checkpoints_no_delete']) {
      await db.raw(`DROP TRIGGER IF EXISTS ${t}`);
    }
  }
}

type EventRow = StoredFields & { id: number; prev_hash: string; hash: string };

async function someEvents(db: Db, n: number, schoolId: number | null = null): Promise<number[]> {
  const actor = { userId: null, username: 'test', roles: [], ip: null, schoolId };
  for (let i = 0; i < n; i++) await recordAudit(db, actor, { action: 'login', entity: 'users', entityId: i });
  return (await db('audit_events').orderBy('id').pluck('id')) as number[];
}

/** Deletes the newest `n` events of the newest event's chain (its school's) and moves that chain's head back. */
async function rewind(db: Db, n: number): Promise<number> {
  const chainId = Number(((await db('audit_events').orderBy('id', 'desc').first('chain_id')) as { chain_id: number }).chain_id);
  const rows = (await db('audit_events').where({ chain_id: chainId }).orderBy('id', 'desc').limit(n + 1)) as EventRow[];
  const keep = rows[n];
  await db('audit_events').whereIn('id', rows.slice(0, n).map((r) => r.id)).delete();
  await db('audit_chain_head').where({ id: chainId }).update({ last_hash: keep.hash, last_event_id: keep.id });
  return chainId;
}

describe.each(testDatabases())('hardening: anchored audit chain on %s', (kind) => {
  const servers: TestServer[] = [];
  const fresh = async () => {
    const s = await startServer(kind, { seed: false });
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('#10 the chain head only moves forward: setting it back or deleting it is refused by the database', async () => {
    const srv = await fresh();
    const ids = await someEvents(srv.db, 4);
    const second = (await srv.db('audit_events').where({ id: ids[1] }).first()) as EventRow;
    await expect(srv.db('audit_chain_head').where({ id: 1 }).update({ last_hash: second.hash, last_event_id: second.id })).rejects.toThrow(/audit_chain_head/);
    await expect(srv.db('audit_chain_head').where({ id: 1 }).update({ last_hash: '0'.repeat(64), last_event_id: null })).rejects.toThrow(/audit_chain_head/);
    await expect(srv.db('audit_chain_head').delete()).rejects.toThrow(/audit_chain_head/);
    await expect(srv.db('audit_checkpoints').delete()).rejects.toThrow(/append-only/);
    expect((await verifyChain(srv.db)).ok).toBe(true);
  });

  it('#10 a rewind (newest rows deleted, head set back) is reported by the chain verification (the API’s check) and by npm run audit:verify', async () => {
    const srv = await fresh();
    await someEvents(srv.db, 6, 1);
    const before = await verifyChain(srv.db);
    expect(before).toMatchObject({ ok: true });
    expect(before.checkpoints).toBeGreaterThanOrEqual(6);
    await dropGuards(srv.db);
    await rewind(srv.db, 2);
    const report = await verifyChain(srv.db);
    expect(report.ok).toBe(false);
    expect(report.reason).toMatch(/rewind/);
    const cli = await cliVerify(srv);
    expect(cli.code).toBe(2);
    expect(cli.out).toMatch(/rewind/);
  }, 60_000);

  it('#10 a chain recomputed after an edit (every later hash rewritten) is reported', async () => {
    const srv = await fresh();
    const ids = await someEvents(srv.db, 6, 1);
    await dropGuards(srv.db);
    await srv.db('audit_events').where({ id: ids[2] }).update({ reason: 'sửa lén' });
    // The school's chain rewritten from the edited row on, with its head.
    const chainId = chainIdOf(1);
    const rows = (await srv.db('audit_events').where({ chain_id: chainId }).orderBy('id')) as EventRow[];
    let prev = rows[1].hash;
    for (const row of rows.slice(2)) {
      const hash = hashEvent(prev, row);
      await srv.db('audit_events').where({ id: row.id }).update({ prev_hash: prev, hash });
      prev = hash;
    }
    await srv.db('audit_chain_head').where({ id: chainId }).update({ last_hash: prev });
    const report = await verifyChain(srv.db);
    expect(report).toMatchObject({ ok: false, firstBrokenId: ids[2] });
    expect(report.reason).toMatch(/rewritten/);
  });

  it('#10 a forged checkpoint (a wrong signature, or another key) is reported', async () => {
    const srv = await fresh();
    const ids = await someEvents(srv.db, 3);
    await dropGuards(srv.db);
    const last = (await srv.db('audit_checkpoints').orderBy('id', 'desc').first()) as Record<string, unknown>;
    const head = (await srv.db('audit_events').where({ id: ids[2] }).first()) as EventRow;
    // The attacker appends an event and signs a checkpoint for it with a key of their own.
    const forger = checkpointKeyFrom({ sessionSecret: 'not-the-real-secret-0123456789-0123456789' });
    const forged = { chain_id: 1, event_id: head.id + 1000, event_hash: 'f'.repeat(64), at: new Date().toISOString(), key_id: String(last.key_id), prev_mac: String(last.mac) };
    await srv.db('audit_checkpoints').insert({ ...forged, mac: checkpointMac(forger.key, forged) });
    const report = await verifyChain(srv.db);
    expect(report.ok).toBe(false);
    expect(report.reason).toMatch(/forged/);
    // Another key id: named as such.
    const srv2 = await fresh();
    await someEvents(srv2.db, 2);
    await dropGuards(srv2.db);
    const last2 = (await srv2.db('audit_checkpoints').orderBy('id', 'desc').first()) as Record<string, unknown>;
    const other = { ...forged, event_id: 10_000, key_id: forger.id, prev_mac: String(last2.mac) };
    await srv2.db('audit_checkpoints').insert({ ...other, mac: checkpointMac(forger.key, other) });
    expect((await verifyChain(srv2.db)).reason).toMatch(/another key/);
    // The CLI with a different key refuses to call the trail intact.
    const cli = await cliVerify(srv2, [], 'y'.repeat(40));
    expect(cli.code).toBe(2);
  }, 60_000);

  it('#10 audit:verify --anchor keeps the newest checkpoint outside the database: a rewind that also deletes checkpoints is reported', async () => {
    const srv = await fresh();
    await someEvents(srv.db, 5);
    const anchor = path.join(anchorDir(), 'audit-anchor.json');
    expect((await cliVerify(srv, ['--anchor', anchor])).code).toBe(0);
    const recorded = JSON.parse(fs.readFileSync(anchor, 'utf8')) as { chains: Array<{ chainId: number; lastCheckpoint: { eventId: number } }> };
    expect(recorded.chains.find((c) => c.chainId === SYSTEM_CHAIN)?.lastCheckpoint.eventId).toBeGreaterThan(0);
    await dropGuards(srv.db);
    const chainId = await rewind(srv.db, 2);
    const newest = (await srv.db('audit_checkpoints').where({ chain_id: chainId }).orderBy('id', 'desc').limit(2).pluck('id')) as number[];
    await srv.db('audit_checkpoints').whereIn('id', newest).delete();
    expect((await verifyChain(srv.db)).ok).toBe(true); // consistent inside the database …
    const cli = await cliVerify(srv, ['--anchor', anchor]);
    expect(cli.code).toBe(2); // … but not with what was recorded outside it
    expect(cli.out).toMatch(/rewind/);
  }, 60_000);
});

describe.each(testDatabases())('hardening: audit verification scoped to the school on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;
  beforeAll(async () => {
    srv = await startServer(kind);
    admin = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'admin'));
  });
  afterAll(async () => srv?.close());

  it('#12 an admin verifies the audit trail of their own school only and does not learn other schools’ row counts', async () => {
    const me = (await admin.get('/api/auth/me')).body.user;
    const otherSchool = Number(me.schoolId) + 100;
    await someEvents(srv.db, 7, otherSchool);
    const res = await admin.get('/api/audit-events/verify');
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const own = Number((await srv.db('audit_events').where({ school_id: me.schoolId }).count({ n: '*' }))[0].n);
    const total = Number((await srv.db('audit_events').count({ n: '*' }))[0].n);
    expect(total).toBeGreaterThan(own);
    expect(res.body.checked).toBe(own);
    // Each school has its own chain: a break in another school's is that school's finding, named there (and by
    // npm run audit:verify, which walks every chain), and says nothing to this admin.
    const target = (await srv.db('audit_events').where({ school_id: otherSchool }).orderBy('id').first('id')) as { id: number };
    await dropGuards(srv.db);
    await srv.db('audit_events').where({ id: target.id }).update({ reason: 'sửa lén' });
    const mine = await admin.get('/api/audit-events/verify');
    expect(mine.body).toMatchObject({ ok: true, checked: own });
    expect(await verifyChain(srv.db, { schoolIds: [otherSchool] })).toMatchObject({ ok: false, firstBrokenId: target.id, checked: 0 });
    expect(await verifyChain(srv.db)).toMatchObject({ ok: false, firstBrokenId: target.id });
  });
});

describe.each(testDatabases())('audit chains per school on %s (issue 11: no global lock)', (kind) => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer(kind, { seed: false });
  });
  afterAll(async () => srv?.close());

  it('links each school’s events into its own chain, and events without a school into the system’s; all verify', async () => {
    const a = await someEvents(srv.db, 3, 1);
    await someEvents(srv.db, 2, 2);
    await someEvents(srv.db, 2, null);
    const chains = (await srv.db('audit_events').whereIn('id', a).pluck('chain_id')) as number[];
    expect(new Set(chains.map(Number))).toEqual(new Set([chainIdOf(1)]));
    const bySchool = (await srv.db('audit_chain_head').orderBy('id').select('id', 'school_id')) as Array<{ id: number; school_id: number | null }>;
    expect(bySchool.map((h) => [Number(h.id), h.school_id === null ? null : Number(h.school_id)])).toEqual([
      [SYSTEM_CHAIN, null],
      [chainIdOf(1), 1],
      [chainIdOf(2), 2],
    ]);
    // Each chain starts from the genesis hash and has its own signed checkpoints.
    const first = (await srv.db('audit_events').where({ chain_id: chainIdOf(2) }).orderBy('id').first('prev_hash')) as { prev_hash: string };
    expect(first.prev_hash).toBe('0'.repeat(64));
    const report = await verifyChain(srv.db);
    expect(report).toMatchObject({ ok: true, checked: 7 });
    expect(report.chains.map((c) => c.chainId).sort()).toEqual([SYSTEM_CHAIN, chainIdOf(1), chainIdOf(2)].sort());
    expect(report.chains.every((c) => c.lastCheckpoint !== null)).toBe(true);
  });
});

// SQLite has one writer at a time by design (one connection); the lock that matters is PostgreSQL's, which runs
// wherever TEST_DATABASE_URL is set (always in CI).
describe.skipIf(!testDatabases().includes('postgres'))('audit chains per school on postgres: no global lock', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer('postgres', { seed: false });
  });
  afterAll(async () => srv?.close());

  // SQLite has one writer at a time by design (one connection); the lock that matters is PostgreSQL's.
  it('a school’s write does not wait for another school’s open transaction, but does for its own school’s', async () => {
    const actorOf = (schoolId: number) => ({ userId: null, username: 'test', roles: [], ip: null, schoolId });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended!: () => void;
    const inside = new Promise<void>((resolve) => (appended = resolve));
    // School 1's transaction appends its event and stays open, holding school 1's chain head.
    const open = srv.db.transaction(async (trx) => {
      await appendAudit(trx, actorOf(1), { action: 'update', entity: 'scores', entityId: 1 });
      appended();
      await held;
    });
    await inside;
    const settled = (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => 'done'), new Promise((r) => setTimeout(() => r('waiting'), ms))]);
    // School 2 writes at once …
    expect(await settled(recordAudit(srv.db, actorOf(2), { action: 'update', entity: 'scores', entityId: 2 }), 3000)).toBe('done');
    // … while another write of school 1 waits for the open transaction, then goes through after it.
    const sameSchool = recordAudit(srv.db, actorOf(1), { action: 'update', entity: 'scores', entityId: 3 });
    expect(await settled(sameSchool, 500)).toBe('waiting');
    release();
    await open;
    await sameSchool;
    expect((await verifyChain(srv.db)).ok).toBe(true);
  });
});
