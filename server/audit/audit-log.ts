import { type Db } from '../db/knex';
import { GENESIS_HASH, hashEvent, type StoredFields } from '../core/audit';

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
  reason: string | null;
}

/** Walks the whole chain in id order and names the first row whose hash or link does not check. */
export async function verifyChain(db: Db, batch = 5000): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = (await db('audit_events').where('id', '>', lastId).orderBy('id').limit(batch)) as Array<
      StoredFields & { id: number; prev_hash: string; hash: string }
    >;
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.prev_hash !== prev) {
        return { ok: false, checked, firstBrokenId: row.id, reason: 'link: previous hash does not match the row before it (a row was removed or reordered)' };
      }
      if (hashEvent(prev, row) !== row.hash) {
        return { ok: false, checked, firstBrokenId: row.id, reason: 'content: the row was changed after it was written' };
      }
      prev = row.hash;
      lastId = row.id;
      checked++;
    }
  }
  const head = (await db('audit_chain_head').where({ id: 1 }).first()) as { last_hash: string; last_event_id: number | null };
  if (head.last_hash !== prev) {
    return { ok: false, checked, firstBrokenId: head.last_event_id, reason: 'tail: the newest rows were removed' };
  }
  return { ok: true, checked, firstBrokenId: null, reason: null };
}
