/**
 * Putting a batch's packet on its way and recording what came back. The ZIP is rebuilt from the signed manifest
 * kept with the batch and the sealed versions (immutable), so a retry or a later download carries the very same
 * bytes. The HTTP send runs in the background (the portal polls the batch); `wait` runs it inline (tests).
 */
import crypto from 'node:crypto';
import { documentName } from '../../domain/sync/packet';
import { AppError } from '../core/errors';
import type { Db } from '../db/knex';
import { nowIso } from '../db/knex';
import { httpTransport, type Delivery, type SyncTransport } from './transport';
import { zipPacket } from './zip';

export interface DeliveryDeps {
  endpoint?: string;
  apiKey?: string;
  retryBaseMs?: number;
}

const running = new Set<Promise<unknown>>();

/** Resolves when every background send started so far has finished (tests, shutdown). */
export async function whenSyncSettled(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
}

export async function startDelivery(db: Db, batchId: number, deps: DeliveryDeps, opts: { wait?: boolean } = {}): Promise<void> {
  const at = nowIso();
  await db.transaction(async (trx) => {
    await trx('sync_batches').where({ id: batchId }).update({ status: 'sending', error: null, sent_at: at });
    // Handed to the transport: "sent" until the receiver answers (and still "sent" if it never does).
    await trx('sync_records').where({ batch_id: batchId, status: 'ready' }).update({ status: 'sent', updated_at: at });
  });
  const transport = httpTransport({ endpoint: deps.endpoint!, apiKey: deps.apiKey, baseDelayMs: deps.retryBaseMs });
  const run = deliverBatch(db, batchId, transport).catch((err) => {
    console.error('sync batch delivery failed', batchId, err);
    return db('sync_batches').where({ id: batchId }).update({ status: 'failed', error: String(err).slice(0, 2000), finished_at: nowIso() });
  });
  running.add(run);
  void run.finally(() => running.delete(run));
  if (opts.wait) await run;
}

export async function deliverBatch(db: Db, batchId: number, transport: SyncTransport): Promise<Delivery> {
  const delivery = await transport.deliver(await packetOf(db, batchId));
  await recordDelivery(db, batchId, delivery);
  return delivery;
}

/** The batch's packet: its id and the ZIP (manifest.xml + one sealed XML per NEW/UPDATE entry). */
export async function packetOf(db: Db, batchId: number): Promise<{ packetId: string; zip: Buffer; createdAt: string }> {
  const batch = (await db('sync_batches').where({ id: batchId }).first('packet_id', 'manifest', 'created_at', 'zip_sha256')) as { packet_id: string; manifest: string; created_at: string; zip_sha256: string | null };
  const docs = (await db('sync_records as r')
    .join('transcript_versions as v', 'v.id', 'r.version_id')
    .where('r.batch_id', batchId)
    .whereIn('r.sukien', ['NEW', 'UPDATE'])
    .orderBy('r.id')
    .select('r.idbanghi', 'v.version', 'v.xml')) as Array<{ idbanghi: string; version: number; xml: string }>;
  const zip = zipPacket(batch.manifest, docs.map((d) => ({ name: documentName(d.idbanghi, Number(d.version)), xml: d.xml })), batch.created_at);
  // Sealed documents never change (database triggers); if these bytes differ from the batch's, something did.
  if (batch.zip_sha256 && sha256Hex(zip) !== batch.zip_sha256) throw new AppError('conflict', 'syncPacketChanged', { id: batchId });
  return { packetId: batch.packet_id, zip, createdAt: batch.created_at };
}

async function recordDelivery(db: Db, batchId: number, d: Delivery): Promise<void> {
  const at = nowIso();
  await db.transaction(async (trx) => {
    if (d.kind === 'acknowledged') {
      for (const r of d.results) {
        await trx('sync_records')
          .where({ batch_id: batchId, idbanghi: r.idbanghi, phienban: r.phienban })
          .update({ status: r.status, reason: r.reason ? JSON.stringify(r.reason) : null, updated_at: at });
      }
      await trx('sync_batches').where({ id: batchId }).update({ status: 'done', attempts: d.attempts, finished_at: at });
    } else if (d.kind === 'refused') {
      // The whole packet refused: every entry carries the receiver's reason.
      await trx('sync_records')
        .where({ batch_id: batchId })
        .whereNotNull('sukien')
        .update({ status: 'rejected', reason: JSON.stringify({ code: 'packet', message: d.message }), updated_at: at });
      await trx('sync_batches').where({ id: batchId }).update({ status: 'failed', attempts: d.attempts, error: `HTTP ${d.status}: ${d.message}`.slice(0, 2000), finished_at: at });
    } else if (d.kind === 'failed') {
      await trx('sync_batches').where({ id: batchId }).update({ status: 'failed', attempts: d.attempts, error: d.message.slice(0, 2000), finished_at: at });
    }
  });
}

export const sha256Hex = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

/** Records the ZIP's SHA-256 once the batch is written: later rebuilds are checked against it. */
export async function fixPacketBytes(db: Db, batchId: number): Promise<void> {
  const packet = await packetOf(db, batchId);
  await db('sync_batches').where({ id: batchId }).update({ zip_sha256: sha256Hex(packet.zip) });
}
