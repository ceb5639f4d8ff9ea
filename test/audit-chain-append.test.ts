import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../server/audit/audit-log';
import { sweepCheckpoints } from '../server/audit/checkpoint-sweep';
import { appendAudit, chainIdOf, GENESIS_HASH, hashEvent, type StoredFields } from '../server/core/audit';
import { CHECKPOINT_LOCK, checkpointEvent, whenCheckpointed, type AppendedEvent } from '../server/core/audit-checkpointer';
import { checkpointKeyFrom, checkpointMac } from '../server/core/audit-checkpoints';
import type { Actor } from '../server/core/actor';
import { createDb, type Db } from '../server/db/knex';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/**
 * Issue 11: on PostgreSQL an append locks its school's chain head for one statement and the COMMIT, PostgreSQL
 * computes the event's hash, and the signed checkpoint follows the commit. These tests hold that to: one unbroken
 * chain under concurrent writers, hashes Node recomputes byte for byte, checkpoints that catch up with the head
 * (also after a crash between a commit and its checkpoint), and every tampering still found.
 */
type EventRow = StoredFields & { id: number; chain_id: number; prev_hash: string; hash: string };

const teacherOf = (schoolId: number): Actor => ({ userId: 7, username: 'gv.lan', roles: ['subject_teacher'], ip: '10.0.0.7', schoolId });

const eventsOf = async (db: Db, schoolId: number) => (await db('audit_events').where({ chain_id: chainIdOf(schoolId) }).orderBy('id')) as EventRow[];
const headOf = async (db: Db, schoolId: number) => (await db('audit_chain_head').where({ id: chainIdOf(schoolId) }).first()) as { last_event_id: number; last_hash: string };
const lastCheckpointOf = async (db: Db, schoolId: number) =>
  (await db('audit_checkpoints').where({ chain_id: chainIdOf(schoolId) }).orderBy('id', 'desc').first()) as { event_id: number; event_hash: string } | undefined;

describe.each(testDatabases())('audit chain appends on %s (issue 11)', (kind) => {
  let srv: TestServer;
  let second: Db | null = null;
  beforeAll(async () => {
    srv = await startServer(kind, { seed: false });
    // PostgreSQL: a second pool, as a second app process would have (SQLite has one writer by design).
    if (kind === 'postgres') second = createDb(srv.config.databaseUrl);
  });
  afterAll(async () => {
    await second?.destroy();
    await srv?.close();
  });

  it('writers of one school on many connections at once keep one unbroken chain with every event, and the checkpoints catch up with its head', async () => {
    const pools = second ? [srv.db, second] : [srv.db];
    const n = 60;
    const appended = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        pools[i % pools.length].transaction(async (trx) => {
          const first = await appendAudit(trx, teacherOf(1), { action: 'update', entity: 'scores', entityId: i, after: { giá_trị: `${i},5` } });
          // Every fifth save also records a second event, and another school's, in the same transaction.
          if (i % 5 === 0) await appendAudit(trx, teacherOf(1), { action: 'update', entity: 'comments', entityId: i });
          if (i % 5 === 0) await appendAudit(trx, teacherOf(2), { action: 'update', entity: 'scores', entityId: i });
          return first;
        }),
      ),
    );
    for (const db of pools) await whenCheckpointed(db);

    const rows = await eventsOf(srv.db, 1);
    expect(rows).toHaveLength(n + n / 5);
    expect(new Set(rows.filter((r) => r.entity === 'scores').map((r) => Number(r.entity_id)))).toEqual(new Set(Array.from({ length: n }, (_, i) => i)));
    // One line: each event links to the one before it in id order, from the genesis hash; no two share a parent.
    rows.forEach((r, i) => expect(r.prev_hash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1].hash));
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length);
    const stored = new Map(rows.map((r) => [Number(r.id), r.hash]));
    for (const e of appended) expect(stored.get(e.id)).toBe(e.hash);
    const head = await headOf(srv.db, 1);
    expect(Number(head.last_event_id)).toBe(Number(rows.at(-1)!.id));
    // The newest checkpoint anchors the head; on PostgreSQL one checkpoint may anchor many events.
    const cp = (await lastCheckpointOf(srv.db, 1))!;
    expect([Number(cp.event_id), cp.event_hash]).toEqual([Number(head.last_event_id), head.last_hash]);
    const checkpoints = Number((await srv.db('audit_checkpoints').where({ chain_id: chainIdOf(1) }).count({ n: '*' }))[0].n);
    expect(checkpoints).toBeLessThanOrEqual(rows.length);
    const report = await verifyChain(srv.db, { graceMs: 0 });
    expect(report).toMatchObject({ ok: true, checked: rows.length + n / 5, notCheckpointed: 0, warning: null });
  });

  it('the stored hash is the one Node computes, for Vietnamese text, emoji, quotes, backslashes, newlines and empty fields', async () => {
    const texts = [
      'Nguyễn Thị Ánh Tuyết — Toán 8,5 → 9,0',
      'Nguye\u0302\u0303n (dấu tổ hợp, NFD)',
      'emoji 👩‍🏫📚✅ and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
      'quotes " \' ` “ ” « »',
      'backslashes \\ \\n \\u0041 \\\\',
      'lines\nand\r\ntabs\t and separators \u2028 \u2029',
      '',
    ];
    const appended: AppendedEvent[] = [];
    await srv.db.transaction(async (trx) => {
      for (const t of texts) {
        appended.push(await appendAudit(trx, { userId: null, username: t.slice(0, 60), roles: [], ip: null, schoolId: 3 }, { action: 'update', entity: 'comments', entityId: t.slice(0, 60), before: { text: t, list: [t, null] }, after: null, reason: t }));
      }
      // Every field empty that may be.
      appended.push(await appendAudit(trx, { userId: null, username: null, roles: [], ip: null, schoolId: 3 }, { action: 'login', entity: 'users' }));
    });
    await whenCheckpointed(srv.db);
    const rows = await eventsOf(srv.db, 3);
    expect(rows.map((r) => r.reason)).toEqual([...texts, null]);
    expect(rows.at(-1)).toMatchObject({ username: null, entity_id: null, before: null, after: null, reason: null, ip: null, role: null });
    for (const [i, row] of rows.entries()) {
      expect(hashEvent(row.prev_hash, row)).toBe(row.hash);
      expect(row.hash).toBe(appended[i].hash);
    }
    expect((await verifyChain(srv.db, { schoolIds: [3] })).ok).toBe(true);
  });
});

const run = promisify(execFile);

/** Holds the checkpoint locks of these schools' chains (as a checkpoint under way would) until `release`. */
async function holdCheckpointLocks(db: Db, schoolIds: number[]): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let held!: () => void;
  const holding = new Promise<void>((r) => (held = r));
  const trx = db.transaction(async (t) => {
    for (const s of schoolIds) await t.raw('select pg_advisory_xact_lock(?, ?)', [CHECKPOINT_LOCK, chainIdOf(s)]);
    held();
    await released;
  });
  await holding;
  return async () => {
    release();
    await trx;
  };
}

/** What an attacker with database access does first: switch the guarding triggers off. */
async function dropGuards(db: Db): Promise<void> {
  for (const t of ['audit_events', 'audit_chain_head', 'audit_checkpoints']) await db.raw(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
}

describe.skipIf(!testDatabases().includes('postgres'))('audit chain on postgres: a process stopped between its commits and their checkpoints', () => {
  let srv: TestServer;
  // 21: left as the crash left it; 22: an event edited; 23: an event deleted; 24: a forged checkpoint; 25: a rewind.
  const schools = [21, 22, 23, 24, 25];
  beforeAll(async () => {
    srv = await startServer('postgres', { seed: false });
    const release = await holdCheckpointLocks(srv.db, schools);
    await run('npx', ['tsx', 'test/helpers/append-then-exit.ts'], {
      env: { ...process.env, DATABASE_URL: srv.config.databaseUrl, SESSION_SECRET: srv.config.sessionSecret, APPEND_SCHOOLS: schools.join(','), APPEND_COUNT: '4' },
    });
    await release();
    await dropGuards(srv.db);
  }, 60_000);
  afterAll(async () => srv?.close());

  it('its events are hash-chained but unsigned: verification passes, and warns once they are older than the grace period', async () => {
    expect(await lastCheckpointOf(srv.db, 21)).toBeUndefined();
    expect(await verifyChain(srv.db, { schoolIds: [21] })).toMatchObject({ ok: true, checked: 4, notCheckpointed: 0, warning: null });
    const late = await verifyChain(srv.db, { schoolIds: [21], graceMs: 0 });
    expect(late).toMatchObject({ ok: true, checked: 4, notCheckpointed: 4 });
    expect(late.warning).toMatch(/^4 events not yet checkpointed/);
  });

  it('an edited or deleted unsigned event, a forged checkpoint and a rewind below a checkpoint are still found', async () => {
    const edited = (await eventsOf(srv.db, 22))[1];
    await srv.db('audit_events').where({ id: edited.id }).update({ after: '{"lần":9}' });
    expect(await verifyChain(srv.db, { schoolIds: [22] })).toMatchObject({ ok: false, firstBrokenId: edited.id, reason: expect.stringMatching(/^content/) });

    const deleted = (await eventsOf(srv.db, 23))[1];
    await srv.db('audit_events').where({ id: deleted.id }).delete();
    expect((await verifyChain(srv.db, { schoolIds: [23] })).reason).toMatch(/^link/);

    // A checkpoint for the unsigned head, signed with a key that is not the server's but claiming its key id.
    const head = await headOf(srv.db, 24);
    const forger = checkpointKeyFrom({ sessionSecret: 'not-the-real-secret-0123456789-0123456789' });
    const real = checkpointKeyFrom(srv.config);
    const forged = { chain_id: chainIdOf(24), event_id: Number(head.last_event_id), event_hash: head.last_hash, at: new Date().toISOString(), key_id: real.id, prev_mac: '0'.repeat(64) };
    await srv.db('audit_checkpoints').insert({ ...forged, mac: checkpointMac(forger.key, forged) });
    expect((await verifyChain(srv.db, { schoolIds: [24] })).reason).toMatch(/forged/);

    // Signed at its head, then the two newest events removed and the head set back.
    const rows = await eventsOf(srv.db, 25);
    expect(await srv.db.transaction((trx) => checkpointEvent(trx, { chainId: chainIdOf(25), id: Number(rows[3].id), hash: rows[3].hash }))).toBe(true);
    await srv.db('audit_events').whereIn('id', [rows[2].id, rows[3].id]).delete();
    await srv.db('audit_chain_head').where({ id: chainIdOf(25) }).update({ last_event_id: rows[1].id, last_hash: rows[1].hash });
    expect((await verifyChain(srv.db, { schoolIds: [25] })).reason).toMatch(/^rewind/);
  });

  it('the sweep signs the chain left unsigned, and refuses to sign a chain whose unsigned events do not check', async () => {
    const swept = await sweepCheckpoints(srv.db, { olderThanMs: 0 });
    expect(swept.signed).toContain(chainIdOf(21));
    expect(swept.refused.map((r) => r.chainId).sort()).toEqual([chainIdOf(22), chainIdOf(23)]);
    expect(swept.refused[0].reason).toMatch(/changed after it was written/);
    const head = await headOf(srv.db, 21);
    expect(await lastCheckpointOf(srv.db, 21)).toMatchObject({ event_id: head.last_event_id, event_hash: head.last_hash });
    expect(await verifyChain(srv.db, { schoolIds: [21], graceMs: 0 })).toMatchObject({ ok: true, checked: 4, notCheckpointed: 0, warning: null });
    // Nothing new for the edited chain: its last state is still reported as broken, not laundered by a signature.
    expect(await lastCheckpointOf(srv.db, 22)).toBeUndefined();
  });
});
