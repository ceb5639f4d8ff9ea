import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { databaseOf, dialect, nowIso, type Db } from '../db/knex';
import type { Actor } from './actor';
import { checkpointAfterCommit, checkpointSoon, type AppendedEvent } from './audit-checkpointer';
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

/** The canonical text of an event's content: what its hash covers, after the previous hash and a newline. */
export function eventContent(f: StoredFields): string {
  return canonicalJson([
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
}

/** SHA-256 of the previous hash, a newline and the content, UTF-8 encoded (PostgreSQL computes the same, below). */
export function chainHash(prevHash: string, content: string): string {
  return crypto.createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

export function hashEvent(prevHash: string, f: StoredFields): string {
  return chainHash(prevHash, eventContent(f));
}

/**
 * Appends one event inside the caller's transaction: if the change rolls back, so does its audit row. The event
 * links into its school's chain (`chainIdOf`), whose head row stays locked until the transaction ends, so concurrent
 * writers of one school cannot fork it while writers of other schools never wait for it.
 */
export async function appendAudit(trx: Knex.Transaction, actor: Actor, entry: AuditEntry): Promise<AppendedEvent> {
  const schoolId = entry.schoolId ?? actor.schoolId ?? null;
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
  if (dialect(trx) === 'pg') return appendOnPg(trx, schoolId, fields);
  // SQLite has one writer: read the head, insert, move the head and sign the checkpoint in the transaction.
  const head = await chainHead(trx, schoolId);
  const hash = hashEvent(head.last_hash, fields);
  const [row] = await trx('audit_events')
    .insert({ ...fields, chain_id: head.id, prev_hash: head.last_hash, hash })
    .returning('id');
  const id = Number(typeof row === 'object' ? (row as { id: number }).id : row);
  await trx('audit_chain_head').where({ id: head.id }).update({ last_hash: hash, last_event_id: id });
  await writeCheckpoint(trx, head.id, id, hash);
  return { chainId: head.id, id, hash };
}

/**
 * The append on PostgreSQL, one statement: it locks the school's chain head, inserts the event chained to it (the
 * hash computed by PostgreSQL from the head's hash and the content text Node built: `sha256()`, UTF-8) and moves
 * the head. The head stays locked only for this statement and the COMMIT (before, for two more round trips, each
 * waiting its turn in a busy event loop: the school's write rate was 1 ÷ that time). The checkpoint, whose key
 * must not reach the database, is signed after the commit (server/core/audit-checkpointer.ts).
 */
const APPEND_ON_PG = `with head as (select id, last_hash from audit_chain_head where id = ? for update),
  e as (
    insert into audit_events (chain_id, prev_hash, hash, at, school_id, user_id, username, role, ip, action, entity, entity_id, before, after, reason)
    select id, last_hash, encode(sha256(convert_to(last_hash || chr(10) || ?::text, 'UTF8')), 'hex'),
      ?::text, ?::integer, ?::integer, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text
    from head
    returning id, chain_id, prev_hash, hash)
  update audit_chain_head h set last_hash = e.hash, last_event_id = e.id from e where h.id = e.chain_id
  returning e.id, e.prev_hash, e.hash`;

async function appendOnPg(trx: Knex.Transaction, schoolId: number | null, f: StoredFields): Promise<AppendedEvent> {
  const chainId = chainIdOf(schoolId);
  const content = eventContent(f);
  const values = [f.at, f.school_id, f.user_id, f.username, f.role, f.ip, f.action, f.entity, f.entity_id, f.before, f.after, f.reason];
  const append = async () => ((await trx.raw(APPEND_ON_PG, [chainId, content, ...values])) as { rows: Array<{ id: number; prev_hash: string; hash: string }> }).rows;
  let rows = await append();
  if (rows.length === 0) {
    await createChainHead(trx, chainId, schoolId); // the school's first event
    rows = await append();
  }
  if (rows.length === 0) throw new Error(`audit: the head of chain ${chainId} could not be locked`);
  const { id, prev_hash: prevHash, hash } = rows[0];
  // Verification recomputes the hash in Node: PostgreSQL must have hashed exactly the bytes Node would.
  if (chainHash(prevHash, content) !== hash) throw new Error(`audit: PostgreSQL's hash of event #${id} differs from Node's (check the database's encoding)`);
  const event = { chainId, id: Number(id), hash };
  await checkpointAfterCommit(trx, event);
  return event;
}

/** The system's chain (events without a school, and all events from before chains were per school). */
export const SYSTEM_CHAIN = 1;
/** A school's audit chain: one head row per school, created with its first event. */
export const chainIdOf = (schoolId: number | null): number => (schoolId === null ? SYSTEM_CHAIN : Number(schoolId) + 1);

/** The chain's head on SQLite (one writer at a time: no lock needed), created with the school's first event. */
async function chainHead(trx: Knex.Transaction, schoolId: number | null): Promise<{ id: number; last_hash: string }> {
  const id = chainIdOf(schoolId);
  const read = () => trx('audit_chain_head').where({ id }).first('id', 'last_hash') as Promise<{ id: number; last_hash: string } | undefined>;
  let head = await read();
  if (!head) {
    await createChainHead(trx, id, schoolId);
    head = (await read())!;
  }
  return { id: Number(head.id), last_hash: head.last_hash };
}

/**
 * A chain starts at the genesis hash. Two first events at once insert one row (the second waits for the first). No
 * conflict target: the row is unique by `id` and by `school_id`, and with `on conflict (id)` PostgreSQL raised the
 * school_id one when two first events raced (a school's first sign-ins at the same moment answered 409).
 */
async function createChainHead(trx: Knex.Transaction, id: number, schoolId: number | null): Promise<void> {
  await trx('audit_chain_head').insert({ id, school_id: schoolId, last_hash: GENESIS_HASH, last_event_id: null }).onConflict().ignore();
}

/** Audits outside any other change (a login, a lockout): its own small transaction. */
export async function recordAudit(db: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  const event = await db.transaction((trx) => appendAudit(trx, actor, entry));
  // A lone event (a sign-in, a lockout) also waits for its checkpoint (PostgreSQL): nothing is locked meanwhile.
  if (dialect(db) === 'pg' && databaseOf(db) === db) await checkpointSoon(db, event);
}
