import { selectRows, type Db } from '../db/knex';
import { GENESIS_HASH, hashEvent, type StoredFields } from '../core/audit';
import { checkpointEvent } from '../core/audit-checkpointer';
import { configuredCheckpointKey } from '../core/audit-checkpoints';

/**
 * Signs every chain whose head is ahead of its newest checkpoint by more than `olderThanMs`: what a process that
 * stopped between a commit and its checkpoint left behind (server/core/audit-checkpointer.ts), and events written
 * where no key was configured (the demo seed). The events since the newest checkpoint are checked first (links and
 * hashes, up to the head): a tail that does not check is not signed but reported, so a checkpoint never vouches
 * for an edit that the chain alone already shows.
 */
export async function sweepCheckpoints(db: Db, opts: { olderThanMs?: number } = {}): Promise<{ signed: number[]; refused: Array<{ chainId: number; reason: string }> }> {
  const done = { signed: [] as number[], refused: [] as Array<{ chainId: number; reason: string }> };
  if (!configuredCheckpointKey()) return done;
  const before = new Date(Date.now() - (opts.olderThanMs ?? 10_000)).toISOString();
  const behind = await selectRows<{ id: number; last_event_id: number; last_hash: string; at: string; cp_event: number | null; cp_hash: string | null }>(
    db,
    `select h.id, h.last_event_id, h.last_hash, e.at, c.event_id as cp_event, c.event_hash as cp_hash
     from audit_chain_head h
     join audit_events e on e.id = h.last_event_id
     left join audit_checkpoints c on c.id = (select max(id) from audit_checkpoints where chain_id = h.id)
     where c.event_id is null or c.event_id < h.last_event_id`,
    [],
  );
  for (const head of behind) {
    if (head.at >= before) continue; // its own process is most likely signing it right now
    const chainId = Number(head.id);
    const problem = await tailProblem(db, chainId, head);
    if (problem) {
      console.error(`audit: chain ${chainId} is not signed: ${problem}; run npm run audit:verify`);
      done.refused.push({ chainId, reason: problem });
      continue;
    }
    const event = { chainId, id: Number(head.last_event_id), hash: head.last_hash };
    if (await db.transaction((trx) => checkpointEvent(trx, event))) done.signed.push(chainId);
  }
  return done;
}

/** Why the events after the newest checkpoint do not lead from it to the head, or null when they do. */
async function tailProblem(db: Db, chainId: number, head: { last_event_id: number; last_hash: string; cp_event: number | null; cp_hash: string | null }): Promise<string | null> {
  let prev = head.cp_hash ?? GENESIS_HASH;
  let lastId = Number(head.cp_event ?? 0);
  for (;;) {
    const rows = await selectRows<StoredFields & { id: number; prev_hash: string; hash: string }>(
      db,
      'select * from audit_events where chain_id = ? and id > ? and id <= ? order by id limit 2000',
      [chainId, lastId, head.last_event_id],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.prev_hash !== prev) return `event #${row.id} does not link to the event before it`;
      if (hashEvent(prev, row) !== row.hash) return `event #${row.id} was changed after it was written`;
      prev = row.hash;
      lastId = Number(row.id);
    }
  }
  return prev === head.last_hash && lastId === Number(head.last_event_id) ? null : 'the head does not match the newest event';
}

/** Sweeps now and then every `everyMs` (a server process); `stop` waits for a sweep under way. */
export function startCheckpointSweep(db: Db, everyMs = 30_000): { stop: () => Promise<void> } {
  let running: Promise<unknown> | null = null;
  const sweep = () => {
    if (running) return; // a long sweep is not started twice
    running = sweepCheckpoints(db)
      .catch((err: unknown) => console.error('audit: checkpoint sweep failed:', err))
      .finally(() => (running = null));
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
