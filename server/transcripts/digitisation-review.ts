import { z } from 'zod';
import { canEnterPaperTranscripts } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden } from '../core/errors';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { loadRow } from './digitisation';
import type { SignersSnapshot } from './paper-signers';
import { assertOpen, loadVersion } from './store';

/**
 * Seed 003 V.4: for the content of a teacher who no longer works at the school, the academic staff (NV học vụ)
 * review it on the system; only then may the principal sign it in the teacher's place. A teacher still at the
 * school reviews their own content by signing it: marking it reviewed for them is refused.
 */
export async function reviewForDepartedTeacher(db: Db, actor: Actor, id: number, input: unknown) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canEnterPaperTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const { signatureId } = parse(z.object({ signatureId: z.string().min(1).max(120) }).strict(), input);
  const d = await loadRow(db, schoolId, id);
  if (d.status !== 'opened' || d.version_id === null) throw new AppError('conflict', 'digitisationWrongStatus', { status: String(d.status) });
  assertOpen(await loadVersion(db, Number(d.version_id)));
  const teacher = (JSON.parse(String(d.signers ?? '{}')) as SignersSnapshot)[signatureId];
  if (!teacher) throw new AppError('invalid', 'digitisationNoSlot', { slot: signatureId });
  if (!teacher.left) throw new AppError('conflict', 'digitisationReviewCurrent', { name: teacher.name });
  const at = nowIso();
  await db.transaction(async (trx) => {
    const done = await trx('transcript_digitisation_reviews').where({ digitisation_id: id, slot: signatureId }).first('id');
    if (done) return;
    await trx('transcript_digitisation_reviews').insert({ digitisation_id: id, slot: signatureId, staff_id: teacher.staffId, reviewed_by: actor.userId, reviewed_at: at });
    await appendAudit(trx, actor, { action: 'review', entity: 'transcript-digitisations', entityId: id, after: { signatureId, teacherStaffId: teacher.staffId, teacher: teacher.name }, schoolId });
  });
  return { id, signatureId, reviewedAt: at };
}
