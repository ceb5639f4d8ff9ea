import type { Knex } from 'knex';
import { databaseOf, dialect, finishBeforeDestroy, selectRows, type Db } from '../db/knex';
import { CHECKPOINT_GENESIS, checkpointMac, configuredCheckpointKey, type CheckpointFields } from './audit-checkpoints';

/**
 * Signed checkpoints written after the commit (PostgreSQL). An append there locks its school's chain head only for
 * its one statement and the COMMIT (server/core/audit.ts), so the checkpoint, whose HMAC needs the key that never
 * reaches the database, is written afterwards by the same process in its own short transaction. It takes its own
 * lock (an advisory lock per chain), never the chain head, so appends go on meanwhile; writers of one chain are
 * coalesced (one checkpoint anchors every event before it), and a sweep (server/audit/checkpoint-sweep.ts) signs any
 * chain whose head is still ahead of its last checkpoint, as after a crash between a commit and its checkpoint.
 * Until then the newest events are protected by the hash chain alone (docs/security.md).
 */

/** An appended event: its chain, id and hash (as the append statement returned it, checked in Node). */
export interface AppendedEvent {
  chainId: number;
  id: number;
  hash: string;
}

/** The advisory lock's first key ('audc'): with the chain id, one lock per chain's checkpoint sequence. */
export const CHECKPOINT_LOCK = 0x61756463;

/**
 * Signs a checkpoint of `event` in the caller's transaction, unless its chain already has a checkpoint at that event
 * or a later one, or the event is not (or no longer) in the chain with that hash (nothing is signed that the chain
 * does not hold). Returns whether the event is anchored now. No key configured: nothing is signed.
 */
export async function checkpointEvent(trx: Knex.Transaction, event: AppendedEvent): Promise<boolean> {
  const key = configuredCheckpointKey();
  if (!key) return false;
  // Taken before the read below: a statement's snapshot is its start, so the read must come after the wait.
  if (dialect(trx) === 'pg') await trx.raw('select pg_advisory_xact_lock(?, ?)', [CHECKPOINT_LOCK, event.chainId]);
  const [state] = await selectRows<{ last_event: number | null; last_mac: string | null; present: number }>(
    trx,
    `select (select event_id from audit_checkpoints where chain_id = ? order by id desc limit 1) as last_event,
            (select mac from audit_checkpoints where chain_id = ? order by id desc limit 1) as last_mac,
            (select count(*) from audit_events where id = ? and chain_id = ? and hash = ?) as present`,
    [event.chainId, event.chainId, event.id, event.chainId, event.hash],
  );
  if (state.last_event !== null && Number(state.last_event) >= event.id) return true;
  if (Number(state.present) === 0) {
    // Rolled back after all (a savepoint), or changed since its append returned: either way, never signed.
    console.error(`audit: event #${event.id} of chain ${event.chainId} is not in the chain with the hash its append returned; not signed (run npm run audit:verify)`);
    return false;
  }
  const fields: CheckpointFields = {
    chain_id: event.chainId,
    event_id: event.id,
    event_hash: event.hash,
    at: new Date().toISOString(),
    key_id: key.id,
    prev_mac: state.last_mac ?? CHECKPOINT_GENESIS,
  };
  await trx.raw('insert into audit_checkpoints (chain_id, event_id, event_hash, at, key_id, prev_mac, mac) values (?, ?, ?, ?, ?, ?, ?)', [
    fields.chain_id,
    fields.event_id,
    fields.event_hash,
    fields.at,
    fields.key_id,
    fields.prev_mac,
    checkpointMac(key.key, fields),
  ]);
  return true;
}

/** One chain's checkpoint writer in this process: at most one checkpoint in flight, aimed at the newest event seen. */
class ChainCheckpointer {
  private target: AppendedEvent | null = null;
  private anchored = 0;
  private waiters: Array<{ id: number; done: () => void }> = [];
  running: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  /** Resolves once a checkpoint at `event` or later is written (or writing it failed: logged, the sweep retries). */
  note(event: AppendedEvent): Promise<void> {
    if (event.id <= this.anchored) return Promise.resolve();
    if (!this.target || event.id > this.target.id) this.target = event;
    const written = new Promise<void>((done) => this.waiters.push({ id: event.id, done }));
    if (!this.running) this.running = this.drain();
    return written;
  }

  private async drain(): Promise<void> {
    while (this.target) {
      const event = this.target;
      this.target = null;
      try {
        if (await this.db.transaction((trx) => checkpointEvent(trx, event))) this.anchored = Math.max(this.anchored, event.id);
      } catch (err) {
        console.error(`audit: the checkpoint of chain ${event.chainId} at event #${event.id} failed (the sweep signs it later):`, err);
      }
      const waiting = this.waiters;
      this.waiters = waiting.filter((w) => w.id > event.id);
      for (const w of waiting) if (w.id <= event.id) w.done();
    }
    // Set in the same turn as the loop's last check: an event noted after it starts a new drain.
    this.running = null;
  }
}

const checkpointers = new WeakMap<Db, Map<number, ChainCheckpointer>>();

function checkpointerOf(db: Db, chainId: number): ChainCheckpointer {
  let chains = checkpointers.get(db);
  if (!chains) {
    checkpointers.set(db, (chains = new Map()));
    finishBeforeDestroy(db, () => whenCheckpointed(db));
  }
  let c = chains.get(chainId);
  if (!c) chains.set(chainId, (c = new ChainCheckpointer(db)));
  return c;
}

/** Signs a checkpoint of `event` soon (coalesced with the chain's other new events); resolves when written. */
export function checkpointSoon(db: Db, event: AppendedEvent): Promise<void> {
  if (!configuredCheckpointKey()) return Promise.resolve();
  return checkpointerOf(db, event.chainId).note(event);
}

type TransactionHandle = Knex.Transaction & { executionPromise?: Promise<unknown>; parentTransaction?: TransactionHandle };

/**
 * Runs `fn` once the transaction's outermost transaction has committed (never after a rollback). False when that
 * cannot be known (a transaction knex did not start with a container): the caller then signs in the transaction.
 */
function afterCommit(trx: TransactionHandle, fn: () => void): boolean {
  if (!trx.executionPromise) return false;
  const parent = trx.parentTransaction;
  trx.executionPromise.then(
    () => (parent ? afterCommit(parent, fn) : fn()),
    () => undefined,
  );
  return true;
}

/**
 * The checkpoint of an event just appended in `trx`: after the commit, from the database the transaction came
 * from; where that is unknown, in the transaction itself (the chain head stays locked a little longer, as before).
 */
export async function checkpointAfterCommit(trx: Knex.Transaction, event: AppendedEvent): Promise<void> {
  if (!configuredCheckpointKey()) return;
  const db = databaseOf(trx);
  if (db && afterCommit(trx, () => void checkpointSoon(db, event))) return;
  await checkpointEvent(trx, event);
}

/** Every checkpoint this process still has to write on `db` is written (or has failed, logged). */
export async function whenCheckpointed(db: Db): Promise<void> {
  const running = () => [...(checkpointers.get(db)?.values() ?? [])].map((c) => c.running).filter((p): p is Promise<void> => p !== null);
  for (let now = running(); now.length > 0; now = running()) await Promise.all(now);
}
