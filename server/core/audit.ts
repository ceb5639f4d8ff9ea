import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { dialect, nowIso, type Db } from '../db/knex';
import type { Actor } from './actor';
import { CHECKPOINT_GENESIS, lastMacWritten, nextCheckpoint, writeCheckpoint } from './audit-checkpoints';

/**
 * The append-only audit trail (Quy chế Học bạ số, Điều 4 and 9: every change traceable — who, when, what, why).
 * Each row stores SHA-256(previous hash + its own content), so editing or deleting any row breaks the chain
 * from that row on; the database also refuses UPDATE and DELETE on the table.
 */
export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  schoolId?: number | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Keys sorted at every level, so the same content always hashes the same on both databases. */
export function canonicalJson(value: unknown): string {
  // Content whose keys are already in order (a grid save's few hundred cells are built so) is written as it is.
  return JSON.stringify(inOrder(value) ? value : sortKeys(value));
}

function inOrder(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(inOrder);
  if (!v || typeof v !== 'object') return true;
  if (Object.getPrototypeOf(v) !== Object.prototype) return false; // a Date, a Map…: through sortKeys, as always
  let prev = '';
  for (const k in v) {
    if (k < prev || !inOrder((v as Record<string, unknown>)[k])) return false;
    prev = k;
  }
  return true;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

export interface StoredFields {
  at: string;
  school_id: number | null;
  user_id: number | null;
  username: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
}

export function hashEvent(prevHash: string, f: StoredFields): string {
  const content = canonicalJson([
    f.at,
    f.school_id === null ? null : Number(f.school_id),
    f.user_id === null ? null : Number(f.user_id),
    f.username,
    f.role,
    f.ip,
    f.action,
    f.entity,
    f.entity_id,
    f.before,
    f.after,
    f.reason,
  ]);
  return crypto.createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

/**
 * Appends one event inside the caller's transaction: if the change rolls back, so does its audit row. The event
 * links into its school's chain (`chainIdOf`), whose head row is locked until the transaction ends, so concurrent
 * writers of one school cannot fork it while writers of other schools never wait for it.
 */
export async function appendAudit(trx: Knex.Transaction, actor: Actor, entry: AuditEntry): Promise<void> {
  const schoolId = entry.schoolId ?? actor.schoolId ?? null;
  const head = await lockChainHead(trx, schoolId);
  const fields: StoredFields = {
    at: nowIso(),
    school_id: schoolId,
    user_id: actor.userId,
    username: actor.username,
    role: actor.roles.join(',') || null,
    ip: actor.ip,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before: entry.before === undefined || entry.before === null ? null : canonicalJson(entry.before),
    after: entry.after === undefined || entry.after === null ? null : canonicalJson(entry.after),
    reason: entry.reason ?? null,
  };
  const hash = hashEvent(head.last_hash, fields);
  if (dialect(trx) === 'pg') return appendOnPg(trx, head, fields, hash);
  const [row] = await trx('audit_events')
    .insert({ ...fields, chain_id: head.id, prev_hash: head.last_hash, hash })
    .returning('id');
  const id = typeof row === 'object' ? (row as { id: number }).id : row;
  await trx('audit_chain_head').where({ id: head.id }).update({ last_hash: hash, last_event_id: id });
  await writeCheckpoint(trx, head.id, Number(id), hash);
}

/**
 * The same append on PostgreSQL in three statements instead of five (then COMMIT), because the school's chain head
 * is locked from the first of them until the commit, and each round trip waits its turn in a busy app's event
 * loop: in the 45-teacher storm the other saves queued on that lock. The event's insert also reads the chain's
 * last checkpoint (a statement begun after the lock was taken sees the previous holder's checkpoint), and the
 * checkpoint's insert also moves the head. Same rows, same hashes and MACs as the statements above.
 */
async function appendOnPg(trx: Knex.Transaction, head: { id: number; last_hash: string }, fields: StoredFields, hash: string): Promise<void> {
  const event: Record<string, Knex.Value> = { ...fields, chain_id: head.id, prev_hash: head.last_hash, hash };
  const columns = Object.keys(event);
  const inserted = (await trx.raw(
    `with e as (insert into audit_events (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) returning id)
     select (select id from e) as id, (select mac from audit_checkpoints where chain_id = ? order by id desc limit 1) as last_mac`,
    [...columns.map((c) => event[c]), head.id],
  )) as { rows: Array<{ id: number; last_mac: string | null }> };
  const { id, last_mac } = inserted.rows[0];
  const checkpoint = nextCheckpoint(trx, head.id, Number(id), hash, lastMacWritten(trx, head.id) ?? last_mac ?? CHECKPOINT_GENESIS);
  const moveHead = 'update audit_chain_head set last_hash = ?, last_event_id = ? where id = ?';
  if (!checkpoint) return void (await trx.raw(moveHead, [hash, id, head.id]));
  const cp = Object.keys(checkpoint) as Array<keyof typeof checkpoint>;
  await trx.raw(`with c as (insert into audit_checkpoints (${cp.join(', ')}) values (${cp.map(() => '?').join(', ')})) ${moveHead}`, [
    ...cp.map((c) => checkpoint[c]),
    hash,
    id,
    head.id,
  ]);
}

/** The system's chain (events without a school, and all events from before chains were per school). */
export const SYSTEM_CHAIN = 1;
/** A school's audit chain: one head row per school, created with its first event. */
export const chainIdOf = (schoolId: number | null): number => (schoolId === null ? SYSTEM_CHAIN : Number(schoolId) + 1);

/** The chain's head, locked for this transaction (PostgreSQL: FOR UPDATE; SQLite has one writer anyway). */
async function lockChainHead(trx: Knex.Transaction, schoolId: number | null): Promise<{ id: number; last_hash: string }> {
  const id = chainIdOf(schoolId);
  const read = async () => {
    const q = trx('audit_chain_head').where({ id }).first('id', 'last_hash');
    return (await (dialect(trx) === 'pg' ? q.forUpdate() : q)) as { id: number; last_hash: string } | undefined;
  };
  const head = await read();
  if (head) return { id: Number(head.id), last_hash: head.last_hash };
  // The school's first event: its chain starts at the genesis hash. Two first events at once insert one row.
  await trx('audit_chain_head').insert({ id, school_id: schoolId, last_hash: GENESIS_HASH, last_event_id: null }).onConflict('id').ignore();
  const created = (await read())!;
  return { id: Number(created.id), last_hash: created.last_hash };
}

/** Audits outside any other change (a login, a lockout): its own small transaction. */
export async function recordAudit(db: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.transaction((trx) => appendAudit(trx, actor, entry));
}
