import { type Db } from '../db/knex';
import { GENESIS_HASH, hashEvent, SYSTEM_CHAIN, type StoredFields } from '../core/audit';
import { CHECKPOINT_GENESIS, checkpointMac, configuredCheckpointKey, type CheckpointFields, type CheckpointKey } from '../core/audit-checkpoints';

export interface ChainReport {
  ok: boolean;
  /** Events checked (for a school-scoped report: the events of those schools only). */
  checked: number;
  firstBrokenId: number | null;
  reason: string | null;
  /** Signed checkpoints found and checked, and the newest one (compare it with a copy kept outside the database). */
  checkpoints: number;
  lastCheckpoint: CheckpointRef | null;
  /** Each chain walked, with its newest checkpoint: `audit:verify --anchor` keeps these outside the database. */
  chains: Array<{ chainId: number; schoolId: number | null; lastCheckpoint: CheckpointRef | null }>;
  /**
   * Events after their chain's newest checkpoint and older than the grace period (PostgreSQL signs checkpoints just
   * after the commit; the sweep signs what a crash left behind). Still hash-chained, so not a failure: `warning`.
   */
  notCheckpointed: number;
  warning: string | null;
}

/** How long an event may wait for its checkpoint before verification mentions it (the sweep runs every 30 s). */
export const CHECKPOINT_GRACE_MS = 2 * 60_000;

export interface CheckpointRef {
  id: number;
  eventId: number;
  at: string;
  mac: string;
}

export interface VerifyOptions {
  batch?: number;
  /** The checkpoint key (default: the one this process was configured with; none: checkpoints are not checked). */
  key?: CheckpointKey | null;
  /**
   * Only these schools (an admin's own school): their chains and the system chain (events without a school, and
   * those written before chains were per school), whose other schools' rows are walked but not reported on.
   */
  schoolIds?: number[];
  /** Events younger than this are not counted as waiting for their checkpoint (default CHECKPOINT_GRACE_MS). */
  graceMs?: number;
}

type CheckpointRow = CheckpointFields & { id: number; mac: string };
type Failure = { firstBrokenId: number | null; reason: string; row?: { school_id: number | null } };

/**
 * Walks each chain in id order and names the first row whose hash or link does not check, then checks the chain's
 * signed checkpoints: each must be signed with the key, follow the one before it, and name an event that is still
 * in the chain with the same hash (a rewind below a checkpoint, or a chain rewritten after an edit, fails here).
 * One chain per school (server/core/audit.ts), plus the system's.
 */
export async function verifyChain(db: Db, options: VerifyOptions | number = {}): Promise<ChainReport> {
  const opts: VerifyOptions = typeof options === 'number' ? { batch: options } : options;
  const key = opts.key === undefined ? configuredCheckpointKey() : opts.key;
  const scope = opts.schoolIds ? new Set(opts.schoolIds) : null;
  const inScope = (row: { school_id: number | null }) => !scope || (row.school_id !== null && scope.has(Number(row.school_id)));
  let heads = (await db('audit_chain_head').orderBy('id').select('id', 'school_id', 'last_hash', 'last_event_id')) as Head[];
  if (scope) heads = heads.filter((h) => Number(h.id) === SYSTEM_CHAIN || (h.school_id !== null && scope.has(Number(h.school_id))));

  const report: ChainReport = { ok: true, checked: 0, firstBrokenId: null, reason: null, checkpoints: 0, lastCheckpoint: null, chains: [], notCheckpointed: 0, warning: null };
  // Without a key checkpoints are not checked, nor is their absence.
  const waitingSince = key ? new Date(Date.now() - (opts.graceMs ?? CHECKPOINT_GRACE_MS)).toISOString() : '';
  let oldestWaiting: string | null = null;
  for (const head of heads) {
    const { failure, checked, checkpoints, lastCheckpoint, waiting } = await verifyOneChain(db, head, key, opts.batch ?? 5000, inScope, waitingSince);
    report.checked += checked;
    report.notCheckpointed += waiting.events;
    if (waiting.oldest && (!oldestWaiting || waiting.oldest < oldestWaiting)) oldestWaiting = waiting.oldest;
    report.checkpoints += checkpoints;
    if (lastCheckpoint && (!report.lastCheckpoint || lastCheckpoint.id > report.lastCheckpoint.id)) report.lastCheckpoint = lastCheckpoint;
    report.chains.push({ chainId: Number(head.id), schoolId: head.school_id === null ? null : Number(head.school_id), lastCheckpoint });
    if (failure && report.ok) {
      // A break in another school's rows (in the system chain) is reported without naming the row.
      const hidden = failure.row !== undefined && !inScope(failure.row);
      Object.assign(report, { ok: false, firstBrokenId: hidden ? null : failure.firstBrokenId, reason: hidden ? `outside your school: ${failure.reason}` : failure.reason });
    }
  }
  if (report.notCheckpointed > 0) {
    report.warning = `${report.notCheckpointed} events not yet checkpointed (the oldest from ${oldestWaiting}): until signed, only the hash chain protects them`;
  }
  return report;
}

type Head = { id: number; school_id: number | null; last_hash: string; last_event_id: number | null };

async function verifyOneChain(
  db: Db,
  head: Head,
  key: CheckpointKey | null,
  batch: number,
  inScope: (row: { school_id: number | null }) => boolean,
  waitingSince: string,
): Promise<{ failure: Failure | null; checked: number; checkpoints: number; lastCheckpoint: CheckpointRef | null; waiting: { events: number; oldest: string | null } }> {
  const chainId = Number(head.id);
  const checkpoints = (await db('audit_checkpoints').where({ chain_id: chainId }).orderBy('id')) as CheckpointRow[];
  const last = checkpoints.at(-1);
  const lastCheckpoint = last ? { id: Number(last.id), eventId: Number(last.event_id), at: String(last.at), mac: String(last.mac) } : null;
  let checked = 0;
  const waiting = { events: 0, oldest: null as string | null };
  const done = (failure: Failure | null) => ({ failure, checked, checkpoints: checkpoints.length, lastCheckpoint, waiting });
  const fail = (firstBrokenId: number | null, reason: string, row?: { school_id: number | null }) => done({ firstBrokenId, reason, row });

  // The checkpoints themselves: signed with our key and linked one to the next.
  const expected = new Map<number, { hash: string; id: number }>();
  let prevMac = CHECKPOINT_GENESIS;
  let prevEvent = 0;
  for (const c of checkpoints) {
    if (key) {
      if (c.key_id !== key.id) return fail(null, `checkpoint #${c.id} is signed with another key (${c.key_id}); set AUDIT_CHECKPOINT_KEY to the key in use, or it is forged`);
      if (checkpointMac(key.key, c) !== c.mac) return fail(null, `checkpoint #${c.id} is forged: its signature does not match`);
    }
    if (c.prev_mac !== prevMac || Number(c.event_id) <= prevEvent) {
      return fail(null, `checkpoint #${c.id} does not follow the checkpoint before it (checkpoints were removed or inserted)`);
    }
    prevMac = c.mac;
    prevEvent = Number(c.event_id);
    expected.set(Number(c.event_id), { hash: c.event_hash, id: Number(c.id) });
  }

  let prev = GENESIS_HASH;
  let lastId = 0;
  for (;;) {
    const rows = (await db('audit_events').where({ chain_id: chainId }).andWhere('id', '>', lastId).orderBy('id').limit(batch)) as Array<
      StoredFields & { id: number; prev_hash: string; hash: string }
    >;
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.prev_hash !== prev) {
        return fail(row.id, 'link: previous hash does not match the row before it (a row was removed or reordered)', row);
      }
      if (hashEvent(prev, row) !== row.hash) {
        return fail(row.id, 'content: the row was changed after it was written', row);
      }
      const cp = expected.get(Number(row.id));
      if (cp && cp.hash !== row.hash) {
        return fail(row.id, `rewritten: the row no longer matches signed checkpoint #${cp.id} (the chain was recomputed after an edit)`, row);
      }
      expected.delete(Number(row.id));
      prev = row.hash;
      lastId = row.id;
      if (!inScope(row)) continue;
      checked++;
      // After the newest checkpoint and past the grace period: anchored by nothing but the chain.
      if (Number(row.id) > (lastCheckpoint?.eventId ?? 0) && row.at < waitingSince) {
        waiting.events++;
        waiting.oldest ??= row.at;
      }
    }
  }
  if (expected.size > 0) {
    const [eventId, cp] = [...expected.entries()][0];
    return fail(null, `rewind: event #${eventId} of signed checkpoint #${cp.id} is no longer in the chain (the newest rows were removed)`);
  }
  if (head.last_hash !== prev) {
    return fail(head.last_event_id, 'tail: the newest rows were removed');
  }
  return done(null);
}
