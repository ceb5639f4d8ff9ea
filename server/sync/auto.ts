/**
 * Automatic batches at the timeline's sync milestones (issue 13: "the timeline's sync milestones trigger batches at
 * the configured instants"; docs/sync.md "Automatic batches").
 *
 * What the seal signs here is the packet's manifest — that this school sent these documents — not a transcript: each
 * transcript inside was sealed by a person. A seal holder (admin or principal) may therefore let the system seal
 * manifests at the milestones' instants: they give the seal's PIN once, with their TOTP; it is checked against the
 * seal, sealed with the server's secret box and kept until they or another seal holder withdraw it. A new seal
 * certificate ends the consent (the PIN was checked against the old one). Every automatic batch is audited as the
 * system's, on behalf of the person who consented, and a step never builds two (sync_batches.auto_key).
 */
import { z } from 'zod';
import { canApplySeal, canSyncTranscripts } from '../../domain/permissions';
import { inSyncScope, type MilestoneScope } from '../../domain/timeline';
import { principalOf, systemActor, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden } from '../core/errors';
import { t } from '../core/i18n';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { assertSecondFactor, unlockKey } from '../transcripts/batches';
import { writeBatch, type SyncDeps } from './operations';
import { studentsForSync } from './readiness';

const Consent = z.strictObject({ pin: z.string().min(4).max(64), totp: z.string().regex(/^\d{6}$/).optional() });

function sealHolderSchool(actor: Actor): number {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canApplySeal(principalOf(actor), schoolId)) throw forbidden();
  return schoolId;
}

/** Operation: a seal holder consents to automatic batches (the seal's PIN checked now, then kept sealed). */
export async function enableAutoSync(db: Db, actor: Actor, input: unknown, deps: SyncDeps) {
  const schoolId = sealHolderSchool(actor);
  const body = parse(Consent, input);
  await assertSecondFactor(db, actor, deps.box, body.totp);
  const { cert } = await unlockKey(db, actor, true, deps.box, body.pin);
  const at = nowIso();
  await db.transaction(async (trx) => {
    const row = { pin: deps.box.seal(body.pin), certificate_sha256: cert.sha256, enabled_by: actor.userId!, enabled_at: at };
    const had = await trx('sync_auto').where({ school_id: schoolId }).update(row);
    if (had === 0) await trx('sync_auto').insert({ school_id: schoolId, ...row });
    await appendAudit(trx, actor, { action: 'sync_auto_on', entity: 'sync-batches', entityId: null, after: { certificate: cert.sha256 }, schoolId });
  });
  return autoSyncStatus(db, actor);
}

/** Operation: any seal holder withdraws the consent; the kept PIN is deleted. */
export async function disableAutoSync(db: Db, actor: Actor) {
  const schoolId = sealHolderSchool(actor);
  await db.transaction(async (trx) => {
    const n = await trx('sync_auto').where({ school_id: schoolId }).delete();
    if (n > 0) await appendAudit(trx, actor, { action: 'sync_auto_off', entity: 'sync-batches', entityId: null, schoolId });
  });
  return autoSyncStatus(db, actor);
}

/** Query: whether the school's sync milestones build batches, since when and by whose consent. */
export async function autoSyncStatus(db: Db, actor: Actor) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canSyncTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const row = (await db('sync_auto as a').join('users as u', 'u.id', 'a.enabled_by').where('a.school_id', schoolId).first('a.enabled_at', 'u.full_name')) as { enabled_at: string; full_name: string } | undefined;
  return { enabled: !!row, enabledAt: row?.enabled_at ?? null, enabledByName: row?.full_name ?? null, mayChange: canApplySeal(principalOf(actor), schoolId) };
}

export type AutoSyncResult =
  | { built: true; batchId: number; entries: number; transport: 'file' | 'http' }
  | { built: false; why: 'off' | 'nothing' | 'done' | 'sealChanged' | 'failed'; message?: string };

/**
 * At a sync milestone's step (its reminders and its due instant): with the school's consent, one batch of what is
 * ready in the milestone's scope, sealed by the system and sent (HTTP, waiting for the answer) or left as a ZIP to
 * download. Never throws for the step's sake: what went wrong comes back in words, and the step still reminds.
 */
export async function runAutoSync(db: Db, schoolId: number, schoolYearId: number, scope: MilestoneScope, stepKey: string, deps: SyncDeps): Promise<AutoSyncResult> {
  const consent = (await db('sync_auto').where({ school_id: schoolId }).first()) as { pin: string; certificate_sha256: string; enabled_by: number } | undefined;
  if (!consent) return { built: false, why: 'off' };
  if (await db('sync_batches').where({ auto_key: stepKey }).first('id')) return { built: false, why: 'done' };
  const actor = systemActor(schoolId);
  try {
    const { cert, key } = await unlockKey(db, actor, true, deps.box, deps.box.open(consent.pin));
    if (cert.sha256 !== consent.certificate_sha256) return { built: false, why: 'sealChanged' };
    const year = (await db('school_years').where({ id: schoolYearId, school_id: schoolId }).first('id', 'name')) as { id: number; name: string };
    const students = (await studentsForSync(db, schoolId, schoolYearId)).filter((s) => inSyncScope(scope, s));
    if (!students.some((s) => s.decision.kind === 'entry')) return { built: false, why: 'nothing' };
    const transport = deps.endpoint ? 'http' : 'file';
    const r = await writeBatch(db, actor, { schoolId, year: { id: Number(year.id), name: year.name }, students, transport, cert, key, createdBy: Number(consent.enabled_by), autoKey: stepKey }, deps, { wait: true });
    return { built: true, batchId: r.id, entries: r.entries, transport };
  } catch (err) {
    if (err instanceof AppError && err.key === 'syncConcurrentBatch') return { built: false, why: 'done' };
    return { built: false, why: 'failed', message: err instanceof AppError ? t('vi', err.key, err.params) : String(err) };
  }
}

