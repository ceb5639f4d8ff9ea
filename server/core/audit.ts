import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { dialect, nowIso, type Db } from '../db/knex';
import type { Actor } from './actor';
import { writeCheckpoint } from './audit-checkpoints';

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
  const [row] = await trx('audit_events')
    .insert({ ...fields, chain_id: head.id, prev_hash: head.last_hash, hash })
    .returning('id');
  const id = typeof row === 'object' ? (row as { id: number }).id : row;
  await trx('audit_chain_head').where({ id: head.id }).update({ last_hash: hash, last_event_id: id });
  await writeCheckpoint(trx, head.id, Number(id), hash);
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
