import { z } from 'zod';
import { canEnterPaperTranscripts } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden } from '../core/errors';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { loadRow } from './digitisation';
import { OPEN_STATUSES } from './store';

/**
 * Mở lại bản số hóa (docs/digitisation.md): a mistake found while the paper year is being reviewed or signed — a
 * score typed wrong, a teacher who has left since it was opened. The academic staff take it back before the seal: the
 * open version is revoked with the reason (its signatures stay on it, as history), the reviews of departed teachers'
 * content are dropped (the content may change), and the entry returns to "đang nhập" with the final entry as the
 * reopener's first entry. Submitting it again opens a new version and the chain starts over. One transaction. A
 * sealed year is corrected the transcript's way (revoke, then a new version), not here.
 */
export async function reopenDigitisation(db: Db, actor: Actor, id: number, input: unknown) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canEnterPaperTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const { reason } = parse(z.object({ reason: z.string().trim().min(5).max(500) }).strict(), input);
  const d = await loadRow(db, schoolId, id);
  if (d.status !== 'opened' || d.version_id === null) throw new AppError('conflict', 'digitisationReopenNotOpened');
  const versionId = Number(d.version_id);
  return db.transaction(async (trx) => {
    const revoked = await trx('transcript_versions').where({ id: versionId }).whereIn('status', OPEN_STATUSES).update({ status: 'revoked', updated_at: nowIso() });
    if (revoked !== 1) throw new AppError('conflict', 'digitisationReopenSealed');
    const signatures = Number(((await trx('transcript_signatures').where({ version_id: versionId }).count({ n: '*' }).first()) as { n: number | string }).n);
    const reviews = await trx('transcript_digitisation_reviews').where({ digitisation_id: id }).delete();
    const n = await trx('transcript_digitisations').where({ id, row_version: d.row_version }).update({
      status: 'entering',
      entry1: d.final_entry,
      entry1_by: actor.userId,
      entry2: null,
      entry2_by: null,
      final_entry: null,
      reconciled_by: null,
      version_id: null,
      signers: null,
      row_version: Number(d.row_version) + 1,
      updated_at: nowIso(),
    });
    if (n !== 1) throw new AppError('conflict', 'digitisationStale');
    await appendAudit(trx, actor, { action: 'revoke', entity: 'transcript_versions', entityId: versionId, before: { status: 'open' }, after: { status: 'revoked', digitisationId: id }, reason, schoolId });
    await appendAudit(trx, actor, { action: 'update', entity: 'transcript-digitisations', entityId: id, after: { step: 'reopen', status: 'entering', revokedVersionId: versionId, signatures, reviews }, reason, schoolId });
    return { id, status: 'entering' as const, revokedVersionId: versionId, signatures };
  });
}
