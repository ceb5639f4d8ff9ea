/**
 * Ghi nhận kết quả từ cổng (issue 13, docs/sync.md): a ZIP batch uploaded through the ministry's or province's portal
 * gets its answer there, not here. A person who may send batches then records it: every student of the batch the
 * portal took as accepted, those it refused as rejected with the portal's words. Without this a school that has no
 * receiver to call over HTTP could never see its sync milestone complete. One transaction, audited with the counts.
 */
import { z } from 'zod';
import type { Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError } from '../core/errors';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { batchRow } from './operations';

const Body = z.strictObject({
  rejected: z
    .array(z.strictObject({ studentId: z.coerce.number().int().positive(), reason: z.string().trim().min(3).max(500) }))
    .max(5000)
    .default([]),
});

export async function recordReceipt(db: Db, actor: Actor, batchId: number, input: unknown) {
  const batch = await batchRow(db, actor, batchId);
  const body = parse(Body, input);
  if (batch.transport !== 'file') throw new AppError('conflict', 'syncReceiptNotFile');
  if (batch.status !== 'sent') throw new AppError('conflict', 'syncReceiptNotSent');
  const by = (await db('users').where({ id: actor.userId }).first('full_name')) as { full_name: string } | undefined;
  return db.transaction(async (trx) => {
    const sent = (await trx('sync_records').where({ batch_id: batchId, status: 'sent' }).select('id', 'student_id')) as Array<{ id: number; student_id: number }>;
    const inBatch = new Set(sent.map((r) => Number(r.student_id)));
    const stranger = body.rejected.find((r) => !inBatch.has(r.studentId));
    if (stranger) throw new AppError('invalid', 'validation', {}, { rejected: { key: 'syncReceiptStranger', params: { id: stranger.studentId } } });
    const refused = new Map(body.rejected.map((r) => [r.studentId, r.reason]));
    const at = nowIso();
    const who = by?.full_name ?? '';
    for (const r of sent) {
      const reason = refused.get(Number(r.student_id));
      await trx('sync_records')
        .where({ id: r.id })
        .update({ status: reason ? 'rejected' : 'accepted', reason: reason ? JSON.stringify({ code: 'portal', message: `Cổng tiếp nhận từ chối: ${reason} (ghi nhận bởi ${who})` }) : null, updated_at: at });
    }
    const moved = await trx('sync_batches').where({ id: batchId, status: 'sent' }).update({ status: 'done', finished_at: at });
    if (moved !== 1) throw new AppError('conflict', 'syncReceiptNotSent');
    const counts = { accepted: sent.length - refused.size, rejected: refused.size };
    await appendAudit(trx, actor, { action: 'sync_receipt', entity: 'sync-batches', entityId: batchId, before: { status: 'sent' }, after: { packetId: batch.packet_id, ...counts }, schoolId: Number(batch.school_id) });
    return { id: batchId, ...counts };
  });
}
