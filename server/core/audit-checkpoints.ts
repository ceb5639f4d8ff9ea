import crypto from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Checkpoints of the audit chain head, signed with a key that is not in the database (HMAC-SHA256), so that
 * someone with database access can neither rewind the chain below a checkpoint (the checkpointed event is gone or
 * differs) nor rewrite every later hash after an edit (the rewritten rows no longer match their checkpoints, and a
 * new checkpoint cannot be signed without the key). Checkpoints are chained (each carries the previous MAC), one
 * sequence per chain (`chain_id`, the audit_chain_head row: one chain today, one per school later).
 *
 * The key: AUDIT_CHECKPOINT_KEY when set, otherwise derived from SESSION_SECRET (HMAC with a fixed label). It is
 * configured once per process (createApp, the CLIs); without it no checkpoint is written and none can be verified.
 */
export const CHECKPOINT_GENESIS = '0'.repeat(64);

export interface CheckpointKey {
  key: Buffer;
  /** A fingerprint of the key (not the key), stored with each checkpoint to tell "another key" from "forged". */
  id: string;
}

let configured: CheckpointKey | null = null;

export function checkpointKeyFrom(secrets: { sessionSecret: string; auditCheckpointKey?: string | null }): CheckpointKey {
  const key = secrets.auditCheckpointKey
    ? crypto.createHash('sha256').update(`audit-checkpoint-key\n${secrets.auditCheckpointKey}`).digest()
    : crypto.createHmac('sha256', secrets.sessionSecret).update('audit-checkpoint-v1').digest();
  return { key, id: crypto.createHmac('sha256', key).update('key-id').digest('hex').slice(0, 16) };
}

/** Sets the key this process signs checkpoints with (and verifies them with by default). */
export function configureAuditCheckpoints(secrets: { sessionSecret: string; auditCheckpointKey?: string | null }): CheckpointKey {
  configured = checkpointKeyFrom(secrets);
  return configured;
}

export function configuredCheckpointKey(): CheckpointKey | null {
  return configured;
}

export interface CheckpointFields {
  chain_id: number;
  event_id: number;
  event_hash: string;
  at: string;
  key_id: string;
  prev_mac: string;
}

export function checkpointMac(key: Buffer, c: CheckpointFields): string {
  const content = JSON.stringify([Number(c.chain_id), Number(c.event_id), c.event_hash, c.at, c.key_id, c.prev_mac]);
  return crypto.createHmac('sha256', key).update(content).digest('hex');
}

/** The previous MAC per transaction and chain: a batch of appends reads the last checkpoint once. */
const lastMacInTrx = new WeakMap<object, Map<number, string>>();

/** The chain's last MAC as this transaction last wrote it, if it wrote one. */
export const lastMacWritten = (trx: Knex.Transaction, chainId: number): string | undefined => lastMacInTrx.get(trx)?.get(chainId);

/**
 * The checkpoint that signs a new head, given the chain's previous MAC (null: no key configured, no checkpoint).
 * The caller stores it while the chain head is locked; the transaction then remembers its MAC.
 */
export function nextCheckpoint(trx: Knex.Transaction, chainId: number, eventId: number, eventHash: string, prevMac: string): (CheckpointFields & { mac: string }) | null {
  const k = configured;
  if (!k) return null;
  const fields: CheckpointFields = { chain_id: chainId, event_id: eventId, event_hash: eventHash, at: new Date().toISOString(), key_id: k.id, prev_mac: prevMac };
  const mac = checkpointMac(k.key, fields);
  lastMacInTrx.set(trx, (lastMacInTrx.get(trx) ?? new Map<number, string>()).set(chainId, mac));
  return { ...fields, mac };
}

/**
 * Signs the new head, in the caller's transaction (right after the event it anchors is appended, while the chain
 * head is locked): every audited write leaves a checkpoint at its last event.
 */
export async function writeCheckpoint(trx: Knex.Transaction, chainId: number, eventId: number, eventHash: string): Promise<void> {
  if (!configured) return;
  let prevMac = lastMacWritten(trx, chainId);
  if (prevMac === undefined) {
    const last = (await trx('audit_checkpoints').where({ chain_id: chainId }).orderBy('id', 'desc').first('mac')) as { mac: string } | undefined;
    prevMac = last?.mac ?? CHECKPOINT_GENESIS;
  }
  await trx('audit_checkpoints').insert(nextCheckpoint(trx, chainId, eventId, eventHash, prevMac)!);
}
