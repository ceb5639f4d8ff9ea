import type { Knex } from 'knex';
import { z } from 'zod';
import { can, canReadCorrectionMinutes, isSupervisingVp, type Principal } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, invalidField, forbidden, notFound } from '../core/errors';
import { msg } from '../core/i18n';
import { insertReturningId } from '../core/records';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { closureContext, closureOf, keyOf, loadCells } from '../gradebook/cells';
import { closedReason } from '../gradebook/grid';
import { mayWriteGradebook } from '../gradebook/guards';
import { loadGradebook, rosterOf } from '../gradebook/target';
import { parseCellValue } from '../gradebook/values';
import { applyCorrection, summary } from './apply';
import { displayValue } from './minutes';
import { checkWitness, witnessCandidates, type WitnessCandidate } from './rules';
import { addEvent, attributes, loadRequest, type CorrectionRequest } from './store';

/**
 * Đề nghị sửa điểm (timeline.md, seed 000 — the strict procedure; seed 002's lighter one by school setting):
 * a teacher files a request for a closed cell, the principal approves or rejects, the supervising VP and a second
 * named witness confirm, and the teacher applies it from their own account — or, under the 'admin' procedure, an
 * admin applies it after the principal's approval. Every step is a history row and an audit event.
 */

const id = z.number().int().positive();
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .transform((s) => s.normalize('NFC'));

const CreateBody = z.strictObject({
  classId: id,
  subjectId: id,
  semesterId: id,
  studentId: id,
  kind: z.enum(['regular', 'midterm', 'final']),
  seq: z.number().int().min(1).max(4),
  // As a teacher types it ("8,5", "Đ"); null or "" asks to clear the cell.
  newValue: z.union([z.string().max(16), z.number(), z.null()]),
  reason: text(1000),
  witnessUserId: id.optional(),
});
const ApproveBody = z.strictObject({ note: text(1000).optional(), witnessUserId: id.optional() });
const RejectBody = z.strictObject({ note: text(1000) });
const ConfirmBody = z.strictObject({ witnessUserId: id.optional(), note: text(1000).optional() });
const CancelBody = z.strictObject({ note: text(1000).optional() });
const EmptyBody = z.strictObject({});
const qid = z.coerce.number().int().positive();
/** For a new request, the grade book (the caller files it); for a filed one, the request. */
const CandidatesQuery = z.strictObject({ requestId: qid.optional(), classId: qid.optional(), subjectId: qid.optional(), semesterId: qid.optional() });

/** A step on a filed request: its id, and the step's own fields (a note, a witness). */
export interface CorrectionStep {
  id: string | number;
  details?: unknown;
}

/**
 * Query — người chứng kiến: whom the witness rule (domain/permissions.ts witnessRefusal) accepts, for whoever names
 * one: the teacher filing, the principal approving, the supervising VP confirming.
 */
export async function correctionWitnessCandidates(db: Db, actor: Actor, query: unknown): Promise<WitnessCandidate[]> {
  const principal = principalOf(actor);
  const q = parse(CandidatesQuery, query);
  if (q.requestId !== undefined) {
    const extra = (['classId', 'subjectId', 'semesterId'] as const).filter((k) => q[k] !== undefined);
    if (extra.length > 0) throw new AppError('invalid', 'validation', {}, Object.fromEntries(extra.map((k) => [k, { key: 'unknownKey', params: { keys: k } }])));
    const rec = await loadRequest(db, q.requestId);
    if (!rec) throw notFound('correction-requests', String(q.requestId));
    const gb = await loadGradebook(db, rec.classId, rec.subjectId, rec.semesterId);
    const party = principal.userId === rec.requestedBy || can(principal, 'approve', 'correction-requests', attributes(rec)) || isSupervisingVp(principal, gb.target);
    if (!party) throw forbidden();
    // The lighter procedure has no witness (seed 002: the admin applies after the principal's approval).
    return rec.procedure === 'admin' ? [] : witnessCandidates(db, gb, rec.requestedBy, rec.vpUserId, rec.decidedBy);
  }
  // The same right as filing (POST below): the teacher who writes this grade book, in the current year.
  if (!can(principal, 'create', 'correction-requests')) throw forbidden();
  const missing = (['classId', 'subjectId', 'semesterId'] as const).filter((k) => q[k] === undefined);
  if (missing.length > 0) throw new AppError('invalid', 'validation', {}, Object.fromEntries(missing.map((k) => [k, { key: 'required' }])));
  const gb = await loadGradebook(db, q.classId!, q.subjectId!, q.semesterId!);
  if (!(await mayWriteGradebook(db, principal, gb.target, nowIso())) || !gb.yearIsCurrent) throw new AppError('forbidden', 'notAssigned');
  return gb.entry.settings.correctionProcedure === 'admin' ? [] : witnessCandidates(db, gb, principal.userId, null);
}

/** Operation: a teacher files a request to correct a closed cell of their own grade book. */
export async function fileCorrection(db: Db, actor: Actor, input: unknown): Promise<CorrectionRequest> {
  const principal = principalOf(actor);
  if (!can(principal, 'create', 'correction-requests')) throw forbidden();
  const body = parse(CreateBody, input);
  return db.transaction(async (trx) => {
    const now = nowIso();
    const gb = await loadGradebook(trx, body.classId, body.subjectId, body.semesterId);
    // Only the teacher who writes this grade book asks to correct it (roles.md).
    if (!(await mayWriteGradebook(trx, principal, gb.target, now)) || !gb.yearIsCurrent) throw new AppError('forbidden', 'notAssigned');
    const roster = await rosterOf(trx, gb.klass.id);
    if (!roster.some((s) => s.id === body.studentId)) throw new AppError('invalid', 'validation', {}, { studentId: { key: 'studentNotInClass' } });
    if (!gb.columns.some((c) => c.kind === body.kind && c.seq === body.seq)) throw new AppError('invalid', 'validation', {}, { seq: { key: 'noSuchColumn' } });
    const parsed = parseCellValue(gb.subject.assessmentType, body.newValue);
    if ('error' in parsed) throw new AppError('invalid', 'validation', {}, { newValue: parsed.error });

    const cell = { studentId: body.studentId, kind: body.kind, seq: body.seq };
    const current = (await loadCells(trx, gb)).get(keyOf(cell));
    const ctx = await closureContext(trx, gb, now);
    const why = closureOf(gb, { ...cell, firstEnteredAt: current?.firstEnteredAt ?? null }, ctx);
    // Corrections are for closed cells; an open cell is simply edited in the grid.
    if (!why) throw new AppError('conflict', 'correctionCellOpen');
    // A periodic cell before its test (or without a test date) is not closed, just not yet open.
    if (why.rule === 'periodic_before_test' || why.rule === 'periodic_no_test_date') {
      throw new AppError('conflict', 'correctionCellNotYetOpen', { why: closedReason(why, ctx.settings, body.kind === 'regular' ? null : ctx.testDates[body.kind]) });
    }
    const oldValue = current?.value ?? null;
    if (oldValue === parsed.value) {
      throw new AppError('invalid', 'validation', {}, { newValue: { key: 'correctionSameValue', params: { value: displayValue(oldValue, gb.subject.assessmentType) } } });
    }
    const openKey = `${gb.semester.id}|${gb.klass.id}|${gb.subject.id}|${keyOf(cell)}`;
    const open = (await trx('correction_requests').where({ open_key: openKey }).first('id')) as { id: number } | undefined;
    if (open) throw new AppError('conflict', 'correctionOpenExists', { id: open.id });
    const procedure = ctx.settings.correctionProcedure;
    if (body.witnessUserId !== undefined) {
      if (procedure === 'admin') throw new AppError('invalid', 'validation', {}, { witnessUserId: { key: 'correctionWitnessNotUsed' } });
      await checkWitness(trx, gb, body.witnessUserId, principal.userId, null);
    }
    const requestId = await insertReturningId(trx, 'correction_requests', {
      school_id: gb.target.schoolId,
      semester_id: gb.semester.id,
      class_id: gb.klass.id,
      subject_id: gb.subject.id,
      student_id: cell.studentId,
      kind: cell.kind,
      seq: cell.seq,
      old_value: oldValue,
      new_value: parsed.value,
      reason: body.reason,
      closed_rule: why.rule,
      closed_since: why.since,
      requested_by: principal.userId,
      status: 'pending',
      procedure,
      open_key: openKey,
      witness_user_id: body.witnessUserId ?? null,
      created_at: now,
      updated_at: now,
    });
    await addEvent(trx, requestId, principal.userId, 'filed', now, body.reason);
    if (body.witnessUserId !== undefined) await addEvent(trx, requestId, principal.userId, 'witness_named', now);
    const rec = (await loadRequest(trx, requestId))!;
    await appendAudit(trx, actor, { action: 'create', entity: 'correction-requests', entityId: requestId, schoolId: rec.schoolId, after: summary(rec), reason: body.reason });
    return rec;
  });
}

/** Operation — hiệu trưởng duyệt (seed 000 step 2; Điều 9.3): only the principal decides; may name the witness. */
export async function approveCorrection(db: Db, actor: Actor, input: CorrectionStep): Promise<CorrectionRequest> {
  const body = parse(ApproveBody, input.details ?? {});
  return step(db, actor, input.id, 'approve', async (trx, rec, principal, now) => {
    if (!can(principal, 'approve', 'correction-requests', attributes(rec))) throw forbidden();
    if (rec.status !== 'pending') throw new AppError('conflict', 'correctionNotPending', { status: msg(`correctionStatus_${rec.status}`) });
    const witnessChanged = body.witnessUserId !== undefined && body.witnessUserId !== rec.witnessUserId;
    if (witnessChanged) {
      if (rec.procedure === 'admin') throw new AppError('invalid', 'validation', {}, { witnessUserId: { key: 'correctionWitnessNotUsed' } });
      await checkWitness(trx, await loadGradebook(trx, rec.classId, rec.subjectId, rec.semesterId), body.witnessUserId!, rec.requestedBy, null, principal.userId);
    }
    // A request naming the approver as its witness (filed before the rule) cannot be approved by them.
    if (!witnessChanged && rec.witnessUserId === principal.userId) throw invalidField('witnessUserId', { key: 'correctionWitnessIsParty' });
    const n = await trx('correction_requests')
      .where({ id: rec.id, status: 'pending' })
      .update({ status: 'approved', decided_by: principal.userId, decided_at: now, decision_note: body.note ?? null, ...(witnessChanged ? { witness_user_id: body.witnessUserId } : {}), updated_at: now });
    if (n !== 1) throw new AppError('conflict', 'correctionChangedMeanwhile');
    await addEvent(trx, rec.id, principal.userId, 'approved', now, body.note ?? null);
    if (witnessChanged) await addEvent(trx, rec.id, principal.userId, 'witness_named', now);
  });
}

/** Operation: the principal rejects a pending request, with a note. */
export async function rejectCorrection(db: Db, actor: Actor, input: CorrectionStep): Promise<CorrectionRequest> {
  const body = parse(RejectBody, input.details ?? {});
  return step(db, actor, input.id, 'reject', async (trx, rec, principal, now) => {
    if (!can(principal, 'approve', 'correction-requests', attributes(rec))) throw forbidden();
    if (rec.status !== 'pending') throw new AppError('conflict', 'correctionNotPending', { status: msg(`correctionStatus_${rec.status}`) });
    const n = await trx('correction_requests')
      .where({ id: rec.id, status: 'pending' })
      .update({ status: 'rejected', decided_by: principal.userId, decided_at: now, decision_note: body.note, open_key: null, updated_at: now });
    if (n !== 1) throw new AppError('conflict', 'correctionChangedMeanwhile');
    await addEvent(trx, rec.id, principal.userId, 'rejected', now, body.note);
  });
}

/** Operation — chứng kiến (seed 000 step 3): the supervising VP and the second named witness each confirm once. */
export async function confirmCorrection(db: Db, actor: Actor, input: CorrectionStep): Promise<CorrectionRequest> {
  const body = parse(ConfirmBody, input.details ?? {});
  return step(db, actor, input.id, 'confirm', async (trx, rec, principal, now) => {
    if (rec.procedure === 'admin') throw new AppError('conflict', 'correctionNoConfirmations');
    if (principal.userId === rec.requestedBy) throw new AppError('forbidden', 'correctionSelfConfirm');
    const gb = await loadGradebook(trx, rec.classId, rec.subjectId, rec.semesterId);
    const party = principal.userId === rec.witnessUserId ? 'witness' : isSupervisingVp(principal, gb.target) ? 'vp' : null;
    if (!party) throw new AppError('forbidden', 'correctionNotConfirmer');
    // A witness who is also the approver or the confirming VP is not a fourth person.
    if (party === 'witness' && (principal.userId === rec.decidedBy || principal.userId === rec.vpUserId)) throw new AppError('forbidden', 'correctionWitnessIsParty');
    if (rec.status !== 'approved') throw new AppError('conflict', 'correctionNotApproved', { status: msg(`correctionStatus_${rec.status}`) });
    if (party === 'witness' && rec.witnessConfirmedAt) throw new AppError('conflict', 'correctionAlreadyConfirmed', { party: msg('correctionParty_witness'), name: rec.witnessName ?? '' });
    if (party === 'vp' && rec.vpConfirmedAt) throw new AppError('conflict', 'correctionAlreadyConfirmed', { party: msg('correctionParty_vp'), name: rec.vpName ?? '' });
    let witness: number | undefined;
    if (body.witnessUserId !== undefined && body.witnessUserId !== rec.witnessUserId) {
      // The VP may name the second witness if nobody has been named yet; a named witness is not replaced silently.
      if (rec.witnessUserId !== null || party !== 'vp') throw new AppError('conflict', 'correctionWitnessAlreadyNamed');
      await checkWitness(trx, gb, body.witnessUserId, rec.requestedBy, principal.userId, rec.decidedBy);
      witness = body.witnessUserId;
    }
    // Seed 000 needs a second named witness: a VP confirming with nobody named would leave the request stuck.
    if (party === 'vp' && rec.witnessUserId === null && witness === undefined) {
      throw new AppError('invalid', 'validation', {}, { witnessUserId: { key: 'correctionWitnessRequired' } });
    }
    const update = party === 'witness' ? { witness_confirmed_at: now } : { vp_user_id: principal.userId, vp_confirmed_at: now, ...(witness ? { witness_user_id: witness } : {}) };
    const n = await trx('correction_requests')
      .where({ id: rec.id, status: 'approved' })
      .whereNull(party === 'witness' ? 'witness_confirmed_at' : 'vp_confirmed_at')
      .update({ ...update, updated_at: now });
    if (n !== 1) throw new AppError('conflict', 'correctionChangedMeanwhile');
    if (witness) await addEvent(trx, rec.id, principal.userId, 'witness_named', now);
    await addEvent(trx, rec.id, principal.userId, party === 'witness' ? 'confirmed_witness' : 'confirmed_vp', now, body.note ?? null);
  });
}

/** Operation: the requester withdraws a request that has not been applied. */
export async function cancelCorrection(db: Db, actor: Actor, input: CorrectionStep): Promise<CorrectionRequest> {
  const body = parse(CancelBody, input.details ?? {});
  return step(db, actor, input.id, 'cancel', async (trx, rec, principal, now) => {
    if (principal.userId !== rec.requestedBy) throw new AppError('forbidden', 'correctionCancelNotAllowed');
    if (rec.status !== 'pending' && rec.status !== 'approved') throw new AppError('conflict', 'correctionNotPending', { status: msg(`correctionStatus_${rec.status}`) });
    const n = await trx('correction_requests').where({ id: rec.id, status: rec.status }).update({ status: 'cancelled', open_key: null, updated_at: now });
    if (n !== 1) throw new AppError('conflict', 'correctionChangedMeanwhile');
    await addEvent(trx, rec.id, principal.userId, 'cancelled', now, body.note ?? null);
  });
}

/** Operation: applies an approved correction (see apply.ts). */
export async function applyApprovedCorrection(db: Db, actor: Actor, input: CorrectionStep): Promise<CorrectionRequest> {
  parse(EmptyBody, input.details ?? {});
  principalOf(actor);
  return db.transaction(async (trx) => applyCorrection(trx, actor, await requestOf(trx, input.id), nowIso()));
}

/** Query — biên bản: for the principal, VPs (who file them), the records clerk (who archives them) and the parties. */
export async function correctionMinutes(db: Db, actor: Actor, rawId: string | number): Promise<{ id: number; pdf: Buffer }> {
  const principal = principalOf(actor);
  const rec = await requestOf(db, rawId);
  const reader = canReadCorrectionMinutes(principal, { schoolId: rec.schoolId, partyUserIds: [rec.requestedBy, rec.witnessUserId, rec.appliedBy] });
  if (!reader || !can(principal, 'show', 'correction-requests', attributes(rec))) throw forbidden();
  const row = (await db('correction_requests').where({ id: rec.id }).first('minutes_pdf')) as { minutes_pdf: Buffer | null };
  if (!row.minutes_pdf) throw new AppError('not_found', 'correctionNoMinutes');
  return { id: rec.id, pdf: Buffer.from(row.minutes_pdf) };
}

async function requestOf(conn: Knex | Knex.Transaction, rawId: string | number): Promise<CorrectionRequest> {
  const rid = Number(rawId);
  const rec = Number.isInteger(rid) && rid > 0 ? await loadRequest(conn, rid) : null;
  if (!rec) throw notFound('correction-requests', String(rawId));
  return rec;
}

/** One state change of a request: checks and update by `change`, then the audit row, all in one transaction. */
async function step(
  db: Db,
  actor: Actor,
  rawId: string | number,
  action: string,
  change: (trx: Knex.Transaction, rec: CorrectionRequest, principal: Principal, now: string) => Promise<void>,
): Promise<CorrectionRequest> {
  const principal = principalOf(actor);
  return db.transaction(async (trx) => {
    const now = nowIso();
    const before = await requestOf(trx, rawId);
    if (!principal.grants.some((g) => g.schoolId === before.schoolId)) throw forbidden();
    await change(trx, before, principal, now);
    const after = (await loadRequest(trx, before.id))!;
    await appendAudit(trx, actor, { action, entity: 'correction-requests', entityId: before.id, schoolId: before.schoolId, before: summary(before), after: summary(after) });
    return after;
  });
}
